# The Ruby reliability program (reliability/PROTOCOL.md): the binding's public API
# under bad input, misuse, repetition and threads. One check per run:
#
#   ruby -I build/ruby/lib -I bindings/ruby/lib bindings/ruby/test/reliability.rb CHECK [ARG ...]
#
# with WASMGEN_RELIABILITY_DIR set to the inputs (`python3 -m reliability inputs`).
# Prints one JSON object per line on stdout; diagnostics go to stderr. Not a
# minitest file (the Rakefile runs test/**/*_test.rb only).
require "json"
require "etc"
require "wasmer"

DIR = ENV.fetch("WASMGEN_RELIABILITY_DIR") { abort "set WASMGEN_RELIABILITY_DIR (python3 -m reliability inputs)" }
$stdout.sync = true

def emit(kase, outcome, detail = "", extra = {})
  $stdout.write(JSON.generate({ "case" => kase, "outcome" => outcome, "detail" => detail.to_s[0, 300] }.merge(extra)), "\n")
end

def bytes(name)
  File.binread(File.join(DIR, name))
end

def describe(exc)
  "#{exc.class}: #{exc.message}"
end

# Runs a case's body; an exception it did not expect is a `wrong` line, never a crash.
def kase(name)
  outcome, detail, extra = yield
  emit(name, outcome, detail, extra || {})
rescue Exception => e # rubocop:disable Lint/RescueException
  emit(name, "wrong", "unexpected #{describe(e)}")
end

# `typed` when the block raised one of `classes`, `wrong` otherwise.
def expect_raise(*classes)
  result = yield
  ["wrong", "no error (returned #{result.inspect})"]
rescue *classes => e
  ["typed", describe(e)]
end

def rss_kib
  File.read("/proc/self/statm").split[1].to_i * Etc.sysconf(Etc::SC_PAGESIZE) / 1024
end

def i32_type(params, results)
  Wasmer::FunctionType.new([Wasmer::Type::I32] * params, [Wasmer::Type::I32] * results)
end

# The binding's documented errors for a bad argument (wrong count, type or range).
BAD_ARGUMENT = [Wasmer::Error, ::ArgumentError, ::TypeError].freeze

# ---------------------------------------------------------------- checks

def mutants(start, stop)
  store = Wasmer::Store.new
  (Integer(start)...Integer(stop)).each do |n|
    data = bytes(format("mutants/%06d.wasm", n))
    valid = Wasmer::Module.validate(store, data)
    outcome, detail = begin
      Wasmer::Module.new(store, data).close
      valid ? ["ok", "compiled"] : ["wrong", "compiled, but validate said false"]
    rescue Wasmer::CompileError => e
      valid ? ["wrong", "validate said true, then #{describe(e)}"] : ["typed", describe(e)]
    rescue Exception => e # rubocop:disable Lint/RescueException
      ["wrong", "validate said #{valid}, then #{describe(e)}"]
    end
    emit("mutants/module", outcome, detail, "index" => n)
  end
end

TRAPS = %w[unreachable div_by_zero int_overflow bad_conversion oob_memory null_indirect
           indirect_type_mismatch stack_exhausted].freeze

def traps
  store = Wasmer::Store.new
  exports = Wasmer::Instance.new(Wasmer::Module.new(store, bytes("traps.wasm")), nil).exports
  TRAPS.each do |name|
    kase("traps/#{name}") do
      exports[name].call
      ["wrong", "no trap"]
    rescue Wasmer::Trap => e
      e.message.empty? ? ["wrong", "Wasmer::Trap with an empty message"] : ["typed", describe(e)]
    end
    kase("traps/#{name}/after") do
      got = exports.ok.call
      got == 42 ? ["ok", "ok() = 42"] : ["wrong", "ok() = #{got.inspect}"]
    end
  end
end

# An instance of host.wasm; env.reenter calls `down` of this same instance.
def host_instance(boom)
  store = Wasmer::Store.new
  instance = nil
  funcs = {
    "raise" => [->() { raise boom }, 0],
    "wrong_type" => [->() { "not an i32" }, 0],
    "too_many" => [->() { [1, 2] }, 0],
    "too_few" => [->() {}, 0],
    "reenter" => [->(n) { instance.exports.down.(n) }, 1],
  }.transform_values { |fn, params| Wasmer::Function.new(store, fn, i32_type(params, 1)) }
  instance = Wasmer::Instance.new(Wasmer::Module.new(store, bytes("host.wasm")), { "env" => funcs })
end

def host
  boom = RuntimeError.new("boom")
  exports = host_instance(boom).exports
  kase("host/raise") do
    exports.call_raise.call
    ["wrong", "no error"]
  rescue RuntimeError => e
    e.equal?(boom) ? ["typed", describe(e)] : ["wrong", "another exception: #{describe(e)}"]
  end
  # A host function's wrong result is refused as the binding documents: TypeError
  # for a wrong Ruby type (here every wrong count is a wrong type), or a Wasmer::Error.
  %w[wrong_type too_many too_few].each do |name|
    kase("host/#{name}") { expect_raise(*BAD_ARGUMENT) { exports["call_#{name}"].call } }
  end
end

def reenter(*depths)
  exports = host_instance(RuntimeError.new("unused")).exports
  depths.map { |d| Integer(d) }.each do |depth|
    kase("reenter/#{depth}") do
      outcome, detail = begin
        got = exports.down.(depth)
        got == depth ? ["ok", "down(#{depth}) = #{got}"] : ["wrong", "down(#{depth}) = #{got.inspect}"]
      rescue SystemStackError, Wasmer::Error => e
        ["typed", describe(e)]
      end
      again = exports.down.(3)
      again == 3 ? [outcome, detail] : ["wrong", "#{detail}; then down(3) = #{again.inspect}"]
    end
  end
end

# `typed` when the block raised the binding's closed error (Wasmer::RuntimeError "... is closed").
def closed_error
  result = yield
  ["wrong", "no error after Instance#close (got #{result.inspect})"]
rescue Wasmer::RuntimeError => e
  e.message.include?("closed") ? ["typed", describe(e)] : ["wrong", "not the closed error: #{describe(e)}"]
end

def misuse
  store = Wasmer::Store.new
  mod = Wasmer::Module.new(store, bytes("misuse.wasm"))
  exports = Wasmer::Instance.new(mod, nil).exports
  sum = exports.sum
  memory = exports.memory
  kase("misuse/arity_few") { expect_raise(*BAD_ARGUMENT) { sum.(1) } }
  kase("misuse/arity_many") { expect_raise(*BAD_ARGUMENT) { sum.(1, 2, 3) } }
  kase("misuse/type") { expect_raise(*BAD_ARGUMENT) { sum.("a", 1) } }
  kase("misuse/range") { expect_raise(*BAD_ARGUMENT) { sum.(2**40, 1) } }
  kase("misuse/view_oob_read") do
    view = memory.uint8_view
    size = memory.data_size
    results = [size, size + 10].map { |at| expect_raise(*BAD_ARGUMENT, IndexError) { view[at] } }
    results.find { |o, _| o == "wrong" } || results.first
  end
  kase("misuse/view_oob_write") do
    view = memory.uint8_view
    size = memory.data_size
    results = [size, size + 10].map { |at| expect_raise(*BAD_ARGUMENT, IndexError) { view[at] = 1 } }
    results.find { |o, _| o == "wrong" } || results.first
  end
  kase("misuse/grow") do
    old = memory.uint8_view
    old[100] = 7
    pages = memory.grow(1)
    fresh = memory.uint8_view
    first = pages * 65_536
    fresh[first] = 9
    got = [fresh[100], old[100], exports.load8.(first)]
    got == [7, 7, 9] ? ["ok", "grown from #{pages} pages"] : ["wrong", "fresh[100], old[100], load8(new page) = #{got}"]
  end
  kase("misuse/grow_too_far") { expect_raise(*BAD_ARGUMENT, Wasmer::Error) { memory.grow(10) } }

  closing = Wasmer::Instance.new(mod, nil)
  closed_sum = closing.exports.sum
  closed_memory = closing.exports.memory
  closing.close
  kase("misuse/closed_call") { closed_error { closed_sum.(1, 2) } }
  kase("misuse/closed_memory") { closed_error { closed_memory.uint8_view[0] } }

  kase("misuse/wrong_store_import") do
    store_a = Wasmer::Store.new
    sum_a = Wasmer::Function.new(store_a, ->(a, b) { a + b }, i32_type(2, 1))
    mod_b = Wasmer::Module.new(Wasmer::Store.new, bytes("import.wasm"))
    instance = Wasmer::Instance.new(mod_b, { "env" => { "sum" => sum_a } })
    got = instance.exports.add1.(1, 2)
    got == 4 ? ["ok", "add1(1, 2) = 4 across stores"] : ["wrong", "add1(1, 2) = #{got.inspect}"]
  rescue Wasmer::Error => e
    ["typed", describe(e)]
  end
end

def cycles(count)
  n = Integer(count)
  store = Wasmer::Store.new
  mod = Wasmer::Module.new(store, bytes("import.wasm"))
  type = i32_type(2, 1)
  sum = ->(a, b) { a + b }
  measure("cycles/instantiate", n) do |i|
    function = Wasmer::Function.new(store, sum, type)
    instance = Wasmer::Instance.new(mod, { "env" => { "sum" => function } })
    got = instance.exports.add1.(i, 1)
    instance.close
    function.close
    got == i + 2 ? nil : "add1(#{i}, 1) = #{got.inspect}"
  end
end

# Runs the block (a cycle: nil when right, else what was wrong) n / 10 times to warm up, then n times with a
# GC every 1,000, and prints `name` with the wrong results and the RSS growth over those n, in KiB.
def measure(name, n, &cycle)
  (n / 10).times(&cycle)
  GC.start
  before = rss_kib
  wrong = []
  n.times do |i|
    bad = cycle.(i)
    wrong << bad if bad
    GC.start if (i + 1) % 1000 == 0
  end
  GC.start
  emit(name, wrong.empty? ? "ok" : "wrong", wrong.empty? ? "" : "#{wrong.size} wrong: #{wrong.last}",
       { "inputs" => n, "rss_kib" => rss_kib - before })
end

def compile(count)
  n = Integer(count)
  store = Wasmer::Store.new
  data = bytes("simple.wasm")
  measure("compile/module", n) do |i|
    mod = Wasmer::Module.new(store, data)
    instance = Wasmer::Instance.new(mod, nil)
    got = instance.exports.sum.(i, 1)
    instance.close
    mod.close
    got == i + 1 ? nil : "sum(#{i}, 1) = #{got.inspect}"
  end
end

# 4 threads each calling sum(i, t) `calls` times through `sum_for.(t)`; the count of wrong results.
def run_threads(calls, sum_for)
  Array.new(4) do |t|
    Thread.new do
      sum = sum_for.(t)
      (0...calls).count { |i| sum.(i, t) != i + t }
    end
  end.sum(&:value)
end

def threads(count)
  calls = Integer(count)
  data = bytes("simple.wasm")
  kase("threads/own_store") do
    wrong = run_threads(calls, ->(_t) { Wasmer::Instance.new(Wasmer::Module.new(Wasmer::Store.new, data), nil).exports.sum })
    inputs = { "inputs" => 4 * calls }
    wrong.zero? ? ["ok", "4 threads x #{calls} calls", inputs] : ["wrong", "#{wrong} wrong results", inputs]
  end
end

def shared(count)
  calls = Integer(count)
  sum = Wasmer::Instance.new(Wasmer::Module.new(Wasmer::Store.new, bytes("simple.wasm")), nil).exports.sum
  kase("shared/instance") do
    wrong = run_threads(calls, ->(_t) { sum })
    inputs = { "inputs" => 4 * calls }
    wrong.zero? ? ["ok", "4 threads x #{calls} calls", inputs] : ["wrong", "#{wrong} wrong results", inputs]
  rescue Wasmer::Error => e
    ["typed", describe(e)]
  end
end

CHECKS = %w[mutants traps host reenter misuse cycles compile threads shared].freeze

check, *args = ARGV
abort "usage: reliability.rb {#{CHECKS.join('|')}} [ARG ...]" unless CHECKS.include?(check)
send(check, *args)
exit 0

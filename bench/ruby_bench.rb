# sum(1, 2) and a host-import round trip through the Ruby binding.
#
# Prints one JSON line per case: {"lang": "ruby", "case": ..., "ns": ...}.
# Best of 5 rounds, so a busy machine inflates the figure less.
#
#   ruby -I build/ruby/lib -I bindings/ruby/lib bench/ruby_bench.rb [calls]
require "json"
require "wasmer"

WAT = <<~WAT.freeze
  (module
    (import "env" "sum" (func $sum (param i32 i32) (result i32)))
    (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
    (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
WAT

def per_call(function, calls)
  best = Float::INFINITY
  5.times do
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
    i = 0
    while i < calls
      function.(1, 2)
      i += 1
    end
    best = [best, (Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - start).fdiv(calls)].min
  end
  best
end

calls = Integer(ARGV.fetch(0, 200_000))
store = Wasmer::Store.new
type = Wasmer::FunctionType.new([Wasmer::Type::I32, Wasmer::Type::I32], [Wasmer::Type::I32])
host = Wasmer::Function.new(store, ->(a, b) { a + b }, type)
exports = Wasmer::Instance.new(Wasmer::Module.new(store, WAT), { "env" => { "sum" => host } }).exports
raise "wrong results" unless exports.sum.(1, 2) == 3 && exports.add1.(1, 2) == 4

[["sum", exports.sum], ["host_roundtrip", exports.add1]].each do |name, function|
  puts JSON.generate({ "lang" => "ruby", "case" => name, "ns" => per_call(function, calls).round(1) })
  $stdout.flush
end

# Memory: 1 KiB, 64 KiB and 1 MiB written and read through the documented bulk path
# (Memory#write; Memory#read(offset, length, outbuf) into an existing String as memory_read_,
# Memory#read(offset, length) into a new one as memory_read_alloc_; each one memcpy under the
# store's lock)
# beside Ruby's own cheapest copy of the same size (String#replace of a distinct,
# unshared String: one memcpy into the existing buffer; memcpy_alloc_: String.new(data,
# capacity:), a new String with its own buffer, what read without outbuf makes). One line per case,
# {"workload": "memory", "impl": "wasmgen" | "language"}, "ns" the median per
# operation of 7 rounds (p25, p75, min and max beside it).
def rounds(reps)
  yield reps # warm up
  times = Array.new(7) do
    start = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)
    yield reps
    (Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond) - start).fdiv(reps)
  end.sort
  times
end

memory = Wasmer::Memory.new(store, Wasmer::MemoryType.new(17, nil))
{ "1KiB" => 1024, "64KiB" => 65_536, "1MiB" => 1 << 20 }.each do |label, size|
  reps = [20, (64 << 20) / size].max
  data = ((0..255).to_a.pack("C*") * (size / 256)).freeze
  dst = String.new(capacity: size, encoding: Encoding::BINARY)
  outbuf = String.new(capacity: size, encoding: Encoding::BINARY)
  sink = 0
  cases = {
    "memory_write_#{label}" => ["wasmgen", ->(n) { n.times { |i| memory.write(i & 7, data) } }],
    # IO#read's form: read(offset, length, outbuf) fills an existing String, no allocation
    "memory_read_#{label}" => ["wasmgen", ->(n) { n.times { |i| sink += memory.read(i & 7, size, outbuf).bytesize } }],
    # a fresh copy each time: `data` is frozen and distinct from dst, so replace copies its bytes
    "memory_read_alloc_#{label}" => ["wasmgen", ->(n) { n.times { |i| sink += memory.read(i & 7, size).bytesize } }],
    "memcpy_#{label}" => ["language", ->(n) { n.times { dst.replace(data); dst.setbyte(0, 1) } }],
    # the allocating copy, what read(offset, length) does: a new String with its own buffer
    "memcpy_alloc_#{label}" => ["language", ->(n) { n.times { sink += String.new(data, capacity: size).bytesize } }],
  }
  cases.each do |name, (impl, op)|
    t = rounds(reps, &op)
    puts JSON.generate({ "lang" => "ruby", "case" => name, "ns" => t[3].round(1), "median" => t[3].round(1),
                         "p25" => t[1].round(1), "p75" => t[5].round(1), "min" => t[0].round(1), "max" => t[6].round(1),
                         "samples" => t.size, "workload" => "memory", "impl" => impl, "bytes" => size })
    $stdout.flush
  end
  memory.write(0, data)
  dst.replace(data)
  raise "memory round trip differs" unless memory.read(0, size) == data && memory.read(0, size, outbuf) == data &&
                                          dst == data && sink.positive?
end

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

# Shared setup of the Ruby binding's tests (minitest, run by `rake test`).
require "minitest/autorun"
require "wasmer"

ROOT = File.expand_path("../../..", __dir__)
SEEDS = File.join(ROOT, "build", "conformance")

SUM_WAT = '(module (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'.freeze
ADD1_WAT = <<~WAT.freeze
  (module
    (import "env" "sum" (func $sum (param i32 i32) (result i32)))
    (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
WAT

module WasmerTestHelpers
  include Wasmer

  def seed(name)
    path = File.join(SEEDS, name)
    flunk "#{path} missing: run `nox -s build-ruby` (it compiles the conformance seeds)" unless File.file?(path)
    File.binread(path)
  end

  def i32_sum_type
    FunctionType.new([Type::I32, Type::I32], [Type::I32])
  end

  def add1_instance(store, function)
    import_object = ImportObject.new
    import_object.register("env", { "sum" => function })
    Instance.new(Wasmer::Module.new(store, ADD1_WAT), import_object)
  end
end

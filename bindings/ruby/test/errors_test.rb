require "test_helper"

# Bad input: a clear error in Wasmer's exception classes, never a crash.
class ErrorsTest < Minitest::Test
  include WasmerTestHelpers

  def setup
    @store = Store.new
  end

  def test_error_hierarchy
    [CompileError, LinkError, Trap, HostError].each do |klass|
      assert_operator klass, :<, Wasmer::RuntimeError
      assert_operator klass, :<, Wasmer::Error
    end
    assert_operator Wasmer::RuntimeError, :<, ::RuntimeError
    assert_operator Wasmer::ArgumentError, :<, ::ArgumentError
    assert_operator Wasmer::ArgumentError, :<, Wasmer::Error
    assert_operator Wasmer::IndexError, :<, ::IndexError # an index outside a memory view
    assert_operator Wasmer::IndexError, :<, Wasmer::Error
  end

  def test_invalid_modules
    error = assert_raises(CompileError) { Wasmer::Module.new(@store, "\0asm\x01\0\0\0\x99".b) }
    assert_match(/invalid|Validation|error/i, error.message)
    error = assert_raises(CompileError) { Wasmer::Module.new(@store, '(module (func (export "x") (result i32) i32.const))') }
    assert_match(/invalid WebAssembly text/, error.message)
    assert_raises(::RuntimeError) { Wasmer::Module.new(@store, "garbage") } # as in wasmer-ruby
    assert_raises(TypeError) { Wasmer::Module.new(@store, 42) }
    assert_raises(TypeError) { Wasmer::Module.new("store", SUM_WAT) }
    assert_raises(CompileError) { Wasmer.wat2wasm("(module") }
  end

  def test_traps_carry_their_message
    exports = Instance.new(Wasmer::Module.new(@store, <<~WAT)).exports
      (module (func (export "boom") unreachable)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
              (func $rec (export "rec") call $rec))
    WAT
    assert_match(/unreachable/, assert_raises(Trap) { exports.boom.() }.message)
    assert_match(/divi/, assert_raises(Trap) { exports.div.(1, 0) }.message)
    assert_match(/stack/, assert_raises(Trap) { exports.rec.() }.message)
    assert_equal 3, exports.div.(7, 2) # still usable
  end

  def test_link_errors
    mod = Wasmer::Module.new(@store, ADD1_WAT)
    assert_match(/env.*sum.*not defined/, assert_raises(LinkError) { Instance.new(mod) }.message)
    memory = Memory.new(@store, MemoryType.new(1))
    assert_match(/must be a func, got a memory/, assert_raises(LinkError) { Instance.new(mod, { "env" => { "sum" => memory } }) }.message)
    wrong = Function.new(@store, ->(a) { a }, FunctionType.new([Type::I64], [Type::I64]))
    assert_raises(LinkError) { Instance.new(mod, { "env" => { "sum" => wrong } }) }
  end

  def test_start_function_trap
    error = assert_raises(Trap) { Instance.new(Wasmer::Module.new(@store, "(module (func $s unreachable) (start $s))")) }
    assert_match(/unreachable/, error.message)
  end

  def test_wrong_arguments
    sum = Instance.new(Wasmer::Module.new(@store, SUM_WAT)).exports.sum
    assert_match(/given 1, expected 2/, assert_raises(Wasmer::ArgumentError) { sum.(1) }.message)
    assert_match(/argument 1 must be an Integer/, assert_raises(TypeError) { sum.(1, "2") }.message)
    assert_match(/argument 0 .* does not fit in i32/, assert_raises(Wasmer::ArgumentError) { sum.(2**32, 0) }.message)
    assert_raises(Wasmer::ArgumentError) { sum.(-2**31 - 1, 0) }
    assert_raises(TypeError) { sum.(1.5, 0) }
    assert_equal 1, sum.(2**31, 2**31 + 1) # unsigned bit patterns wrap
  end

  class Boom < StandardError; end

  def test_host_exception_surfaces_with_class_and_message
    instance = add1_instance(@store, Function.new(@store, ->(a, b) { raise Boom, "cannot add #{a} and #{b}" }, i32_sum_type))
    error = assert_raises(Boom) { instance.exports.add1.(1, 2) }
    assert_equal "cannot add 1 and 2", error.message
    assert(error.backtrace.any? { |line| line.include?("errors_test.rb") })
    # any exception, not only StandardError
    instance = add1_instance(@store, Function.new(@store, ->(_a, _b) { raise NotImplementedError, "later" }, i32_sum_type))
    assert_raises(NotImplementedError) { instance.exports.add1.(1, 2) }
    # the instance stays usable after a failed call
    calls = 0
    flaky = Function.new(@store, lambda { |a, b|
      calls += 1
      raise Boom, "first" if calls == 1

      a + b
    }, i32_sum_type)
    instance = add1_instance(@store, flaky)
    assert_raises(Boom) { instance.exports.add1.(1, 2) }
    assert_equal 4, instance.exports.add1.(1, 2)
  end

  def test_host_function_wrong_results
    instance = add1_instance(@store, Function.new(@store, ->(_a, _b) { "x" }, i32_sum_type))
    assert_match(/host function result must be an Integer/, assert_raises(TypeError) { instance.exports.add1.(1, 2) }.message)
    instance = add1_instance(@store, Function.new(@store, ->(_a, _b) { 2**40 }, i32_sum_type))
    assert_raises(Wasmer::ArgumentError) { instance.exports.add1.(1, 2) }
    pair = Function.new(@store, ->(a, b) { [a] }, FunctionType.new([Type::I32, Type::I32], [Type::I32, Type::I32]))
    assert_match(/Array of 2 values/, assert_raises(TypeError) { pair.(1, 2) }.message)
    wrong_arity = add1_instance(@store, Function.new(@store, ->(a) { a }, i32_sum_type))
    assert_raises(::ArgumentError) { wrong_arity.exports.add1.(1, 2) }
  end

  def test_throw_and_nested_host_errors
    instance = add1_instance(@store, Function.new(@store, ->(_a, _b) { throw :out }, i32_sum_type))
    error = assert_raises(HostError) { catch(:out) { instance.exports.add1.(1, 2) } }
    assert_match(/throw/, error.message)
    # a host function calling back into wasm, whose host function raises
    inner = add1_instance(@store, Function.new(@store, ->(_a, _b) { raise Boom, "inner" }, i32_sum_type))
    outer = add1_instance(@store, Function.new(@store, ->(a, b) { inner.exports.add1.(a, b) }, i32_sum_type))
    assert_equal "inner", assert_raises(Boom) { outer.exports.add1.(1, 2) }.message
    # ... or rescues it and goes on
    rescuing_sum = lambda do |a, b|
      inner.exports.add1.(a, b)
    rescue Boom
      a * b
    end
    rescuing = add1_instance(@store, Function.new(@store, rescuing_sum, i32_sum_type))
    assert_equal 21, rescuing.exports.add1.(4, 5)
  end

  def test_use_after_close
    store = Store.new
    mod = Wasmer::Module.new(store, SUM_WAT)
    instance = Instance.new(mod)
    sum = instance.exports.sum
    store.close
    assert store.closed?
    assert_match(/closed/, assert_raises(Wasmer::RuntimeError) { Wasmer::Module.new(store, SUM_WAT) }.message)
    assert_equal 3, sum.(1, 2) # what was made from the store keeps it alive
    sum.close
    sum.close # twice is fine
    assert_raises(Wasmer::RuntimeError) { sum.(1, 2) }
    assert_raises(Wasmer::RuntimeError) { sum.type }
    instance.close
    mod.close
    assert_raises(Wasmer::RuntimeError) { mod.exports }
    assert_raises(Wasmer::RuntimeError) { Instance.new(mod) }
    memory = Memory.new(Store.new, MemoryType.new(1))
    view = memory.uint8_view
    memory.close
    assert_raises(Wasmer::RuntimeError) { view[0] }
    assert_raises(Wasmer::RuntimeError) { memory.grow(1) }
  end

  def test_closing_an_instance_closes_what_came_from_it
    wat = <<~WAT
      (module
        (func $seven (result i32) i32.const 7)
        (table (export "table") 1 funcref)
        (elem (i32.const 0) $seven)
        (memory (export "memory") 1)
        (global (export "global") (mut i32) (i32.const 5))
        (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))
    WAT
    instance = Instance.new(Wasmer::Module.new(@store, wat))
    exports = instance.exports
    sum, memory, global, table = exports.sum, exports.memory, exports.global, exports.table
    seven = table.get(0)
    view = memory.uint8_view
    assert_equal [3, 65_536, 5, 7, 0], [sum.(1, 2), memory.data_size, global.value, seven.(), view[0]]
    instance.close
    assert_predicate instance, :closed?
    [sum, memory, global, table, seven].each { |x| assert_predicate x, :closed?, x.class.to_s }
    [-> { sum.(1, 2) }, -> { exports.sum(1, 2) }, -> { memory.data_size }, -> { view[0] }, -> { view[0] = 1 },
     -> { memory.grow(1) }, -> { global.value }, -> { global.value = 1 }, -> { table.size }, -> { table.get(0) },
     -> { seven.() }, -> { Instance.new(Wasmer::Module.new(@store, ADD1_WAT), { "env" => { "sum" => sum } }) }].each do |use|
      assert_match(/Instance of this .* is closed/, assert_raises(Wasmer::RuntimeError) { use.() }.message)
    end
    # closing them again, or the instance, is fine; other instances are unaffected
    [instance, sum, memory].each(&:close)
    assert_equal 3, Instance.new(Wasmer::Module.new(@store, wat)).exports.sum.(1, 2)
  end

  def test_close_while_running_is_refused
    f = nil
    f = Function.new(@store, ->(a, b) { f.close; a + b }, i32_sum_type)
    assert_match(/in use/, assert_raises(Wasmer::RuntimeError) { f.(1, 2) }.message)
    refute f.closed?
  end

  def test_wrong_handle_types
    memory = Memory.new(@store, MemoryType.new(1))
    assert_raises(TypeError) { Wasmer::Native.function_call(memory) }
    assert_raises(TypeError) { Wasmer::Native.memory_size(Store.new) }
    assert_raises(Wasmer::ArgumentError) { Wasmer::Native.memory_grow(memory, -1) }
    assert_raises(TypeError) { Wasmer::Native.memory_grow(memory, "1") }
    assert_raises(Wasmer::ArgumentError) { Wasmer::Native.memory_grow(memory, 2**32) }
    assert_raises(Wasmer::ArgumentError) { Wasmer::Native.module_new(@store) }
    assert_raises(TypeError) { Function.allocate }
  end
end

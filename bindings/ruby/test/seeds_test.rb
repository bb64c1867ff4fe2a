require "test_helper"

# The three conformance seeds, through the wasmer-ruby 1.0 API.
class SeedsTest < Minitest::Test
  include WasmerTestHelpers

  def test_sum
    instance = Instance.new(Wasmer::Module.new(Store.new, seed("simple.wasm")), nil)
    assert_equal 3, instance.exports.sum.(1, 2)
    assert_equal(-3, instance.exports.sum.call(-1, -2))
  end

  def sum(a, b)
    @calls << [a, b]
    a + b
  end

  def test_add1_calls_ruby_host_functions
    store = Store.new
    @calls = []
    [method(:sum), ->(a, b) { sum(a, b) }, proc { |a, b| sum(a, b) }, Proc.new { |a, b| sum(a, b) }].each do |callable|
      instance = add1_instance(store, Function.new(store, callable, i32_sum_type))
      assert_equal 4, instance.exports.add1.(1, 2)
    end
    assert_equal [[1, 2]] * 4, @calls
  end

  def test_return_hello_reads_memory
    instance = Instance.new(Wasmer::Module.new(Store.new, seed("memory.wasm")))
    pointer = instance.exports.return_hello.()
    reader = instance.exports.memory.uint8_view(pointer)
    text = +""
    text << reader[text.bytesize] while reader[text.bytesize] != 0
    assert_equal "Hello, World!", text
  end
end

require "test_helper"

# Garbage collection: host procs live as long as their function, nothing leaks.
class GcTest < Minitest::Test
  include WasmerTestHelpers

  def make_sum
    Instance.new(Wasmer::Module.new(Store.new, SUM_WAT)).exports.sum
  end

  def test_objects_keep_store_alive
    f = make_sum
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal 2, f.(1, 1)
  end

  def test_host_proc_stays_alive_with_its_function
    store = Store.new
    instance = add1_instance(store, Function.new(store, ->(a, b) { a * b }, i32_sum_type))
    GC.start
    GC.compact if GC.respond_to?(:compact)
    100.times { |i| assert_equal i * 2 + 1, instance.exports.add1.(i, 2) }
  end

  def test_gc_inside_host_function
    store = Store.new
    instance = add1_instance(store, Function.new(store, lambda { |a, b|
      Array.new(1000) { "garbage" }
      GC.start
      a + b
    }, i32_sum_type))
    assert_equal 4, instance.exports.add1.(1, 2)
  end

  def test_host_functions_are_released_with_their_store
    GC.start
    before = Wasmer::Native.host_count
    200.times do
      s = Store.new
      add1_instance(s, Function.new(s, ->(a, b) { a + b }, i32_sum_type)).exports.add1.(1, 2)
    end
    GC.start
    assert_operator Wasmer::Native.host_count - before, :<, 50
  end

  def test_dropped_instances_and_their_exports_are_collected
    store = Store.new
    mod = Wasmer::Module.new(store, SUM_WAT)
    live = -> { GC.start(full_mark: true, immediate_sweep: true); [ObjectSpace.each_object(Instance).count, ObjectSpace.each_object(Function).count] }
    before = live.call
    200.times do |i|
      exports = Instance.new(mod).exports
      assert_equal i + 1, exports.sum.(i, 1) # an export keeps its instance alive while it is reachable
    end
    after = live.call
    # (a few may stay on the machine stack, which the GC scans conservatively)
    assert_operator after[0] - before[0], :<, 20, "Instances left of 200"
    assert_operator after[1] - before[1], :<, 20, "exported Functions left of 200"
  end

  def test_instantiating_in_a_loop_frees_memory
    rss = -> { File.read("/proc/self/status")[/VmRSS:\s+(\d+)/, 1].to_i }
    store = Store.new
    mod = Wasmer::Module.new(store, '(module (memory (export "m") 16))')
    20.times { Instance.new(mod) }
    GC.start
    start = rss.call
    300.times { Instance.new(Wasmer::Module.new(Store.new, '(module (memory (export "m") 16) (func (export "f")))')).exports.m.uint8_view[0] = 1 }
    GC.start
    assert_operator rss.call - start, :<, 200_000, "RSS grew by more than 200 MB"
  end
end

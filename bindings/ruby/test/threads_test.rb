require "test_helper"

# Threads: every object may be used from any thread; calls into one store take turns
# (the GVL, and the glue's per-store lock) and always compute the right result.
class ThreadsTest < Minitest::Test
  include WasmerTestHelpers

  def run_threads(count = 4)
    Array.new(count) { |t| Thread.new { yield t } }.map(&:value)
  end

  def test_threads_share_an_instance
    sum = Instance.new(Wasmer::Module.new(Store.new, SUM_WAT)).exports.sum
    wrong = run_threads { |t| (0...2000).count { |i| sum.(i, t) != i + t } }
    assert_equal [0, 0, 0, 0], wrong
  end

  def test_threads_with_their_own_store
    wrong = run_threads do |t|
      sum = Instance.new(Wasmer::Module.new(Store.new, SUM_WAT)).exports.sum
      (0...2000).count { |i| sum.(i, t) != i + t }
    end
    assert_equal [0, 0, 0, 0], wrong
  end

  # A Ruby host function gives the GVL away (Thread.pass) while its thread is inside
  # wasm of the shared store: other threads call into that store meanwhile, and
  # everyone still gets the right result (and, with the glue's per-store lock, nobody
  # waits for that lock while holding the GVL).
  def test_threads_switch_inside_host_functions_of_a_shared_store
    store = Store.new
    passing_sum = Function.new(store, lambda { |a, b|
      Thread.pass
      a + b
    }, i32_sum_type)
    add1 = add1_instance(store, passing_sum).exports.add1
    wrong = run_threads { |t| (0...100).count { |i| add1.(i, t) != i + t + 1 } }
    assert_equal [0, 0, 0, 0], wrong
  end

  # A host function calls back into its own instance on the same thread while other
  # threads use that instance too.
  def test_reentry_from_host_functions_under_threads
    store = Store.new
    instance = nil
    reenter = Function.new(store, lambda { |n|
      Thread.pass
      instance.exports.down.(n)
    }, FunctionType.new([Type::I32], [Type::I32]))
    instance = Instance.new(Wasmer::Module.new(store, <<~WAT), { "env" => { "reenter" => reenter } })
      (module
        (import "env" "reenter" (func $reenter (param i32) (result i32)))
        (func (export "down") (param $n i32) (result i32)
          local.get $n
          i32.eqz
          if (result i32) i32.const 0 else local.get $n i32.const 1 i32.sub call $reenter i32.const 1 i32.add end))
    WAT
    results = run_threads { |t| Array.new(5) { |i| instance.exports.down.(10 + t + i) } }
    assert_equal(Array.new(4) { |t| Array.new(5) { |i| 10 + t + i } }, results)
  end

  # While a thread is inside a call of a store (here suspended in a Ruby host
  # function), another thread's call into that store waits until it left, instead
  # of running meanwhile (or, with the glue's per-store lock, waiting for that lock
  # while holding the GVL the first thread needs: a deadlock).
  def test_a_call_waits_for_another_thread_inside_the_same_store
    store = Store.new
    log = Queue.new
    inside = Queue.new
    slow_sum = Function.new(store, lambda { |a, b|
      log << :a_in
      inside << true
      20.times { Thread.pass } # the other thread gets the GVL, not the store
      log << :a_out
      a + b
    }, i32_sum_type)
    add1 = add1_instance(store, slow_sum).exports.add1
    other = Instance.new(Wasmer::Module.new(store, SUM_WAT))
    a = Thread.new { add1.(1, 2) }
    inside.pop
    b = Thread.new do
      r = other.exports.sum.(3, 4)
      log << :b_done
      other.close # waits the same way
      r
    end
    assert_equal [4, 7], [a.value, b.value]
    assert_equal %i[a_in a_out b_done], Array.new(log.size) { log.pop }
  end

  # Stores are independent: a thread inside one store does not hold up another store.
  def test_other_stores_do_not_wait
    store = Store.new
    other_sum = Instance.new(Wasmer::Module.new(Store.new, SUM_WAT)).exports.sum
    results = Queue.new
    waiting_sum = Function.new(store, lambda { |a, b|
      Thread.new { results << other_sum.(a, b) }
      results.pop + 1 # the other thread's result, computed while this one is inside `store`
    }, i32_sum_type)
    assert_equal 2 + 3 + 1 + 1, add1_instance(store, waiting_sum).exports.add1.(2, 3)
  end

  # The same, when the instance lives in the store of another Store object (it imports
  # that Store's memory): the thread calling into that store while the first one is in a
  # Ruby host function waits for the glue's lock without the GVL (wg_set_blocking_region).
  def test_threads_switch_inside_host_functions_of_an_imported_store
    other = Store.new
    memory = Memory.new(other, MemoryType.new(1, 100))
    passing = Function.new(Store.new, lambda { |a, b|
      10.times { Thread.pass }
      a + b
    }, i32_sum_type)
    wat = <<~WAT
      (module (import "env" "memory" (memory 1)) (import "env" "sum" (func $sum (param i32 i32) (result i32)))
        (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
    WAT
    add1 = Instance.new(Wasmer::Module.new(Store.new, wat), { "env" => { "memory" => memory, "sum" => passing } }).exports.add1
    results = run_threads(2) do |t|
      if t.zero?
        (0...200).count { |i| add1.(i, 1) != i + 2 }
      else
        (0...200).each { memory.size }
        0
      end
    end
    assert_equal [0, 0], results
  end
end

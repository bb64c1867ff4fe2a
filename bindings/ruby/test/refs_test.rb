require "test_helper"

# Reference values: externref (any Ruby object, the same one comes back) and
# funcref (a Wasmer::Function or nil) in calls, host functions and globals.
class RefsTest < Minitest::Test
  include WasmerTestHelpers

  REFS_WAT = <<~WAT.freeze
    (module
      (import "env" "keep" (func $keep (param externref) (result externref)))
      (import "env" "give" (func $give (result funcref)))
      (import "env" "take" (func $take (param funcref) (result i32)))
      (type $r (func (result i32)))
      (table $ft 1 funcref)
      (func (export "id") (param externref) (result externref) local.get 0)
      (func (export "is_null") (param externref) (result i32) local.get 0 ref.is_null)
      (func (export "through") (param externref) (result externref) local.get 0 call $keep)
      (func (export "pair") (param externref externref) (result externref externref) local.get 1 local.get 0)
      (func $seven (result i32) i32.const 7)
      (elem declare func $seven)
      (func (export "seven_ref") (result funcref) ref.func $seven)
      (func (export "null_func") (result funcref) ref.null func)
      (func (export "is_null_func") (param funcref) (result i32) local.get 0 ref.is_null)
      (func (export "both") (param externref funcref) (result i32) local.get 1 ref.is_null)
      (func (export "call_given") (result i32)
        (table.set $ft (i32.const 0) (call $give))
        (call_indirect $ft (type $r) (i32.const 0)))
      (func (export "take_seven") (result i32) (call $take (ref.func $seven)))
      (global (export "g") (mut externref) (ref.null extern))
      (global (export "gf") (mut funcref) (ref.null func))
      (func (export "set_g") (param externref) local.get 0 global.set 0))
  WAT

  def setup
    @store = Store.new
  end

  def refs_instance(store = @store, keep: ->(x) { x }, give: -> {}, take: ->(f) { f.nil? ? -1 : f.() })
    types = {
      keep: FunctionType.new([Type::EXTERN_REF], [Type::EXTERN_REF]),
      give: FunctionType.new([], [Type::FUNC_REF]),
      take: FunctionType.new([Type::FUNC_REF], [Type::I32]),
    }
    imports = { keep: keep, give: give, take: take }.to_h { |name, fn| [name.to_s, Function.new(store, fn, types[name])] }
    Instance.new(Wasmer::Module.new(store, REFS_WAT), { "env" => imports })
  end

  def test_externref_round_trips_the_same_object
    exports = refs_instance.exports
    obj = { "any" => ["ruby", :object] }
    assert_same obj, exports.id(obj)
    assert_same obj, exports.id.(obj)
    assert_nil exports.id(nil)
    assert_equal 1, exports.is_null(nil)
    [false, true, 0, 42, :sym, 1.5, 2**70, "text", Object.new, exports].each do |value|
      assert_same value, exports.id(value), "id(#{value.inspect})"
      assert_equal 0, exports.is_null(value), "is_null(#{value.inspect})"
    end
    a = Object.new
    b = Object.new
    first, second = exports.pair(a, b)
    assert_same b, first
    assert_same a, second
  end

  def test_host_function_with_externref_param_and_result
    seen = []
    exports = refs_instance(keep: ->(x) { seen << x; x }).exports
    marker = Object.new
    assert_same marker, exports.through(marker)
    assert_nil exports.through(nil)
    assert_equal 2, seen.length
    assert_same marker, seen[0]
    assert_nil seen[1]

    # a host function can return an object of its own
    fresh = Struct.new(:n).new(7)
    assert_same fresh, refs_instance(keep: ->(_x) { fresh }).exports.through(Object.new)
  end

  def test_funcref_from_wasm_is_a_callable_function
    exports = refs_instance.exports
    seven = exports.seven_ref.()
    assert_kind_of Function, seven
    assert_equal 7, seven.()
    assert_equal 7, seven.call
    assert_equal FunctionType.new([], [Type::I32]), seven.type
    assert_nil exports.null_func.()
    # passed back in as a funcref
    assert_equal 0, exports.is_null_func(seven)
    assert_equal 0, exports.is_null_func(exports.id) # an export is a Function too
    assert_equal 1, exports.is_null_func(nil)
  end

  def test_host_function_is_not_a_funcref
    exports = refs_instance.exports
    host = Function.new(@store, -> { 1 }, FunctionType.new([], [Type::I32]))
    error = assert_raises(Wasmer::ArgumentError) { exports.is_null_func(host) }
    assert_match(/host function cannot be used as a funcref/, error.message)
    assert_kind_of ::ArgumentError, error
    error = assert_raises(TypeError) { exports.is_null_func("not a function") }
    assert_match(/funcref/, error.message)
    assert_raises(TypeError) { exports.is_null_func(Memory.new(@store, MemoryType.new(1))) }
    closed = exports.seven_ref.()
    closed.close
    assert_raises(Wasmer::RuntimeError) { exports.is_null_func(closed) }
  end

  # An instance of REFS_WAT_SEVEN in the store of `refs` (importing one of its functions links them), so
  # that its `seven` can be a funcref value there; an unlinked one lives in a store of its own.
  def linked_seven(refs)
    Instance.new(Wasmer::Module.new(@store, REFS_WAT_SEVEN), { "refs" => { "id" => refs.id } }).exports.seven
  end

  def test_host_functions_take_and_return_funcrefs
    exports = nil
    exports = refs_instance(give: -> { linked_seven(exports) }).exports
    assert_equal 77, exports.call_given.()
    got = nil
    exports = refs_instance(take: ->(f) { got = f; f.() + 1 }).exports
    assert_equal 8, exports.take_seven.()
    assert_kind_of Function, got
    assert_equal 7, got.() # still callable after the host function returned

    # a host function returning a host function: the argument error, raised at the call
    host = Function.new(@store, -> { 1 }, FunctionType.new([], [Type::I32]))
    exports = refs_instance(give: -> { host }).exports
    error = assert_raises(Wasmer::ArgumentError) { exports.call_given.() }
    assert_match(/host function cannot be used as a funcref/, error.message)
    exports = refs_instance(give: -> { "nope" }).exports
    assert_raises(TypeError) { exports.call_given.() }
    # null from the host: call_indirect on a null element traps
    assert_raises(Trap) { refs_instance.exports.call_given.() }
  end

  REFS_WAT_SEVEN = <<~WAT.freeze
    (module (import "refs" "id" (func (param externref) (result externref)))
      (func (export "seven") (result i32) i32.const 77))
  WAT

  def test_a_function_of_an_unlinked_instance_is_no_value_here
    exports = refs_instance(give: -> { Instance.new(Wasmer::Module.new(@store, '(module (func (export "f")))')).exports.f }).exports
    error = assert_raises(Wasmer::HostError) { exports.call_given.() } # the host function's result is refused
    assert_match(/another store .* link instances through imports/, error.message)
  end

  def test_externref_global
    exports = refs_instance.exports
    g = exports.g
    assert_equal GlobalType.new(Type::EXTERN_REF, true), g.type
    assert_nil g.value
    obj = Object.new
    g.value = obj
    assert_same obj, g.value
    other = Object.new
    exports.set_g(other)
    assert_same other, g.value
    g.value = Value.externref(obj)
    assert_same obj, g.value
    g.value = nil
    assert_nil g.value

    own = Global.new(@store, Value.new(Type::EXTERN_REF, obj), false)
    assert_same obj, own.value
    assert_equal GlobalType.new(Type::EXTERN_REF, false), own.type
    assert_raises(Wasmer::RuntimeError) { own.value = 1 }
    assert_nil Global.new(@store, Value.externref(nil), true).value
  end

  def test_funcref_global
    exports = refs_instance.exports
    gf = exports.gf
    assert_nil gf.value
    gf.value = exports.seven_ref.()
    assert_equal 7, gf.value.()
    gf.value = nil
    assert_nil gf.value
    error = assert_raises(Wasmer::ArgumentError) { Global.new(@store, Value.funcref(exports.seven_ref.()), true) }
    assert_match(/another store/, error.message) # refs has a store of its own
    host = Function.new(@store, -> { 1 }, FunctionType.new([], [Type::I32]))
    assert_raises(Wasmer::ArgumentError) { gf.value = host }
    assert_raises(Wasmer::ArgumentError) { Value.funcref(host) }
    assert_raises(TypeError) { gf.value = 42 }
    assert_raises(TypeError) { Value.funcref(Object.new) }
  end

  def test_values_of_reference_types
    obj = Object.new
    assert_same obj, Value.externref(obj).value
    assert_equal Type::EXTERN_REF, Value.externref(obj).type
    assert_nil Value.funcref(nil).value
    assert_raises(Wasmer::ArgumentError) { Wasmer::Native.from_bits(Wasmer::Native::KIND_FUNCREF, 12_345) }
  end

  def test_refused_arguments_leave_no_token
    exports = refs_instance.exports
    before = Wasmer::Native.externref_count
    assert_raises(TypeError) { exports.both(Object.new, "not a function") }
    assert_raises(Wasmer::ArgumentError) { exports.both(Object.new, Function.new(@store, -> {}, FunctionType.new([], []))) }
    # a host function the binding did not flag: the glue refuses it, the token is taken back
    env = Wasmer::Native.host_register(@store, -> {}, "", "")
    unflagged = Wasmer::Native.function_new_host(@store, "", "", env)
    error = assert_raises(Wasmer::ArgumentError) { exports.both(Object.new, unflagged) }
    assert_match(/host function cannot be used as a funcref/, error.message)
    assert_equal before, Wasmer::Native.externref_count
    exports.both(Object.new, nil)
    assert_equal before + 1, Wasmer::Native.externref_count # held by the store until it is freed
  end

  def test_references_under_gc_stress
    exports = nil
    exports = refs_instance(give: -> { linked_seven(exports) }).exports
    obj = Object.new
    GC.stress = true
    begin
      2.times do
        assert_same obj, exports.through(obj)
        assert_equal 7, exports.seven_ref.().()
        assert_equal 77, exports.call_given.()
      end
    ensure
      GC.stress = false
    end
    GC.compact if GC.respond_to?(:compact)
    assert_same obj, exports.id(obj)
    assert_same obj, exports.through(obj)
  end

  def test_externref_tokens_are_released_with_their_store
    GC.start
    before = Wasmer::Native.externref_count
    100.times do
      s = Store.new
      exports = refs_instance(s).exports
      exports.id(Object.new)
      exports.g.value = Object.new
    end
    GC.start
    assert_operator Wasmer::Native.externref_count - before, :<, 20
  end

  def test_funcref_outlives_its_instance
    f = refs_instance(Store.new).exports.seven_ref.()
    GC.start
    GC.compact if GC.respond_to?(:compact)
    assert_equal 7, f.()
  end
end

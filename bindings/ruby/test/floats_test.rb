require "test_helper"

# f32 values cross the extension by their bits: a signalling NaN keeps its payload
# (a C float <-> double conversion would quiet it: nan:0x200000 -> nan:0x600000).
class FloatsTest < Minitest::Test
  include WasmerTestHelpers

  F32_WAT = <<~WAT.freeze
    (module
      (import "env" "echo" (func $echo (param f32) (result f32)))
      (global $g (export "g") (mut f32) (f32.const nan:0x200000))
      (func (export "id") (param f32) (result f32) local.get 0)
      (func (export "abs") (param f32) (result f32) local.get 0 f32.abs)
      (func (export "neg") (param f32) (result f32) local.get 0 f32.neg)
      (func (export "bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
      (func (export "from_bits") (param i32) (result f32) local.get 0 f32.reinterpret_i32)
      (func (export "echo_bits") (param i32) (result i32) local.get 0 f32.reinterpret_i32 call $echo i32.reinterpret_f32)
      (func (export "snan") (result f32) f32.const nan:0x200000)
      (func (export "g_bits") (result i32) global.get $g i32.reinterpret_f32))
  WAT

  # Edge cases of every class: zeros, subnormals, normals, infinities, quiet and
  # signalling NaNs of both signs with small and large payloads.
  PATTERNS = [
    0x0000_0000, 0x8000_0000, 0x0000_0001, 0x807F_FFFF, 0x0080_0000, 0x3F80_0000, 0xC2F6_E979, 0x7F7F_FFFF,
    0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000, 0x7FA0_0000, 0xFFA0_0000, 0x7F80_0001, 0xFF80_F1E2,
    0x7F80_F1E2, 0x7FBF_FFFF, 0x7FFF_FFFF, 0xFFFF_FFFF, 0x7FC0_0001
  ].freeze

  def setup
    @store = Store.new
    echo = Function.new(@store, ->(x) { x }, FunctionType.new([Type::F32], [Type::F32]))
    @exports = Instance.new(Wasmer::Module.new(@store, F32_WAT), { "env" => { "echo" => echo } }).exports
  end

  def double_bits(float)
    [float].pack("E").unpack1("Q<")
  end

  def test_signalling_nan_keeps_its_payload
    snan = @exports.snan.()
    assert snan.nan?
    assert_equal 0x7FF4_0000_0000_0000, double_bits(snan) # the payload at the top of the double's mantissa
    assert_equal 0x7FA0_0000, @exports.bits.(snan)
    assert_equal 0x7FA0_0000, @exports.bits.(@exports.id.(snan))
  end

  def test_abs_and_neg_of_a_nan_change_the_sign_only
    x = @exports.from_bits.(0xFF80_F1E2 - 2**32)
    assert_equal 0x7F80_F1E2, @exports.bits.(@exports.abs.(x))
    assert_equal 0x7F80_F1E2, @exports.bits.(@exports.neg.(x))
  end

  def test_every_pattern_round_trips_through_calls
    PATTERNS.each do |bits|
      signed = bits >= 2**31 ? bits - 2**32 : bits
      value = @exports.from_bits.(signed)
      assert_equal signed, @exports.bits.(value), format("f32 0x%08x through a result and an argument", bits)
    end
  end

  def test_every_pattern_round_trips_through_a_host_function
    PATTERNS.each do |bits|
      signed = bits >= 2**31 ? bits - 2**32 : bits
      assert_equal signed, @exports.echo_bits.(signed), format("f32 0x%08x through a host function", bits)
    end
  end

  def test_globals_and_values_keep_nan_payloads
    g = @exports.g
    snan = g.value
    assert_equal 0x7FF4_0000_0000_0000, double_bits(snan)
    g.value = @exports.from_bits.(0x7F80_0001)
    assert_equal 0x7F80_0001, @exports.g_bits.()
    own = Global.new(@store, Value.f32(snan), true)
    assert_equal 0x7FF4_0000_0000_0000, double_bits(own.value)
    assert_equal 0x7FA0_0000, Wasmer::Native.to_bits(Wasmer::Native::KIND_F32, snan)
    assert_equal 0x7FF4_0000_0000_0000, double_bits(Wasmer::Native.from_bits(Wasmer::Native::KIND_F32, 0x7FA0_0000))
  end

  def test_ordinary_floats_still_round_as_f32
    assert_equal 1.5, @exports.id.(1.5)
    assert_equal 0.10000000149011612, @exports.id.(0.1)
    assert_equal Float::INFINITY, @exports.id.(1e39)
    assert_equal 1.0, @exports.id.(1) # an Integer converts
    assert_equal 0x8000_0000_0000_0000, double_bits(@exports.id.(-0.0))
  end
end

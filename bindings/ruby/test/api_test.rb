require "test_helper"

# The wasmer-ruby 1.0 surface: store, engines, modules, types, values, exports,
# host functions, memories and views, globals, tables, wat2wasm.
class ApiTest < Minitest::Test
  include WasmerTestHelpers

  def setup
    @store = Store.new
  end

  def test_versions_and_type_constants
    # the release version (api.yaml library.version), the one the gem is built with
    assert_equal Gem::Specification.load(File.expand_path("../wasmer.gemspec", __dir__)).version.to_s, Wasmer::VERSION
    assert_match(/\A\d+\.\d+\.\d+\z/, Wasmer::VERSION)
    assert_match(/\A7\./, Wasmer::CORE_VERSION)
    assert_equal [1, 2, 3, 4, 5, 6, 7],
                 [Type::I32, Type::I64, Type::F32, Type::F64, Type::V128, Type::EXTERN_REF, Type::FUNC_REF]
  end

  def test_engines_and_compilers
    [Compiler::Cranelift, Compiler::Singlepass].each do |compiler|
      store = Store.new(Engine::Universal.new(compiler))
      assert_equal compiler::NAME, store.compiler_name
      assert_equal 42, Instance.new(Wasmer::Module.new(store, SUM_WAT)).exports.sum.(40, 2)
    end
    assert_equal "cranelift", Store.new.compiler_name
    assert_same Engine::Universal, Engine::JIT
    assert_raises(TypeError) { Store.new(42) }
    assert_raises(TypeError) { Engine::Universal.new(String) }
  end

  def test_module_from_wat_text_and_bytes
    binary = Wasmer.wat2wasm(SUM_WAT)
    assert_equal "\0asm".b, binary[0, 4]
    assert_equal Encoding::BINARY, binary.encoding
    assert_equal 5, Instance.new(Wasmer::Module.new(@store, binary)).exports.sum.(2, 3)
    assert_equal 5, Instance.new(Wasmer::Module.new(@store, SUM_WAT)).exports.sum.(2, 3)
    assert_includes Wasmer.wasm2wat(binary), "func"
    assert_equal "(module)", Wasmer.wasm2wat("\0asm\x01\0\0\0") # no trailing newline, as wasmer-ruby 1.0
    refute Wasmer.wasm2wat(binary).end_with?("\n")
  end

  def test_custom_sections
    wat = %q{(module (@custom "a" "x") (func) (@custom "a" (after last) "yz") (@custom "b" ""))}
    binary = Wasmer.wat2wasm(wat)
    [wat, binary].each do |source|
      module_ = Wasmer::Module.new(@store, source)
      assert_equal [["x", "yz"], [""], []], %w[a b c].map { |name| module_.custom_sections(name) }
    end
    kept = binary.dup
    module_ = Wasmer::Module.new(@store, kept)
    kept.replace("changed by the caller")
    assert_equal ["x", "yz"], module_.custom_sections(:a)
    deserialized = Wasmer::Module.deserialize(@store, module_.serialize)
    assert_match(/deserialized module/, assert_raises(Wasmer::RuntimeError) { deserialized.custom_sections("a") }.message)
  end

  # `anyfunc`, funcref's name in wasmer-ruby 1.0's text format, is still read; only the keyword
  def test_legacy_anyfunc_keyword
    wat = %q{(module ;; anyfunc
      (import "ns" "anyfunc" (table 1 2 anyfunc)) (func $anyfunc) (memory 1) (data (i32.const 0) "anyfunc"))}
    imported = Wasmer::Module.new(@store, wat).imports[0]
    assert_equal ["anyfunc", Type::FUNC_REF, 1, 2],
                 [imported.name, imported.type.type, imported.type.minimum, imported.type.maximum]
    assert_equal Wasmer.wat2wasm(wat.gsub("(table 1 2 anyfunc)", "(table 1 2 funcref)")), Wasmer.wat2wasm(wat)
    assert_equal true, Wasmer::Module.validate(@store, Wasmer.wat2wasm("(module (table 0 anyfunc))"))
    assert_raises(CompileError) { Wasmer::Module.new(@store, "(module (table 0 $anyfunc))") }
  end

  # the instruction names wasmer-ruby 1.0's text format still took (get_local, i32.wrap/i64, ...)
  def test_legacy_instruction_names
    legacy = %q{(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
      (func (export "f") (param i32 f32 i64) (result i64)
        get_local 0 set_global $g (i32.trunc_s:sat/f32 (get_local 1)) tee_local 0 drop
        current_memory grow_memory drop get_global $g set_local 0
        get_local 2 i32.wrap/i64 i64.extend_u/i32 f64.convert_s/i64 i64.reinterpret/f64)
      (data (i32.const 0) "get_local i32.wrap/i64"))}
    current = %q{(module (memory (export "memory") 1) (global $g (mut i32) (i32.const 0))
      (func (export "f") (param i32 f32 i64) (result i64)
        local.get 0 global.set $g (i32.trunc_sat_f32_s (local.get 1)) local.tee 0 drop
        memory.size memory.grow drop global.get $g local.set 0
        local.get 2 i32.wrap_i64 i64.extend_i32_u f64.convert_i64_s i64.reinterpret_f64)
      (data (i32.const 0) "get_local i32.wrap/i64"))}
    assert_equal Wasmer.wat2wasm(current), Wasmer.wat2wasm(legacy)
    [legacy, Wasmer.wat2wasm(current)].each do |source| # a binary module is never rewritten
      instance = Instance.new(Wasmer::Module.new(@store, source))
      assert_equal [7.0].pack("E").unpack1("q<"), instance.exports.f.(1, 2.5, 7)
      assert_equal "get_local i32.wrap/i64", instance.exports.memory.uint8_view(0).first(22).pack("C*")
    end
  end

  def test_validate
    assert_equal true, Wasmer::Module.validate(@store, Wasmer.wat2wasm(SUM_WAT))
    assert_equal false, Wasmer::Module.validate(@store, "\0asm\x01\0\0\0\xff".b)
    assert_equal false, Wasmer::Module.validate(@store, "")
  end

  def test_serialize_and_deserialize
    data = Wasmer::Module.new(@store, SUM_WAT).serialize
    assert_kind_of String, data
    assert_operator data.bytesize, :>, 8
    assert_equal 42, Instance.new(Wasmer::Module.deserialize(@store, data)).exports.sum.(20, 22)
    assert_raises(CompileError) { Wasmer::Module.deserialize(@store, "not an artifact") }
  end

  def test_module_name
    assert_equal "moduleName", Wasmer::Module.new(@store, "(module $moduleName)").name
    unnamed = Wasmer::Module.new(@store, "(module)")
    assert_nil unnamed.name
    unnamed.name = "hello"
    assert_equal "hello", unnamed.name
  end

  def test_module_exports_and_imports
    exports = Wasmer::Module.new(@store, <<~WAT).exports
      (module
        (func (export "function") (param i32 i64))
        (global (export "global") i32 (i32.const 7))
        (table (export "table") 0 funcref)
        (memory (export "memory") 1))
    WAT
    assert_equal 4, exports.length
    assert_kind_of ExportType, exports[0]
    assert_equal %w[function global table memory], exports.map(&:name)
    assert_equal FunctionType.new([Type::I32, Type::I64], []), exports[0].type
    assert_equal [Type::I32, Type::I64], exports[0].type.params
    assert_equal GlobalType.new(Type::I32, false), exports[1].type
    assert_equal false, exports[1].type.mutable?
    assert_equal TableType.new(Type::FUNC_REF, 0, nil), exports[2].type
    assert_nil exports[2].type.maximum
    assert_equal MemoryType.new(1, nil, false), exports[3].type
    assert_equal false, exports[3].type.shared?

    imports = Wasmer::Module.new(@store, <<~WAT).imports
      (module
        (import "ns" "function" (func (param i64) (result f32)))
        (import "ns" "global" (global (mut f64)))
        (import "ns" "table" (table 1 2 funcref))
        (import "ns" "memory" (memory 3 4)))
    WAT
    assert_equal [%w[ns function], %w[ns global], %w[ns table], %w[ns memory]], imports.map { |i| [i.module, i.name] }
    assert_kind_of ImportType, imports[0]
    assert_equal FunctionType.new([Type::I64], [Type::F32]), imports[0].type
    assert_equal GlobalType.new(Type::F64, true), imports[1].type
    assert_equal TableType.new(Type::FUNC_REF, 1, 2), imports[2].type
    assert_equal MemoryType.new(3, 4), imports[3].type
  end

  def test_type_classes
    assert_equal [Type::I32], ExportType.new("foo", FunctionType.new([Type::I32], [])).type.params
    assert_equal "bar", ImportType.new("foo", "bar", FunctionType.new([], [])).name
    assert_raises(TypeError) { ExportType.new("foo", Store.new) }
    assert_raises(TypeError) { ImportType.new("foo", "bar", 42) }
    assert_raises(TypeError) { FunctionType.new([42], []) }
    assert_raises(ArgumentError) { FunctionType.new([Type::V128], []) }
    assert MemoryType.new(1, 2, true).shared?
  end

  def test_values
    assert_equal Type::I32, Value.i32(42).type
    assert_equal 42, Value.i32(42).value
    assert_equal Value.f64(1.5), Value.new(Type::F64, 1.5)
    assert_equal "Wasmer::Value.i64(7)", Value.i64(7).inspect
    assert_raises(ArgumentError) { Value.i32(2**40) }
    assert_raises(TypeError) { Value.i32("x") }
  end

  def test_exports_by_method_key_and_iteration
    instance = Instance.new(Wasmer::Module.new(@store, <<~WAT), nil)
      (module
        (func (export "func") (param i32 i64))
        (global (export "glob") i32 (i32.const 7))
        (table (export "tab") 0 funcref)
        (memory (export "mem") 1)
        (func (export "length") (result i32) i32.const 9))
    WAT
    exports = instance.exports
    assert_kind_of Exports, exports
    %i[func glob tab mem].each { |name| assert exports.respond_to?(name), name }
    refute exports.respond_to?(:foo)
    assert_kind_of Function, exports.func
    assert_kind_of Global, exports.glob
    assert_kind_of Table, exports.tab
    assert_kind_of Memory, exports.mem
    assert_equal %w[func glob tab mem length], exports.each.map(&:first)
    assert_equal 5, exports.length # a method of Exports wins over the export of that name ...
    assert_equal 9, exports["length"].() # ... which stays reachable by key
    assert_raises(NoMethodError) { exports.foo }
    assert_nil exports.func(1, 2) # a shorthand of exports.func.(1, 2)
    assert_raises(ArgumentError) { exports.mem(1) }
    assert_raises(KeyError) { exports["foo"] }
    assert_same instance.module.class, Wasmer::Module
  end

  def test_all_value_types_and_multi_value
    exports = Instance.new(Wasmer::Module.new(@store, <<~WAT)).exports
      (module
        (func (export "swap") (param i64 f32 f64) (result f64 i64 f32) local.get 2 local.get 0 local.get 1)
        (func (export "none"))
        (func (export "i64") (param i64) (result i64) local.get 0))
    WAT
    out = exports.swap.(2**40, 1.5, -0.0)
    assert_equal [-0.0, 2**40, 1.5], out
    assert_equal(-Float::INFINITY, 1.0 / out[0])
    assert_nil exports.none.()
    assert_equal FunctionType.new([Type::I64, Type::F32, Type::F64], [Type::F64, Type::I64, Type::F32]), exports.swap.type
    assert_equal(-2**63, exports.i64.(-2**63))
    assert_equal(-1, exports.i64.(2**64 - 1)) # unsigned bit patterns are accepted
    assert_equal 3, exports.swap.to_proc.call(1, 2.0, 3.0)[1] + 2
  end

  def test_host_function_with_multi_results_and_callable_from_ruby
    divmod = Function.new(@store, ->(a, b) { a.divmod(b) }, FunctionType.new([Type::I64, Type::I64], [Type::I64, Type::I64]))
    instance = Instance.new(Wasmer::Module.new(@store, <<~WAT), { "m" => { "dm" => divmod } })
      (module (import "m" "dm" (func $dm (param i64 i64) (result i64 i64)))
        (func (export "call") (param i64 i64) (result i64 i64) local.get 0 local.get 1 call $dm))
    WAT
    assert_equal [3, 2], instance.exports.call.(17, 5)
    assert_equal [2, 1], divmod.(9, 4)
    assert_equal FunctionType.new([Type::I64, Type::I64], [Type::I64, Type::I64]), divmod.type
  end

  class Adder
    def call(a, b)
      a + b
    end
  end

  def test_any_callable_and_symbols
    assert_equal 4, add1_instance(@store, Function.new(@store, Adder.new, i32_sum_type)).exports.add1.(1, 2)
    f = Function.new(@store, :abs, FunctionType.new([Type::I32], [Type::I32]))
    assert_equal 5, f.(-5)
    assert_raises(TypeError) { Function.new(@store, 42, i32_sum_type) }
    assert_raises(TypeError) { Function.new(@store, ->(a) { a }, [Type::I32]) }
  end

  def test_f32_and_f64_host_values
    twice = Function.new(@store, ->(x, y) { [x * 2, y * 2] }, FunctionType.new([Type::F32, Type::F64], [Type::F32, Type::F64]))
    assert_equal [3.0, 5.0], twice.(1.5, 2.5)
    assert_equal [2.0, 4.0], twice.(1, 2) # Integers convert to floats
  end

  def test_memory_bulk_read_write
    memory = Memory.new(@store, MemoryType.new(1, 3))
    size = memory.data_size
    [[0, "head"], [size / 2, (0..255).to_a.pack("C*") * 3], [size - 1, "\xFF".b]].each do |offset, data|
      memory.write(offset, data)
      got = memory.read(offset, data.bytesize)
      assert_equal data.b, got
      assert_equal Encoding::BINARY, got.encoding
    end
    assert_equal "", memory.read(size, 0)
    outbuf = +"previous contents, longer than four bytes"
    assert_same outbuf, memory.read(0, 4, outbuf) # IO#read(length, outbuf): filled in place
    assert_equal "head".b, outbuf
    before = memory.read(0, size)
    [[size + 1, 0], [size - 1, 2], [0, size + 1], [2**64 - 1, 2]].each do |offset, length|
      assert_raises(Wasmer::IndexError) { memory.read(offset, length) }
      assert_raises(::IndexError) { memory.write(offset, "\x01" * length) }
    end
    assert_raises(ArgumentError) { memory.read(-1, 1) }
    assert_equal before, memory.read(0, size) # nothing written
    # typed views: view[index, count] and view[index, count] = Array | String in one call
    view = memory.uint8_view(100)
    view[0, 3] = "abc"
    view[3, 2] = [100, 101]
    assert_equal "abcde", memory.read(100, 5)
    assert_equal "abcde".bytes, view[0, 5]
    words = memory.int32_view(50) # element offset: bytes 200..
    words[0, 2] = [-1, 0x01020304]
    assert_equal [-1, 0x01020304], words[0, 2]
    assert_equal "\xFF\xFF\xFF\xFF\x04\x03\x02\x01".b, memory.read(200, 8)
    assert_raises(::ArgumentError) { view[0, 3] = "ab" }
    assert_raises(Wasmer::IndexError) { memory.uint8_view(size - 1)[0, 2] = "zz" }
    assert_raises(Wasmer::IndexError) { memory.uint16_view[size / 2, 1] }
    # after grow the bulk path sees the new pages
    assert_equal 1, memory.grow(1)
    memory.write(size + 5, "grown")
    assert_equal "grown", memory.read(size + 5, 5)
    assert_equal "\xFF".b, memory.read(size - 1, 1)
    memory.uint8_view[(2 * size) - 2, 2] = "ok"
    assert_equal "ok", memory.read((2 * size) - 2, 2)
  end

  def test_memory_views_grow_and_sizes
    memory = Memory.new(@store, MemoryType.new(1, 3))
    assert_equal 1, memory.size
    assert_equal 65_536, memory.data_size
    assert_equal MemoryType.new(1, 3), memory.type
    view = memory.uint8_view
    assert_instance_of Uint8Array, view
    [Int8Array, Uint16Array, Int16Array, Uint32Array, Int32Array].zip(%i[int8_view uint16_view int16_view uint32_view int32_view])
                                                                   .each { |klass, name| assert_instance_of klass, memory.public_send(name) }
    4.times { |i| view[i] = i + 1 }
    assert_equal [1, 2, 3, 4], view.first(4)
    assert_equal 0x04030201, memory.uint32_view[0]
    memory.int16_view(1)[0] = -1 # the offset counts elements: bytes 2..3
    assert_equal [1, 2, 255, 255], view.take(4)
    assert_equal(-1, memory.int8_view[2])
    assert_equal 0xFFFF, memory.uint16_view[1]
    view.set(10, 42)
    assert_equal 42, view.get(10)
    assert_equal 65_536, view.length
    assert_equal 65_526, memory.uint8_view(10).length
    assert_equal 16_384, memory.int32_view.length
    assert_equal 1, Uint8Array::BYTES_PER_ELEMENT
    assert_equal 4, Int32Array::BYTES_PER_ELEMENT
    assert_equal 1, memory.grow(1)
    assert_equal 2, memory.size
    assert_equal 2 * 65_536, view.length # a view follows the memory as it grows
    assert_equal 1, view[0]
    assert_raises(Wasmer::RuntimeError) { memory.grow(5) }
    assert_raises(Wasmer::IndexError) { view[3 * 65_536] } # IndexError, as in wasmer-ruby 1.0
    assert_raises(Wasmer::IndexError) { view[-1] }
    assert_raises(ArgumentError) { view[0] = 256 }
    assert_raises(TypeError) { view[0] = "x" }
    assert_raises(TypeError) { view["x"] }
  end

  def test_memory_view_each
    memory = Memory.new(@store, MemoryType.new(1))
    view = memory.uint8_view(65_530)
    view[0] = 7
    assert_equal [7, 0, 0, 0, 0, 0], view.each.to_a
    seen = []
    memory.uint8_view(65_534).each do |x|
      seen << x
      memory.grow(1) if seen.length == 1 # the block may grow the memory
    end
    assert_equal 2 + 65_536, seen.length
  end

  def test_globals
    g = Global.new(@store, Value.i32(42), true)
    assert_equal 42, g.value
    assert g.mutable?
    assert_equal GlobalType.new(Type::I32, true), g.type
    g.value = 7
    assert_equal 7, g.value
    g.set_value(Value.i32(8))
    assert_equal 8, g.value
    c = Global.new(@store, Value.f64(1.5), false)
    assert_equal 1.5, c.value
    refute c.mutable?
    error = assert_raises(::RuntimeError) { c.value = 2.0 }
    assert_match(/immutable/, error.message)
    instance = Instance.new(Wasmer::Module.new(@store, <<~WAT), { "env" => { "g" => g } })
      (module (import "env" "g" (global $g (mut i32)))
        (func (export "get") (result i32) global.get $g)
        (global (export "e") (mut i64) (i64.const -5)))
    WAT
    assert_equal 8, instance.exports.get.()
    g.value = 99
    assert_equal 99, instance.exports.get.()
    assert_equal(-5, instance.exports.e.value)
    assert_equal 666.5, Global.new(@store, Value.f32(666.5)).value
  end

  def test_tables
    table = Table.new(@store, TableType.new(Type::FUNC_REF, 2, 10))
    assert_equal 2, table.size
    assert_nil table.get(0)
    assert_equal 2, table.grow(3)
    assert_equal 5, table.size
    alone = Instance.new(Wasmer::Module.new(@store, '(module (func (export "five") (result i32) i32.const 5))')).exports.five
    error = assert_raises(ArgumentError) { table.set(1, alone) } # an instance without such imports has a store of its own
    assert_match(/another store/, error.message)
    five = Instance.new(Wasmer::Module.new(@store, <<~WAT), { "env" => { "t" => table } }).exports.five
      (module (import "env" "t" (table 2 funcref)) (func (export "five") (result i32) i32.const 5))
    WAT
    table.set(1, five) # importing the table put that instance in the table's store
    got = table.get(1)
    assert_kind_of Function, got
    assert_equal 5, got.()
    host = Function.new(@store, -> { 5 }, FunctionType.new([], [Type::I32]))
    error = assert_raises(ArgumentError) { table.set(0, host) }
    assert_match(/host function cannot be stored in a table/, error.message)
    instance = Instance.new(Wasmer::Module.new(@store, <<~WAT), { "env" => { "t" => table } })
      (module (import "env" "t" (table 2 funcref)) (type $t (func (result i32)))
        (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $t)))
    WAT
    assert_equal 5, instance.exports.call.(1)
    assert_raises(Trap) { instance.exports.call.(0) } # null element
    assert_raises(ArgumentError) { table.get(99) }
    assert_equal TableType.new(Type::FUNC_REF, 2, 10), table.type # the declared limits
    assert_raises(TypeError) { table.set(0, 42) }
  end

  def test_import_object
    import_object = ImportObject.new
    refute import_object.contains_namespace("env")
    import_object.register("env", sum: Function.new(@store, ->(a, b) { a * b }, i32_sum_type))
    assert import_object.contains_namespace("env")
    assert_equal 13, Instance.new(Wasmer::Module.new(@store, ADD1_WAT), import_object).exports.add1.(3, 4)
    assert_raises(TypeError) { import_object.register("env", { "x" => 3 }) }
    assert_raises(TypeError) { import_object.register("env", { 3 => Memory.new(@store, MemoryType.new(1)) }) }
    assert_raises(TypeError) { Instance.new(Wasmer::Module.new(@store, ADD1_WAT), 42) }
  end
end

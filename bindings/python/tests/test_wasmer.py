"""Tests of the Python binding through its public API, against the real libwasmer."""

from __future__ import annotations

import gc
import math
import os
import struct
import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest

import wasmer
from wasmer import (ExportType, Function, FunctionType, Global, GlobalType, ImportObject, ImportType, Instance,
                    Memory, MemoryType, Module, Store, Table, TableType, Type, Value, engine, wat2wasm)

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "build" / "conformance"

SUM_WAT = '(module (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))'
ADD1_WAT = """
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
"""


@pytest.fixture
def store() -> Store:
    return Store()


def seed(name: str) -> bytes:
    path = SEEDS / name
    if not path.exists():
        pytest.fail(f"{path} missing: run `nox -s build-python` (it compiles the conformance seeds)")
    return path.read_bytes()


# ------------------------------------------------------------ the three seed examples


def test_sum_seed(store: Store) -> None:
    instance = Instance(Module(store, seed("simple.wasm")))
    assert instance.exports.sum(1, 2) == 3
    assert instance.exports.sum(-1, -2) == -3


def test_add1_seed_calls_python_import(store: Store) -> None:
    calls = []

    def sum_(a: int, b: int) -> int:
        calls.append((a, b))
        return a + b

    import_object = ImportObject()
    import_object.register("env", {"sum": Function(store, sum_)})
    instance = Instance(Module(store, seed("import.wasm")), import_object)
    assert instance.exports.add1(1, 2) == 4
    assert calls == [(1, 2)]


def test_return_hello_seed_reads_memory(store: Store) -> None:
    instance = Instance(Module(store, seed("memory.wasm")))
    pointer = instance.exports.return_hello()
    reader = instance.exports.memory.uint8_view(offset=pointer)
    text = bytearray()
    while reader[len(text)] != 0:
        text.append(reader[len(text)])
    assert text.decode() == "Hello, World!"
    buf = instance.exports.memory.buffer
    assert bytes(buf[pointer:pointer + 13]) == b"Hello, World!"


# ------------------------------------------------------------ wasmer-python 1.x surface


def test_version_and_compilers() -> None:
    import wasmer_compiler_cranelift
    import wasmer_compiler_singlepass

    assert isinstance(wasmer.__version__, str)
    assert wasmer.__core_version__.startswith("7.")
    for compiler in (wasmer_compiler_cranelift.Compiler, wasmer_compiler_singlepass.Compiler):
        store = Store(engine.Universal(compiler))
        assert store.compiler_name == compiler.name
        assert Instance(Module(store, SUM_WAT)).exports.sum(40, 2) == 42
    assert engine.JIT is engine.Universal


def test_module_from_wat_text_and_bytes(store: Store) -> None:
    binary = wat2wasm(SUM_WAT)
    assert binary[:4] == b"\0asm"
    assert Instance(Module(store, binary)).exports.sum(2, 3) == 5
    assert Instance(Module(store, bytearray(binary))).exports.sum(2, 3) == 5
    assert "func" in wasmer.wasm2wat(binary)


def test_validate(store: Store) -> None:
    assert Module.validate(store, wat2wasm(SUM_WAT)) is True
    assert Module.validate(store, b"\0asm\x01\0\0\0\xff") is False
    assert Module.validate(store, b"") is False


def test_serialize_roundtrip(store: Store) -> None:
    data = Module(store, SUM_WAT).serialize()
    assert isinstance(data, bytes) and len(data) > 8
    assert Instance(Module.deserialize(store, data)).exports.sum(20, 22) == 42
    with pytest.raises(wasmer.CompileError):
        Module.deserialize(store, b"not an artifact")


def test_module_introspection(store: Store) -> None:
    module = Module(store, """
      (module $named
        (import "env" "f" (func (param i64) (result f32)))
        (import "env" "m" (memory 1 4))
        (import "env" "g" (global (mut f64)))
        (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
        (table (export "t") 2 funcref)
        (global (export "c") i32 (i32.const 7)))
    """)
    assert module.name == "named"
    imports = module.imports
    assert [(i.module, i.name) for i in imports] == [("env", "f"), ("env", "m"), ("env", "g")]
    assert isinstance(imports[0], ImportType)
    assert imports[0].type == FunctionType([Type.I64], [Type.F32])
    assert imports[1].type == MemoryType(minimum=1, maximum=4)
    assert imports[2].type == GlobalType(Type.F64, mutable=True)
    exports = module.exports
    assert [e.name for e in exports] == ["sum", "t", "c"]
    assert isinstance(exports[0], ExportType)
    assert exports[0].type == FunctionType([Type.I32, Type.I32], [Type.I32])
    assert exports[1].type == TableType(Type.FUNC_REF, minimum=2, maximum=None)
    assert exports[2].type == GlobalType(Type.I32, mutable=False)
    unnamed = Module(store, "(module)")
    assert unnamed.name is None
    unnamed.name = "renamed"
    assert unnamed.name == "renamed"


def test_exports_by_attribute_key_and_iteration(store: Store) -> None:
    instance = Instance(Module(store, """
      (module (func (export "a")) (memory (export "mem") 1) (global (export "g") i32 (i32.const 1)))"""))
    names = [name for name, _ in instance.exports]
    assert names == ["a", "mem", "g"]
    assert isinstance(instance.exports.a, Function)
    assert isinstance(instance.exports["mem"], Memory)
    assert isinstance(instance.exports.g, Global)
    assert len(instance.exports) == 3 and "a" in instance.exports
    with pytest.raises(AttributeError, match="Export `nope` does not exist."):  # wasmer-python 1.x's message
        instance.exports.nope
    with pytest.raises(LookupError):  # and its exception class
        instance.exports.nope
    assert getattr(instance.exports, "nope", None) is None


def test_all_value_types_and_multi_value(store: Store) -> None:
    instance = Instance(Module(store, """
      (module
        (func (export "swap") (param i64 f32 f64) (result f64 i64 f32) local.get 2 local.get 0 local.get 1)
        (func (export "none")))"""))
    out = instance.exports.swap(2**40, 1.5, -0.0)
    assert out[1] == 2**40 and out[2] == 1.5
    assert out[0] == 0.0 and math.copysign(1, out[0]) == -1
    assert instance.exports.none() is None
    assert instance.exports.swap.type == FunctionType([Type.I64, Type.F32, Type.F64], [Type.F64, Type.I64, Type.F32])


def test_host_function_with_explicit_type_and_multi_results(store: Store) -> None:
    def divmod_(a: int, b: int) -> tuple[int, int]:
        return a // b, a % b

    f = Function(store, divmod_, FunctionType([Type.I64, Type.I64], [Type.I64, Type.I64]))
    instance = Instance(Module(store, """
      (module (import "m" "dm" (func $dm (param i64 i64) (result i64 i64)))
        (func (export "call") (param i64 i64) (result i64 i64) local.get 0 local.get 1 call $dm))"""),
        {"m": {"dm": f}})
    assert instance.exports.call(17, 5) == (3, 2)
    assert f(9, 4) == (2, 1)  # host functions are callable from Python too


def test_memory_views_grow_and_buffer(store: Store) -> None:
    memory = Memory(store, MemoryType(minimum=1, maximum=3))
    assert memory.size == 1 and memory.data_size == 65536
    view = memory.uint8_view()
    view[0:4] = [1, 2, 3, 4]
    assert view[0:4] == [1, 2, 3, 4]
    assert memory.uint32_view()[0] == 0x04030201
    memory.int16_view(offset=2)[0] = -1
    assert view[2:4] == [255, 255]
    memory.float64_view(offset=8)[0] = 2.5
    assert memory.float64_view(offset=8)[0] == 2.5
    assert memoryview(memory.buffer)[0] == 1
    assert bytearray(memory.buffer)[:2] == b"\x01\x02"
    assert memory.grow(1) == 1
    assert memory.size == 2 and len(view) == 2 * 65536 and view[0] == 1
    with pytest.raises(wasmer.Error, match="grow"):
        memory.grow(5)
    with pytest.raises(IndexError):
        view[3 * 65536]


def test_memory_bulk_read_write(store: Store) -> None:
    memory = Memory(store, MemoryType(minimum=1, maximum=3))
    size = memory.data_size
    for offset, data in ((0, b"head"), (size // 2, bytes(range(256)) * 3), (size - 1, b"\xff")):
        memory.write(offset, data)
        assert memory.read(offset, len(data)) == data
        assert bytes(memory.buffer[offset:offset + len(data)]) == data
    memory.write(10, bytearray(b"ba"))
    memory.write(12, memoryview(b"xmvx")[1:3])
    assert memory.read(10, 4) == b"bamv" and memory.read(0, 0) == b""
    before = memory.read(0, size)
    for offset, length in ((size + 1, 0), (size - 1, 2), (0, size + 1), (2**64 - 1, 2), (2**64, 1), (-1, 1)):
        with pytest.raises(IndexError):
            memory.read(offset, length)
        with pytest.raises(wasmer.MemoryOutOfBounds):
            memory.write(offset, b"\x01" * length)
    assert memory.read(0, size) == before  # nothing written
    # slice assignment through a view: one memcpy for bytes-like, packed for lists
    view = memory.uint8_view(offset=100)
    view[0:3] = b"abc"
    view[3:5] = [100, 101]
    assert memory.read(100, 5) == b"abcde" and view[0:5] == list(b"abcde")
    memory.uint32_view(offset=200)[0:2] = [1, 0x01020304]
    assert memory.read(200, 8) == b"\x01\0\0\0\x04\x03\x02\x01"
    with pytest.raises(ValueError):
        view[0:3] = b"ab"
    with pytest.raises(IndexError):
        memory.uint8_view(offset=size - 1)[0:2] = b"zz"
    # after grow the bulk path sees the new pages
    assert memory.grow(1) == 1
    memory.write(size + 5, b"grown")
    assert memory.read(size + 5, 5) == b"grown" and memory.read(size - 1, 1) == b"\xff"
    memory.uint8_view()[2 * size - 2:2 * size] = b"ok"
    assert memory.read(2 * size - 2, 2) == b"ok"


def test_memory_bulk_of_an_instance(store: Store) -> None:
    instance = Instance(Module(store, '(module (memory (export "mem") 1) (data (i32.const 7) "wasm"))'))
    memory = instance.exports.mem
    assert memory.read(7, 4) == b"wasm"
    memory.write(7, b"WASM")
    assert bytes(memoryview(memory.buffer)[7:11]) == b"WASM"


def test_globals(store: Store) -> None:
    g = Global(store, Value.i32(42), mutable=True)
    assert g.value == 42 and g.mutable and g.type == GlobalType(Type.I32, True)
    g.value = 7
    assert g.value == 7
    c = Global(store, Value.f64(1.5))
    assert c.value == 1.5 and not c.mutable
    with pytest.raises(wasmer.Error, match="The global variable is not mutable"):  # wasmer-python 1.x's message
        c.value = 2.0
    instance = Instance(Module(store, """
      (module (import "env" "g" (global $g (mut i32)))
        (func (export "get") (result i32) global.get $g)
        (global (export "e") (mut i64) (i64.const -5)))"""), {"env": {"g": g}})
    assert instance.exports.get() == 7
    g.value = 99
    assert instance.exports.get() == 99
    assert instance.exports.e.value == -5


def test_tables(store: Store) -> None:
    table = Table(store, TableType(Type.FUNC_REF, minimum=2, maximum=10))
    assert table.size == 2 and table.get(0) is None
    assert table.grow(3) == 2 and table.size == 5
    alone = Instance(Module(store, '(module (func (export "five") (result i32) i32.const 5))')).exports.five
    with pytest.raises(wasmer.ArgumentError, match="another store"):
        table.set(1, alone)  # an instance with no imports lives in a store of its own
    f = Instance(Module(store, """(module (import "env" "t" (table 2 funcref))
        (func (export "five") (result i32) i32.const 5))"""), {"env": {"t": table}}).exports.five
    table.set(1, f)  # importing the table put the instance in the table's store
    got = table.get(1)
    assert isinstance(got, Function) and got() == 5
    host = Function(store, lambda: 5, FunctionType([], [Type.I32]))
    with pytest.raises(wasmer.ArgumentError, match="host function cannot be stored in a table"):
        table.set(0, host)
    instance = Instance(Module(store, """
      (module (import "env" "t" (table 2 funcref)) (type $t (func (result i32)))
        (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $t)))"""),
        {"env": {"t": table}})
    assert instance.exports.call(1) == 5
    with pytest.raises(wasmer.Trap):
        instance.exports.call(0)  # null element
    with pytest.raises(wasmer.ArgumentError, match="out of bounds"):
        table.get(99)


# ------------------------------------------------------------ errors


def test_invalid_module_raises_compile_error(store: Store) -> None:
    with pytest.raises(wasmer.CompileError, match="Validation error|invalid"):
        Module(store, b"\0asm\x01\0\0\0\x99")
    with pytest.raises(wasmer.CompileError, match="invalid WebAssembly text"):
        Module(store, "(module (func (export \"x\") (result i32) i32.const))")
    with pytest.raises(RuntimeError):  # every wasmer error is a RuntimeError, as in wasmer-python
        Module(store, b"garbage")
    with pytest.raises(TypeError, match="bytes or str"):
        Module(store, 42)  # type: ignore[arg-type]


def test_trap_carries_message(store: Store) -> None:
    instance = Instance(Module(store, """
      (module (func (export "boom") unreachable)
              (func (export "div") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
              (func $rec (export "rec") call $rec))"""))
    with pytest.raises(wasmer.Trap, match="unreachable"):
        instance.exports.boom()
    with pytest.raises(wasmer.Trap, match="divi"):
        instance.exports.div(1, 0)
    with pytest.raises(wasmer.Trap, match="stack"):
        instance.exports.rec()
    assert instance.exports.div(7, 2) == 3  # the instance is still usable


def test_link_errors(store: Store) -> None:
    module = Module(store, ADD1_WAT)
    with pytest.raises(wasmer.LinkError, match="env.*sum.*not defined"):
        Instance(module)
    memory = Memory(store, MemoryType(1))
    with pytest.raises(wasmer.LinkError, match="must be a func, got a memory"):
        Instance(module, {"env": {"sum": memory}})
    wrong = Function(store, lambda a: a, FunctionType([Type.I64], [Type.I64]))
    with pytest.raises(wasmer.LinkError):
        Instance(module, {"env": {"sum": wrong}})
    with pytest.raises(TypeError, match="must be a Function"):
        Instance(module, {"env": {"sum": 3}})


def test_start_function_trap(store: Store) -> None:
    with pytest.raises(wasmer.Trap, match="unreachable"):
        Instance(Module(store, "(module (func $s unreachable) (start $s))"))


def test_wrong_arguments(store: Store) -> None:
    sum_ = Instance(Module(store, SUM_WAT)).exports.sum
    with pytest.raises(TypeError, match="takes 2 argument"):
        sum_(1)
    with pytest.raises(TypeError, match="argument 1 must be i32, not str"):
        sum_(1, "2")
    with pytest.raises(OverflowError, match="does not fit in i32"):
        sum_(2**31, 0)


def test_host_exception_surfaces_with_class_and_message(store: Store) -> None:
    class Boom(Exception):
        pass

    def sum_(a: int, b: int) -> int:
        raise Boom(f"cannot add {a} and {b}")

    instance = Instance(Module(store, ADD1_WAT), {"env": {"sum": Function(store, sum_)}})
    with pytest.raises(Boom, match="cannot add 1 and 2"):
        instance.exports.add1(1, 2)

    def wrong_type(a: int, b: int) -> int:
        return "x"  # type: ignore[return-value]

    instance = Instance(Module(store, ADD1_WAT), {"env": {"sum": Function(store, wrong_type)}})
    with pytest.raises(TypeError):
        instance.exports.add1(1, 2)
    assert instance.exports.add1  # still usable after a failed call


def test_host_function_type_inference_errors(store: Store) -> None:
    with pytest.raises(TypeError, match="annotate"):
        Function(store, lambda a, b: a + b)
    with pytest.raises(TypeError, match="callable"):
        Function(store, 3)  # type: ignore[arg-type]


def test_plain_callable_in_import_dict(store: Store) -> None:
    def sum_(a: int, b: int) -> int:
        return a * b

    instance = Instance(Module(store, ADD1_WAT), {"env": {"sum": sum_}})
    assert instance.exports.add1(3, 4) == 13


def test_objects_keep_store_alive() -> None:
    def make() -> Function:
        return Instance(Module(Store(), SUM_WAT)).exports.sum

    f = make()
    gc.collect()
    assert f(1, 1) == 2


def test_instantiating_in_a_loop_releases_host_functions(store: Store) -> None:
    from wasmer._host import _HOST  # the registry of live host callables

    for _ in range(200):
        s = Store()
        Instance(Module(s, ADD1_WAT), {"env": {"sum": Function(s, lambda a, b: a + b,
                                                                FunctionType([Type.I32] * 2, [Type.I32]))}})
        del s
    gc.collect()
    assert len(_HOST) < 50  # released when their stores are freed


# ------------------------------------------------------------ reference values

REFS_WAT = """
(module
  (import "env" "keep" (func $keep (param externref) (result externref)))
  (func (export "id") (param externref) (result externref) local.get 0)
  (func (export "through") (param externref) (result externref) local.get 0 call $keep)
  (func $seven (result i32) i32.const 7)
  (elem declare func $seven)
  (func (export "seven_ref") (result funcref) ref.func $seven)
  (func (export "is_null_func") (param funcref) (result i32) local.get 0 ref.is_null)
  (global (export "g") (mut externref) (ref.null extern)))
"""


def refs_instance(store: Store, keep=lambda x: x) -> Instance:
    f = Function(store, keep, FunctionType([Type.EXTERN_REF], [Type.EXTERN_REF]))
    return Instance(Module(store, REFS_WAT), {"env": {"keep": f}})


def test_externref_round_trips_the_same_object(store: Store) -> None:
    exports = refs_instance(store).exports
    obj = {"any": ["python", "object"]}
    assert exports.id(obj) is obj
    assert exports.id(None) is None
    assert exports.through(obj) is obj  # through a Python host function and back


def test_host_function_sees_the_externref_object(store: Store) -> None:
    seen = []
    exports = refs_instance(store, lambda x: seen.append(x) or x).exports
    marker = object()
    assert exports.through(marker) is marker
    assert seen == [marker]


def test_funcref_from_wasm_is_a_callable_function(store: Store) -> None:
    exports = refs_instance(store).exports
    seven = exports.seven_ref()
    assert isinstance(seven, Function) and seven() == 7
    assert exports.is_null_func(seven) == 0  # passed back in as a funcref
    assert exports.is_null_func(None) == 1
    host = Function(store, lambda: 1, FunctionType([], [Type.I32]))
    with pytest.raises(wasmer.ArgumentError, match="host function cannot be used as a funcref"):
        exports.is_null_func(host)
    with pytest.raises(TypeError, match="funcref"):
        exports.is_null_func("not a function")


def test_externref_global(store: Store) -> None:
    g = refs_instance(store).exports.g
    assert g.value is None and g.type == GlobalType(Type.EXTERN_REF, True)
    obj = object()
    g.value = obj
    assert g.value is obj
    own = Global(store, Value(Type.EXTERN_REF, obj), mutable=False)
    assert own.value is obj


def test_externref_tokens_are_released_with_their_store() -> None:
    from wasmer._values import _EXTERNREFS

    before = len(_EXTERNREFS)
    for _ in range(100):
        s = Store()
        refs_instance(s).exports.id(object())
        del s
    gc.collect()
    assert len(_EXTERNREFS) - before < 10


def test_reexported_host_function_is_refused_as_funcref_not_a_crash(store: Store) -> None:
    host = Function(store, lambda: 5, FunctionType([], [Type.I32]))
    exports = Instance(Module(store, """
      (module (import "env" "h" (func $h (result i32))) (export "h" (func $h))
        (func $w (result i32) i32.const 1) (export "w" (func $w))
        (func (export "is_null") (param funcref) (result i32) local.get 0 ref.is_null))"""),
        {"env": {"h": host}}).exports
    assert exports.h() == 5 and exports.is_null(exports.w) == 0
    with pytest.raises(wasmer.ArgumentError, match="host function cannot be used as a funcref"):
        exports.is_null(exports.h)  # libwasmer would abort the process on this
    with pytest.raises(wasmer.ArgumentError, match="cannot be stored in a table"):
        Table(store, TableType(Type.FUNC_REF, 1)).set(0, exports.h)


def test_a_function_of_another_store_is_an_argument_error() -> None:
    s1, s2 = Store(), Store()
    other = Instance(Module(s2, '(module (func (export "f") (result i32) i32.const 1))')).exports.f
    is_null = Instance(Module(s1, """
      (module (func (export "is_null") (param funcref) (result i32) local.get 0 ref.is_null))""")).exports.is_null
    with pytest.raises(wasmer.ArgumentError, match="another store"):
        is_null(other)
    with pytest.raises(wasmer.ArgumentError, match="belongs to another store"):
        Table(s1, TableType(Type.FUNC_REF, 1)).set(0, other)


def test_host_function_returns_a_funcref_and_calls_keep_nothing(store: Store) -> None:
    from wasmer._raise import pending as _pending

    refs = refs_instance(store).exports
    seven = refs.seven_ref()
    give = Function(store, lambda: seven, FunctionType([], [Type.FUNC_REF]))
    # importing a function of the refs instance puts this one in its store, where `seven` lives
    exports = Instance(Module(store, """
      (module (import "env" "give" (func $give (result funcref)))
        (import "refs" "id" (func (param externref) (result externref)))
        (type $t (func (result i32))) (table 1 funcref)
        (func (export "call_given") (result i32)
          i32.const 0 call $give table.set 0 i32.const 0 call_indirect (type $t))
        (func (export "is_null") (param funcref) (result i32) local.get 0 ref.is_null))"""),
        {"env": {"give": give}, "refs": {"id": refs.id}}).exports
    assert exports.call_given() == 7
    _pending.keep.clear()
    for _ in range(100):
        assert exports.is_null(seven) == 0
    assert _pending.keep == []  # funcref arguments of calls are not retained


# ------------------------------------------------------------ issue 9: reliability


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    """Runs code in a fresh interpreter with this binding importable (a crash there fails one test, not the run)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "bindings" / "python"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env,
                          timeout=120)


def test_memory_buffer_keeps_its_instance_alive() -> None:
    proc = run_python("""
        import gc
        from wasmer import Instance, Module, Store
        buf = Instance(Module(Store(), '(module (memory (export "memory") 1) (data (i32.const 0) "wasm"))')).exports.memory.buffer
        gc.collect()
        print(bytes(buf[0:4]).decode())
        view = memoryview(Instance(Module(Store(), '(module (memory (export "memory") 1))')).exports.memory.buffer)
        gc.collect()
        view[1] = 7
        print(view[1], len(view))
    """)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "wasm\n7 65536\n", "")


REENTER_WAT = """
(module
  (import "env" "reenter" (func $reenter (param i32) (result i32)))
  (func (export "down") (param $n i32) (result i32)
    local.get $n i32.eqz
    if (result i32) i32.const 0
    else local.get $n i32.const 1 i32.sub call $reenter i32.const 1 i32.add end))
"""


def reentering_instance(store: Store) -> Instance:
    exports: list[Any] = []
    host = Function(store, lambda n: exports[0].down(n), FunctionType([Type.I32], [Type.I32]))
    instance = Instance(Module(store, REENTER_WAT), {"env": {"reenter": host}})
    exports.append(instance.exports)
    return instance


def test_reentry_into_the_same_function_is_right(store: Store) -> None:
    down = reentering_instance(store).exports.down
    assert [down(n) for n in (0, 1, 50)] == [0, 1, 50]


@pytest.mark.parametrize("extra", [0, 1, 2, 3, 4, 5])
def test_reentry_past_the_recursion_limit_raises_recursion_error_not_zero(store: Store, extra: int) -> None:
    down = reentering_instance(store).exports.down

    def at_depth(n: int) -> Any:  # varies where in a level's frames the limit is reached
        return at_depth(n - 1) if n else down(2 * sys.getrecursionlimit())

    with pytest.raises(RecursionError):
        at_depth(extra)
    assert down(3) == 3


def test_failure_converting_a_host_result_fails_the_call(store: Store) -> None:
    def huge() -> int:
        return 2**70

    instance = Instance(Module(store, """
      (module (import "env" "f" (func $f (result i64))) (func (export "call") (result i64) call $f))"""),
        {"env": {"f": Function(store, huge, FunctionType([], [Type.I64]))}})
    with pytest.raises(wasmer.ArgumentError, match=r"host function .*huge must return i64"):
        instance.exports.call()


def test_host_exception_with_a_broken_str_still_fails_the_call(store: Store) -> None:
    class Unprintable(Exception):
        def __str__(self) -> str:
            raise ValueError("no text")

    raised = Unprintable()

    def fail() -> int:
        raise raised

    instance = Instance(Module(store, """
      (module (import "env" "f" (func $f (result i32))) (func (export "call") (result i32) call $f))"""),
        {"env": {"f": Function(store, fail, FunctionType([], [Type.I32]))}})
    with pytest.raises(Unprintable) as info:
        instance.exports.call()
    assert info.value is raised


def test_one_function_called_from_four_threads() -> None:
    """Every result right, and no crash (in a child process: a crash fails this test only).
    Needs the glue's per-store lock for the calls that run at once in libwasmer."""
    proc = run_python("""
        import threading
        from wasmer import Instance, Module, Store
        sum_ = Instance(Module(Store(), '(module (func (export "sum") (param i32 i32) (result i32) '
                                        'local.get 0 local.get 1 i32.add))')).exports.sum
        wrong = []

        def work(t):
            wrong.append(sum(1 for i in range(20_000) if sum_(i, t) != i + t))

        threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        print(wrong)
    """)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "[0, 0, 0, 0]\n", "")


F32_WAT = """
(module
  (import "env" "id" (func $id (param f32) (result f32)))
  (global $g (export "g") (mut f32) (f32.const nan:0x200000))
  (func (export "bits") (param f32) (result i32) local.get 0 i32.reinterpret_f32)
  (func (export "from_bits") (param i32) (result f32) local.get 0 f32.reinterpret_i32)
  (func (export "pair") (param i32) (result f32 f32) local.get 0 f32.reinterpret_i32 local.get 0 f32.reinterpret_i32)
  (func (export "via_host") (param i32) (result i32) local.get 0 f32.reinterpret_i32 call $id i32.reinterpret_f32)
  (func (export "g_bits") (result i32) global.get $g i32.reinterpret_f32))
"""

# f32 bit patterns -> the double the binding gives for each (a NaN's payload at the top of the mantissa)
F32_CASES = {0x7FA00000: 0x7FF4000000000000, 0xFFA00001: 0xFFF4000020000000, 0x7FC00000: 0x7FF8000000000000,
             0x7F800001: 0x7FF0000020000000, 0x3F800000: 0x3FF0000000000000, 0x80000000: 0x8000000000000000,
             0x7F800000: 0x7FF0000000000000, 0xFF800000: 0xFFF0000000000000, 0x00000001: 0x36A0000000000000,
             0x7F7FFFFF: 0x47EFFFFFE0000000, 0x80000001: 0xB6A0000000000000}


def double(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def double_bits(value: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", value))[0]


@pytest.mark.parametrize("f32,f64", F32_CASES.items(), ids=[hex(b) for b in F32_CASES])
def test_f32_values_keep_their_bits(store: Store, f32: int, f64: int) -> None:
    seen = []

    def identity(x: float) -> float:
        seen.append(double_bits(x))
        return x

    exports = Instance(Module(store, F32_WAT), {"env": {"id": Function(store, identity, FunctionType([Type.F32], [Type.F32]))}}).exports
    i32 = f32 - (1 << 32) if f32 >= 1 << 31 else f32  # the i32 with those bits
    assert double_bits(exports.from_bits(i32)) == f64  # results
    assert exports.bits(double(f64)) == i32  # arguments
    assert [double_bits(x) for x in exports.pair(i32)] == [f64, f64]  # multi-value results
    assert exports.via_host(i32) == i32 and seen == [f64]  # host function argument and result
    assert double_bits(exports.g.value) == 0x7FF4000000000000  # globals, both ways
    exports.g.value = double(f64)
    assert exports.g_bits() == i32
    exports.g.value = Value.f32(double(f64))
    assert exports.g_bits() == i32
    assert double_bits(Value.f32(double(f64)).value) == f64
    assert double_bits(Global(store, Value.f32(double(f64))).value) == f64


def test_f32_values_are_rounded_to_32_bits(store: Store) -> None:
    assert Value.f32(0.1).value == struct.unpack("<f", struct.pack("<f", 0.1))[0]
    g = Global(store, Value.f32(0.1), mutable=True)
    assert g.value == Value.f32(0.1).value


def test_wrong_host_result_names_the_function_and_types(store: Store) -> None:
    def wrong_type() -> int:
        return "a string"  # type: ignore[return-value]

    def too_few() -> tuple[int, int]:
        return (1,)  # type: ignore[return-value]

    instance = Instance(Module(store, """
      (module (import "env" "w" (func $w (result i32))) (import "env" "p" (func $p (result i32 f64)))
        (func (export "w") (result i32) call $w) (func (export "p") (result i32 f64) call $p))"""),
        {"env": {"w": Function(store, wrong_type, FunctionType([], [Type.I32])),
                 "p": Function(store, too_few, FunctionType([], [Type.I32, Type.F64]))}})
    with pytest.raises(wasmer.ArgumentError, match=r"host function .*wrong_type must return i32, got str 'a string'"):
        instance.exports.w()
    with pytest.raises(TypeError, match=r"host function .*too_few must return 2 values \(i32, f64\), got tuple"):
        instance.exports.p()


EXIT_SCRIPT = """
import wasmer
class Holder:
    pass
h = Holder()
h.store = wasmer.Store()
h.f = wasmer.Function(h.store, lambda a, b: a + b, wasmer.FunctionType([wasmer.Type.I32]*2, [wasmer.Type.I32]))
h.self = h  # a cycle: freed by the interpreter's teardown
import sys
sys.modules["holder"] = h
"""


def test_exit_with_live_host_functions_is_silent(tmp_path: Path) -> None:
    """A store alive until the interpreter's teardown releases its host functions silently."""
    script = tmp_path / "exit.py"
    script.write_text(EXIT_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bindings" / "python")}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "", "")


F64_WAT = """
(module
  (import "env" "id" (func $id (param f64) (result f64)))
  (global $g (export "g") (mut f64) (f64.const nan:0x4000000000000))
  (func (export "bits") (param f64) (result i64) local.get 0 i64.reinterpret_f64)
  (func (export "from_bits") (param i64) (result f64) local.get 0 f64.reinterpret_i64)
  (func (export "via_host") (param i64) (result i64) local.get 0 f64.reinterpret_i64 call $id i64.reinterpret_f64)
  (func (export "g_bits") (result i64) global.get $g i64.reinterpret_f64))
"""


@pytest.mark.parametrize("bits", [0x7FF4000000000000, 0xFFF0000000000001, 0x7FF8000000000001, 0x8000000000000000,
                                  0x0000000000000001, 0x7FF0000000000000], ids=hex)
def test_f64_values_keep_their_bits(store: Store, bits: int) -> None:
    exports = Instance(Module(store, F64_WAT), {"env": {"id": Function(store, lambda x: x, FunctionType([Type.F64], [Type.F64]))}}).exports
    i64 = bits - (1 << 64) if bits >= 1 << 63 else bits
    assert double_bits(exports.from_bits(i64)) == bits
    assert exports.bits(double(bits)) == i64
    assert exports.via_host(i64) == i64
    assert double_bits(exports.g.value) == 0x7FF4000000000000
    exports.g.value = double(bits)
    assert exports.g_bits() == i64


# ------------------------------------------------------------ wasmer-python 1.2.0's forms (compat/)


def test_type_numbering_and_v128() -> None:
    assert [(t.name, int(t)) for t in Type] == [("I32", 1), ("I64", 2), ("F32", 3), ("F64", 4), ("V128", 5),
                                                ("EXTERN_REF", 6), ("FUNC_REF", 7)]
    store = Store()
    g = Global(store, Value.i64(-5), mutable=True)
    assert g.type == GlobalType(Type.I64, True) and g.value == -5
    assert str(FunctionType([Type.I32, Type.F64], [Type.EXTERN_REF])) == \
        "FunctionType(params: [I32, F64], results: [ExternRef])"
    assert str(TableType(Type.FUNC_REF, 1)) == "TableType(type: FuncRef, minimum: 1, maximum: None)"
    assert repr(Value.v128(2**128 - 1)) == f"V128({2**128 - 1})"
    with pytest.raises(wasmer.ArgumentError, match="V128 values are not supported"):
        Global(store, Value.v128(1))
    with pytest.raises(wasmer.ArgumentError, match="V128 values are not supported"):
        Function(store, lambda x: x, FunctionType([Type.V128], []))


def test_values_print_as_upstream() -> None:
    assert [repr(v) for v in (Value.i32(42), Value.i64(-1), Value.f32(4.2), Value.f32(42), Value.f64(42))] == \
        ["I32(42)", "I64(-1)", "F32(4.2)", "F32(42.0)", "F64(42.0)"]
    assert Value.f32(4.2).value == struct.unpack("<f", struct.pack("<f", 4.2))[0]


def test_string_annotations(store: Store) -> None:
    def swap(x: "i32", y: "I64") -> ("i64", "F32"):  # noqa: F722 - wasmer-python 1.x's annotations
        return (y, float(x))

    assert Function(store, swap).type == FunctionType([Type.I32, Type.I64], [Type.I64, Type.F32])

    def take_none(a: None) -> None:
        pass

    with pytest.raises(wasmer.ArgumentError, match="Variable `a` cannot have type `None`"):
        Function(store, take_none)


def test_buffer_and_view_classes() -> None:
    memory = Memory(Store(), MemoryType(minimum=1))
    assert isinstance(memory.buffer, wasmer.Buffer) and not isinstance(b"x", wasmer.Buffer)
    for name in ("uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64", "float32", "float64"):
        view = getattr(memory, f"{name}_view")()
        cls = getattr(wasmer, name[0].upper() + name[1:] + "Array")
        assert type(view) is cls and len(view) == 65536 // view.bytes_per_element
        with pytest.raises(TypeError, match="cannot be constructed"):
            cls(0)
    with pytest.raises(TypeError, match="cannot be constructed"):
        wasmer.Buffer()
    view = memory.uint8_view(offset=10)
    view[0:6:2] = [1, 2, 3]
    assert view[0:5] == [1, 0, 2, 0, 3] and view[0:6:2] == [1, 2, 3]
    with pytest.raises(IndexError, match="Index cannot be negative"):
        view[-1]
    with pytest.raises(IndexError, match="Slice `2:1` cannot be empty"):
        view[2:1]
    with pytest.raises(ValueError, match="Only integers and slices"):
        view["a"]
    with pytest.raises(IndexError, match="Index 65526 is larger than the view size 65526"):
        view[65526] = 1


def test_engines_of_wasmer_python() -> None:
    import wasmer_compiler_cranelift

    assert (Store().engine_name, Store().compiler_name) == ("universal", "cranelift")
    headless = Store(engine.Universal())
    assert (headless.engine_name, headless.compiler_name) == ("universal", None)
    with pytest.raises(wasmer.Error, match="headless"):
        Module(headless, SUM_WAT)
    artifact = Module(Store(), SUM_WAT).serialize()
    assert Instance(Module.deserialize(headless, artifact)).exports.sum(1, 2) == 3
    dylib = Store(engine.Dylib())
    assert (dylib.engine_name, dylib.compiler_name) == ("dylib", None)
    assert engine.Native is engine.Dylib and isinstance(engine.Dylib(), wasmer.Engine)
    for action in (lambda: Module(dylib, SUM_WAT), lambda: Module.deserialize(dylib, artifact),
                   lambda: engine.Dylib(wasmer_compiler_cranelift.Compiler)):
        with pytest.raises(wasmer.Error, match="dylib engine .* is not available"):
            action()


def test_custom_sections_and_anyfunc(store: Store) -> None:
    binary = wat2wasm('(module (@custom "a" "x") (@custom "b" "y") (@custom "a" "z"))')
    module = Module(store, binary)
    assert (module.custom_sections("a"), module.custom_sections("b"), module.custom_sections("c")) == \
        ([b"x", b"z"], [b"y"], [])
    assert Module(store, '(module (@custom "t" "w"))').custom_sections("t") == [b"w"]
    with pytest.raises(wasmer.Error, match="deserialized"):
        Module.deserialize(store, module.serialize()).custom_sections("a")
    table = Module(store, '(module (import "ns" "t" (table 1 2 anyfunc)) (func $anyfunc) (data "anyfunc"))')
    assert table.imports[0].type == TableType(Type.FUNC_REF, 1, 2)

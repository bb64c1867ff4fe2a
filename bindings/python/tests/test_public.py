"""The public API rendered from api.yaml (generator/public.py, public/python.yaml): every
member the model says Python renders is there in its shape, and members written
nowhere by hand (only the generic macros of templates/python/_public.py.jinja) work."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import pytest

import wasmer
from wasmer import Function, Instance, Memory, MemoryType, Module, Store, Table, TableType, Type

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))
from generator import model  # noqa: E402

PUB = model.load(ROOT / "api.yaml").public["python"]


def test_every_rendered_member_is_public_in_its_shape() -> None:
    seen = 0
    for c in PUB.classes:
        if c.hidden:
            continue
        cls = getattr(wasmer, c.name)
        assert c.name in wasmer.__all__ and cls._spec == c.spec.name
        for m in c.rendered:
            seen += 1
            if m.shape == "constructor":
                assert "__init__" in cls.__dict__, f"{c.name}.{m.method.name}: no generated constructor"
                continue
            for name in [m.name, *m.aliases]:
                attr = inspect.getattr_static(cls, name)
                if m.shape == "static":
                    assert isinstance(attr, staticmethod), f"{c.name}.{name} is not a static method"
                elif m.shape == "property":
                    assert isinstance(attr, property), f"{c.name}.{name} is not a property"
                    assert (attr.fset is not None) == (m.setter is not None), f"{c.name}.{name}: setter"
                else:
                    assert inspect.isfunction(attr), f"{c.name}.{name} is not a method"
        for m in c.members:
            if m.runtime:  # hand-written in the plain file the model names
                assert (ROOT / "bindings" / "python" / m.runtime).is_file()
    for f in PUB.rendered_functions:
        seen += 1
        for name in [f.name, *f.aliases]:
            assert inspect.isfunction(getattr(wasmer, name)) and name in wasmer.__all__
    assert seen > 10


def test_members_with_no_hand_written_code_work() -> None:
    # Neither of these is written anywhere by hand: the generic property, method,
    # static and function macros render them from api.yaml.
    assert wasmer.version() == wasmer.__core_version__
    store = Store()
    memory = Memory(store, MemoryType(minimum=1))
    assert (memory.size, memory.data_size) == (1, 65536)
    assert memory.type == MemoryType(minimum=1, maximum=None)
    assert memory.grow(2) == 1 and memory.data_size == 3 * 65536
    wasm = wasmer.wat2wasm('(module (func (export "f") (result i32) i32.const 7) (table (export "t") 2 funcref))')
    assert Module.validate(store, wasm) and not Module.validate(store, b"\0asm junk")
    module = Module.deserialize(store, Module(store, wasm).serialize())
    assert isinstance(module, Module)
    exports = Instance(module).exports
    table = exports.t
    assert isinstance(table, Table) and table.size == 2 and table.type == TableType(Type.FUNC_REF, 2, None)
    assert table.get(0) is None
    table.set(1, exports.f)
    got = table.get(1)
    assert isinstance(got, Function) and got() == 7
    assert table.grow(1) == 2 and table.size == 3
    with pytest.raises(TypeError, match="wasmer.Function or None"):
        table.set(0, "not a function")
    with pytest.raises(TypeError, match="wasmer.Store"):
        Module.validate("not a store", wasm)

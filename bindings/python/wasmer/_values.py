"""Value conversion: Python values <-> the glue's wg_val fields, and the public
forms of the generic api.yaml types (bytes, compiler, value kind).

An f32 is read and written as its bits (the low 32 of `bits`) and converted by the
glue's wg_f32_bits_to_f64 / wg_f64_to_f32_bits: C's float <-> double conversion
would quiet a signalling NaN. An externref is any Python object: it crosses the
glue as a token registered here until the store drops the reference. A funcref
is a wasmer.Function (or None).
"""

from __future__ import annotations

import enum
import itertools
from typing import Any

from . import _handles
from ._errors import ARGUMENT_ERROR
from ._kinds import COMPILERS, DEFAULT_COMPILER, EXTERNS, FIELD, Type
from ._native import ffi, lib

to_f32 = lib.wg_f64_to_f32_bits
from_f32 = lib.wg_f32_bits_to_f64

# What an import or export is (api.yaml `externkind`): Externs.FUNC, .GLOBAL, .TABLE, .MEMORY.
Externs = enum.IntEnum("Externs", {name.upper(): code for code, (name, _) in EXTERNS.items()}, module=__name__)

# The wg_val field each value kind is read and written through (an f32: its bits).
VAL_FIELD: dict[int, str] = {k: ("bits" if k == Type.F32 else f) for k, (f, _) in FIELD.items()}


class Value:
    """A typed WebAssembly value: Value.i32(42), Value.f64(1.5)."""

    __slots__ = ("_type", "_value")

    def __init__(self, type: Type, value: Any) -> None:
        self._type = Type(type)
        self._value = value

    @staticmethod
    def i32(value: int) -> Value:
        """A 32-bit integer."""
        return Value(Type.I32, value)

    @staticmethod
    def i64(value: int) -> Value:
        """A 64-bit integer."""
        return Value(Type.I64, value)

    @staticmethod
    def f32(value: float) -> Value:
        """A 32-bit float: the value rounded to 32 bits, as wasm holds it (NaN payloads kept)."""
        return Value(Type.F32, from_f32(to_f32(value)))

    @staticmethod
    def f64(value: float) -> Value:
        """A 64-bit float."""
        return Value(Type.F64, value)

    @property
    def type(self) -> Type:
        return self._type

    @property
    def value(self) -> Any:
        return self._value

    def __repr__(self) -> str:
        return f"Value.{self._type.name.lower()}({self._value!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Value) and (self._type, self._value) == (other._type, other._value)

    def __hash__(self) -> int:
        return hash((self._type, self._value))


# ---------------------------------------------------------------- references

_EXTERNREFS: dict[int, Any] = {}
_externref_ids = itertools.count(1)


def to_externref(obj: Any) -> int:
    if obj is None:
        return 0
    token = next(_externref_ids)
    _EXTERNREFS[token] = obj
    return token


def from_externref(token: int) -> Any:
    return _EXTERNREFS.get(token) if token else None


@ffi.def_extern()
def wg_py_externref_release(token: int, _refs: dict[int, Any] = _EXTERNREFS) -> None:
    _refs.pop(token, None)  # bound at definition: module globals are gone at interpreter exit


def to_funcref(f: Any) -> Any:
    if f is None:
        return ffi.NULL
    function = _handles.classes["Function"]
    if not isinstance(f, function):
        raise TypeError(f"a funcref is a wasmer.Function or None, not {type(f).__name__}")
    return f._h


def from_funcref(store: Any, pointer: Any) -> Any:
    if pointer == ffi.NULL:
        return None
    return _handles.wrap("Function", ffi.gc(ffi.cast("wg_extern *", pointer), lib.wg_extern_delete), store)


def lower(kind: int, value: Any) -> Any:
    """A Python value as what goes into the kind's VAL_FIELD of a wg_val."""
    if kind == Type.F32:
        return to_f32(value)
    if kind == Type.EXTERN_REF:
        return to_externref(value)
    return to_funcref(value) if kind == Type.FUNC_REF else value


def lift(store: Any, kind: int, raw: Any) -> Any:
    """The Python value of the kind's VAL_FIELD of a wg_val."""
    if kind == Type.F32:
        return from_f32(raw & 0xFFFFFFFF)
    if kind == Type.EXTERN_REF:
        return from_externref(raw)
    return from_funcref(store, raw) if kind == Type.FUNC_REF else raw


def new_val(kind: int, value: Any) -> Any:
    """A wg_val holding a Python value of a kind (for the glue's `val` parameters)."""
    v = ffi.new("wg_val *")
    setattr(v, VAL_FIELD[kind], lower(kind, value))
    return v[0]


# ---------------------------------------------------------------- generic public forms


def as_bytes(data: Any, what: str = "bytes") -> bytes:
    """The public form of api.yaml `bytes`: bytes, or any buffer, or str (WAT text, UTF-8)."""
    if isinstance(data, str):
        return data.encode("utf-8")
    try:
        return bytes(memoryview(data))
    except TypeError:
        raise TypeError(f"{what} must be bytes or str (WAT text), not {type(data).__name__}") from None


def compiler_code(compiler: Any) -> int:
    """The public form of api.yaml `compiler`: a wasmer_compiler_*.Compiler class, its name, or None (default)."""
    if compiler is None:
        return COMPILERS[DEFAULT_COMPILER]
    name = compiler if isinstance(compiler, str) else getattr(compiler, "name", None)
    if name not in COMPILERS:
        raise ARGUMENT_ERROR(f"not a compiler: {compiler!r} (use wasmer_compiler_cranelift.Compiler)")
    return COMPILERS[name]


def compiler_name(code: int) -> str:
    return next(name for name, c in COMPILERS.items() if c == code)



def as_str(text: Any, what: str = "str") -> str:
    """The public form of api.yaml `str`."""
    if not isinstance(text, str):
        raise TypeError(f"{what} must be str, not {type(text).__name__}")
    return text


def as_bool(value: Any) -> bool:
    """The public form of api.yaml `bool`."""
    return bool(value)


def valkind(kind: Any) -> int:
    """The public form of api.yaml `valkind`: a wasmer.Type (or its code)."""
    return int(Type(kind))


def externkind(kind: Any) -> int:
    """The public form of api.yaml `externkind`: a member of Externs (or its code)."""
    return int(Externs(kind))

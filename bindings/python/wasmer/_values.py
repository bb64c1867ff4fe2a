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
from ._kinds import COMPILERS, DEFAULT_COMPILER, EXTERNS, FIELD, Kind
from ._type import Type, code, of_code
from ._native import ffi, lib

to_f32 = lib.wg_f64_to_f32_bits
from_f32 = lib.wg_f32_bits_to_f64

# What an import or export is (api.yaml `externkind`): Externs.FUNC, .GLOBAL, .TABLE, .MEMORY.
Externs = enum.IntEnum("Externs", {name.upper(): code for code, (name, _) in EXTERNS.items()}, module=__name__)

# The wg_val field each value kind is read and written through (an f32: its bits).
VAL_FIELD: dict[int, str] = {k: ("bits" if k == Kind.F32 else f) for k, (f, _) in FIELD.items()}


def _f32_text(value: float) -> str:
    """The shortest decimal text of an f32 value that reads back as the same f32 (as wasmer-python 1.x prints it)."""
    bits = to_f32(value)
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if to_f32(float(text)) == bits:
            return repr(float(text))
    return repr(value)


class Value:
    """A typed WebAssembly value: Value.i32(42), Value.f64(1.5); printed as wasmer-python 1.x does (I32(42))."""

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
        """A 32-bit float (an int is converted): the value rounded to 32 bits, as wasm holds it (NaN payloads kept)."""
        return Value(Type.F32, from_f32(to_f32(float(value))))

    @staticmethod
    def f64(value: float) -> Value:
        """A 64-bit float (an int is converted)."""
        return Value(Type.F64, float(value))

    @staticmethod
    def v128(value: int) -> Value:
        """A 128-bit vector, as an unsigned integer. libwasmer's C API has no v128 values: it cannot
        be passed to wasm (ArgumentError), only made and printed."""
        if not isinstance(value, int) or not 0 <= value < 1 << 128:
            raise ARGUMENT_ERROR(f"a v128 value is an integer from 0 to 2**128 - 1, not {value!r}")
        return Value(Type.V128, value)

    @property
    def type(self) -> Type:
        return self._type

    @property
    def value(self) -> Any:
        return self._value

    def __repr__(self) -> str:
        text = _f32_text(self._value) if self._type == Type.F32 and isinstance(self._value, float) else repr(self._value)
        return f"{self._type.name}({text})"

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
    if kind == Kind.F32:
        return to_f32(value)
    if kind == Kind.EXTERN_REF:
        return to_externref(value)
    return to_funcref(value) if kind == Kind.FUNC_REF else value


def lift(store: Any, kind: int, raw: Any) -> Any:
    """The Python value of the kind's VAL_FIELD of a wg_val."""
    if kind == Kind.F32:
        return from_f32(raw & 0xFFFFFFFF)
    if kind == Kind.EXTERN_REF:
        return from_externref(raw)
    return from_funcref(store, raw) if kind == Kind.FUNC_REF else raw


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
    """The glue's code of api.yaml `valkind`, from its public form: a wasmer.Type (or its number)."""
    return code(kind)


def valtype(kind: int) -> Type:
    """The public form (a wasmer.Type) of the glue's code of a `valkind`."""
    return of_code(kind)


def externkind(kind: Any) -> int:
    """The public form of api.yaml `externkind`: a member of Externs (or its code)."""
    return int(Externs(kind))

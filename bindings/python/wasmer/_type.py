"""wasmer.Type: the value types with wasmer-python 1.x's numbering (I32=1 ... F64=4, V128=5,
EXTERN_REF=6, FUNC_REF=7), and their conversion to and from the glue's value kinds
(_kinds.Kind: api.yaml's codes, those of wasm.h's wasm_valkind_t, I32=0 ... FUNC_REF=129).

Type.V128 exists (code written for wasmer-python 1.x names it) but libwasmer's C API has no
v128 values: a function, global or table of it cannot be made, and a Value.v128 cannot
cross into wasm (ArgumentError saying so)."""

from __future__ import annotations

import enum
from typing import Any

from ._errors import ARGUMENT_ERROR
from ._kinds import Kind


class Type(enum.IntEnum):
    """A WebAssembly value type (wasmer-python 1.x's numbering)."""

    I32 = 1
    I64 = 2
    F32 = 3
    F64 = 4
    V128 = 5
    EXTERN_REF = 6
    FUNC_REF = 7

    def __repr__(self) -> str:
        return f"Type.{self.name}"


# How wasmer-python 1.x prints a type inside FunctionType(...) & co. (Rust's Debug of its Type).
DEBUG_NAME = {Type.I32: "I32", Type.I64: "I64", Type.F32: "F32", Type.F64: "F64", Type.V128: "V128",
              Type.EXTERN_REF: "ExternRef", Type.FUNC_REF: "FuncRef"}

_missing = [k.name for k in Kind if k.name not in Type.__members__]
if _missing:
    raise ImportError(f"wasmer/_type.py: wasmer.Type has no member for api.yaml's value kind(s) {', '.join(_missing)}")
CODE: dict[Type, int] = {Type[k.name]: int(k) for k in Kind}  # public type -> the glue's code
TYPE: dict[int, Type] = {int(k): Type[k.name] for k in Kind}  # the glue's code -> public type


def code(t: Any) -> int:
    """The glue's code of a public type (a wasmer.Type or its number)."""
    t = Type(t)
    try:
        return CODE[t]
    except KeyError:
        raise ARGUMENT_ERROR(f"{t.name} values are not supported: libwasmer's C API has no {t.name.lower()} "
                             "values (functions, globals and tables of i32, i64, f32, f64, externref, funcref)") from None


def of_code(c: int) -> Type:
    """The public type of a glue code."""
    return TYPE[c]

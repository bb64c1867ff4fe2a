"""The public forms of api.yaml's ExternType (wasmer-python 1.x's type classes):
FunctionType, MemoryType, GlobalType, TableType, and ExportType / ImportType."""

from __future__ import annotations

from typing import Any, Callable, Sequence, Union

from . import _handles, _low
from ._errors import ARGUMENT_ERROR
from ._kinds import EXTERNS
from ._type import DEBUG_NAME, Type, of_code

UNBOUNDED = 0xFFFFFFFF  # the glue's maximum of an unbounded memory or table


def maximum_of(value: int) -> int | None:
    return None if value == UNBOUNDED else value


def glue_maximum(value: int | None) -> int:
    return UNBOUNDED if value is None else value


# The types print as wasmer-python 1.x's do: FunctionType(params: [I32, I32], results: [I32]).
def _types_text(types: Sequence[Type]) -> str:
    return "[" + ", ".join(DEBUG_NAME[t] for t in types) + "]"


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


class FunctionType:
    """The type of a function: FunctionType([Type.I32, Type.I32], [Type.I32])."""

    def __init__(self, params: Sequence[Type], results: Sequence[Type]) -> None:
        self.params: list[Type] = [Type(t) for t in params]
        self.results: list[Type] = [Type(t) for t in results]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FunctionType) and (self.params, self.results) == (other.params, other.results)

    def __repr__(self) -> str:
        return f"FunctionType(params: {_types_text(self.params)}, results: {_types_text(self.results)})"


class MemoryType:
    """The type of a memory, in 64 KiB pages."""

    def __init__(self, minimum: int, maximum: int | None = None, shared: bool = False) -> None:
        if shared:
            raise ARGUMENT_ERROR("shared memories are not supported")
        self.minimum = minimum
        self.maximum = maximum
        self.shared = shared

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MemoryType) and (self.minimum, self.maximum) == (other.minimum, other.maximum)

    def __repr__(self) -> str:
        return f"MemoryType(minimum: {self.minimum}, maximum: {self.maximum}, shared: {_bool_text(self.shared)})"


class GlobalType:
    """The type of a global."""

    def __init__(self, type: Type, mutable: bool) -> None:
        self.type = Type(type)
        self.mutable = mutable

    def __eq__(self, other: object) -> bool:
        return isinstance(other, GlobalType) and (self.type, self.mutable) == (other.type, other.mutable)

    def __repr__(self) -> str:
        return f"GlobalType(type: {DEBUG_NAME[self.type]}, mutable: {_bool_text(self.mutable)})"


class TableType:
    """The type of a table."""

    def __init__(self, type: Type, minimum: int, maximum: int | None = None) -> None:
        self.type = Type(type)
        self.minimum = minimum
        self.maximum = maximum

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TableType) and (self.type, self.minimum, self.maximum) == (
            other.type, other.minimum, other.maximum)

    def __repr__(self) -> str:
        return f"TableType(type: {DEBUG_NAME[self.type]}, minimum: {self.minimum}, maximum: {self.maximum})"


ExternTypeT = Union[FunctionType, MemoryType, GlobalType, TableType]


class ExportType:
    """An export of a module: its name and type."""

    def __init__(self, name: str, type: ExternTypeT) -> None:
        self.name = name
        self.type = type

    def __repr__(self) -> str:
        return f"ExportType(name={self.name!r}, type={self.type!r})"


class ImportType:
    """An import of a module: its module, name and type."""

    def __init__(self, module: str, name: str, type: ExternTypeT) -> None:
        self.module = module
        self.name = name
        self.type = type

    def __repr__(self) -> str:
        return f"ImportType(module={self.module!r}, name={self.name!r}, type={self.type!r})"


def _function_type(h: Any) -> FunctionType:
    params = [of_code(_low.extern_type_param(h, i)) for i in range(_low.extern_type_param_count(h))]
    results = [of_code(_low.extern_type_result(h, i)) for i in range(_low.extern_type_result_count(h))]
    return FunctionType(params, results)


def _global_type(h: Any) -> GlobalType:
    return GlobalType(of_code(_low.extern_type_content(h)), bool(_low.extern_type_mutable(h)))


def _table_type(h: Any) -> TableType:
    return TableType(of_code(_low.extern_type_content(h)), _low.extern_type_minimum(h),
                     maximum_of(_low.extern_type_maximum(h)))


def _memory_type(h: Any) -> MemoryType:
    return MemoryType(_low.extern_type_minimum(h), maximum_of(_low.extern_type_maximum(h)))


# Each extern kind of api.yaml (by name) -> its type class.
_LIFTERS: dict[str, Callable[[Any], ExternTypeT]] = {
    "func": _function_type, "global": _global_type, "table": _table_type, "memory": _memory_type,
}
_unknown = [name for name, _ in EXTERNS.values() if name not in _LIFTERS]
if _unknown:
    raise ImportError(f"wasmer/_types.py has no type class for the extern kind(s) {', '.join(_unknown)} of api.yaml")
_BY_CODE = {code: _LIFTERS[name] for code, (name, _) in EXTERNS.items()}


def lift_type(h: Any, store: Any = None) -> ExternTypeT:
    """The public type object of an ExternType handle."""
    return _BY_CODE[_low.extern_type_kind(h)](h)


_handles.register_wrap("ExternType", lift_type)

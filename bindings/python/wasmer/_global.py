"""Global support: Global(store, Value, mutable=False) and its `value` (read and set)."""

from __future__ import annotations

from typing import Any

from . import _handles, _low
from ._errors import DEFAULT as Error
from ._type import code
from ._types import GlobalType, lift_type
from ._values import VAL_FIELD, Value, lift, new_val


class GlobalSupport(_handles.Handle):
    def __init__(self, store: Any, value: Value, mutable: bool = False) -> None:
        if not isinstance(value, Value):
            raise TypeError(f"expected a wasmer.Value, got {type(value).__name__}")
        store_h = _handles.unwrap(store, "Store")
        kind = code(value.type)
        self._adopt(_low.global_new(store_h, kind, bool(mutable), new_val(kind, value.value)), store)

    def _init(self) -> None:
        gtype = lift_type(_low.global_type(self._h))
        assert isinstance(gtype, GlobalType)
        self._gtype = gtype

    @property
    def mutable(self) -> bool:
        return self._gtype.mutable

    @property
    def value(self) -> Any:
        kind = code(self._gtype.type)
        return lift(self._store, kind, getattr(_low.global_get(self._h), VAL_FIELD[kind]))

    @value.setter
    def value(self, value: Any) -> None:
        if isinstance(value, Value):
            value = value.value
        if not self._gtype.mutable:
            raise Error("The global variable is not mutable, cannot set a new value")
        _low.global_set(self._h, new_val(code(self._gtype.type), value))

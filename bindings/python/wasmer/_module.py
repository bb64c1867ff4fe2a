"""Module support: its name as wasmer-python 1.x has it (None when unnamed, a
setter that raises), and its imports and exports as lists of ImportType / ExportType."""

from __future__ import annotations

from typing import Any

from . import _handles, _low, _values
from ._engine import check_engine
from ._errors import DEFAULT as Error
from ._types import ExportType, ImportType, lift_type


class ModuleSupport(_handles.Handle):
    def __init__(self, store: Any, bytes: Any) -> None:
        """Compiles a module from binary bytes or from WAT text (detected by the missing "\\0asm" magic)."""
        store_h = _handles.unwrap(store, "Store")
        check_engine(store, "compile")
        self._adopt(_low.module_new(store_h, _values.as_bytes(bytes, "bytes")), _handles.store_of(store))

    @staticmethod
    def deserialize(store: Any, bytes: Any) -> Any:
        """Loads a module from an artifact made by serialize, without compiling."""
        store_h = _handles.unwrap(store, "Store")
        check_engine(store, "load")
        return _handles.wrap("Module", _low.module_deserialize(store_h, _values.as_bytes(bytes, "bytes")),
                             _handles.store_of(store))

    @property
    def name(self) -> str | None:
        """The module's name (from its name section, or set), None when it has none."""
        return _low.module_name(self._h) or None

    @name.setter
    def name(self, value: str) -> None:
        if not _low.module_set_name(self._h, value):
            raise Error("cannot rename a module that is already shared (instantiated or cloned)")

    @property
    def exports(self) -> list[ExportType]:
        out = []
        for i in range(_low.module_export_count(self._h)):
            t = _low.module_export_type(self._h, i)
            out.append(ExportType(_low.extern_type_name(t), lift_type(t)))
        return out

    @property
    def imports(self) -> list[ImportType]:
        out = []
        for i in range(_low.module_import_count(self._h)):
            t = _low.module_import_type(self._h, i)
            out.append(ImportType(_low.extern_type_module(t), _low.extern_type_name(t), lift_type(t)))
        return out

    def __repr__(self) -> str:
        return f"<wasmer.Module name={self.name!r}>"

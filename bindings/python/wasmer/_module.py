"""Module support: its name as wasmer-python 1.x has it (None when unnamed, a
setter that raises), its imports and exports as lists of ImportType / ExportType,
its custom sections. (The WAT keywords of wasmer-python 1.x, `anyfunc` ..., are
renamed by the shared glue.)"""

from __future__ import annotations

from typing import Any

from . import _handles, _low, _values
from ._engine import check_engine
from ._errors import DEFAULT as Error
from ._types import ExportType, ImportType, lift_type


WASM_MAGIC = b"\0asm"
def _leb_u32(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def custom_sections_of(wasm: bytes) -> dict[str, list[bytes]]:
    """The custom sections of a valid module's binary: {name: [payload, ...]} in order."""
    sections: dict[str, list[bytes]] = {}
    at = 8  # magic and version
    while at < len(wasm):
        section_id = wasm[at]
        size, start = _leb_u32(wasm, at + 1)
        at = start + size
        if section_id == 0:
            name_len, name_at = _leb_u32(wasm, start)
            name = wasm[name_at:name_at + name_len].decode("utf-8")
            sections.setdefault(name, []).append(wasm[name_at + name_len:at])
    return sections


class ModuleSupport(_handles.Handle):
    _custom: dict[str, list[bytes]] | None = None  # None: not known (a deserialized module)
    _wat: bytes | None = None  # the WAT text compiled, whose custom sections are read on demand

    def __init__(self, store: Any, bytes: Any) -> None:
        """Compiles a module from binary bytes or from WAT text (detected by the missing "\\0asm" magic)."""
        store_h = _handles.unwrap(store, "Store")
        check_engine(store, "compile")
        data = _values.as_bytes(bytes, "bytes")
        binary = data[:4] == WASM_MAGIC
        self._adopt(_low.module_new(store_h, data), _handles.store_of(store))
        if binary:
            self._custom = custom_sections_of(data)
        else:
            self._wat = data

    def custom_sections(self, name: str) -> list[bytes]:
        """The payloads of the module's custom sections named `name`, in order ([] when there is none).
        Not known for a module made by Module.deserialize (libwasmer's C API does not expose them): raises."""
        if self._custom is None and self._wat is not None:
            self._custom = custom_sections_of(_low.wat2wasm(self._wat))
            self._wat = None
        if self._custom is None:
            raise Error("the custom sections of a deserialized module are not known: libwasmer's C API does "
                        "not expose them (read them from the module's bytes before serializing)")
        return list(self._custom.get(name, []))

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

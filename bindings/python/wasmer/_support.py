"""The public names of wasmer that are runtime support (plain source), not rendered
from api.yaml: wasmer-python 1.x's value, type, import and export classes, and
wasm2wat. wasmer/__init__.py re-exports them next to the classes it renders."""

from __future__ import annotations

from typing import Any

from . import _low
from ._engine import CompilerBase as _Compiler
from ._engine import engine
from ._instance import Exports, ExportsIterator, ImportObject, extern_union
from ._type import Type
from ._memory import VIEW_CLASSES, Buffer, MemoryOutOfBounds, MemoryView
from ._types import ExportType, ExternTypeT, FunctionType, GlobalType, ImportType, MemoryType, TableType
from ._values import Value
from ._version import __version__
from ._wat import wasm2wat

__core_version__: str = _low.version()  # the libwasmer version

# wasmer-python 1.x's typed views: Uint8Array, Int8Array, ... Float64Array
globals().update({cls.__name__: cls for cls in VIEW_CLASSES.values()})

# In wasmer.__all__.
PUBLIC = [
    "Exports", "ExportsIterator", "MemoryView", "MemoryOutOfBounds", "Buffer", *(cls.__name__ for cls in VIEW_CLASSES.values()), "ImportObject", "Type", "Value", "FunctionType", "MemoryType", "GlobalType",
    "TableType", "ExportType", "ImportType", "engine", "wasm2wat",
]
# Also imported by `from ._support import *`: wasmer-python 1.x's module attributes and type aliases.
__all__ = [*PUBLIC, "__version__", "__core_version__", "_Compiler", "ExternTypeT"]


def complete(namespace: dict[str, Any]) -> None:
    """Adds to wasmer's namespace what needs its rendered classes: `Extern`, wasmer-python
    1.x's annotation for an import or export (the union of the extern classes)."""
    namespace["Extern"] = extern_union()
    from . import wasi  # noqa: F401 - wasmer.wasi (wasmer-python 1.x's), once its classes exist
    namespace["wasi"] = wasi

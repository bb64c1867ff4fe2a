"""Memory support: Memory(store, MemoryType), its bytes as a zero-copy buffer, and
wasmer-python 1.x's typed views (uint8_view() & co.)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from . import _handles, _low
from ._native import ffi
from ._types import MemoryType, glue_maximum

# view name -> (struct/memoryview format, bytes per element)
VIEWS = {
    "uint8": ("B", 1), "int8": ("b", 1), "uint16": ("H", 2), "int16": ("h", 2),
    "uint32": ("I", 4), "int32": ("i", 4), "uint64": ("Q", 8), "int64": ("q", 8),
    "float32": ("f", 4), "float64": ("d", 8),
}


class MemoryView:
    """A typed, zero-copy view of a memory from a byte offset (wasmer-python's Uint8Array & co.).

    Each access reads the memory's current data pointer, so a view stays valid after grow().
    """

    def __init__(self, memory: Any, fmt: str, size: int, offset: int = 0) -> None:
        self._memory = memory
        self._fmt = fmt
        self.bytes_per_element = size
        self._offset = offset

    def _view(self) -> memoryview:
        data, length = _low.memory_data(self._memory._h)
        if self._offset > length:
            raise IndexError(f"offset {self._offset} is past the end of memory ({length} bytes)")
        usable = (length - self._offset) // self.bytes_per_element * self.bytes_per_element
        return memoryview(ffi.buffer(data + self._offset, usable)).cast(self._fmt)

    def __len__(self) -> int:
        return len(self._view())

    def __getitem__(self, index: int | slice) -> Any:
        view = self._view()
        if isinstance(index, slice):
            return view[index].tolist()
        return view[index]

    def __setitem__(self, index: int | slice, value: Any) -> None:
        view = self._view()
        if isinstance(index, slice):
            values = list(value)
            idx = range(*index.indices(len(view)))
            if len(values) != len(idx):
                raise ValueError(f"slice of {len(idx)} elements assigned {len(values)} values")
            for i, v in zip(idx, values):
                view[i] = v
        else:
            view[index] = value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._view().tolist())


def _view_method(name: str) -> Callable[..., MemoryView]:
    fmt, size = VIEWS[name]

    def view(self: Any, offset: int = 0) -> MemoryView:
        return MemoryView(self, fmt, size, offset=offset)

    view.__name__ = view.__qualname__ = f"{name}_view"
    view.__doc__ = f"A zero-copy view of the memory as {name} values from byte `offset`."
    return view


class MemorySupport(_handles.Handle):
    """Memory(store, MemoryType(minimum=1)); `buffer` and the typed views read its bytes in place."""

    def __init__(self, store: Any, memory_type: MemoryType) -> None:
        store_h = _handles.unwrap(store, "Store")
        self._adopt(_low.memory_new(store_h, memory_type.minimum, glue_maximum(memory_type.maximum)), store)

    @property
    def buffer(self) -> Any:
        """The memory's bytes, zero-copy (buffer protocol: memoryview(), bytearray(), slicing).

        Like every object taken from an instance it keeps the memory (and so its
        instance and store) alive, also through a memoryview of it. It covers the
        memory as it was when taken and is valid until the memory grows: take a new
        one after grow()."""
        data, length = _low.memory_data(self._h)
        # ffi.buffer keeps its cdata alive, and this cdata's destructor keeps the memory alive.
        owner = ffi.gc(ffi.cast("uint8_t *", data), lambda _data, _memory=self: None)
        return ffi.buffer(owner, length)

    uint8_view = _view_method("uint8")
    int8_view = _view_method("int8")
    uint16_view = _view_method("uint16")
    int16_view = _view_method("int16")
    uint32_view = _view_method("uint32")
    int32_view = _view_method("int32")
    uint64_view = _view_method("uint64")
    int64_view = _view_method("int64")
    float32_view = _view_method("float32")
    float64_view = _view_method("float64")

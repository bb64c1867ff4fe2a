"""Memory support: Memory(store, MemoryType), its bytes as a zero-copy buffer, and
wasmer-python 1.x's typed views (uint8_view() & co.)."""

from __future__ import annotations

import array
from typing import Any, Callable, Iterator

from . import _handles, _low
from ._errors import ArgumentError
from ._native import ffi, lib
from ._types import MemoryType, glue_maximum

# view name -> (struct/memoryview format, bytes per element)
VIEWS = {
    "uint8": ("B", 1), "int8": ("b", 1), "uint16": ("H", 2), "int16": ("h", 2),
    "uint32": ("I", 4), "int32": ("i", 4), "uint64": ("Q", 8), "int64": ("q", 8),
    "float32": ("f", 4), "float64": ("d", 8),
}


class MemoryOutOfBounds(ArgumentError, IndexError):
    """A bulk read or write past the end of a memory (Memory.read/write, a view's slice
    assignment): an IndexError, as wasmer-python's views raise, and the binding's ArgumentError."""


def _bounds(offset: int, length: int, size: int) -> None:
    if offset < 0 or length < 0 or offset > size or length > size - offset:
        raise MemoryOutOfBounds(f"out of bounds: offset {offset} + length {length} is past the end of "
                                f"memory ({size} bytes)")


def _read(handle: Any, offset: int, length: int) -> bytes:
    """`length` bytes at `offset`: one memcpy (cffi's buffer slice) under the store's lock."""
    buf = ffi.new("wg_buffer *")
    _low._check(lib.wg_memory_lock(handle, buf))
    try:
        _bounds(offset, length, buf.len)
        return ffi.buffer(buf.data + offset, length)[:]
    finally:
        lib.wg_memory_unlock(handle)


def _write(handle: Any, offset: int, data: Any) -> None:
    """`data` (any buffer) into the memory at `offset`: one memcpy in the glue, under the lock."""
    src = ffi.from_buffer("uint8_t[]", data)
    if not 0 <= offset < 1 << 64:  # a u64 for the glue, which checks the rest
        _bounds(offset, len(src), 0)
    try:
        _low._check(lib.wg_memory_write(handle, offset, src, len(src)))
    except ArgumentError as e:
        raise MemoryOutOfBounds(str(e)) from None


_CFFI_BUFFER = type(ffi.buffer(ffi.new("uint8_t[1]")))


class _BufferMeta(type):
    def __instancecheck__(cls, obj: Any) -> bool:
        return type(obj) is _CFFI_BUFFER


class Buffer(metaclass=_BufferMeta):
    """The class of `Memory.buffer`: a memory's bytes, zero-copy, through the buffer protocol
    (memoryview(), bytearray(), ctypes' from_buffer, slicing).

    A Buffer is a cffi buffer over the memory's data (Python 3.11 has no buffer protocol for
    classes written in Python): isinstance(memory.buffer, Buffer) holds, and it cannot be
    constructed directly."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("wasmer.Buffer cannot be constructed directly: use Memory.buffer")


class MemoryView:
    """A typed, zero-copy view of a memory from a byte offset (wasmer-python's Uint8Array & co.),
    made by Memory.uint8_view(offset) and siblings; it cannot be constructed directly.

    Each access reads the memory's current data pointer, so a view stays valid after grow().
    Indexing is wasmer-python 1.x's: an integer from 0 (a negative one raises IndexError), or a
    non-empty slice (a list of values); anything else raises ValueError.
    """

    _fmt = "B"
    bytes_per_element = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(f"wasmer.{type(self).__name__} cannot be constructed directly: "
                        f"use Memory.{_VIEW_NAMES.get(type(self), 'uint8')}_view(offset)")

    @classmethod
    def _over(cls, memory: Any, offset: int = 0) -> MemoryView:
        view = object.__new__(cls)
        view._memory = memory
        view._offset = offset
        return view

    def _view(self) -> memoryview:
        data, length = _low.memory_data(self._memory._h)
        if self._offset > length:
            raise IndexError(f"offset {self._offset} is past the end of memory ({length} bytes)")
        usable = (length - self._offset) // self.bytes_per_element * self.bytes_per_element
        return memoryview(ffi.buffer(data + self._offset, usable)).cast(self._fmt)

    def __len__(self) -> int:
        return len(self._view())

    def _glue_len(self) -> int:
        length = int(_low.memory_data_size(self._memory._h))
        if self._offset > length:
            raise IndexError(f"offset {self._offset} is past the end of memory ({length} bytes)")
        return (length - self._offset) // self.bytes_per_element

    @staticmethod
    def _index(view: memoryview, index: Any) -> int | range:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(view))
            if start >= stop:
                raise IndexError(f"Slice `{start}:{stop}` cannot be empty")
            if step < 1:
                raise IndexError(f"Slice must have a positive step; given {step}")
            return range(start, stop, step)
        if isinstance(index, int):
            if index < 0:
                raise IndexError("Out of bound: Index cannot be negative")
            if index >= len(view):
                raise IndexError(f"Out of bound: Index {index} is larger than the view size {len(view)}")
            return index
        raise ValueError("Only integers and slices are valid to represent an index")

    def __getitem__(self, index: int | slice) -> Any:
        view = self._view()
        at = self._index(view, index)
        if isinstance(at, range):
            return view[at.start:at.stop:at.step].tolist()
        return view[at]

    def __setitem__(self, index: int | slice, value: Any) -> None:
        if (self._fmt == "B" and isinstance(index, slice) and index.step in (None, 1)
                and isinstance(value, (bytes, bytearray, memoryview))):
            # the bulk path: view[a:b] = data is one memcpy under the store's lock
            data_len = memoryview(value).nbytes
            count = self._glue_len()
            if index.stop is not None and index.stop > count:
                _bounds(self._offset + (index.start or 0), data_len, self._offset + count)
            start, stop, _ = index.indices(count)
            if start >= stop:
                raise IndexError(f"Slice `{start}:{stop}` cannot be empty")
            if data_len != stop - start:
                raise ValueError(f"slice of {stop - start} elements assigned {data_len} values")
            _write(self._memory._h, self._offset + start, value)
            return
        view = self._view()
        at = self._index(view, index)
        if isinstance(at, range) and at.step == 1:
            values = list(value)
            if len(values) != len(at):
                raise ValueError(f"slice of {len(at)} elements assigned {len(values)} values")
            # one memmove from a packed copy of the values (memoryview slice assignment)
            view[at.start:at.stop] = memoryview(array.array(self._fmt, values))
        elif isinstance(at, range):
            values = list(value)
            if len(values) != len(at):
                raise ValueError(f"slice of {len(at)} elements assigned {len(values)} values")
            for i, v in zip(at, values):
                view[i] = v
        else:
            view[at] = value

    def __iter__(self) -> Iterator[Any]:
        return iter(self._view().tolist())


def _view_class(name: str) -> type[MemoryView]:
    fmt, size = VIEWS[name]
    cls_name = name[0].upper() + name[1:] + "Array"
    doc = f"A zero-copy view of a memory as {name} values (Memory.{name}_view(offset))."
    return type(cls_name, (MemoryView,), {"_fmt": fmt, "bytes_per_element": size, "__doc__": doc,
                                          "__module__": "wasmer", "__slots__": ()})


# wasmer-python 1.x's view classes: Uint8Array, Int8Array, ... Float64Array
VIEW_CLASSES: dict[str, type[MemoryView]] = {name: _view_class(name) for name in VIEWS}
_VIEW_NAMES = {cls: name for name, cls in VIEW_CLASSES.items()}


def _view_method(name: str) -> Callable[..., MemoryView]:
    cls = VIEW_CLASSES[name]

    def view(self: Any, offset: int = 0) -> MemoryView:
        return cls._over(self, offset)

    view.__name__ = view.__qualname__ = f"{name}_view"
    view.__doc__ = f"A zero-copy view of the memory as {name} values from byte `offset` (a {cls.__name__})."
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

    def read(self, offset: int, length: int) -> bytes:
        """`length` bytes from byte `offset`, copied into a new bytes object (one memcpy under the
        store's lock); MemoryOutOfBounds (an IndexError and an ArgumentError) past the end."""
        return _read(self._h, offset, length)

    def write(self, offset: int, data: Any) -> None:
        """Copies `data` (bytes, bytearray, memoryview, any buffer) into the memory at byte
        `offset` (one memcpy under the store's lock); MemoryOutOfBounds, and nothing written,
        when it does not fit."""
        _write(self._h, offset, data)

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

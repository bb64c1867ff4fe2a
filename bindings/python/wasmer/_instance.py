"""Instance support: Instance(module, imports), imports by namespace (ImportObject or
a dict of dicts), and the exports by attribute, by key and in order."""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Mapping, Union

from . import _handles, _low
from ._kinds import EXTERNS


def wrap_extern(h: Any, store: Any) -> Any:
    """The public object of an Extern handle: a Function, Global, Table or Memory by its kind."""
    return _handles.wrap(EXTERNS[_low.extern_kind(h)][1], h, store)


_handles.register_wrap("Extern", wrap_extern)


def extern_union() -> Any:
    """wasmer-python 1.x's `wasmer.Extern` annotation: the union of the extern classes (once they exist)."""
    return Union[tuple(_handles.classes[spec] for _, spec in EXTERNS.values())]


def _is_extern(item: Any) -> bool:
    return any(isinstance(item, _handles.classes[spec]) for _, spec in EXTERNS.values())


class ImportObject:
    """Imports by namespace: ImportObject().register("env", {"sum": Function(...)})."""

    def __init__(self) -> None:
        self._namespaces: dict[str, dict[str, Any]] = {}

    def register(self, namespace_name: str, namespace: Mapping[str, Any]) -> None:
        self._namespaces.setdefault(namespace_name, {}).update(namespace)

    def contains_namespace(self, namespace_name: str) -> bool:
        return namespace_name in self._namespaces

    def to_dict(self) -> dict[str, dict[str, Any]]:
        return {ns: dict(items) for ns, items in self._namespaces.items()}


class ExportNotFound(LookupError, AttributeError):
    """A missing export: a LookupError as in wasmer-python 1.x, and an AttributeError so that
    getattr(exports, name, default) and hasattr() keep working."""


class ExportsIterator:
    """The iterator of Exports: (name, export) pairs in the module's order."""

    def __init__(self, items: dict[str, Any]) -> None:
        self._it = iter(items.items())

    def __iter__(self) -> ExportsIterator:
        return self

    def __next__(self) -> tuple[str, Any]:
        return next(self._it)


class Exports:
    """An instance's exports: by attribute (exports.sum), by key, and in order by iteration."""

    def __init__(self, items: dict[str, Any]) -> None:
        self._items = items

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_items"][name]
        except KeyError:
            raise ExportNotFound(f"Export `{name}` does not exist.") from None

    def __getitem__(self, name: str) -> Any:
        try:
            return self._items[name]
        except KeyError:
            raise KeyError(f"no export named {name!r} (exports: {', '.join(self._items) or 'none'})") from None

    def __contains__(self, name: object) -> bool:
        return name in self._items

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> ExportsIterator:
        return ExportsIterator(self._items)

    def __dir__(self) -> Iterable[str]:
        return list(self._items)

    def __repr__(self) -> str:
        return f"<wasmer.Exports {list(self._items)}>"


def _import_items(import_object: Any) -> Iterator[tuple[str, str, Any]]:
    if import_object is None:
        return
    spaces = import_object.to_dict() if isinstance(import_object, ImportObject) else import_object
    if not isinstance(spaces, Mapping):
        raise TypeError(f"imports must be an ImportObject or a dict of dicts, not {type(import_object).__name__}")
    for namespace, items in spaces.items():
        for name, item in items.items():
            yield namespace, name, item


class InstanceSupport(_handles.Handle):
    """Instance(module, import_object=None).

    Python has no close(): an instance is freed by refcount, and anything taken from
    it (exports, memory buffers and views, funcrefs) keeps it alive.

    Threads: see Store. An instance whose imports are all host functions (or none)
    lives in a store of its own and is freed with it, so instantiating per request
    does not grow; one importing a memory, table, global or function of another
    instance lives in that one's store (functions pass between instances as values
    only within one store).
    """

    exports: Exports

    def __init__(self, module: Any, import_object: ImportObject | Mapping[str, Mapping[str, Any]] | None = None) -> None:
        module_h = _handles.unwrap(module, "Module")
        store = module._store
        from ._wasi import WasiImport, define_wasi

        imports = _low.imports_new()
        keep: list[Any] = []
        items_in = list(_import_items(import_object))
        # WASI imports (wasi.Environment.generate_*): that program state's functions for this module, first
        states = [item._state for _, _, item in items_in if isinstance(item, WasiImport)]
        state = define_wasi(module, imports, states) if states else None
        for namespace, name, item in items_in:
            if isinstance(item, WasiImport):
                continue
            if not _is_extern(item):
                if callable(item):
                    item = _handles.classes["Function"](store, item)
                else:
                    raise TypeError(f"import {namespace}.{name} must be a Function, Memory, Global or Table, "
                                    f"not {type(item).__name__}")
            keep.append(item)
            _low.imports_define(imports, namespace, name, item._h)
        self._module = module
        self._imports = keep
        # freed with the instance: see the class's notes
        try:
            self._adopt(_low.instance_new(store._h, module_h, imports, True), store)
        except BaseException:
            if state is not None:
                state.unused()
            raise
        if state is not None:
            state.ran = True
            keep.append(state.h)
        items: dict[str, Any] = {}
        for i in range(_low.instance_export_count(self._h)):
            items[_low.instance_export_name(self._h, i)] = wrap_extern(_low.instance_export(self._h, i), store)
        self.exports = Exports(items)

    @property
    def module(self) -> Any:
        return self._module

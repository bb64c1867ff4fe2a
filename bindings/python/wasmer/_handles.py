"""Public objects over glue handles.

Every public class rendered from api.yaml derives from Handle (through its
runtime-support class) and names its api.yaml class in `_spec`: that registers
it here, so the generic code turns a handle of a spec class into its public
object (`wrap`) and a public object back into its handle (`unwrap`). A class
with no public class of its own (ExternType, Extern) registers a wrap function.
"""

from __future__ import annotations

import inspect
from typing import Any, Callable

# api.yaml class name -> its public class / the function that wraps one of its handles.
classes: dict[str, type[Handle]] = {}
_wrappers: dict[str, Callable[[Any, Any], Any]] = {}


def register_wrap(spec: str, wrap_fn: Callable[[Any, Any], Any]) -> None:
    """How a handle of the api.yaml class `spec` becomes a public object: wrap_fn(handle, store)."""
    _wrappers[spec] = wrap_fn


class Handle:
    """A public object owning one glue handle (`_h`) and the Store it lives in (`_store`)."""

    _spec = ""  # the api.yaml class, set by each generated public class
    _h: Any
    _store: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        spec = cls.__dict__.get("_spec")
        if spec:  # a generated public class (not a runtime subclass of one)
            classes[spec] = cls
            register_wrap(spec, cls._wrap)
            support = cls.__mro__[1].__doc__  # the runtime support's own notes follow api.yaml's doc
            if support and support is not Handle.__doc__:
                cls.__doc__ = f"{inspect.cleandoc(cls.__doc__ or '')}\n\n{inspect.cleandoc(support)}"

    @classmethod
    def _wrap(cls, h: Any, store: Any) -> Any:
        obj = cls.__new__(cls)
        obj._adopt(h, store)
        return obj

    def _adopt(self, h: Any, store: Any) -> None:
        self._h = h
        self._store = store
        self._init()

    def _init(self) -> None:
        """Called once the handle is set: a class's support caches what it needs here."""

    def _chain(self, low: Any, *args: Any) -> Any:
        """A builder's step (generator/public.py Member.chains): the _low call on this handle,
        then the object itself, so that calls chain. A support class may keep the steps."""
        low(self._h, *args)
        return self


def wrap(spec: str, h: Any, store: Any) -> Any:
    """The public object of a handle of the api.yaml class `spec` (None for a null handle)."""
    return None if h is None else _wrappers[spec](h, store)


def public_name(spec: str) -> str:
    cls = classes.get(spec)
    return f"wasmer.{cls.__name__ if cls is not None else spec}"


def unwrap(obj: Any, spec: str, nullable: bool = False) -> Any:
    """The handle of a public object of the api.yaml class `spec`; TypeError for anything else."""
    if obj is None and nullable:
        return None
    cls = classes.get(spec)
    if cls is None or not isinstance(obj, cls):
        raise TypeError(f"expected a {public_name(spec)}{' or None' if nullable else ''}, got {type(obj).__name__}")
    return obj._h


def store_of(obj: Any) -> Any:
    """The Store an object lives in: the object itself for a Store."""
    store = classes.get("Store")
    if store is not None and isinstance(obj, store):
        return obj
    try:
        return obj._store
    except AttributeError:
        raise TypeError(f"expected a {public_name('Store')}, got {type(obj).__name__}") from None

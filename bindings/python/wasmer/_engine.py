"""Engines and stores: wasmer-python 1.x's `engine.Universal(Compiler)` namespace,
the compiler classes' base, and the forms of Engine(...) and Store(...) with defaults."""

from __future__ import annotations

from typing import Any

from . import _handles, _low
from ._kinds import DEFAULT_COMPILER
from ._values import compiler_code


class CompilerBase:
    """Base of the Compiler classes in wasmer_compiler_*: names a backend."""

    code: int = -1
    name: str = ""


class engine:  # noqa: N801 - a namespace, spelled as wasmer-python's `wasmer.engine` module
    """Engines: engine.Universal(Compiler) picks the compiler backend (wasmer.Engine under its 1.x names)."""

    Universal: Any = None
    # wasmer-python 1.x names for the same engine.
    JIT: Any = None
    Native: Any = None
    Dylib: Any = None


class EngineSupport(_handles.Handle):
    """Engine(compiler=None): compiles with the given Compiler class (default: the spec's default compiler).
    Also reached as wasmer.engine.Universal (and its 1.x names JIT, Native, Dylib)."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_spec" in cls.__dict__:
            engine.Universal = engine.JIT = engine.Native = engine.Dylib = cls

    def __init__(self, compiler: type[CompilerBase] | str | None = None) -> None:
        self.compiler = compiler
        self._adopt(_low.engine_new(compiler_code(compiler)), None)


class StoreSupport(_handles.Handle):
    """Store(engine=None), with a default engine.

    Python has no close(): a store is freed by refcount with the last object using it.

    Every object may be used from any thread. Calls into one store (its instances,
    functions, memories, globals, tables) are serialized by a lock in the shared
    glue, so threads that share an instance take turns and always compute the
    right result; for parallel execution give each thread its own Store and
    instance. A host function may call back into its own instance on the same
    thread. A memory view is raw memory: reading it while another thread runs wasm
    in the same store is a data race, as with any shared buffer. (cffi releases
    the GIL for every call into the glue: the glue's lock is what serializes.)
    """

    def __init__(self, engine: Any = None) -> None:
        self.engine = engine if engine is not None else _handles.classes["Engine"]()
        self._h = _low.store_new(_handles.unwrap(self.engine, "Engine"))
        self._init()

    def _adopt(self, h: Any, store: Any) -> None:
        self._h = h
        self._init()

    @property
    def _store(self) -> Any:  # a store lives in itself (a property: no reference cycle)
        return self

    @property
    def compiler_name(self) -> str:
        compiler = getattr(self.engine, "compiler", None)
        if compiler is None:
            return DEFAULT_COMPILER
        return compiler if isinstance(compiler, str) else compiler.name

    @property
    def engine_name(self) -> str:
        return f"universal({self.compiler_name})"

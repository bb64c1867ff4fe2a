"""Engines and stores: wasmer-python 1.x's `engine.Universal(Compiler)` namespace,
the compiler classes' base, and the forms of Engine(...) and Store(...) with defaults.

wasmer-python 1.x's engines: engine.Universal(Compiler) compiles with that compiler;
engine.Universal() has no compiler (a headless engine: it loads serialized modules, and
compiling with it raises); engine.JIT is engine.Universal. engine.Dylib (and its old name
engine.Native) exists so that code naming it runs its other paths, but libwasmer 7 has only
the universal engine: engine.Dylib(Compiler) raises, and a store of engine.Dylib() can
neither compile nor load a module (wasmer.Error saying so). wasmer.Engine(compiler=None) is
this binding's own form: no compiler means the default one (cranelift)."""

from __future__ import annotations

from typing import Any

from . import _handles, _low
from ._errors import DEFAULT as Error
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


UNIVERSAL_DOC = """engine.Universal(compiler=None): the universal engine; without a compiler it is headless
(loads serialized modules, cannot compile)."""
DYLIB_DOC = """engine.Dylib(compiler=None): wasmer-python 1.x's dylib engine, which libwasmer 7 does not offer:
engine.Dylib(Compiler) raises, and a store of engine.Dylib() cannot compile or load modules."""
NO_DYLIB = ("the dylib engine (engine.Dylib, engine.Native) is not available: libwasmer 7 has only the "
            "universal engine; use engine.Universal(Compiler)")


def check_engine(store: Any, action: str) -> None:
    """Raises when the store's engine cannot `action` ("compile" or "load") a module."""
    eng = getattr(store, "engine", None)
    if isinstance(eng, EngineSupport):
        eng._refuse(action)


class EngineSupport(_handles.Handle):
    """Engine(compiler=None): compiles with the given Compiler class (default: the spec's default compiler).
    Also reached as wasmer.engine.Universal (and its 1.x names JIT, Native, Dylib)."""

    _engine_name = "universal"
    _headless_without_compiler = False  # wasmer.Engine(): the default compiler

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "_spec" in cls.__dict__:
            engine.Universal = engine.JIT = type("Universal", (cls,), {
                "__doc__": UNIVERSAL_DOC, "__module__": "wasmer.engine", "_headless_without_compiler": True})
            engine.Dylib = engine.Native = type("Dylib", (cls,), {
                "__doc__": DYLIB_DOC, "__module__": "wasmer.engine", "_engine_name": "dylib",
                "_headless_without_compiler": True})

    def __init__(self, compiler: type[CompilerBase] | str | None = None) -> None:
        if self._engine_name != "universal" and compiler is not None:
            raise Error(NO_DYLIB)
        self.compiler = compiler
        self.headless = compiler is None and self._headless_without_compiler
        self._adopt(_low.engine_new(compiler_code(compiler)), None)

    def _refuse(self, action: str) -> None:
        """Raises when this engine cannot `action` ("compile" or "load") a module."""
        if self._engine_name != "universal":
            raise Error(NO_DYLIB)
        if action == "compile" and self.headless:
            raise Error("engine.Universal() without a compiler is headless: it cannot compile, only load "
                        "serialized modules (Module.deserialize); pass a compiler, e.g. "
                        "engine.Universal(wasmer_compiler_cranelift.Compiler)")


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
    def compiler_name(self) -> str | None:
        """The compiler's name ('cranelift', 'singlepass'), None for a headless engine."""
        if getattr(self.engine, "headless", False):
            return None
        compiler = getattr(self.engine, "compiler", None)
        if compiler is None:
            return DEFAULT_COMPILER
        return compiler if isinstance(compiler, str) else compiler.name

    @property
    def engine_name(self) -> str:
        """'universal' ('dylib' for engine.Dylib(), which cannot be used)."""
        return getattr(self.engine, "_engine_name", "universal")

"""Host functions: a Python callable made callable from wasm.

A host callable is registered here, wrapped in an adapter compiled once per
signature, under an integer handle that the glue hands back to the dispatcher
(wg_py_host_call); the glue releases it when the store frees the function.
"""

from __future__ import annotations

import atexit
import inspect
import itertools
from typing import Any, Callable

from . import _values
from ._errors import ARGUMENT_ERROR
from ._kinds import KIND_NAME, Kind
from ._native import ffi, lib
from ._raise import pending, record
from ._type import Type
from ._types import FunctionType
from ._values import VAL_FIELD, Value

_HOST: dict[int, Callable[[Any, Any], None]] = {}
_host_ids = itertools.count(1)
_ADAPTERS: dict[tuple[tuple[int, ...], tuple[int, ...]], Callable[..., Any]] = {}

# How a value of each kind is lowered into / lifted from its wg_val field, as
# source text for the per-signature call and host-adapter code (helpers: HELPERS).
LOWER = {int(Kind.EXTERN_REF): "to_externref({})", int(Kind.FUNC_REF): "to_funcref({})", int(Kind.F32): "to_f32({})"}
LIFT = {int(Kind.EXTERN_REF): "from_externref({})", int(Kind.FUNC_REF): "from_funcref(store, {})",
        int(Kind.F32): "from_f32({})"}
RESULT_LOWER = {**LOWER, int(Kind.FUNC_REF): "kept_funcref({})"}  # host-function results


def _kept_funcref(f: Any) -> Any:
    """A host function's funcref result: kept alive until the glue has taken it
    (after the adapter returns), that is until the next such result on this thread."""
    pending.keep.append(f)
    return _values.to_funcref(f)


def _bad_result(fn: Callable[..., Any], results: tuple[int, ...], out: Any, exc: BaseException | None) -> BaseException:
    """The error for a host function's result that does not fit its type: names the function and the types."""
    want = ", ".join(KIND_NAME[k] for k in results)
    want = want if len(results) == 1 else f"{len(results)} values ({want})"
    name = getattr(fn, "__qualname__", None) or repr(fn)
    got = f"{type(out).__name__} {out!r}"[:200]
    why = f" ({exc})" if exc is not None and str(exc) else ""
    return ARGUMENT_ERROR(f"host function {name} must return {want}, got {got}{why}")


HELPERS = {"to_externref": _values.to_externref, "from_externref": _values.from_externref,
           "to_funcref": _values.to_funcref, "from_funcref": _values.from_funcref, "kept_funcref": _kept_funcref,
           "pending": pending, "to_f32": _values.to_f32, "from_f32": _values.from_f32, "bad_result": _bad_result}


def _arg_expr(kind: int, val: str) -> str:
    """Source text reading a wg_val's field for a value of this kind (an f32 by its bits)."""
    return f"{val}.bits & 0xFFFFFFFF" if kind == Kind.F32 else f"{val}.{VAL_FIELD[kind]}"


def _adapter_factory(params: tuple[int, ...], results: tuple[int, ...]) -> Callable[..., Any]:
    key = (params, results)
    factory = _ADAPTERS.get(key)
    if factory is None:
        call = f"fn({', '.join(LIFT.get(k, '{}').format(_arg_expr(k, f'args[{i}]')) for i, k in enumerate(params))})"
        lines = ["def adapter(args, results):"]
        if int(Kind.FUNC_REF) in results:
            lines.append("    pending.keep.clear()  # the previous results were taken by the glue")
        lines.append(f"    out = {call}")
        if not results:
            lines += ["    if out is not None:",
                      "        raise TypeError(f'host function {fn!r} must return None, got {type(out).__name__}')"]
        elif len(results) == 1:
            lines += ["    if out.__class__ is Value:", "        out = out.value",
                      "    try:",
                      f"        results[0].{VAL_FIELD[results[0]]} = {RESULT_LOWER.get(results[0], '{}').format('out')}",
                      "    except (TypeError, OverflowError) as exc:",
                      f"        raise bad_result(fn, {results!r}, out, exc) from None"]
        else:
            names = [f"o{i}" for i in range(len(results))]
            lines += ["    try:", f"        {', '.join(names)}, = out",
                      "    except (TypeError, ValueError):",
                      f"        raise bad_result(fn, {results!r}, out, None) from None"]
            lines += ["    try:"]
            for i, k in enumerate(results):
                lines += [f"        if o{i}.__class__ is Value:", f"            o{i} = o{i}.value",
                          f"        results[{i}].{VAL_FIELD[k]} = {RESULT_LOWER.get(k, '{}').format(f'o{i}')}"]
            lines += ["    except (TypeError, OverflowError) as exc:",
                      f"        raise bad_result(fn, {results!r}, out, exc) from None"]
        src = ("def factory(fn, Value, store, to_externref, from_externref, to_funcref, from_funcref, kept_funcref,"
               " pending, to_f32, from_f32, bad_result):\n") + "\n".join("    " + line for line in lines) + "\n    return adapter\n"
        scope: dict[str, Any] = {}
        exec(compile(src, f"<wasmer host {params}->{results}>", "exec"), scope)  # noqa: S102 - generated from kinds only
        factory = _ADAPTERS[key] = scope["factory"]
    return factory


def register(fn: Callable[..., Any], params: tuple[int, ...], results: tuple[int, ...], store: Any) -> int:
    """Registers a host callable; returns the `env` handle the glue calls it by."""
    env = next(_host_ids)
    _HOST[env] = _adapter_factory(params, results)(fn, Value, store, **HELPERS)
    return env


def unregister(env: int) -> None:
    _HOST.pop(env, None)


# What the dispatcher returns (WG_PY_* in the preamble of _build_ffi.py): never 0,
# which cffi returns when it cannot call into Python at all.
_DONE, _RAISED, _NOT_RUN = 1, 2, 3


def _host_failed(exc_type: Any, exc: BaseException | None, tb: Any) -> int:
    """cffi's onerror for the dispatcher: a failure outside its own `try` (calling it, or
    in its `except`) fails the call with that exception, never returning zeros."""
    pending.exc = exc if exc is not None else exc_type()
    return _RAISED


# error=: returned when not even _host_failed could run (Python's recursion limit):
# the call still fails, as a RecursionError (see _raise.raise_error).
@ffi.def_extern(error=_NOT_RUN, onerror=_host_failed)
def wg_py_host_call(env: int, args: Any, results: Any) -> int:
    try:
        _HOST[env](args, results)
        return _DONE
    except BaseException as exc:  # noqa: BLE001 - every exception must go back to the caller
        record(exc)
        return _RAISED


@ffi.def_extern()
def wg_py_host_release(env: int, _host: dict[int, Any] = _HOST) -> None:
    _host.pop(env, None)  # bound at definition: module globals are gone at interpreter exit


# The C entry points in _build_ffi.py's preamble call the dispatcher and the
# release functions (here and in _values.py); at exit they stop calling into Python.
lib.wg_py_install()
atexit.register(lib.wg_py_exit)

# wasmer-python 1.x's annotations: int, float, a Type, or its name as a string ('i32', 'I32', ...)
_ANNOTATIONS: dict[Any, Type] = {int: Type.I32, float: Type.F32, "int": Type.I32, "float": Type.F32}
for _t in Type:
    _ANNOTATIONS[_t] = _t
    _ANNOTATIONS[f"Type.{_t.name}"] = _t
for _name in ("i32", "i64", "f32", "f64"):
    _ANNOTATIONS[_name] = _ANNOTATIONS[_name.upper()] = Type[_name.upper()]


def infer_type(fn: Callable[..., Any]) -> FunctionType:
    """A FunctionType from annotations: int -> i32, float -> f32, a wasmer.Type, or a type's
    name ('i32', 'I64', ...); a tuple (or list) of them as the return annotation for several results."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        raise TypeError(f"cannot infer a function type for {fn!r}: pass a FunctionType") from None
    try:  # annotations kept as text (`from __future__ import annotations`): "'i32'", "('i64', 'i32')"
        sig = inspect.signature(fn, eval_str=True)
    except Exception:  # noqa: BLE001 - Python 3.9 (no eval_str), or text that does not evaluate: as written
        pass

    def one(annotation: Any, where: str) -> Type:
        if annotation in _ANNOTATIONS:
            return _ANNOTATIONS[annotation]
        raise TypeError(f"{where} of {getattr(fn, '__name__', fn)!r}: annotate with int, float or wasmer.Type "
                        f"(got {annotation!r}), or pass a FunctionType")

    params = []
    for p in sig.parameters.values():
        if p.annotation in (None, "None"):
            raise ARGUMENT_ERROR(f"Variable `{p.name}` cannot have type `None`")
        params.append(one(p.annotation, f"parameter {p.name!r}"))
    ret = sig.return_annotation
    if ret in (None, "None", inspect.Signature.empty):
        results: list[Type] = []
    elif isinstance(ret, (tuple, list)):
        results = [one(r, "return value") for r in ret]
    else:
        results = [one(ret, "return value")]
    return FunctionType(params, results)

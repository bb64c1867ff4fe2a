"""Function support: Function(store, callable[, FunctionType]) for host functions, and
calls from Python (`f(1, 2)`).

Calls go through a subclass of the public Function per signature whose __call__ is
compiled once for that signature: no allocation, name lookup or type query per call,
and no second Python frame. Arguments are written into the function's scratch area
in the glue (one pointer crosses the FFI per call), each through a pointer of its
own C type over the 8-byte wg_val slots (cffi range-checks it; an f32 goes through a
uint32_t pointer, as its bits).

The scratch area is one per function: a call takes it with one atomic step
(free.pop() of the one token in a list: a C method running no Python code, so no
other thread runs in between; a check-then-set would not be atomic) and gives it
back (free.append) when it has read the results. A call that finds it taken
(another thread is in a call of this function, as cffi releases the GIL during the
C call; or a host function re-entering it) goes through _call_plain with arrays of
its own.
"""

from __future__ import annotations

from typing import Any, Callable

from . import _handles, _host, _low
from ._kinds import FIELD, KIND_NAME, Kind
from ._native import ffi, lib
from ._raise import raise_error
from ._type import code, of_code
from ._types import FunctionType, lift_type
from ._values import VAL_FIELD, lift, lower

# value kind -> (typed view name, elements per wg_val); view name -> its C pointer type
_SLOT: dict[int, tuple[str, int]] = {}
_VIEW_TYPES: dict[str, str] = {}
for _kind, (_field, _ctype) in FIELD.items():
    if _kind == Kind.F32:
        _field, _ctype = "u32", "uint32_t"  # by its bits
    _SLOT[_kind] = (f"_v_{_field}", ffi.sizeof("wg_val") // ffi.sizeof(_ctype))
    _VIEW_TYPES[f"_v_{_field}"] = f"{_ctype} *"

_CLASSES: dict[tuple[tuple[int, ...], tuple[int, ...]], type] = {}
_MISSING: Any = object()


def _function_class(base: type, params: tuple[int, ...], results: tuple[int, ...]) -> type:
    key = (params, results)
    cls = _CLASSES.get(key)
    if cls is None:
        np = len(params)

        def slot(i: int, kind: int) -> str:
            view, per = _SLOT[kind]
            return f"{view}[{i * per}]"

        used = sorted({_SLOT[k][0] for k in params + results})

        names = [f"a{i}" for i in range(np)]
        lines = [f"def __call__(self, {''.join(n + '=_MISSING, ' for n in names)}*extra):"]
        if np:
            lines += [f"    if {names[-1]} is _MISSING or extra:",
                      f"        raise self._argument_error(({', '.join(names)},) + extra, None)"]
        else:
            lines += ["    if extra:", "        raise self._argument_error(extra, None)"]
        lines += ["    free = self._free", "    try:", "        free.pop()", "    except IndexError:",
                  f"        return self._call_plain(({''.join(n + ', ' for n in names)}))",
                  "    try:"]
        body = [f"    {view} = self.{view}" for view in used]
        if any(k in _host.LIFT for k in results):
            body += ["    store = self._store"]
        if np:
            body += ["    try:"]
            body += [f"        {slot(i, k)} = {_host.LOWER.get(k, '{}').format(f'a{i}')}" for i, k in enumerate(params)]
            body += ["    except (TypeError, OverflowError) as exc:",
                     f"        raise self._argument_error(({', '.join(names)},), exc) from None"]
        body += ["    rc = fcall(self._h)", "    if rc:", "        raise_(rc)"]
        if not results:
            body.append("    return None")
        elif len(results) == 1:
            body.append(f"    return {_host.LIFT.get(results[0], '{}').format(slot(np, results[0]))}")
        else:
            body.append("    return (" + "".join(_host.LIFT.get(k, "{}").format(slot(np + i, k)) + ", "
                                              for i, k in enumerate(results)) + ")")
        lines += ["    " + line for line in body]
        lines += ["    finally:", "        free.append(None)"]
        src = ("def make(fcall, raise_, _MISSING, to_externref, from_externref, to_funcref, from_funcref, kept_funcref,"
               " pending, to_f32, from_f32, bad_result):\n") + "\n".join("    " + line for line in lines) + "\n    return __call__\n"
        scope: dict[str, Any] = {}
        exec(compile(src, f"<wasmer call {params}->{results}>", "exec"), scope)  # noqa: S102 - generated from kinds only
        call = scope["make"](lib.wg_function_call_scratch, raise_error, _MISSING, **_host.HELPERS)
        sig = ", ".join(KIND_NAME[p] for p in params)
        call.__qualname__ = f"{base.__name__}({sig})"
        cls = _CLASSES[key] = type(base.__name__, (base,), {"__slots__": (), "__call__": call, "__module__": base.__module__})
    return cls


class FunctionSupport(_handles.Handle):
    """Function(store, fn) infers the type from annotations; Function(store, fn, FunctionType(...)) gives it.

    Threads: see Store. One Function may be called from several threads at once: a call uses the
    function's value area when it is free, arrays of its own otherwise.
    """

    __slots__ = ("_h", "_store", "_params", "_results", "_scratch", "_free", *_VIEW_TYPES)

    def __init__(self, store: Any, function: Callable[..., Any], function_type: FunctionType | None = None) -> None:
        if not callable(function):
            raise TypeError(f"expected a callable, got {type(function).__name__}")
        ftype = function_type if function_type is not None else _host.infer_type(function)
        if not isinstance(ftype, FunctionType):
            raise TypeError(f"function_type must be a wasmer.FunctionType, got {type(ftype).__name__}")
        store_h = _handles.unwrap(store, "Store")
        self._store = store
        params, results = tuple(code(t) for t in ftype.params), tuple(code(t) for t in ftype.results)
        env = _host.register(function, params, results, store)
        try:
            self._h = _low.function_new_host(store_h, list(params), list(results), env)
        except BaseException:
            _host.unregister(env)
            raise
        self._setup(params, results)

    def _init(self) -> None:  # wrapping a handle: the signature comes from the function's type
        t = lift_type(_low.function_type(self._h))
        assert isinstance(t, FunctionType)
        self._setup(tuple(code(p) for p in t.params), tuple(code(r) for r in t.results))

    def _setup(self, params: tuple[int, ...], results: tuple[int, ...]) -> None:
        self._params = params
        self._results = results
        data, _ = _low.function_scratch(self._h)
        self._scratch = data
        for name, ctype in _VIEW_TYPES.items():
            setattr(self, name, ffi.cast(ctype, data))
        self._free = [None]  # holds one token while the scratch area is free
        self.__class__ = _function_class(_handles.classes["Function"], params, results)

    def _call_plain(self, args: tuple[Any, ...]) -> Any:
        """A call with argument and result arrays of its own (the scratch area is in use)."""
        params, results = self._params, self._results
        a = ffi.new("wg_val[]", max(1, len(params)))
        r = ffi.new("wg_val[]", max(1, len(results)))
        try:
            for i, (k, x) in enumerate(zip(params, args)):
                setattr(a[i], VAL_FIELD[k], lower(k, x))
        except (TypeError, OverflowError) as exc:
            raise self._argument_error(args, exc) from None
        rc = lib.wg_function_call(self._h, a, r)
        if rc:
            raise_error(rc)
        out = tuple(lift(self._store, k, getattr(r[i], VAL_FIELD[k])) for i, k in enumerate(results))
        return out[0] if len(out) == 1 else (out or None)

    def __call__(self, *args: Any) -> Any:  # replaced per signature by _function_class
        raise TypeError("wasmer.Function was not initialised")

    def _argument_error(self, args: tuple[Any, ...], exc: BaseException | None) -> BaseException:
        sig = ", ".join(KIND_NAME[p] for p in self._params)
        args = tuple(a for a in args if a is not _MISSING)
        if len(args) != len(self._params):
            return TypeError(f"function ({sig}) takes {len(self._params)} argument(s), {len(args)} given")
        function = _handles.classes["Function"]
        for i, (k, a) in enumerate(zip(self._params, args)):
            if k == Kind.EXTERN_REF:
                continue
            if k == Kind.FUNC_REF:
                ok = a is None or isinstance(a, function)
            else:
                ok = isinstance(a, (int, float)) if k in (Kind.F32, Kind.F64) else isinstance(a, int)
            if not ok:
                return TypeError(f"argument {i} must be {KIND_NAME[k]}, not {type(a).__name__}")
            if isinstance(exc, OverflowError):
                return OverflowError(f"argument {i} ({a!r}) does not fit in {KIND_NAME[k]}")
        return exc if exc is not None else TypeError(f"bad arguments for function ({sig})")

    def __repr__(self) -> str:
        ftype = FunctionType([of_code(p) for p in self._params], [of_code(r) for r in self._results])
        return f"<wasmer.Function {ftype!r}>"

"""Glue error codes as Python exceptions, and a host function's exception carried
across wasm back to the Python code that called in."""

from __future__ import annotations

import threading
from typing import Any, NoReturn

from . import _errors, _low
from ._native import ffi, lib


class Pending(threading.local):
    """The exception a host function raised, re-raised where wasm returns to Python;
    and the Functions a host function returned as funcrefs, kept until the glue took them."""

    exc: BaseException | None = None

    def __init__(self) -> None:
        self.keep: list[Any] = []


pending = Pending()


def raise_error(rc: int) -> NoReturn:
    """Raises the exception of a glue error code (a host function's own exception for a host error)."""
    if rc == _errors.HOST_ERROR_CODE:
        exc, pending.exc = pending.exc, None
        if exc is not None:
            raise exc
        if lib.wg_py_take_lost():  # the dispatcher could not even start: Python's recursion limit
            raise RecursionError("maximum recursion depth exceeded calling a Python host function "
                                 "(host <-> wasm re-entry too deep)")
    message = ffi.string(lib.wg_error_message()).decode("utf-8", "replace")
    error = _errors.BY_CODE.get(rc, _errors.DEFAULT)(message)
    if rc == _errors.EXIT_ERROR_CODE:
        error.code = _low.exit_code()  # a WASI program's exit(n): wasmer.ExitError.code is n
    raise error


def record(exc: BaseException) -> None:
    """Keeps a host function's exception for raise_error, and gives the glue its text."""
    pending.exc = exc
    try:
        message = f"{type(exc).__name__}: {exc}".encode("utf-8", "replace")
    except BaseException:  # noqa: BLE001 - a broken __str__ must not replace the exception
        message = type(exc).__name__.encode("utf-8", "replace")
    lib.wg_set_host_error(message, len(message))


_low.raise_error = raise_error  # every _low function raises through it

"""Reliability program of the Python binding (reliability/PROTOCOL.md).

    python reliability.py CHECK [ARG ...]    with WASMGEN_RELIABILITY_DIR set to the inputs

Prints one JSON line per case on stdout. Uses only the public `wasmer` API.
Not a pytest module (no test_ prefix): `python -m reliability run --lang python` runs it.
"""

from __future__ import annotations

import gc
import json
import os
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import wasmer
from wasmer import Function, FunctionType, Instance, Module, Store, Type

DIR = Path(os.environ.get("WASMGEN_RELIABILITY_DIR", "build/reliability"))
I32_I32 = FunctionType([Type.I32, Type.I32], [Type.I32])
NOTHING_I32 = FunctionType([], [Type.I32])


def emit(case: str, outcome: str, detail: str = "", **extra: Any) -> None:
    sys.stdout.write(json.dumps({"case": case, "outcome": outcome, "detail": detail, **extra}) + "\n")
    sys.stdout.flush()


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def wasm(name: str) -> bytes:
    return (DIR / name).read_bytes()


def expect_raise(case: str, action: Callable[[], Any], errors: tuple[type[BaseException], ...]) -> None:
    """`typed` when action raises one of errors, `wrong` otherwise."""
    try:
        result = action()
    except errors as exc:
        emit(case, "typed", describe(exc))
    except Exception as exc:  # noqa: BLE001 - an unexpected error type is the finding
        emit(case, "wrong", f"unexpected {describe(exc)}")
    else:
        emit(case, "wrong", f"no error, returned {result!r}")


def rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


# ----------------------------------------------------------------------------- checks


def check_mutants(start: str, end: str) -> None:
    store = Store()
    for n in range(int(start), int(end)):
        data = wasm(f"mutants/{n:06d}.wasm")
        valid = Module.validate(store, data)
        try:
            Module(store, data)
        except wasmer.CompileError as exc:
            outcome, detail = ("typed", describe(exc)) if not valid else ("wrong", f"validate said true: {describe(exc)}")
        except Exception as exc:  # noqa: BLE001
            outcome, detail = "wrong", f"unexpected {describe(exc)}"
        else:
            outcome, detail = ("ok", "") if valid else ("wrong", "compiled, but validate said false")
        emit("mutants/module", outcome, detail, index=n)


TRAPS = ["unreachable", "div_by_zero", "int_overflow", "bad_conversion", "oob_memory", "null_indirect",
         "indirect_type_mismatch", "stack_exhausted"]


def check_traps() -> None:
    exports = Instance(Module(Store(), wasm("traps.wasm"))).exports
    for name in TRAPS:
        try:
            result = exports[name]()
        except wasmer.Trap as exc:
            emit(f"traps/{name}", "typed" if str(exc) else "wrong", describe(exc) or "empty message")
        except Exception as exc:  # noqa: BLE001
            emit(f"traps/{name}", "wrong", f"unexpected {describe(exc)}")
        else:
            emit(f"traps/{name}", "wrong", f"no trap, returned {result!r}")
        try:
            after = exports.ok()
            emit(f"traps/{name}/after", "ok" if after == 42 else "wrong", f"ok() = {after!r}")
        except Exception as exc:  # noqa: BLE001
            emit(f"traps/{name}/after", "wrong", describe(exc))


def host_instance() -> tuple[Instance, list[BaseException]]:
    """host.wasm with its five host functions; the list collects what env.raise raised."""
    store = Store()
    raised: list[BaseException] = []
    instance: list[Instance] = []

    def raise_() -> int:
        raised.append(ValueError("boom"))
        raise raised[-1]

    def reenter(n: int) -> int:
        return instance[0].exports.down(n)

    env = {
        "raise": Function(store, raise_, NOTHING_I32),
        "wrong_type": Function(store, lambda: "a string", NOTHING_I32),
        "too_many": Function(store, lambda: (1, 2), NOTHING_I32),
        "too_few": Function(store, lambda: None, NOTHING_I32),
        "reenter": Function(store, reenter, FunctionType([Type.I32], [Type.I32])),
    }
    instance.append(Instance(Module(store, wasm("host.wasm")), {"env": env}))
    return instance[0], raised


def check_host() -> None:
    instance, raised = host_instance()
    exports = instance.exports
    try:
        result = exports.call_raise()
        emit("host/raise", "wrong", f"no error, returned {result!r}")
    except ValueError as exc:
        same = bool(raised) and exc is raised[-1]
        emit("host/raise", "typed" if same else "wrong", describe(exc) + ("" if same else " (not the raised object)"))
    except Exception as exc:  # noqa: BLE001
        emit("host/raise", "wrong", f"unexpected {describe(exc)}")
    for name in ["wrong_type", "too_many", "too_few"]:
        expect_raise(f"host/{name}", getattr(exports, f"call_{name}"), (wasmer.Error,))


def check_reenter(*depths: str) -> None:
    exports = host_instance()[0].exports
    for depth in map(int, depths):
        case = f"reenter/{depth}"
        try:
            result = exports.down(depth)
            outcome, detail = ("ok", "") if result == depth else ("wrong", f"down({depth}) = {result!r}")
        except (RecursionError, wasmer.Error) as exc:
            outcome, detail = "typed", describe(exc)
        except Exception as exc:  # noqa: BLE001
            outcome, detail = "wrong", f"unexpected {describe(exc)}"
        try:
            again = exports.down(3)
            if again != 3:
                outcome, detail = "wrong", f"{detail}; then down(3) = {again!r}"
        except Exception as exc:  # noqa: BLE001
            outcome, detail = "wrong", f"{detail}; then down(3) raised {describe(exc)}"
        emit(case, outcome, detail)


LIFETIMES = ("Python has no close(): objects are freed by refcount, and anything taken from an instance "
             "(functions, memories, buffers, views) keeps it alive")


def check_misuse() -> None:
    store = Store()
    exports = Instance(Module(store, wasm("misuse.wasm"))).exports
    sum_, memory, load8 = exports.sum, exports.memory, exports.load8
    expect_raise("misuse/arity_few", lambda: sum_(1), (TypeError,))
    expect_raise("misuse/arity_many", lambda: sum_(1, 2, 3), (TypeError,))
    expect_raise("misuse/type", lambda: sum_("a", 1), (TypeError,))
    expect_raise("misuse/range", lambda: sum_(2**40, 1), (OverflowError, wasmer.ArgumentError))

    size = memory.data_size
    view = memory.uint8_view()

    def read_each() -> None:
        for at in (size, size + 10):
            expect_one(lambda: view[at], at)

    def write_each() -> None:
        for at in (size, size + 10):
            expect_one(lambda: view.__setitem__(at, 1), at)

    def expect_one(action: Callable[[], Any], at: int) -> None:
        try:
            result = action()
        except (IndexError, wasmer.Error):
            return
        raise AssertionError(f"no error at offset {at} of {size} bytes (got {result!r})")

    for case, action in [("misuse/view_oob_read", read_each), ("misuse/view_oob_write", write_each)]:
        try:
            action()
            emit(case, "typed", f"IndexError at {size} and {size + 10}")
        except Exception as exc:  # noqa: BLE001
            emit(case, "wrong", describe(exc))

    try:
        old = memory.uint8_view()
        old[100] = 7
        memory.grow(1)
        fresh = memory.uint8_view()
        problems = [f"{what} view reads {v!r} at 100" for what, v in [("fresh", fresh[100]), ("old", old[100])] if v != 7]
        fresh[65536] = 9
        if load8(65536) != 9:
            problems.append(f"load8(65536) = {load8(65536)!r} after writing 9")
        emit("misuse/grow", "wrong" if problems else "ok", "; ".join(problems))
    except Exception as exc:  # noqa: BLE001
        emit("misuse/grow", "wrong", describe(exc))
    expect_raise("misuse/grow_too_far", lambda: memory.grow(10), (wasmer.Error,))

    emit("misuse/closed_call", "skip", LIFETIMES)
    emit("misuse/closed_memory", "skip", LIFETIMES)

    other = Store()
    foreign = Function(other, lambda a, b: a + b, I32_I32)
    try:
        result = Instance(Module(store, wasm("import.wasm")), {"env": {"sum": foreign}}).exports.add1(1, 2)
        emit("misuse/wrong_store_import", "ok" if result == 4 else "wrong", f"add1(1, 2) = {result!r}")
    except wasmer.Error as exc:
        emit("misuse/wrong_store_import", "typed", describe(exc))
    except Exception as exc:  # noqa: BLE001
        emit("misuse/wrong_store_import", "wrong", f"unexpected {describe(exc)}")


def cycled(case: str, n: int, cycle: Callable[[int], int], expected: Callable[[int], int]) -> None:
    """N/10 warm-up cycles, then N measured ones; cycle(i) returns the call's result."""
    wrong: list[str] = []

    def run(count: int) -> None:
        for i in range(count):
            result = cycle(i)
            if result != expected(i) and len(wrong) < 5:
                wrong.append(f"cycle {i}: {result!r} != {expected(i)}")
            if i % 1000 == 999:
                gc.collect()

    run(max(1, n // 10))
    gc.collect()
    before = rss_kib()
    run(n)
    gc.collect()
    growth = rss_kib() - before
    emit(case, "wrong" if wrong else "ok", "; ".join(wrong), inputs=n, rss_kib=growth)


def check_cycles(n: str) -> None:
    store = Store()
    module = Module(store, wasm("import.wasm"))

    def cycle(i: int) -> int:
        host = Function(store, lambda a, b: a + b, I32_I32)
        instance = Instance(module, {"env": {"sum": host}})
        result = instance.exports.add1(i, 1)
        del instance, host
        return result

    cycled("cycles/instantiate", int(n), cycle, lambda i: i + 2)


def check_compile(n: str) -> None:
    store = Store()
    data = wasm("simple.wasm")

    def cycle(i: int) -> int:
        module = Module(store, data)
        instance = Instance(module)
        result = instance.exports.sum(i, 1)
        del instance, module
        return result

    cycled("compile/module", int(n), cycle, lambda i: i + 1)


def in_threads(calls: int, make_sum: Callable[[int], Callable[[int, int], int]]) -> tuple[int, list[str]]:
    """4 threads calling make_sum(t)(i, t) for i < calls; returns the wrong count and some details."""
    wrong = [0] * 4
    details: list[str] = []

    def work(t: int) -> None:
        try:
            sum_ = make_sum(t)
            for i in range(calls):
                result = sum_(i, t)
                if result != i + t:
                    wrong[t] += 1
                    if len(details) < 3:
                        details.append(f"thread {t}: sum({i}, {t}) = {result!r}")
        except Exception as exc:  # noqa: BLE001
            wrong[t] += 1
            details.append(f"thread {t}: {describe(exc)}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return sum(wrong), details


def check_threads(calls: str) -> None:
    n = int(calls)
    data = wasm("simple.wasm")
    wrong, details = in_threads(n, lambda t: Instance(Module(Store(), data)).exports.sum)
    emit("threads/own_store", "wrong" if wrong else "ok", f"{wrong} wrong; " + "; ".join(details) if wrong else "",
         inputs=4 * n)


def check_shared(calls: str) -> None:
    n = int(calls)
    sum_ = Instance(Module(Store(), wasm("simple.wasm"))).exports.sum
    wrong, details = in_threads(n, lambda t: sum_)
    emit("shared/instance", "wrong" if wrong else "ok", f"{wrong} wrong; " + "; ".join(details) if wrong else "",
         inputs=4 * n)


CHECKS: dict[str, Callable[..., None]] = {
    "mutants": check_mutants, "traps": check_traps, "host": check_host, "reenter": check_reenter,
    "misuse": check_misuse, "cycles": check_cycles, "compile": check_compile, "threads": check_threads,
    "shared": check_shared,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in CHECKS:
        sys.exit(f"usage: reliability.py {{{'|'.join(CHECKS)}}} [ARG ...]")
    CHECKS[sys.argv[1]](*sys.argv[2:])

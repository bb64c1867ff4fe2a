"""sum(1, 2) and a host-import round trip through the Python binding, and bulk memory.

Prints one JSON line per case: {"lang": "python", "case": ..., "ns": ...}.
Best of 5 rounds, so a busy machine inflates the figure less.

Memory: 1 KiB, 64 KiB and 1 MiB written and read through the documented bulk path
(Memory.write / Memory.read, one memcpy under the store's lock; and the view slice
assignment `uint8_view()[0:n] = data`), beside Python's own cheapest copy of the same
size (memoryview slice assignment into a bytearray, one memcpy; memcpy_alloc_: bytes(memoryview), the
allocating copy that read() makes): {"workload": "memory", "impl": "wasmgen" |
"language"}, "ns" the median per operation of 7 rounds (p25, p75, min and max beside it).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Callable

from wasmer import Function, FunctionType, Instance, Memory, MemoryType, Module, Store, Type

WAT = """
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
"""


def per_call(f, n: int) -> float:
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter_ns()
        for _ in range(n):
            f(1, 2)
        best = min(best, (time.perf_counter_ns() - t) / n)
    return best


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200_000
    store = Store()
    host = Function(store, lambda a, b: a + b, FunctionType([Type.I32, Type.I32], [Type.I32]))
    exports = Instance(Module(store, WAT), {"env": {"sum": host}}).exports
    assert exports.sum(1, 2) == 3 and exports.add1(1, 2) == 4
    for case, f in (("sum", exports.sum), ("host_roundtrip", exports.add1)):
        print(json.dumps({"lang": "python", "case": case, "ns": round(per_call(f, n), 1)}), flush=True)

    memory_cases(store)


def rounds(op: Callable[[int], None], n: int) -> list[float]:
    op(n)  # warm up
    times = []
    for _ in range(7):
        t = time.perf_counter_ns()
        op(n)
        times.append((time.perf_counter_ns() - t) / n)
    times.sort()
    return times


def memory_cases(store: Store) -> None:
    memory = Memory(store, MemoryType(minimum=17))
    for label, size in (("1KiB", 1024), ("64KiB", 65536), ("1MiB", 1 << 20)):
        reps = max(20, (64 << 20) // size)
        data = bytes(range(256)) * (size // 256)
        dst = bytearray(size)
        view = memory.uint8_view()
        sink = []

        def write(n: int) -> None:
            for i in range(n):
                memory.write(i & 7, data)

        def write_view(n: int) -> None:
            for i in range(n):
                view[i & 7:(i & 7) + size] = data

        def read(n: int) -> None:
            for i in range(n):
                sink.append(len(memory.read(i & 7, size)))
            sink.clear()

        dst_view = memoryview(dst)

        def copy(n: int) -> None:  # memoryview slice assignment: one memcpy (bytearray's own is slower)
            for i in range(n):
                dst_view[0:size] = data

        src = memoryview(data)

        def copy_alloc(n: int) -> None:  # the allocating copy, what read() does
            for i in range(n):
                sink.append(len(bytes(src)))
            sink.clear()

        for case, impl, op in ((f"memory_write_{label}", "wasmgen", write),
                               (f"memory_write_view_{label}", "wasmgen", write_view),
                               (f"memory_read_{label}", "wasmgen", read),
                               (f"memcpy_{label}", "language", copy),
                               (f"memcpy_alloc_{label}", "language", copy_alloc)):
            t = rounds(op, reps)
            print(json.dumps({"lang": "python", "case": case, "ns": round(t[3], 1), "median": round(t[3], 1),
                              "p25": round(t[1], 1), "p75": round(t[5], 1), "min": round(t[0], 1), "max": round(t[6], 1),
                              "samples": len(t), "workload": "memory", "impl": impl, "bytes": size}), flush=True)
        memory.write(0, data)
        assert memory.read(0, size) == data == bytes(dst)


if __name__ == "__main__":
    main()

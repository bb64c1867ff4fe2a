"""sum(1, 2) and a host-import round trip through the Python binding.

Prints one JSON line per case: {"lang": "python", "case": ..., "ns": ...}.
Best of 5 rounds, so a busy machine inflates the figure less.
"""

from __future__ import annotations

import json
import sys
import time

from wasmer import Function, FunctionType, Instance, Module, Store, Type

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


if __name__ == "__main__":
    main()

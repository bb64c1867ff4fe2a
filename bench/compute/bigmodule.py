"""Writes the multi-megabyte module of the boot workload: FUNCS functions of straight-line i32
arithmetic (distinct constants, so nothing is shared; the runtime compiles every one of them) and
one export, `run(i32) -> i32`, which calls the first ten. Usage: python bench/compute/bigmodule.py OUT.wat [FUNCS]; wat2wasm makes the binary."""

from __future__ import annotations

import sys


def wat(funcs: int) -> str:
    out = ["(module"]
    for f in range(funcs):
        body = ["local.get 0"]
        for k in range(24):
            body.append(f"i32.const {(f * 131 + k * 7919) % 65521 + 1}")
            body.append(("i32.add", "i32.xor", "i32.mul", "i32.sub")[k % 4])
        out.append(f"  (func $f{f} (param i32) (result i32) {' '.join(body)})")
    calls = " ".join(f"call $f{f}" for f in range(min(funcs, 10)))
    out.append(f'  (func (export "run") (param i32) (result i32) local.get 0 {calls}))')
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    funcs = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    with open(sys.argv[1], "w") as f:
        f.write(wat(funcs))

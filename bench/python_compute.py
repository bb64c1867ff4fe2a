"""Python's compute, FFI-floor and peer cases (bench/report.py's JSON lines).

compute: nbody and hash (bench/compute/*.c compiled to wasm32) through the binding with cranelift
and with singlepass, the same algorithms in plain Python, and native nbody called in this process
through cffi (WASMGEN_BENCH_NATIVE, clang -O2); every result is checked equal to native C's
(WASMGEN_BENCH_REF, from bench/compute/driver.c) before anything is timed.
per call: sum(1, 2) through a cffi extension (Python's FFI floor, built here) and through
wasmtime-py (the peer, from PyPI), add1's host round trip and nbody in wasmtime too.
Timed with timeit (repeat, median and quartiles); nothing is compiled inside a timed loop.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
import timeit
from pathlib import Path

from wasmer import Function, FunctionType, Instance, Module, Store, Type, engine
from wasmer_compiler_cranelift import Compiler as Cranelift
from wasmer_compiler_singlepass import Compiler as Singlepass

REF = json.loads(os.environ["WASMGEN_BENCH_REF"])
DIR = Path(os.environ["WASMGEN_BENCH_DIR"])
MIB = 1 << 20
NBODY_STEPS = 100_000  # per sample through wasm (ns reported per step)
NBODY_STEPS_PY = 2_000  # per sample in plain Python
SAMPLES = 9

WAT = """
(module
  (import "env" "sum" (func $sum (param i32 i32) (result i32)))
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "add1") (param i32 i32) (result i32) local.get 0 local.get 1 call $sum i32.const 1 i32.add))
"""

sink = 0.0


def emit(case: str, workload: str, impl: str, times: list[float], variant: str = "", **extra) -> None:
    """One JSON line: times are ns per unit, one per sample."""
    q = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
    rec = {"lang": "python", "case": case, "ns": round(statistics.median(times), 2), "workload": workload,
           "impl": impl, **({"variant": variant} if variant else {}), "median": round(statistics.median(times), 2),
           "p25": round(q[0], 2), "p75": round(q[2], 2), "samples": len(times), "checked": True, **extra}
    print(json.dumps(rec), flush=True)


def timed(fn, arg, units: float, samples: int = SAMPLES) -> list[float]:
    def run():
        global sink
        sink += fn(arg)  # kept, so no result is dead
    run()  # warm-up
    return [t * 1e9 / units for t in timeit.Timer(run).repeat(repeat=samples, number=1)]


def native_nbody():
    """bench/compute/nbody.c as native code (clang -O2, WASMGEN_BENCH_NATIVE) through cffi's ABI mode."""
    import cffi

    ffi = cffi.FFI()
    ffi.cdef("double nbody(int n);")
    return ffi.dlopen(os.environ["WASMGEN_BENCH_NATIVE"]).nbody


def check(what: str, got, want) -> None:
    if got != want:
        sys.exit(f"python {what}: result {got!r} != native C's {want!r}; no time reported")


# ---------------------------------------------------------------- the algorithms in Python itself

PI = 3.141592653589793
SOLAR_MASS = 4 * PI * PI
DAYS_PER_YEAR = 365.24
START = [
    [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, SOLAR_MASS],
    [4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS],
    [8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS],
    [1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS],
    [1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS],
]


def nbody_py(n: int) -> float:
    """bench/compute/nbody.c, operation for operation (so the result is the same double)."""
    bodies = [list(b) for b in START]
    px = py = pz = 0.0
    for b in bodies:
        px += b[3] * b[6]
        py += b[4] * b[6]
        pz += b[5] * b[6]
    bodies[0][3] = -px / SOLAR_MASS
    bodies[0][4] = -py / SOLAR_MASS
    bodies[0][5] = -pz / SOLAR_MASS
    pairs = [(bodies[i], bodies[j]) for i in range(5) for j in range(i + 1, 5)]
    sqrt = math.sqrt
    dt = 0.01
    for _ in range(n):
        for a, b in pairs:
            dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
            d2 = dx * dx + dy * dy + dz * dz
            mag = dt / (d2 * sqrt(d2))
            bm, am = b[6], a[6]
            a[3] -= dx * bm * mag
            a[4] -= dy * bm * mag
            a[5] -= dz * bm * mag
            b[3] += dx * am * mag
            b[4] += dy * am * mag
            b[5] += dz * am * mag
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    e = 0.0
    for i, a in enumerate(bodies):
        e += 0.5 * a[6] * (a[3] * a[3] + a[4] * a[4] + a[5] * a[5])
        for b in bodies[i + 1:]:
            dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
            e -= a[6] * b[6] / sqrt(dx * dx + dy * dy + dz * dz)
    return e


DATA = bytes((i * 31 + (i >> 8)) & 255 for i in range(MIB))  # bench/compute/hash.c's fill


def hash_py(data: bytes) -> int:
    h = 2166136261
    for byte in data:
        h = ((h ^ byte) * 16777619) & 0xFFFFFFFF
    return h


# ---------------------------------------------------------------- the cases


def compute() -> None:
    nbody_wasm = (DIR / "nbody.wasm").read_bytes()
    hash_wasm = (DIR / "hash.wasm").read_bytes()
    steps, want_e, want_h = REF["nbody_steps"], REF["nbody"], REF["hash"]
    for variant, compiler in (("cranelift", Cranelift), ("singlepass", Singlepass)):
        store = Store(engine.Universal(compiler))
        nbody = Instance(Module(store, nbody_wasm)).exports.nbody
        check(f"nbody ({variant})", nbody(steps), want_e)
        emit("nbody", "nbody", "wasmgen", timed(nbody, NBODY_STEPS, NBODY_STEPS), variant)
        ex = Instance(Module(store, hash_wasm)).exports
        check(f"fill ({variant})", ex.fill(MIB), MIB)
        h = ex.hash
        check(f"hash ({variant})", h(MIB) & 0xFFFFFFFF, want_h)
        emit("hash_1MiB", "hash", "wasmgen", timed(h, MIB, 1), variant)
    native = native_nbody()
    check("nbody (native C in this process)", native(steps), want_e)
    emit("nbody", "nbody", "native_in_process", timed(native, NBODY_STEPS, NBODY_STEPS))
    check("nbody (plain Python)", nbody_py(steps), want_e)
    emit("nbody", "nbody", "language", timed(nbody_py, NBODY_STEPS_PY, NBODY_STEPS_PY))
    check("hash (plain Python)", hash_py(DATA), want_h)
    emit("hash_1MiB", "hash", "language", timed(hash_py, DATA, 1, samples=5))


def per_call_times(f, n: int = 200_000) -> list[float]:
    f(1, 2)  # warm-up
    return [t * 1e9 / n for t in timeit.repeat("f(1, 2)", globals={"f": f}, repeat=SAMPLES, number=n)]


def ffi_floor() -> None:
    """Python's cheapest call into native code: a cffi (API mode) extension's int sum(int, int)."""
    import cffi

    out = DIR / "python_ffi"
    out.mkdir(parents=True, exist_ok=True)
    ffi = cffi.FFI()
    ffi.cdef("int bench_sum(int a, int b);")
    ffi.set_source("_bench_ffi", "static int bench_sum(int a, int b) { return a + b; }")
    ffi.compile(tmpdir=str(out), verbose=False)
    sys.path.insert(0, str(out))
    from _bench_ffi import lib  # type: ignore

    check("cffi sum", lib.bench_sum(1, 2), 3)
    emit("sum", "call", "ffi", per_call_times(lib.bench_sum), variant="cffi")


def wasmtime_peer() -> None:
    """wasmtime-py (PyPI), the same module: sum, the add1 host round trip and nbody."""
    try:
        import wasmtime
    except ImportError:
        sys.exit("python: wasmtime (PyPI) is not installed in the bench session")
    from importlib.metadata import version

    print(json.dumps({"version": {"wasmtime-py (Python peer)": version("wasmtime")}}), flush=True)
    store = wasmtime.Store()
    module = wasmtime.Module(store.engine, WAT)
    host = wasmtime.Func(store, wasmtime.FuncType([wasmtime.ValType.i32()] * 2, [wasmtime.ValType.i32()]),
                         lambda a, b: a + b)
    inst = wasmtime.Instance(store, module, [host])
    ex = inst.exports(store)
    sum_, add1 = ex["sum"], ex["add1"]
    check("wasmtime sum", sum_(store, 1, 2), 3)
    check("wasmtime add1", add1(store, 1, 2), 4)
    n = 20_000  # wasmtime-py's calls are slow: fewer per sample
    for case, f in (("sum", sum_), ("host_roundtrip", add1)):
        times = [t * 1e9 / n for t in timeit.repeat("f(s, 1, 2)", globals={"f": f, "s": store}, repeat=SAMPLES, number=n)]
        emit(case, "call", "wasmtime", times)
    nb_store = wasmtime.Store()
    nb = wasmtime.Instance(nb_store, wasmtime.Module(nb_store.engine, (DIR / "nbody.wasm").read_bytes()), [])
    nbody = nb.exports(nb_store)["nbody"]
    check("wasmtime nbody", nbody(nb_store, REF["nbody_steps"]), REF["nbody"])
    emit("nbody", "nbody", "wasmtime", timed(lambda k: nbody(nb_store, k), NBODY_STEPS, NBODY_STEPS))


def boot() -> None:
    """compile, deserialize (the serialized module) and instantiate, for the small nbody module and the
    multi-megabyte one; the big module's compile is seconds: 3 samples, no warm-up."""
    store = Store()
    for size, name in (("small", "nbody.wasm"), ("big", "big.wasm")):
        wasm = (DIR / name).read_bytes()
        module = Module(store, wasm)
        artifact = module.serialize()
        if size == "small":
            emit(f"compile_{size}", "boot", "wasmgen", timed(lambda b: Module(store, b) is not None, wasm, 1))
        else:
            emit(f"compile_{size}", "boot", "wasmgen",
                 [t * 1e9 for t in timeit.repeat(lambda: Module(store, wasm), repeat=3, number=1)])
        emit(f"deserialize_{size}", "boot", "wasmgen", timed(lambda a: Module.deserialize(store, a) is not None, artifact, 1))
        emit(f"instantiate_{size}", "boot", "wasmgen",
             [t * 1e9 / 10 for t in timeit.repeat(lambda: Instance(module), repeat=SAMPLES, number=10)])


def main() -> None:
    compute()
    boot()
    ffi_floor()
    wasmtime_peer()


if __name__ == "__main__":
    main()

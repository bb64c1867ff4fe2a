"""Go: a cgo package, `wasmgen/go/wasmer`, compatible with wasmer-go 1.x (bindings/go).

The package compiles the shared glue itself (wasmer/glue.c includes
bindings/c/wasmgen.c) and links libwasmer from WASMER_DIR through
CGO_CFLAGS / CGO_LDFLAGS (with an rpath, so nothing else is needed at run time).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import apt
import nox

from . import ROOT, Lang, conformance, generate, wasi_programs

MODULE = ROOT / "bindings" / "go"
BUILD = ROOT / "build" / "go"
BENCH = ROOT / "bench" / "go_bench"


def go_tool() -> str | None:
    """The go command: on PATH, or where the official tarball and Debian put it."""
    found = shutil.which("go")
    if found:
        return found
    for candidate in ("/usr/local/go/bin/go", "/usr/lib/go/bin/go"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def go(session: nox.Session) -> str:
    tool = go_tool()
    if tool is None:
        session.error("no `go` command: install Go >= 1.19 (Debian: apt-get install golang-go)")
    return tool  # type: ignore[return-value]


def glue_hash() -> str:
    """A hash of the shared glue. The package compiles bindings/c/wasmgen.c through
    wasmer/glue.c (`#include "../../c/wasmgen.c"`), and Go's build cache does not
    track files included from outside the package: without this in CGO_CFLAGS (part
    of the cache key) a changed glue would be linked from a stale cached object."""
    digest = hashlib.sha256()
    for name in ("wasmgen.c", "wasmgen.h"):
        path = ROOT / "bindings" / "c" / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def env(prefix: Path) -> dict[str, str]:
    tool = go_tool()
    path = os.environ.get("PATH", "")
    if tool:
        path = os.pathsep.join([str(Path(tool).parent), path])
    return {
        "CGO_ENABLED": "1",
        "CGO_CFLAGS": f"-I{prefix}/include -O2 -DWASMGEN_GLUE_HASH={glue_hash()}",
        "CGO_LDFLAGS": f"-L{prefix}/lib -Wl,-rpath,{prefix}/lib",
        "GOFLAGS": "-mod=mod",
        "PATH": path,
        "WASMER_DIR": str(prefix),
    }


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "go")
    tool = go(session)
    BUILD.mkdir(parents=True, exist_ok=True)
    with session.chdir(MODULE):
        session.run(tool, "build", "./...", env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "conformance-driver"), "./cmd/conformance-driver",
                    env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "example"), "./cmd/example", env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "reliability"), "./cmd/reliability", env=env(prefix), external=True)


def test(session: nox.Session, prefix: Path) -> None:
    tool = go(session)
    test_env = {**env(prefix), "WASMGEN_WASI_DIR": str(wasi_programs(session))}
    with session.chdir(MODULE):
        unformatted = session.run(str(Path(tool).parent / "gofmt"), "-l", ".", silent=True, external=True) or ""
        if unformatted.strip():
            session.error(f"gofmt would reformat: {unformatted.split()}")
        session.run(tool, "vet", "./...", env=env(prefix), external=True)
        session.run(tool, "test", "-count=1", "./...", env=test_env, external=True)
        # The goroutine tests again under the race detector.
        session.run(tool, "test", "-race", "-count=1", "-run", "Concurrent|InstanceClose", "./wasmer",
                    env=test_env, external=True)
    conformance(session, "go")


def example(session: nox.Session, prefix: Path) -> None:
    session.run(str(BUILD / "example"), str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


def bench(session: nox.Session, prefix: Path) -> str:
    tool = go(session)
    exe = BUILD / "bench"
    with session.chdir(BENCH):
        session.run(tool, "build", "-o", str(exe), ".", env=env(prefix), external=True)
    return session.run(str(exe), silent=True, external=True) or ""


# The memcheck run: checks of the reliability program that exercise the glue
# (traps, host errors, misuse, re-entry, instantiate/compile cycles, threads).
MEMCHECK_RUNS = [["traps"], ["host"], ["misuse"], ["reenter", "100", "1000"], ["cycles", "2000"],
                 ["compile", "200"], ["threads", "2000"]]
OUR_CODE = ("wasmgen.c", "wasmgen.h", "bindings/go/wasmer/", "go_glue_", "wgGo")


def leaks_in_our_code(report: str) -> tuple[list[str], int]:
    """LeakSanitizer's "Direct leak" blocks (valgrind's "definitely lost") whose stack goes
    through our C (the glue, the Go package's C); and how many other leak blocks there were."""
    ours, others = [], 0
    for block in report.split("\n\n"):
        if "Direct leak of" not in block:
            others += "Indirect leak of" in block
            continue
        if any(mark in block for mark in OUR_CODE):
            ours.append(block.strip())
        else:
            others += 1
    return ours, others


def memcheck(session: nox.Session, prefix: Path) -> None:
    """The reliability program built with AddressSanitizer (`go build -asan`, gcc's libasan):
    fails on any invalid access and on leaks whose stack goes through our C code."""
    tool = go(session)
    exe = BUILD / "reliability-asan"
    asan_env = env(prefix)
    asan_env["CGO_CFLAGS"] += " -g -fno-omit-frame-pointer"
    with session.chdir(MODULE):
        session.run(tool, "build", "-asan", "-o", str(exe), "./cmd/reliability", env=asan_env, external=True)
    inputs = ROOT / "build" / "reliability"
    session.run("python", "-m", "reliability", "inputs", "--dir", str(inputs), "--mutants", "0", silent=True)
    supp = MODULE / "asan.supp"
    run_env = {
        "WASMGEN_RELIABILITY_DIR": str(inputs),
        "ASAN_OPTIONS": "detect_leaks=1:halt_on_error=1:allow_addr2line=1:detect_stack_use_after_return=0",
        "LSAN_OPTIONS": f"suppressions={supp}:exitcode=0:print_suppressions=0",
    }
    failed = []
    for args in MEMCHECK_RUNS:
        proc = subprocess.run([str(exe), *args], cwd=ROOT, env={**os.environ, **run_env},
                              capture_output=True, text=True, timeout=240)
        ours, others = leaks_in_our_code(proc.stderr)
        if others:
            session.warn(f"memcheck {' '.join(args)}: leaks outside our code (libwasmer, Go runtime):\n{proc.stderr[-3000:]}")
        wrong = [line for line in proc.stdout.splitlines() if '"outcome": "wrong"' in line or '"outcome":"wrong"' in line]
        status = "ok"
        if "ERROR: AddressSanitizer" in proc.stderr or proc.returncode != 0:
            status = f"exit {proc.returncode}"
            failed.append(f"{' '.join(args)}: exit {proc.returncode}\n{proc.stderr[-4000:]}")
        elif ours:
            status = f"{len(ours)} leak(s) in our code"
            failed.append(f"{' '.join(args)}: {len(ours)} leak(s) through our code:\n" + "\n\n".join(ours[:5]))
        session.log(f"memcheck {' '.join(args)}: {status}; {len(proc.stdout.splitlines())} cases "
                    f"({len(wrong)} wrong, counted by the reliability run); {others} other leak report(s) (runtime/libwasmer)")
    if failed:
        session.error("AddressSanitizer found errors in our code:\n" + "\n\n".join(failed))


LANG = Lang(
    "go",
    # cgo needs a C compiler; Go itself comes with the machine (/usr/local/go),
    # else from Debian (golang-go, Go 1.19 on bookworm: enough for this module).
    # libasan8: gcc's AddressSanitizer runtime, for `go build -asan` (memcheck).
    # clang, lld, wasi-libc: the WASI test programs (wasi_programs).
    apt=["gcc", "libasan8"] + apt.PACKAGES["wasi"] + ([] if go_tool() else ["golang-go"]),
    build=build,
    test=test,
    example=example,
    bench=bench,
    memcheck=memcheck,
)

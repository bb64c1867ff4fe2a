"""Go: a cgo package, `wasmgen/go/wasmer`, compatible with wasmer-go 1.x (bindings/go).

The package compiles the shared glue itself (wasmer/glue.c includes
bindings/c/wasmgen.c) and links libwasmer from WASMER_DIR through
CGO_CFLAGS / CGO_LDFLAGS (with an rpath, so nothing else is needed at run time).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate

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


def env(prefix: Path) -> dict[str, str]:
    tool = go_tool()
    path = os.environ.get("PATH", "")
    if tool:
        path = os.pathsep.join([str(Path(tool).parent), path])
    return {
        "CGO_ENABLED": "1",
        "CGO_CFLAGS": f"-I{prefix}/include -O2",
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


def test(session: nox.Session, prefix: Path) -> None:
    tool = go(session)
    with session.chdir(MODULE):
        unformatted = session.run(str(Path(tool).parent / "gofmt"), "-l", ".", silent=True, external=True) or ""
        if unformatted.strip():
            session.error(f"gofmt would reformat: {unformatted.split()}")
        session.run(tool, "vet", "./...", env=env(prefix), external=True)
        session.run(tool, "test", "-count=1", "./...", env=env(prefix), external=True)
    conformance(session, "go")


def example(session: nox.Session, prefix: Path) -> None:
    session.run(str(BUILD / "example"), str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


def bench(session: nox.Session, prefix: Path) -> str:
    tool = go(session)
    exe = BUILD / "bench"
    with session.chdir(BENCH):
        session.run(tool, "build", "-o", str(exe), ".", env=env(prefix), external=True)
    return session.run(str(exe), silent=True, external=True) or ""


LANG = Lang(
    "go",
    # cgo needs a C compiler; Go itself comes with the machine (/usr/local/go),
    # else from Debian (golang-go, Go 1.19 on bookworm: enough for this module).
    apt=["gcc"] + ([] if go_tool() else ["golang-go"]),
    build=build,
    test=test,
    example=example,
    bench=bench,
)

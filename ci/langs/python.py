"""Python: cffi in API mode (bindings/python)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate

ENV = {"PYTHONPATH": str(ROOT / "bindings" / "python")}


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "python")
    session.run("python", "bindings/python/wasmer/_build_ffi.py", "build/python")


def test(session: nox.Session, prefix: Path) -> None:
    session.run("python", "-m", "pytest", "-q", "bindings/python/tests", env=ENV)
    conformance(session, "python")
    wheel(session, prefix)


def wheel(session: nox.Session, prefix: Path) -> None:
    """Build the self-contained wheel (libwasmer linked statically) and run sum from a fresh virtualenv."""
    out = ROOT / "build" / "python" / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    session.run("python", "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), "bindings/python")
    for leftover in (ROOT / "bindings" / "python").glob("*.egg-info"):
        shutil.rmtree(leftover)
    shutil.rmtree(ROOT / "bindings" / "python" / "build", ignore_errors=True)
    venv = out / "venv"
    session.run("python", "-m", "venv", str(venv))
    session.run(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *map(str, out.glob("*.whl")), external=True)
    session.run(str(venv / "bin" / "python"), "-c",
                "import wasmer; print('wheel:', wasmer.Instance(wasmer.Module(wasmer.Store(), "
                "open('build/conformance/simple.wasm', 'rb').read())).exports.sum(1, 2))",
                external=True)


def example(session: nox.Session, prefix: Path) -> None:
    session.run("python", "-c",
                "from wasmer import Store, Module, Instance;"
                "i = Instance(Module(Store(), open('build/conformance/simple.wasm', 'rb').read()));"
                "print('python: sum(1, 2) =', i.exports.sum(1, 2))",
                env=ENV)


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run("python", "bench/python_bench.py", silent=True, env=ENV) or ""


LANG = Lang("python", deps=["cffi>=1.16"], apt=["wabt"], build=build, test=test, example=example, bench=bench)

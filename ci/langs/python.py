"""Python: cffi in API mode (bindings/python)."""

from __future__ import annotations

from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate

ENV = {"PYTHONPATH": str(ROOT / "bindings" / "python")}


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "python")
    session.run("python", "bindings/python/wasmer/_build_ffi.py", "build/python")


def test(session: nox.Session, prefix: Path) -> None:
    session.run("python", "-m", "pytest", "-q", "bindings/python/tests", env=ENV)
    conformance(session, "python", ENV)


def example(session: nox.Session, prefix: Path) -> None:
    session.run("python", "-c",
                "from wasmer import Store, Module, Instance;"
                "i = Instance(Module(Store(), open('build/conformance/simple.wasm', 'rb').read()));"
                "print('python: sum(1, 2) =', i.exports.sum(1, 2))",
                env=ENV)


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run("python", "bench/python_bench.py", silent=True, env=ENV) or ""


LANG = Lang("python", deps=["cffi>=1.16"], apt=["wabt"], build=build, test=test, example=example, bench=bench)

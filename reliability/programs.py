"""Language -> reliability program command (see reliability/PROTOCOL.md).

Each program is plain source of its language, written with only the public
binding API, built (where it needs building) by that language's `nox -s
build-<lang>` step in ci/langs/<lang>.py. The runner starts it with the
repository root as working directory and appends `CHECK ARG...`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from conformance.drivers import DriverCommand, DriverNotBuilt, prepend_path, program, repo_file


def _python(root: Path) -> DriverCommand:
    return DriverCommand(
        argv=[sys.executable, repo_file(root, "bindings/python/tests/reliability.py")],
        env={"PYTHONPATH": prepend_path("PYTHONPATH", str(root / "bindings/python"))},
    )


def _go(root: Path) -> DriverCommand:
    return DriverCommand(argv=[repo_file(root, "build/go/reliability")])


def _php(root: Path) -> DriverCommand:
    extension = repo_file(root, "build/php/wasm.so")
    return DriverCommand(argv=[program("php"), "-d", f"extension={extension}",
                               repo_file(root, "bindings/php/tests/reliability.php")])


def _java(root: Path) -> DriverCommand:
    jars = sorted((root / "build/java/target").glob("wasmer-jni-*.jar"))
    if not jars:
        raise DriverNotBuilt(f"missing {root / 'build/java/target'}/wasmer-jni-*.jar")
    classes = repo_file(root, "build/java/reliability")
    # C1 only: the optimizing JIT's own memory would swamp the cycles' RSS figure (+-10 MiB from run to run)
    return DriverCommand(argv=[program("java"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                               f"-XX:ErrorFile={root / 'build/reliability/hs_err_%p.log'}",
                               "-cp", f"{jars[-1]}:{classes}", "org.wasmer.reliability.Reliability"])


def _ruby(root: Path) -> DriverCommand:
    repo_file(root, "build/ruby/lib/wasmer/wasmer_native.so")
    return DriverCommand(argv=[program("ruby"), "-I", str(root / "build/ruby/lib"), "-I", str(root / "bindings/ruby/lib"),
                               repo_file(root, "bindings/ruby/test/reliability.rb")])


PROGRAMS = {"python": _python, "go": _go, "php": _php, "java": _java, "ruby": _ruby}


def resolve(lang: str, root: Path) -> DriverCommand:
    """The program's command; DriverNotBuilt (saying which nox session builds it) when missing."""
    try:
        return PROGRAMS[lang](root)
    except DriverNotBuilt as exc:
        raise DriverNotBuilt(f"reliability program for {lang} not built: run `nox -s build-{lang}` ({exc})") from None

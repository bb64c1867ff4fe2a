"""Language -> conformance driver command table.

Each language's driver is a small program, written with only that language's
public binding API, that speaks the line-based JSON protocol described in
``conformance/protocol.md`` on its stdin/stdout. The runner starts it with the
repository root as working directory.

An entry of :data:`DRIVERS` is either

* a list of argv items, where every item that contains a ``/`` and does not
  start with ``/`` or ``-`` is a path relative to the repository root (it is
  made absolute and must exist, otherwise the driver counts as "not built"),
  and every other item is passed as is (a bare first item such as ``php`` is
  looked up on ``PATH``); or
* a function ``(root: Path) -> DriverCommand`` for drivers that need
  environment variables or paths inside options; it raises
  :class:`DriverNotBuilt` when something it needs is missing (use
  :func:`repo_file`).

Language owners: fill in your entry when your driver exists, and keep the
"not built" check precise (point it at the file your build produces).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class DriverCommand:
    """A resolved driver command: absolute argv, extra environment, working directory."""

    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)  # added to os.environ
    cwd: Path | None = None  # None: the runner's own working directory


class DriverNotBuilt(Exception):
    """A file or program the driver needs does not exist."""


class UnknownLanguage(Exception):
    """The language has no entry in :data:`DRIVERS`."""


DriverEntry = list[str] | Callable[[Path], DriverCommand]


def repo_file(root: Path, rel: str) -> str:
    """Absolute path of ``rel`` under the repository root; DriverNotBuilt if missing."""
    path = root / rel
    if not path.exists():
        raise DriverNotBuilt(f"missing {path}")
    return str(path)


def program(name: str) -> str:
    """A program on PATH (absolute path); DriverNotBuilt if not installed."""
    found = shutil.which(name)
    if found is None:
        raise DriverNotBuilt(f"program {name!r} not found on PATH")
    return found


def prepend_path(var: str, *entries: str) -> str:
    """The value of a PATH-like variable with ``entries`` put first."""
    old = os.environ.get(var)
    return os.pathsep.join([*entries, *([old] if old else [])])


# --------------------------------------------------------------------------- entries


def _python(root: Path) -> DriverCommand:
    driver = repo_file(root, "bindings/python/conformance_driver.py")
    return DriverCommand(
        argv=[sys.executable, driver],
        env={"PYTHONPATH": prepend_path("PYTHONPATH", str(root / "bindings/python"))},
    )


def _php(root: Path) -> DriverCommand:
    # The `wasm` extension built by `nox -s build-php`, loaded into the php CLI.
    extension = repo_file(root, "build/php/wasm.so")
    driver = repo_file(root, "bindings/php/conformance_driver.php")
    return DriverCommand(argv=[program("php"), "-d", f"extension={extension}", driver])


def _java(root: Path) -> DriverCommand:
    # The JAR made by `nox -s build-java` (it carries libwasmer_jni.so and loads it
    # itself) and the driver compiled against it (bindings/java/conformance/Driver.java).
    jars = sorted((root / "build/java/target").glob("wasmer-jni-*.jar"))
    if not jars:
        raise DriverNotBuilt(f"missing {root / 'build/java/target'}/wasmer-jni-*.jar")
    driver = repo_file(root, "build/java/driver/org/wasmer/conformance/Driver.class")
    classes = driver[: -len("/org/wasmer/conformance/Driver.class")]
    model = repo_file(root, "bindings/java/conformance/model.json")  # what the driver takes from api.yaml
    return DriverCommand(
        # a short-lived JVM per .wast file: C1 only and the serial GC start fastest
        argv=[program("java"), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", f"-Dwasmgen.model={model}",
              "-cp", f"{jars[-1]}{os.pathsep}{classes}", "org.wasmer.conformance.Driver"],
    )


def _ruby(root: Path) -> DriverCommand:
    repo_file(root, "build/ruby/lib/wasmer/wasmer_native.so")  # the C extension, built by `nox -s build-ruby`
    driver = repo_file(root, "bindings/ruby/conformance_driver.rb")
    return DriverCommand(
        argv=[program("ruby"), "-I", str(root / "build/ruby/lib"), "-I", str(root / "bindings/ruby/lib"), driver],
    )


DRIVERS: dict[str, DriverEntry] = {
    # c: the reference driver, the wasm C API called directly (bindings/c/conformance_driver.c).
    "c": ["build/c/conformance-driver"],
    # python: bindings/python/conformance_driver.py, importing the package from bindings/python.
    "python": _python,
    # go: built from bindings/go/cmd/conformance-driver by `nox -s build-go`.
    "go": ["build/go/conformance-driver"],
    # php: `php -d extension=build/php/wasm.so bindings/php/conformance_driver.php`.
    "php": _php,
    # java: `java -cp build/java/target/wasmer-jni-*.jar:build/java/driver org.wasmer.conformance.Driver`.
    "java": _java,
    # ruby: `ruby -I build/ruby/lib -I bindings/ruby/lib bindings/ruby/conformance_driver.rb`,
    # the extension built by `nox -s build-ruby` into build/ruby/lib/wasmer/.
    "ruby": _ruby,
}


def _resolve_list(root: Path, argv: list[str]) -> DriverCommand:
    out: list[str] = []
    for i, item in enumerate(argv):
        if "/" in item and not item.startswith(("/", "-")):
            out.append(repo_file(root, item))
        elif i == 0 and not item.startswith("/"):
            out.append(program(item))
        else:
            out.append(item)
    return DriverCommand(argv=out)


def resolve(lang: str, root: Path = REPO_ROOT) -> DriverCommand:
    """The driver command for ``lang``.

    Raises UnknownLanguage (listing the known ones) or DriverNotBuilt (with
    the hint to run ``nox -s build-<lang>``).
    """
    entry = DRIVERS.get(lang)
    if entry is None:
        known = ", ".join(sorted(DRIVERS))
        raise UnknownLanguage(f"unknown language {lang!r}; known languages: {known}")
    try:
        command = entry(root) if callable(entry) else _resolve_list(root, entry)
    except DriverNotBuilt as exc:
        raise DriverNotBuilt(
            f"driver for {lang} not built: run `nox -s build-{lang}` ({exc})"
        ) from None
    return DriverCommand(argv=command.argv, env=command.env, cwd=command.cwd or root)

"""The per-language parts of the nox sessions: one module per language.

Each module defines `LANG = Lang(...)`; noxfile.py derives every session from
LANGS. A language whose `build` is None is not implemented yet: its sessions
fail saying so.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import nox

ROOT = Path(__file__).resolve().parent.parent.parent

Step = Callable[[nox.Session, Path], None]  # (session, libwasmer prefix)


@dataclass(frozen=True)
class Lang:
    name: str
    deps: list[str] = field(default_factory=list)  # PyPI packages the session's virtualenv needs
    apt: list[str] = field(default_factory=list)  # Debian packages (installed by ci/apt.py)
    build: Step | None = None  # generate + compile the binding and its conformance driver
    test: Step | None = None  # the language's own tests, then the conformance seed cases
    example: Step | None = None  # run the sum example
    # the benchmarks, as JSON lines {"lang","case","ns"}: the per-call cases with extra environment (run
    # twice by nox -s bench: as built, and with WASMGEN_FAST_PATH=0), then everything else
    bench_calls: Callable[[nox.Session, Path, dict[str, str]], str] | None = None
    bench: Callable[[nox.Session, Path], str] | None = None
    memcheck: Step | None = None  # one test program under valgrind or AddressSanitizer; fails on errors in our code
    issue: str = ""  # where it is planned, for "not implemented" messages
    # release packaging (ci/release.py says what every language shares; nox -s package / verify-packages / release)
    package: Callable[[nox.Session, Path, Path], list[Path]] | None = None  # (session, prefix, dist/<lang>) -> artifacts
    verify: Callable[[nox.Session, Path], None] | None = None  # (session, dist/<lang>): clean install + seed cases
    package_deps: list[str] = field(default_factory=list)  # PyPI packages packaging needs (build, auditwheel, ...)


def generate(session: nox.Session, *langs: str) -> None:
    args = [a for lang in langs for a in ("--lang", lang)]
    session.run("python", "-m", "generator", "generate", *args)


def wasi_programs(session: nox.Session) -> Path:
    """conformance/wasi/*.c compiled to wasm32-wasi (Debian's clang, lld and wasi-libc) into build/wasi/:
    the WASI programs the glue test and every language's WASI tests run (rebuilt when a source is newer)."""
    import subprocess

    import apt  # ci/apt.py (ci/ is on sys.path: noxfile.py)

    try:
        apt.ensure(apt.PACKAGES["wasi"])
    except (apt.AptError, OSError, subprocess.CalledProcessError) as exc:
        session.error(f"the WASI test programs need {', '.join(apt.PACKAGES['wasi'])}: {exc}")
    out = ROOT / "build" / "wasi"
    out.mkdir(parents=True, exist_ok=True)
    for source in sorted((ROOT / "conformance" / "wasi").glob("*.c")):
        target = out / f"{source.stem}.wasm"
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            session.run("clang", "--target=wasm32-wasi", "--sysroot=/usr", "-O2", "-Wall", "-Werror", "-o", str(target),
                        str(source), external=True)
    return out


def conformance(session: nox.Session, lang: str) -> None:
    """The seed cases, then the WASI program cases, through the shared runner (the driver's
    environment: conformance/drivers.py)."""
    session.run("python", "-m", "conformance", "run", "--lang", lang)
    session.run("python", "-m", "conformance", "wasi", "--lang", lang, "--wasi-dir", str(wasi_programs(session)))


NAMES = ["python", "go", "php", "java", "ruby"]
LANGS: list[Lang] = [importlib.import_module(f"langs.{name}").LANG for name in NAMES]

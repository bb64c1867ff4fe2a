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
    bench: Callable[[nox.Session, Path], str] | None = None  # prints JSON lines {"lang","case","ns"}
    memcheck: Step | None = None  # one test program under valgrind or AddressSanitizer; fails on errors in our code
    issue: str = ""  # where it is planned, for "not implemented" messages


def generate(session: nox.Session, *langs: str) -> None:
    args = [a for lang in langs for a in ("--lang", lang)]
    session.run("python", "-m", "generator", "generate", *args)


def conformance(session: nox.Session, lang: str) -> None:
    """The seed cases through the shared runner (the driver's environment: conformance/drivers.py)."""
    session.run("python", "-m", "conformance", "run", "--lang", lang)


NAMES = ["python", "go", "php", "java", "ruby"]
LANGS: list[Lang] = [importlib.import_module(f"langs.{name}").LANG for name in NAMES]

"""Helpers the `verify` steps of every language share: a clean environment for the installed
artifact and the seed cases run through it (see ci/release.py)."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import nox

from . import ROOT


def clean_env(session: nox.Session, program: str, home: Path, **extra: str) -> list[str]:
    """`env -i` with PATH = the program's directory + /usr/bin:/bin, HOME and `extra`: nothing of
    the session's environment (no WASMER_DIR, RUBYLIB, PYTHONPATH, ...). Returns the prefix and
    the program's absolute path."""
    path = shutil.which(program)
    if path is None:
        session.error(f"{program} not found on PATH")
    dirs = dict.fromkeys([str(Path(path).parent), "/usr/bin", "/bin"])
    return ["env", "-i", f"PATH={os.pathsep.join(dirs)}", f"HOME={home}",
            *(f"{k}={v}" for k, v in extra.items()), path]


def run_seeds(session: nox.Session, lang: str, driver: list[str], tmp: Path) -> None:
    """The shared runner's seed cases (sum, add1, return_hello; ci/release.py SEEDS) against
    `driver`, run in `tmp` with the seed modules built there (the runner comes from the
    repository; it only sends JSON to the driver)."""
    with session.chdir(tmp):
        session.run("python", "-m", "conformance", "run", "--lang", lang, "--driver-cmd", shlex.join(driver),
                    "--build-dir", str(tmp / "seeds"), env={"PYTHONPATH": str(ROOT)}, external=True)


def wasmer_install(tmp: Path) -> Path:
    """A Wasmer install outside the repository, as a user would have one (include/, lib/libwasmer.so or
    the platform's name: ci/platforms.py):
    a copy, in tmp, of the libwasmer the artifacts were built with (WASMER_DIR, else ci/wasmer.py's)."""
    import subprocess
    import sys

    prefix = os.environ.get("WASMER_DIR") or subprocess.run(
        [sys.executable, str(ROOT / "ci" / "wasmer.py"), "--print-prefix"], capture_output=True, text=True,
        check=True).stdout.strip().splitlines()[-1]
    import platforms  # ci/platforms.py

    target = tmp / "wasmer"
    shutil.copytree(Path(prefix) / "include", target / "include")
    (target / "lib").mkdir()
    plat = platforms.current()
    for lib in filter(None, (plat.shared_lib("wasmer"), plat.import_lib("wasmer"))):
        shutil.copy2(Path(prefix) / "lib" / lib, target / "lib" / lib)
    return target

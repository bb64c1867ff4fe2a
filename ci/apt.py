"""Install the Debian packages the project needs, when they are missing.

Used by noxfile.py; stdlib only. Runs `apt-get update` once per process and
`apt-get install -y --no-install-recommends` for missing packages. Without root
or without apt it fails with the command to run by hand.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

# What each part of the project needs from Debian.
PACKAGES: dict[str, list[str]] = {
    "conformance": ["wabt"],  # wat2wasm, wast2json, wasm2wat
    "bench": ["gcc", "wabt", "clang", "lld"],  # clang: bench/compute/*.c natively and to wasm32 (lld links it)
    "memcheck": ["valgrind"],  # nox -s memcheck
    "lint": ["shellcheck"],  # actionlint checks the workflow's `run:` scripts with it
    # C to wasm32-wasi: the WASI test programs (conformance/wasi/*.c)
    "wasi": ["clang", "lld", "wasi-libc", "libclang-rt-14-dev-wasm32"],
}

_updated = False


class AptError(RuntimeError):
    pass


def missing(packages: list[str]) -> list[str]:
    if shutil.which("dpkg-query") is None:
        return []  # not Debian: trust the machine, tools are checked where used
    out = []
    for pkg in packages:
        proc = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in proc.stdout:
            out.append(pkg)
    return out


def ensure(packages: list[str]) -> None:
    global _updated
    need = missing(sorted(set(packages)))
    if not need:
        return
    cmd = "apt-get install -y --no-install-recommends " + " ".join(need)
    if shutil.which("apt-get") is None:
        raise AptError(f"missing Debian packages {', '.join(need)} and no apt-get here: install them with your package manager")
    if os.geteuid() != 0:
        raise AptError(f"missing Debian packages {', '.join(need)}: run `sudo apt-get update && sudo {cmd}`")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    print(f"[apt] installing {' '.join(need)}", file=sys.stderr, flush=True)
    if not _updated:
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        _updated = True
    subprocess.run(cmd.split(), check=True, env=env, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    try:
        ensure(sys.argv[1:])
    except (AptError, subprocess.CalledProcessError) as exc:
        sys.exit(f"error: {exc}")

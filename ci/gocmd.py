"""The go command and the glue hash in Go's cgo flags, standard library only: ci/langs/go.py (under
nox, with ci/ on sys.path: `import gocmd`) and compat/suites/go.py (which runs without nox, from the
repository root: `from ci import gocmd`) both use them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

MODULE = Path(__file__).resolve().parent.parent / "bindings" / "go"


def go_tool() -> str | None:
    """The go command: on PATH, or where the official tarball and Debian put it."""
    found = shutil.which("go")
    if found:
        return found
    for candidate in ("/usr/local/go/bin/go", "/usr/lib/go/bin/go"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def glue_hash() -> str:
    """A hash of the shared glue. The package compiles wasmer/glue/wasmgen.c (rendered
    from templates/c) through wasmer/glue.c (`#include "glue/wasmgen.c"`), and Go's
    build cache does not track files included from outside the package directory:
    without this in CGO_CFLAGS (part of the cache key) a changed glue would be linked
    from a stale cached object."""
    digest = hashlib.sha256()
    for name in ("wasmgen.c", "wasmgen.h"):
        path = MODULE / "wasmer" / "glue" / name
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]

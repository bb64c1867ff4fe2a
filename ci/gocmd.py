"""The go command and the glue hash in Go's cgo flags, standard library only: ci/langs/go.py (under
nox, with ci/ on sys.path: `import gocmd`) and compat/suites/go.py (which runs without nox, from the
repository root: `from ci import gocmd`) both use them."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

try:
    from . import platforms  # imported as ci.gocmd (compat)
except ImportError:
    import platforms  # imported as gocmd, ci/ on sys.path (nox)

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


def cgo_env(prefix: Path | str) -> dict[str, str]:
    """What cgo needs to build the package against the libwasmer at `prefix` (rpath included, so
    nothing else is needed at run time), with the development tag: custom_wasmer_runtime links
    this libwasmer, not a release's packaged/ one."""
    return {
        "CGO_ENABLED": "1",
        # the glue's hash is part of the cache key: Go does not track the glue included from wasmer/glue/
        "CGO_CFLAGS": f"-I{prefix}/include -O2 -DWASMGEN_GLUE_HASH={glue_hash()}",
        "CGO_LDFLAGS": " ".join([f"-L{prefix}/lib", *platforms.current().rpath(f"{prefix}/lib")]),
        "GOFLAGS": "-mod=mod -tags=custom_wasmer_runtime",
    }

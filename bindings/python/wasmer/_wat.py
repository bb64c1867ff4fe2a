"""wasm2wat: WebAssembly binary to text, with wabt's wasm2wat (libwasmer converts only text to binary)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile

from ._errors import BY_KIND
from ._errors import DEFAULT as Error
from ._values import as_bytes


def wasm2wat(wasm: bytes) -> str:
    """Converts WebAssembly binary to text, with wabt's wasm2wat (Debian package `wabt`)."""
    tool = shutil.which("wasm2wat")
    if tool is None:
        raise Error("wasm2wat needs wabt's `wasm2wat` on PATH (Debian/Ubuntu: apt-get install wabt)")
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/module.wasm"
        with open(path, "wb") as f:
            f.write(as_bytes(wasm, "wasm"))
        proc = subprocess.run([tool, path], capture_output=True)
    if proc.returncode != 0:
        raise BY_KIND["compile"](proc.stderr.decode("utf-8", "replace").strip())
    return proc.stdout.decode("utf-8").rstrip("\n")  # wasmer-python 1.x's text has no final newline

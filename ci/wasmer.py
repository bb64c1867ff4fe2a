"""Build libwasmer from the `wasmer-c-api` crate on crates.io, once, into a cache.

The version and feature set are pinned here and nowhere else. The result is laid
out like a Wasmer install (Linux names; ci/platforms.py has each platform's):

    <prefix>/lib/libwasmer.so      (libwasmer.dylib on macOS; wasmer.dll + wasmer.dll.lib on Windows)
    <prefix>/lib/libwasmer.a       (wasmer.lib on Windows)
    <prefix>/include/wasm.h
    <prefix>/include/wasmer.h
    <prefix>/include/wasmer_wasm.h
    <prefix>/include/wasmgen_fast.h   (the typed fast path, below)

The typed fast path: one step of the build adds bindings/c/wasmgen_fast.rs (generated
from api.yaml's `fast_path` by `python -m generator generate`) to the crate's tree as
src/wasm_c_api/wasmgen_fast.rs, a module of the crate because it needs the crate's
`pub(crate)` handle types, and installs bindings/c/wasmgen_fast.h. The install's name
carries the hash of both files, so a change of the table builds a new install (the
crate's target directory is kept beside the cache: the rebuild is incremental).

`WASMER_DIR=/prefix` pointing at an existing install is used instead when set; without
include/wasmgen_fast.h there, the glue keeps the C API's call path.
Usage: python ci/wasmer.py [--print-prefix]
Only the standard library is used: this runs before any virtualenv exists.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import platforms  # noqa: E402  (ci/platforms.py: library names per platform)

VERSION = "7.4.2"
FEATURES = ("wat", "sys-default", "cranelift", "singlepass", "compiler", "middlewares", "wasi")
CRATE = "wasmer-c-api"
ROOT = Path(__file__).resolve().parent.parent
FAST_SOURCE = ROOT / "bindings" / "c" / "wasmgen_fast.rs"
FAST_HEADER = ROOT / "bindings" / "c" / "wasmgen_fast.h"
FAST_MODULE = "src/wasm_c_api/wasmgen_fast.rs"  # in the crate's tree
FAST_MOD_LINE = "/// cbindgen:ignore\npub mod wasmgen_fast; // added by wasmgen's ci/wasmer.py\n"
PLATFORM = platforms.current()
REQUIRED = (
    f"lib/{PLATFORM.shared_lib('wasmer')}",
    f"lib/{PLATFORM.static_lib('wasmer')}",
    "include/wasm.h",
    "include/wasmer.h",
    "include/wasmer_wasm.h",
)


class BuildError(RuntimeError):
    pass


def cache_root() -> Path:
    base = os.environ.get("WASMGEN_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "wasmgen"
    )
    return Path(base)


def build_key() -> str:
    """The crate's build: version and features (its work tree and target directory)."""
    digest = hashlib.sha256(",".join(sorted(FEATURES)).encode()).hexdigest()[:10]
    return f"wasmer-c-api-{VERSION}-{digest}"


def fast_hash() -> str:
    """The fast path's generated source and header (bindings/c/wasmgen_fast.*)."""
    missing = [str(p.relative_to(ROOT)) for p in (FAST_SOURCE, FAST_HEADER) if not p.is_file()]
    if missing:
        raise BuildError(f"{', '.join(missing)} missing: run `python -m generator generate` (templates/c/wasmgen_fast.*.jinja)")
    return hashlib.sha256(FAST_SOURCE.read_bytes() + FAST_HEADER.read_bytes()).hexdigest()[:10]


def cache_key() -> str:
    return f"{build_key()}-fast{fast_hash()}"


def is_complete(prefix: Path) -> bool:
    return all((prefix / rel).is_file() for rel in REQUIRED)


def log(msg: str) -> None:
    print(f"[wasmer] {msg}", file=sys.stderr, flush=True)


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
    log("$ " + " ".join(cmd))
    proc = subprocess.run(cmd, cwd=cwd, env=env)
    if proc.returncode != 0:
        raise BuildError(f"command failed with exit code {proc.returncode}: {' '.join(cmd)} (in {cwd})")


def require_cargo() -> str:
    cargo = shutil.which("cargo") or os.path.expanduser("~/.cargo/bin/cargo")
    if not os.path.exists(cargo):
        raise BuildError(
            "cargo not found: install Rust (rustup) >= 1.95, or set WASMER_DIR to an "
            f"existing Wasmer install holding lib/{PLATFORM.shared_lib('wasmer')} and include/wasm.h"
        )
    return cargo


def crate_source(cargo: str, work: Path) -> Path:
    """Fetch the pinned crate through a scratch crate and return its unpacked source."""
    scratch = work / "fetch"
    if not (scratch / "Cargo.toml").exists():
        scratch.mkdir(parents=True, exist_ok=True)
        (scratch / "src").mkdir(exist_ok=True)
        (scratch / "src" / "lib.rs").write_text("")
        (scratch / "Cargo.toml").write_text(
            '[package]\nname = "wasmgen-fetch"\nversion = "0.0.0"\nedition = "2021"\n\n'
            f'[dependencies]\n{CRATE} = {{ version = "={VERSION}", default-features = false }}\n'
        )
    run([cargo, "fetch", "--quiet"], scratch)
    meta = subprocess.run(
        [cargo, "metadata", "--format-version", "1", "--offline"],
        cwd=scratch, capture_output=True, text=True, check=True,
    )
    for pkg in json.loads(meta.stdout)["packages"]:
        if pkg["name"] == CRATE and pkg["version"] == VERSION:
            return Path(pkg["manifest_path"]).parent
    raise BuildError(f"{CRATE} {VERSION} not found in cargo metadata after fetch")


def add_fast_path(tree: Path) -> None:
    """The versioned step of the build: the generated fast-path module joins the crate."""
    (tree / FAST_MODULE).write_bytes(FAST_SOURCE.read_bytes())
    mod_rs = tree / "src" / "wasm_c_api" / "mod.rs"
    text = mod_rs.read_text()
    if FAST_MOD_LINE not in text:
        mod_rs.write_text(text + "\n" + FAST_MOD_LINE)
    log(f"fast path: {FAST_SOURCE.relative_to(ROOT)} -> {FAST_MODULE} (sha256 {fast_hash()})")


def build(prefix: Path) -> None:
    cargo = require_cargo()
    work = prefix.parent / (build_key() + ".build")
    work.mkdir(parents=True, exist_ok=True)
    src = crate_source(cargo, work)
    # The crate's build script writes wasmer.h beside the sources and insists the
    # target directory is named `target`, so build in a writable copy.
    tree = work / "src"
    if not (tree / "Cargo.toml").exists():
        log(f"copying {src} -> {tree}")
        shutil.copytree(src, tree, dirs_exist_ok=True)
    add_fast_path(tree)
    env = dict(os.environ)
    env.pop("CARGO_TARGET_DIR", None)
    env.setdefault("CARGO_TERM_PROGRESS_WHEN", "never")
    cmd = [cargo, "build", "--release", "--lib", "--no-default-features",
           "--features", ",".join(FEATURES)]
    if (tree / "Cargo.lock").exists():
        cmd.append("--locked")  # the crate's own lockfile: reproducible dependency set
    cold = not (tree / "target" / "release").is_dir()
    log(f"{'cold' if cold else 'incremental'} build of {CRATE} {VERSION} ({','.join(FEATURES)})"
        + ("; about 7 minutes on 2 cores" if cold else ""))
    start = time.monotonic()
    run(cmd, tree, env)
    log(f"built in {time.monotonic() - start:.0f} s")
    release = tree / "target" / "release"
    staging = prefix.parent / (prefix.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "lib").mkdir(parents=True)
    (staging / "include").mkdir(parents=True)
    libs = [PLATFORM.shared_lib("wasmer"), PLATFORM.static_lib("wasmer"), PLATFORM.import_lib("wasmer")]
    for lib in filter(None, libs):
        shutil.copy2(release / lib, staging / "lib" / lib)
    for header in ("wasm.h", "wasmer.h", "wasmer_wasm.h"):
        shutil.copy2(tree / header, staging / "include" / header)
    shutil.copy2(FAST_HEADER, staging / "include" / FAST_HEADER.name)
    (staging / "BUILD-INFO").write_text(
        f"crate={CRATE}\nversion={VERSION}\nfeatures={','.join(FEATURES)}\n"
        f"fast_path={FAST_MODULE} sha256:{fast_hash()}\n"
        f"build_seconds={time.monotonic() - start:.0f}\n"
    )
    shutil.rmtree(prefix, ignore_errors=True)
    staging.rename(prefix)
    # The target directory (about 1.2 GB) stays, so a new fast-path table rebuilds
    # only the crate itself; delete <cache>/*.build to reclaim it.


def ensure() -> Path:
    """Return the prefix of a complete libwasmer install, building it if needed."""
    override = os.environ.get("WASMER_DIR")
    if override:
        prefix = Path(override)
        if not is_complete(prefix):
            missing = [rel for rel in REQUIRED if not (prefix / rel).is_file()]
            raise BuildError(f"WASMER_DIR={prefix} is not a Wasmer install: missing {', '.join(missing)}")
        return prefix
    prefix = cache_root() / cache_key()
    if not is_complete(prefix):
        build(prefix)
    return prefix


def main(argv: list[str]) -> int:
    try:
        prefix = ensure()
    except BuildError as exc:
        log(f"error: {exc}")
        return 1
    if "--print-prefix" in argv:
        print(prefix)
    else:
        log(f"libwasmer {VERSION} ready in {prefix}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Release packaging, the part every language shares: the one version, what libwasmer an artifact
carries, the dist/ layout, the release manifest and checksums.

Each language's own steps are `package` and `verify` in ci/langs/<lang>.py:

    package(session, prefix, out) -> list[Path]   write that language's artifacts into out (= dist/<lang>/)
    verify(session, artifacts)                     install them into a clean environment of its own (a temp
                                                   dir, no access to the source tree) and run sum, add1 and
                                                   return_hello there

`nox -s package` / `package-<lang>`, `verify-packages` / `verify-<lang>` and `release` (noxfile.py) call them.
Only the standard library is used (PyYAML is not needed: the version is read with a regular expression).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
SEEDS = ("sum", "add1", "return_hello")  # what verify runs in each clean environment


class ReleaseError(RuntimeError):
    pass


def version() -> str:
    """The release version of all five packages: `library.version` in api.yaml, nowhere else."""
    text = (ROOT / "api.yaml").read_text()
    m = re.search(r"^library:\n(?:  .*\n)*?  version:\s*([0-9]+\.[0-9]+\.[0-9]+)\b", text, re.M)
    if not m:
        raise ReleaseError("api.yaml: `library.version: X.Y.Z` is missing (the one place the release version is set)")
    return m.group(1)


@dataclass(frozen=True)
class Libwasmer:
    version: str  # WASMER_VERSION from the installed wasmer.h
    features: tuple[str, ...]  # BUILD-INFO's cargo features (our build), else the header's WASMER_<X>_ENABLED
    prefix: str

    def describe(self) -> str:
        return f"libwasmer {self.version} ({', '.join(self.features)})"


def libwasmer(prefix: Path) -> Libwasmer:
    """What the libwasmer at `prefix` is, read from its own header (so a WASMER_DIR install is described
    as truly as the pinned build)."""
    header = prefix / "include" / "wasmer.h"
    try:
        text = header.read_text()
    except OSError as exc:
        raise ReleaseError(f"{header}: cannot read libwasmer's header ({exc}); is WASMER_DIR a Wasmer install?")
    m = re.search(r'#define WASMER_VERSION "([^"]+)"', text)
    if not m:
        raise ReleaseError(f"{header}: no WASMER_VERSION define")
    features = tuple(sorted(f.lower() for f in re.findall(r"#define WASMER_([A-Z0-9_]+)_ENABLED\b", text)))
    info = prefix / "BUILD-INFO"  # written by ci/wasmer.py: the exact cargo features (the header omits compilers)
    if info.is_file():
        m_features = re.search(r"^features=(.+)$", info.read_text(), re.M)
        if m_features:
            features = tuple(sorted(m_features.group(1).split(",")))
    return Libwasmer(version=m.group(1), features=features, prefix=str(prefix))


@dataclass(frozen=True)
class Artifact:
    file: str  # relative to dist/
    language: str
    kind: str  # wheel, sdist, go-module, jar, javadoc, sources, pom, gem, pecl, php-extension, ...
    version: str
    libwasmer: str
    size: int
    sha256: str


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def kind_of(path: Path) -> str:
    name = path.name
    for suffix, kind in ((".whl", "wheel"), (".tar.gz", "sdist"), ("-javadoc.jar", "javadoc"),
                         ("-sources.jar", "sources"), (".jar", "jar"), (".pom", "pom"), (".gem", "gem"),
                         (".tgz", "pecl"), (".so", "php-extension"), (".ini", "php-ini"), (".zip", "go-module"),
                         (".mod", "go-mod"), (".info", "go-info")):
        if name.endswith(suffix):
            return kind
    return path.suffix.lstrip(".") or "file"


def manifest(artifacts: dict[str, list[Path]], lib: Libwasmer) -> list[Artifact]:
    """One row per artifact (language -> files under dist/)."""
    rows = []
    for lang, files in sorted(artifacts.items()):
        for path in sorted(files):
            if not path.is_file():
                raise ReleaseError(f"{lang}: package step returned {path}, which is not a file")
            rows.append(Artifact(file=str(path.relative_to(DIST)), language=lang, kind=kind_of(path),
                                 version=version(), libwasmer=lib.describe(), size=path.stat().st_size,
                                 sha256=sha256(path)))
    return rows


def write_release(rows: list[Artifact], lib: Libwasmer) -> tuple[Path, Path]:
    """dist/SHA256SUMS (sha256sum -c format) and dist/release.json + dist/RELEASE.md."""
    sums = DIST / "SHA256SUMS"
    sums.write_text("".join(f"{r.sha256}  {r.file}\n" for r in rows))
    data = {"version": version(), "libwasmer": asdict(lib), "artifacts": [asdict(r) for r in rows]}
    (DIST / "release.json").write_text(json.dumps(data, indent=2) + "\n")
    lines = [f"# wasmgen {version()} release", "", f"Every artifact carries {lib.describe()}.", "",
             "| artifact | language | kind | version | libwasmer | size (bytes) |", "|---|---|---|---|---|---|"]
    lines += [f"| `{r.file}` | {r.language} | {r.kind} | {r.version} | {r.libwasmer} | {r.size:,} |" for r in rows]
    md = DIST / "RELEASE.md"
    md.write_text("\n".join(lines) + "\n")
    return sums, md

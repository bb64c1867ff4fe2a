"""wasmgen's sessions, derived from one LANGS table (`nox --list` is the menu).

    nox -s build          generate + build every implemented binding, run the sum example in each
    nox -s test           drift check, generator and runner tests, every binding's tests + conformance
    nox -s build-go test-php    one language's build / tests
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import nox

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "ci"))
import apt  # noqa: E402
import release  # noqa: E402  (ci/release.py: the version, the manifest, dist/)
import wasmer as libwasmer  # noqa: E402  (ci/wasmer.py: the pinned libwasmer build)
from langs import LANGS, Lang, wasi_programs  # noqa: E402  (ci/langs/<lang>.py: each language's steps)

nox.needs_version = ">=2024.3.2"
nox.options.sessions = ["build"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

GENERATOR_DEPS = ["jinja2>=3.1", "jsonschema>=4.18", "pyyaml>=6"]
TEST_DEPS = ["pytest>=8"]


def wasmer_prefix(session: nox.Session) -> Path:
    """The libwasmer install (cached, built from crates.io on first use, or WASMER_DIR)."""
    try:
        prefix = libwasmer.ensure()
    except libwasmer.BuildError as exc:
        session.error(str(exc))
    session.env["WASMER_DIR"] = str(prefix)
    return prefix


def install_apt(session: nox.Session, packages: list[str]) -> None:
    try:
        apt.ensure(packages)
    except apt.AptError as exc:
        session.error(str(exc))
    except subprocess.CalledProcessError as exc:
        session.error(f"apt-get failed: {exc}")


IMPLEMENTED = [lang for lang in LANGS if lang.build is not None]
# memcheck: errors and bytes definitely lost fail the run (leaks libwasmer keeps for the process are "possibly")
VALGRIND = ["valgrind", "-q", f"--suppressions={ROOT / 'ci' / 'valgrind.supp'}", "--leak-check=full",
            "--errors-for-leak-kinds=definite", "--show-leak-kinds=definite", "--error-exitcode=99"]


def not_implemented(lang: Lang) -> Callable[[nox.Session, Path], None]:
    def fail(session: nox.Session, prefix: Path) -> None:
        done = ", ".join(x.name for x in IMPLEMENTED)
        session.error(f"the {lang.name} binding is not implemented yet ({lang.issue}); implemented: {done}")
    return fail


def seeds(session: nox.Session) -> None:
    """Compile the conformance seed modules (WAT -> wasm with wabt)."""
    session.run("python", "-c", "from conformance.runner import build_seeds; build_seeds()")


def do_build(session: nox.Session, langs: list[Lang]) -> Path:
    install_apt(session, sorted({p for lang in langs for p in lang.apt} | set(apt.PACKAGES["conformance"])))
    if any(lang.build is None for lang in langs):
        not_implemented(next(lang for lang in langs if lang.build is None))(session, Path())
    prefix = wasmer_prefix(session)
    for lang in langs:
        (lang.build or not_implemented(lang))(session, prefix)
    return prefix


def venv(session: nox.Session, langs: list[Lang], tests: bool = False) -> None:
    deps = GENERATOR_DEPS + [d for lang in langs for d in lang.deps] + (TEST_DEPS if tests else [])
    session.install(*sorted(set(deps)))


# ---------------------------------------------------------------- sessions


@nox.session(python=False)
def wasmer(session: nox.Session) -> None:
    """Build libwasmer from the wasmer-c-api crate (pinned in ci/wasmer.py) into the cache, once."""
    prefix = wasmer_prefix(session)
    session.log(f"libwasmer {libwasmer.VERSION} ({','.join(libwasmer.FEATURES)}) in {prefix}")


@nox.session(name="generate")
def generate_session(session: nox.Session) -> None:
    """Regenerate bindings/ from api.yaml and templates/ (after an API change)."""
    session.install(*GENERATOR_DEPS)
    session.run("python", "-m", "generator", "generate")


@nox.session
def check(session: nox.Session) -> None:
    """Fail listing every generated file that is out of step with api.yaml/templates."""
    session.install(*GENERATOR_DEPS)
    session.run("python", "-m", "generator", "check")


@nox.session
def build(session: nox.Session) -> None:
    """The main job: generate and build every implemented binding, then run the sum example in each."""
    venv(session, IMPLEMENTED)
    do_build(session, IMPLEMENTED)
    seeds(session)
    for lang in IMPLEMENTED:
        assert lang.example is not None
        lang.example(session, Path(session.env["WASMER_DIR"]))


@nox.session
def test(session: nox.Session) -> None:
    """All tests: drift check, workflow lint, generator + runner tests, each binding's own tests and conformance
    seeds, the spec test matrix and the WASI row (every binding held to the C reference), the API examples,
    the short reliability run, the compat suites, the regeneration test, then every release artifact installed
    into a clean environment and run there (package + verify-packages)."""
    venv(session, IMPLEMENTED, tests=True)
    session.run("python", "-m", "generator", "check")
    lint_workflows(session)
    install_apt(session, apt.PACKAGES["conformance"])
    session.run("python", "-m", "pytest", "-q", "generator/tests", "conformance/tests", "reliability/tests",
                "compat/tests", "ci/tests", "bench/tests")
    prefix = do_build(session, IMPLEMENTED)
    # c_api names against the installed headers, every glue body through the C front end, drift
    session.run("python", "-m", "generator", "check", "--headers", str(prefix / "include"))
    glue_test(session, prefix)
    seeds(session)
    for lang in IMPLEMENTED:
        assert lang.test is not None
        lang.test(session, prefix)
    run_matrix(session, prefix, "--md", "build/conformance/RESULTS.md", "--json", "build/conformance/RESULTS.json")
    session.run("python", "-m", "conformance", "examples")  # api.yaml's method examples through every public API
    session.run("python", "-m", "reliability", "run", "--short")
    # the same matrix and reliability run on the C API's call path (the typed fast path switched off)
    run_matrix(session, prefix, "--md", "build/conformance/RESULTS-c-api-path.md",
               "--json", "build/conformance/RESULTS-c-api-path.json", env=C_API_PATH)
    session.run("python", "-m", "reliability", "run", "--short", "--dir", "build/reliability-c-api-path", env=C_API_PATH)
    session.run("python", "-m", "compat", "run", "--md", "build/compat/RESULTS.md")
    regen_test(session)
    # the release artifacts, each installed into a clean environment and run there (about 5 minutes)
    package_langs(session, IMPLEMENTED)
    verify_langs(session, IMPLEMENTED)


def regen_test(session: nox.Session, *args: str) -> None:
    session.install("nox")
    wasmer_prefix(session)
    session.run("python", "ci/regen.py", *args)


@nox.session
def compat(session: nox.Session) -> None:
    """The old Wasmer embeddings' own test suites, unchanged, against ours (compat/; writes compat/RESULTS.md)."""
    venv(session, IMPLEMENTED, tests=True)
    do_build(session, IMPLEMENTED)
    session.run("python", "-m", "compat", "run", *session.posargs)


ACTIONLINT = "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12"  # from the Go module proxy


def lint_workflows(session: nox.Session) -> None:
    """actionlint (with shellcheck for the `run:` scripts) on .github/workflows."""
    install_apt(session, apt.PACKAGES["lint"])
    tools = ROOT / "build" / "tools"
    if not (tools / "actionlint").is_file():
        session.run("go", "install", ACTIONLINT, env={"GOBIN": str(tools)}, external=True)
    session.run(str(tools / "actionlint"), "-no-color", *sorted(str(p) for p in (ROOT / ".github" / "workflows").glob("*.yml")),
                external=True)


@nox.session
def lint(session: nox.Session) -> None:
    """The CI workflow through actionlint (+ shellcheck); each language's own linters run in its test session
    (gofmt and go vet in test-go)."""
    lint_workflows(session)


@nox.session(name="regen-test")
def regen_test_session(session: nox.Session) -> None:
    """An API change reaches every public API: a copy of the repository gets a new method, property and
    free function in api.yaml, is regenerated and built, and each is called through each language (ci/regen.py)."""
    venv(session, IMPLEMENTED)
    regen_test(session, *session.posargs)


@nox.session
def reliability(session: nox.Session) -> None:
    """Every binding's public API under bad input, misuse, repetition and threads (10,000 mutated modules,
    100,000 instantiate cycles): one table in build/reliability/RESULTS.md. Extra args go to
    `python -m reliability run` (e.g. --short, --lang go). Runs twice: on the typed fast path, then on the
    C API's path (WASMGEN_FAST_PATH=0, results in build/reliability-c-api-path)."""
    venv(session, IMPLEMENTED)
    do_build(session, IMPLEMENTED)
    session.run("python", "-m", "reliability", "run", *session.posargs)
    session.run("python", "-m", "reliability", "run", "--dir", "build/reliability-c-api-path", *session.posargs,
                env=C_API_PATH)


@nox.session
def memcheck(session: nox.Session) -> None:
    """One test program per language under valgrind or AddressSanitizer: no invalid reads or writes,
    no bytes definitely lost in our code."""
    venv(session, IMPLEMENTED)
    install_apt(session, apt.PACKAGES["memcheck"])
    prefix = do_build(session, IMPLEMENTED)
    glue_test(session, prefix, *VALGRIND)
    for lang in IMPLEMENTED:
        (lang.memcheck or not_implemented(lang))(session, prefix)


def package_langs(session: nox.Session, langs: list[Lang]) -> dict[str, list[Path]]:
    """Each language's release artifacts into dist/<lang>/ (emptied first)."""
    venv(session, langs)
    if any(lang.package_deps for lang in langs):
        session.install(*sorted({d for lang in langs for d in lang.package_deps}))
    prefix = do_build(session, langs)
    session.log(f"packaging wasmgen {release.version()} with {release.libwasmer(prefix).describe()}")
    out = {}
    for lang in langs:
        if lang.package is None:
            session.error(f"{lang.name}: no release packaging yet (ci/langs/{lang.name}.py `package`; issue 12)")
        target = release.DIST / lang.name
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        out[lang.name] = lang.package(session, prefix, target)
        for path in out[lang.name]:
            session.log(f"{lang.name}: {path.relative_to(ROOT)} ({path.stat().st_size:,} B)")
    return out


def verify_langs(session: nox.Session, langs: list[Lang]) -> None:
    """Install each language's artifacts into a clean environment of its own and run the seed cases there."""
    venv(session, langs)
    for lang in langs:
        target = release.DIST / lang.name
        if lang.verify is None:
            session.error(f"{lang.name}: no package verification yet (ci/langs/{lang.name}.py `verify`; issue 12)")
        if not target.is_dir() or not any(target.iterdir()):
            session.error(f"{target.relative_to(ROOT)} is empty: run `nox -s package-{lang.name}` first")
        lang.verify(session, target)


@nox.session
def package(session: nox.Session) -> None:
    """Release artifacts of every binding into dist/<lang>/ (version: api.yaml library.version)."""
    package_langs(session, IMPLEMENTED)


@nox.session(name="verify-packages")
def verify_packages(session: nox.Session) -> None:
    """Install every dist/<lang>/ artifact into a clean environment (no source tree) and run sum, add1 and
    return_hello there."""
    verify_langs(session, IMPLEMENTED)


def release_session(session: nox.Session) -> None:
    """package + verify-packages, then dist/SHA256SUMS and the release manifest (dist/release.json, RELEASE.md)."""
    artifacts = package_langs(session, IMPLEMENTED)
    verify_langs(session, IMPLEMENTED)
    lib = release.libwasmer(Path(session.env["WASMER_DIR"]))
    for path in release.write_release(release.manifest(artifacts, lib), lib):
        session.log(f"wrote {path.relative_to(ROOT)}")


nox.session(name="release")(release_session)  # not `def release`: that name is the ci/release.py module


for _lang in LANGS:

    def _build(session: nox.Session, lang: Lang = _lang) -> None:
        if lang.build is None:
            not_implemented(lang)(session, Path())
        venv(session, [lang])
        do_build(session, [lang])
        seeds(session)
        if lang.example:
            lang.example(session, Path(session.env["WASMER_DIR"]))

    def _test(session: nox.Session, lang: Lang = _lang) -> None:
        if lang.build is None:
            not_implemented(lang)(session, Path())
        venv(session, [lang], tests=True)
        prefix = do_build(session, [lang])
        seeds(session)
        (lang.test or not_implemented(lang))(session, prefix)

    _build.__doc__ = f"Generate and build the {_lang.name} binding, then run its sum example."
    _test.__doc__ = f"Build the {_lang.name} binding and run its own tests plus the shared conformance cases."
    def _reliability(session: nox.Session, lang: Lang = _lang) -> None:
        venv(session, [lang])
        do_build(session, [lang])
        session.run("python", "-m", "reliability", "run", "--lang", lang.name, *session.posargs)

    def _memcheck(session: nox.Session, lang: Lang = _lang) -> None:
        venv(session, [lang])
        prefix = do_build(session, [lang])
        (lang.memcheck or not_implemented(lang))(session, prefix)

    def _compat(session: nox.Session, lang: Lang = _lang) -> None:
        venv(session, [lang], tests=True)
        do_build(session, [lang])
        session.run("python", "-m", "compat", "run", "--lang", lang.name, *session.posargs)

    _compat.__doc__ = f"The old {_lang.name} embedding's own test suite against ours (compat/)."
    nox.session(name=f"compat-{_lang.name}")(_compat)
    _reliability.__doc__ = f"The reliability checks for {_lang.name} (extra args: --short, --mutants N, ...)."
    _memcheck.__doc__ = f"One {_lang.name} test program under valgrind or AddressSanitizer."
    def _package(session: nox.Session, lang: Lang = _lang) -> None:
        package_langs(session, [lang])

    def _verify(session: nox.Session, lang: Lang = _lang) -> None:
        verify_langs(session, [lang])

    _package.__doc__ = f"The {_lang.name} release artifacts into dist/{_lang.name}/."
    _verify.__doc__ = f"Install dist/{_lang.name}/ into a clean environment and run the seed cases there."
    nox.session(name=f"package-{_lang.name}")(_package)
    nox.session(name=f"verify-{_lang.name}")(_verify)
    nox.session(name=f"build-{_lang.name}")(_build)
    nox.session(name=f"test-{_lang.name}")(_test)
    nox.session(name=f"reliability-{_lang.name}")(_reliability)
    nox.session(name=f"memcheck-{_lang.name}")(_memcheck)


def build_c_reference(session: nox.Session, prefix: Path) -> None:
    """The reference conformance driver: the wasm C API called directly."""
    session.run("python", "-m", "generator", "generate", "--lang", "c")
    out = ROOT / "build" / "c" / "conformance-driver"
    out.parent.mkdir(parents=True, exist_ok=True)
    session.run("gcc", "-std=gnu11", "-O2", "-Wall", "-Wextra", "-Werror", "bindings/c/conformance_driver.c",
                f"-I{prefix}/include", f"-L{prefix}/lib", "-lwasmer", f"-Wl,-rpath,{prefix}/lib", "-o", str(out),
                external=True)


def glue_test(session: nox.Session, prefix: Path, *runtool: str) -> None:
    """bindings/c/tests/test_glue.c: the shared glue under threads, deep re-entry and repetition, on the typed fast
    path and on the C API's (WASMGEN_FAST_PATH=0), and built as against an install without the fast path; then
    bindings/c/tests/test_wasi.c."""
    session.run("python", "-m", "generator", "generate", "--lang", "c")
    (ROOT / "build" / "c").mkdir(parents=True, exist_ok=True)

    def compile_test(name: str, include: Path, out: Path) -> Path:
        session.run("gcc", "-std=gnu11", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-Ibindings/c", f"-I{include}",
                    f"bindings/c/tests/{name}.c", "bindings/c/wasmgen.c", f"-L{prefix}/lib", "-lwasmer",
                    f"-Wl,-rpath,{prefix}/lib", "-lpthread", "-o", str(out), external=True)
        return out

    out = compile_test("test_glue", prefix / "include", ROOT / "build" / "c" / "test_glue")
    session.run(*runtool, str(out), *(["--memcheck"] if runtool else []), external=True)
    session.run(*runtool, str(out), *(["--memcheck"] if runtool else []), external=True, env=C_API_PATH)
    if not runtool:  # a Wasmer install without the fast path: its headers, less wasmgen_fast.h
        plain = ROOT / "build" / "c" / "include-without-fast-path"
        shutil.rmtree(plain, ignore_errors=True)
        shutil.copytree(prefix / "include", plain, ignore=shutil.ignore_patterns("wasmgen_fast.h"))
        session.run(str(compile_test("test_glue", plain, ROOT / "build" / "c" / "test_glue-without-fast-path")),
                    external=True)
    wasi = compile_test("test_wasi", prefix / "include", ROOT / "build" / "c" / "test_wasi")
    session.run(*runtool, str(wasi), str(wasi_programs(session)), external=True)


@nox.session
def conformance(session: nox.Session) -> None:
    """The spec test matrix: every implemented binding on every conformance/spectest file and the WASI
    cases (its `wasi` row), held to the C reference; writes conformance/RESULTS.md and RESULTS.json.
    Extra args: .wast files or directories (then without the `wasi` row unless `--wasi` is given).
    Runs twice: on the typed fast path, then on the C API's path (RESULTS-c-api-path.*, in build/conformance)."""
    venv(session, IMPLEMENTED)
    prefix = do_build(session, IMPLEMENTED)
    run_matrix(session, prefix, *session.posargs)
    run_matrix(session, prefix, "--md", "build/conformance/RESULTS-c-api-path.md",
               "--json", "build/conformance/RESULTS-c-api-path.json", *session.posargs, env=C_API_PATH)


# The environment that switches the glue's typed fast path off (api.yaml fast_path): the matrix and the
# reliability run pass on both paths.
C_API_PATH = {"WASMGEN_FAST_PATH": "0"}


def run_matrix(session: nox.Session, prefix: Path, *args: str, env: dict[str, str] | None = None) -> None:
    build_c_reference(session, prefix)  # each driver's environment comes from conformance/drivers.py
    session.run("python", "-m", "conformance", "matrix", "--langs", ",".join(lang.name for lang in IMPLEMENTED),
                "--wasi-dir", str(wasi_programs(session)), *args, env=env)  # the `wasi` row runs when no files are given


BENCH_DEPS = ["matplotlib>=3.8", "wasmtime>=20"]  # the charts (Agg backend); wasmtime-py, Python's peer
BENCH = ROOT / "build" / "bench"


NATIVE_NBODY = "libnbody_native.so"  # in build/bench: bench/compute/nbody.c, clang -O2, loaded by each language


def bench_compute(session: nox.Session, prefix: Path) -> str:
    """bench/compute/*.c natively (clang -O2, linked into the C driver) and to wasm32 (clang --target=wasm32),
    then the C driver: native C and the C API with each compiler. Its first line is the reference
    (nbody's energy, the hash of 1 MiB) every language is checked against, passed on in WASMGEN_BENCH_REF."""
    src = ROOT / "bench" / "compute"
    exports = {"nbody": ["nbody"], "hash": ["hash", "fill", "buffer"]}
    objs = []
    for name, names in exports.items():
        session.run("clang", "--target=wasm32", "-O2", "-nostdlib", "-Wl,--no-entry",
                    *[f"-Wl,--export={n}" for n in names], "-o", str(BENCH / f"{name}.wasm"), str(src / f"{name}.c"),
                    external=True)
        objs.append(str(BENCH / f"{name}.o"))
        session.run("clang", "-O2", "-c", str(src / f"{name}.c"), "-o", objs[-1], external=True)
    # native nbody as a shared library, so each language times native C inside its own process too
    # (impl "native_in_process": the nbody target compares a binding with it, not with another process)
    session.run("clang", "-O2", "-shared", "-fPIC", str(src / "nbody.c"), "-o", str(BENCH / NATIVE_NBODY), external=True)
    # the peers' per-call module and the boot workload's multi-megabyte module
    session.run("wat2wasm", str(src / "calls.wat"), "-o", str(BENCH / "calls.wasm"), external=True)
    session.run("python", str(src / "bigmodule.py"), str(BENCH / "big.wat"))
    session.run("wat2wasm", str(BENCH / "big.wat"), "-o", str(BENCH / "big.wasm"), external=True)
    exe = BENCH / "compute_c"
    session.run("clang", "-O2", "-std=gnu11", str(src / "driver.c"), *objs, f"-I{prefix}/include",
                f"-L{prefix}/lib", "-lwasmer", f"-Wl,-rpath,{prefix}/lib", "-lm", "-o", str(exe), external=True)
    out = session.run(str(exe), str(BENCH / "nbody.wasm"), str(BENCH / "hash.wasm"), str(BENCH / "big.wasm"),
                      silent=True, external=True) or ""
    ref = next(json.loads(line)["reference"] for line in out.splitlines() if line.startswith('{"reference"'))
    session.env["WASMGEN_BENCH_REF"] = json.dumps(ref)
    session.env["WASMGEN_BENCH_DIR"] = str(BENCH)
    session.env["WASMGEN_BENCH_NATIVE"] = str(BENCH / NATIVE_NBODY)
    return out


def versions(session: nox.Session, prefix: Path, lines: list[str]) -> dict[str, str]:
    """The machine and every runtime's version, plus the peers' versions the bench programs report
    ({"version": {name: version}} lines)."""
    import platform

    def first(cmd: list[str]) -> str:
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            return "-"
        return ((proc.stdout or "") + (proc.stderr or "")).strip().splitlines()[0] if proc.returncode == 0 else "-"

    cpu = "-"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                    if line.startswith("model name")), "-")
    out = {"machine": f"{platform.system()} {platform.release()} {platform.machine()}",
           "CPU": f"{cpu}, {os.cpu_count()} cores", "libwasmer": release.libwasmer(prefix).describe(),
           "clang": first(["clang", "--version"]), "gcc": first(["gcc", "--version"]),
           "python": first([sys.executable, "--version"]), "go": first(["go", "version"]),
           "java": first(["java", "-version"]), "ruby": first(["ruby", "-v"]), "php": first(["php", "-v"])}
    for line in lines:
        if line.startswith('{"version"'):
            out.update(json.loads(line)["version"])
    return out


def c_api_path(out: str) -> str:
    """A per-call run with WASMGEN_FAST_PATH=0: its call records as impl "wasmgen_c_api_path" (bench/report.py)."""
    kept = []
    for line in out.splitlines():
        if line.startswith("{") and '"ns"' in line:
            rec = json.loads(line)
            if (rec.get("workload") or "call") == "call" and (rec.get("impl") or "wasmgen") == "wasmgen":
                kept.append(json.dumps({**rec, "impl": "wasmgen_c_api_path"}))
    return "\n".join(kept)


@nox.session
def bench(session: nox.Session) -> None:
    """The whole picture in one run (about 4 minutes once the bindings are built): per call and host round trip (C API floor, each binding,
    each language's FFI floor, the peers), compute (nbody and a hash, native C / C API / each binding with
    cranelift and singlepass / the language itself), memory and boot. Writes build/bench/*.json,
    bench/RESULTS.md, bench/chart-<workload>.png and README's summary table; prints the summary and targets."""
    venv(session, IMPLEMENTED, tests=True)
    session.install(*BENCH_DEPS)
    session.run("python", "-m", "pytest", "-q", "bench/tests")  # the report's table logic
    install_apt(session, apt.PACKAGES["bench"])
    prefix = do_build(session, IMPLEMENTED)
    BENCH.mkdir(parents=True, exist_ok=True)
    lines = [bench_compute(session, prefix)]
    exe = BENCH / "c_api"
    session.run("gcc", "-O2", "-std=gnu11", "bench/c_api.c", f"-I{prefix}/include", f"-L{prefix}/lib", "-lwasmer",
                f"-Wl,-rpath,{prefix}/lib", "-o", str(exe), external=True)
    lines.append(session.run(str(exe), silent=True, external=True) or "")
    for lang in IMPLEMENTED:
        if lang.bench_calls is not None:
            lines.append(lang.bench_calls(session, prefix, {}))
        if lang.bench is not None:
            lines.append(lang.bench(session, prefix))
    # the typed fast path side by side: each binding's per-call cases again on the C API's path
    for lang in IMPLEMENTED:
        if lang.bench_calls is not None:
            lines.append(c_api_path(lang.bench_calls(session, prefix, C_API_PATH)))
    all_lines = [line for chunk in lines for line in chunk.splitlines()]
    sys.path.insert(0, str(ROOT / "bench"))
    import report  # bench/report.py

    records = report.parse(all_lines)
    rows = [json.loads(line) for line in all_lines if line.startswith("{") and '"ns"' in line]
    (BENCH / "results.json").write_text(json.dumps(rows, indent=2) + "\n")
    for w in report.workloads(records):
        (BENCH / f"{w}.json").write_text(json.dumps([r for r in rows if (r.get("workload") or "call") == w], indent=2) + "\n")
    (BENCH / "versions.json").write_text(json.dumps(versions(session, prefix, all_lines), indent=2) + "\n")
    session.run("python", "bench/report.py", str(BENCH / "results.json"), "--versions", str(BENCH / "versions.json"),
                "--out", "bench", "--readme", "README.md")
    session.log("wrote build/bench/*.json, bench/RESULTS.md, bench/chart-*.png and README's summary table")

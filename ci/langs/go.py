"""Go: a cgo package, `github.com/wasmgen/wasmer-go/v2/wasmer`, compatible with wasmer-go 1.x (bindings/go).

The package compiles the shared glue itself (wasmer/glue.c includes
wasmer/glue/wasmgen.c, rendered from templates/c). Here it is built with
`-tags custom_wasmer_runtime` and links libwasmer from WASMER_DIR through
CGO_CFLAGS / CGO_LDFLAGS (with an rpath, so nothing else is needed at run time);
the release module (`package`) carries the static libwasmer in packaged/, which
the package links when built without the tag.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import apt
import nox
import platforms  # ci/platforms.py
import gocmd  # ci/gocmd.py (compat/suites/go.py uses it too)
from gocmd import go_tool

from . import ROOT, Lang, conformance, generate, wasi_programs
from ._release import run_seeds

MODULE = ROOT / "bindings" / "go"
BUILD = ROOT / "build" / "go"
BENCH = ROOT / "bench" / "go_bench"


def go(session: nox.Session) -> str:
    tool = go_tool()
    if tool is None:
        session.error("no `go` command: install Go >= 1.19 (Debian: apt-get install golang-go)")
    return tool  # type: ignore[return-value]


def env(prefix: Path) -> dict[str, str]:
    tool = go_tool()
    path = os.environ.get("PATH", "")
    if tool:
        path = os.pathsep.join([str(Path(tool).parent), path])
    return {**gocmd.cgo_env(prefix), "PATH": path, "WASMER_DIR": str(prefix)}


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "go")
    tool = go(session)
    BUILD.mkdir(parents=True, exist_ok=True)
    with session.chdir(MODULE):
        session.run(tool, "build", "./...", env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "conformance-driver"), "./cmd/conformance-driver",
                    env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "example"), "./cmd/example", env=env(prefix), external=True)
        session.run(tool, "build", "-o", str(BUILD / "reliability"), "./cmd/reliability", env=env(prefix), external=True)


def test(session: nox.Session, prefix: Path) -> None:
    tool = go(session)
    test_env = {**env(prefix), "WASMGEN_WASI_DIR": str(wasi_programs(session))}
    with session.chdir(MODULE):
        unformatted = session.run(str(Path(tool).parent / "gofmt"), "-l", ".", silent=True, external=True) or ""
        if unformatted.strip():
            session.error(f"gofmt would reformat: {unformatted.split()}")
        session.run(tool, "vet", "./...", env=env(prefix), external=True)
        session.run(tool, "test", "-count=1", "./...", env=test_env, external=True)
        # The goroutine tests again under the race detector.
        session.run(tool, "test", "-race", "-count=1", "-run", "Concurrent|InstanceClose", "./wasmer",
                    env=test_env, external=True)
    conformance(session, "go")


def example(session: nox.Session, prefix: Path) -> None:
    session.run(str(BUILD / "example"), str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


COMPUTE = ROOT / "bench" / "go_compute"
BENCHSTAT = "golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da"  # from the Go module proxy
# go test -bench's sub-benchmark names are <workload>/<impl>/<variant or ->/<case>
GO_BENCH_LINE = re.compile(r"^Benchmark\w+/(\w+)/(\w+)/([\w-]+)/(\w+)-\d+\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) ns/step)?")


def bench_calls(session: nox.Session, prefix: Path, extra_env: dict[str, str]) -> str:
    """sum / host round trip: bench/go_bench."""
    exe = BUILD / "bench"
    with session.chdir(BENCH):
        session.run(go(session), "build", "-o", str(exe), ".", env=env(prefix), external=True)
    return session.run(str(exe), silent=True, external=True, env=extra_env) or ""


def bench(session: nox.Session, prefix: Path) -> str:
    """`go test -bench` in bench/go_compute (the per-call cases are bench_calls'): compute through
    the binding with each compiler and in Go, the cgo floor and wazero, as bench/report.py's JSON lines
    (median and quartiles of the -count samples); benchstat's summary in the log when it installs."""
    import statistics

    tool = go(session)
    with session.chdir(COMPUTE):
        raw = session.run(tool, "test", "-run", "^$", "-bench", "Compute|Call|Wazero", "-benchtime", "200ms",
                          "-count", "7", env=env(prefix), silent=True, external=True) or ""
        # boot: a fixed number of ops per sample. libwasmer keeps the code memory of every module an engine
        # compiled or deserialized until the engine is dropped: thousands of them (what -benchtime 200ms
        # asks of deserialize) exhaust vm.max_map_count and mprotect fails (a panic that aborts).
        raw += session.run(tool, "test", "-run", "^$", "-bench", "BootSmall", "-benchtime", "20x", "-count", "7",
                           env=env(prefix), silent=True, external=True) or ""
        # the multi-megabyte module's compile takes seconds: one op per sample, 3 samples
        raw += session.run(tool, "test", "-run", "^$", "-bench", "BootBig", "-benchtime", "1x", "-count", "3",
                           env=env(prefix), silent=True, external=True) or ""
    (ROOT / "build" / "bench").mkdir(parents=True, exist_ok=True)
    (ROOT / "build" / "bench" / "go_test_bench.txt").write_text(raw)
    samples: dict[tuple[str, str, str, str], list[float]] = {}
    for line in raw.splitlines():
        m = GO_BENCH_LINE.match(line)
        if m:
            samples.setdefault(m.group(1, 2, 3, 4), []).append(float(m.group(6) or m.group(5)))
    if not samples:
        session.error(f"no benchmark lines in go test's output:\n{raw}")
    lines = []
    for (workload, impl, variant, case), times in samples.items():
        q = statistics.quantiles(times, n=4) if len(times) > 1 else [times[0]] * 3
        rec = {"lang": "go", "case": case, "ns": round(statistics.median(times), 2), "workload": workload,
               "impl": impl, "median": round(statistics.median(times), 2), "p25": round(q[0], 2),
               "p75": round(q[2], 2), "samples": len(times), "checked": True}
        if variant != "-":
            rec["variant"] = variant
        lines.append(json.dumps(rec))
    wazero = re.search(r"github.com/tetratelabs/wazero (v\S+)", (COMPUTE / "go.mod").read_text())
    lines.append(json.dumps({"version": {"wazero (Go peer)": wazero.group(1) if wazero else "?"}}))
    tools = ROOT / "build" / "tools"
    if not (tools / "benchstat").is_file():
        try:
            session.run(tool, "install", BENCHSTAT, env={"GOBIN": str(tools), "GOFLAGS": ""}, external=True)
        except Exception as exc:  # benchstat is a readable summary only; the numbers above are the record
            session.log(f"benchstat did not install ({exc}); go test -bench's raw output is in build/bench")
    if (tools / "benchstat").is_file():
        session.run(str(tools / "benchstat"), str(ROOT / "build" / "bench" / "go_test_bench.txt"), external=True)
    return "\n".join(lines) + "\n"


# The memcheck run: checks of the reliability program that exercise the glue
# (traps, host errors, misuse, re-entry, instantiate/compile cycles, threads).
MEMCHECK_RUNS = [["traps"], ["host"], ["misuse"], ["reenter", "100", "1000"], ["cycles", "2000"],
                 ["compile", "200"], ["threads", "2000"]]
OUR_CODE = ("wasmgen.c", "wasmgen.h", "bindings/go/wasmer/", "go_glue_", "wgGo")


def leaks_in_our_code(report: str) -> tuple[list[str], int]:
    """LeakSanitizer's "Direct leak" blocks (valgrind's "definitely lost") whose stack goes
    through our C (the glue, the Go package's C); and how many other leak blocks there were."""
    ours, others = [], 0
    for block in report.split("\n\n"):
        if "Direct leak of" not in block:
            others += "Indirect leak of" in block
            continue
        if any(mark in block for mark in OUR_CODE):
            ours.append(block.strip())
        else:
            others += 1
    return ours, others


def memcheck(session: nox.Session, prefix: Path) -> None:
    """The reliability program built with AddressSanitizer (`go build -asan`, gcc's libasan):
    fails on any invalid access and on leaks whose stack goes through our C code."""
    tool = go(session)
    exe = BUILD / "reliability-asan"
    asan_env = env(prefix)
    asan_env["CGO_CFLAGS"] += " -g -fno-omit-frame-pointer"
    with session.chdir(MODULE):
        session.run(tool, "build", "-asan", "-o", str(exe), "./cmd/reliability", env=asan_env, external=True)
    inputs = ROOT / "build" / "reliability"
    session.run("python", "-m", "reliability", "inputs", "--dir", str(inputs), "--mutants", "0", silent=True)
    supp = MODULE / "asan.supp"
    run_env = {
        "WASMGEN_RELIABILITY_DIR": str(inputs),
        "ASAN_OPTIONS": "detect_leaks=1:halt_on_error=1:allow_addr2line=1:detect_stack_use_after_return=0",
        "LSAN_OPTIONS": f"suppressions={supp}:exitcode=0:print_suppressions=0",
    }
    failed = []
    for args in MEMCHECK_RUNS:
        proc = subprocess.run([str(exe), *args], cwd=ROOT, env={**os.environ, **run_env},
                              capture_output=True, text=True, timeout=240)
        ours, others = leaks_in_our_code(proc.stderr)
        if others:
            session.warn(f"memcheck {' '.join(args)}: leaks outside our code (libwasmer, Go runtime):\n{proc.stderr[-3000:]}")
        wrong = [line for line in proc.stdout.splitlines() if '"outcome": "wrong"' in line or '"outcome":"wrong"' in line]
        status = "ok"
        if "ERROR: AddressSanitizer" in proc.stderr or proc.returncode != 0:
            status = f"exit {proc.returncode}"
            failed.append(f"{' '.join(args)}: exit {proc.returncode}\n{proc.stderr[-4000:]}")
        elif ours:
            status = f"{len(ours)} leak(s) in our code"
            failed.append(f"{' '.join(args)}: {len(ours)} leak(s) through our code:\n" + "\n\n".join(ours[:5]))
        session.log(f"memcheck {' '.join(args)}: {status}; {len(proc.stdout.splitlines())} cases "
                    f"({len(wrong)} wrong, counted by the reliability run); {others} other leak report(s) (runtime/libwasmer)")
    if failed:
        session.error("AddressSanitizer found errors in our code:\n" + "\n\n".join(failed))


# ---------------------------------------------------------------- release packaging

PLATFORM = platforms.current()  # packaged/lib/<os>-<arch>/, as wasmer-go shipped it
PACKAGED = {"linux-amd64"}  # the platforms with a wasmer/packaged_<os>_<arch>.go (its cgo flags) in the module
HEADERS = ("wasm.h", "wasmer.h", "wasmer_wasm.h")
FAST_HEADER = "wasmgen_fast.h"  # the typed fast path's, when the install has it (ci/wasmer.py): the glue then uses it
MAX_ZIP = 500 << 20  # the Go proxy's limit on a module zip's uncompressed size (golang.org/x/mod/zip MaxZipFile)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # fixed entry times: the same inputs make the same zip


def module_path() -> str:
    m = re.search(r"^module\s+(\S+)", (MODULE / "go.mod").read_text(), re.M)
    if not m:
        raise RuntimeError(f"{MODULE / 'go.mod'}: no module line")
    return m.group(1)


def escape(path: str) -> str:
    """The module path as the proxy protocol spells it in URLs and directories (`!` + lower case for upper case)."""
    return re.sub(r"[A-Z]", lambda m: "!" + m.group(0).lower(), path)


def module_files(root: Path) -> list[Path]:
    """The files of the module at root, as golang.org/x/mod/zip takes them: regular files, none under a
    version control directory, a vendor/ directory or a nested module (a directory with its own go.mod)."""
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if d not in (".git", ".hg", ".svn", ".bzr", "vendor")
                             and not (here / d / "go.mod").exists())
        files += [here / f for f in sorted(filenames) if (here / f).is_file() and not (here / f).is_symlink()]
    return files


def write_module_zip(root: Path, prefix: str, target: Path) -> int:
    """The module zip the proxy serves (<module>@<version>/<file> entries, no directory entries), checked
    against the rules of golang.org/x/mod/zip that can fail here: file names, case-folding collisions, the
    size limit. Returns the uncompressed size."""
    files = module_files(root)
    names = [f.relative_to(root).as_posix() for f in files]
    bad = [n for n in names if not re.fullmatch(r"[A-Za-z0-9._+\-~/]+", n) or any(p in ("", ".", "..") for p in n.split("/"))]
    if bad:
        raise RuntimeError(f"module zip: file names the Go proxy rejects: {bad}")
    folded: dict[str, str] = {}
    for n in names:
        if n.lower() in folded:
            raise RuntimeError(f"module zip: {n} and {folded[n.lower()]} differ only in case")
        folded[n.lower()] = n
    if "go.mod" not in names:
        raise RuntimeError("module zip: no go.mod at the module root")
    size = sum(f.stat().st_size for f in files)
    if size > MAX_ZIP:
        raise RuntimeError(f"module zip: {size:,} bytes uncompressed, over the Go proxy's limit of {MAX_ZIP:,}")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as z:
        for f, n in zip(files, names):
            info = zipfile.ZipInfo(f"{prefix}/{n}", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with f.open("rb") as src, z.open(info, "w", force_zip64=True) as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    return size


def package(session: nox.Session, prefix: Path, out: Path) -> list[Path]:
    """The module as the Go proxy serves it, in out/proxy/<module>/@v/: v<VERSION>.zip (bindings/go plus the
    prebuilt static libwasmer in packaged/lib/linux-amd64/, its headers in packaged/include/ and
    packaged/LIBWASMER naming it), .mod, .info and the version list."""
    import release  # ci/release.py

    if PLATFORM.name not in PACKAGED:
        session.error(f"package-go: no wasmer/packaged_{PLATFORM.name.replace('-', '_')}.go for {PLATFORM.name} "
                      f"(packaged: {', '.join(sorted(PACKAGED))})")
    path, version = module_path(), "v" + release.version()
    lib = release.libwasmer(prefix)
    with tempfile.TemporaryDirectory(prefix="wasmgen-package-go-") as tmp:
        stage = Path(tmp) / "module"
        shutil.copytree(MODULE, stage, ignore=shutil.ignore_patterns("*.test"))
        (stage / "packaged" / "include").mkdir(parents=True)
        (stage / "packaged" / "lib" / PLATFORM.name).mkdir(parents=True)
        for header in HEADERS + ((FAST_HEADER,) if (prefix / "include" / FAST_HEADER).is_file() else ()):
            shutil.copy2(prefix / "include" / header, stage / "packaged" / "include" / header)
        static = PLATFORM.static_lib("wasmer")
        shutil.copy2(prefix / "lib" / static, stage / "packaged" / "lib" / PLATFORM.name / static)
        (stage / "packaged" / "LIBWASMER").write_text(
            f"{lib.describe()}\nstatic library: packaged/lib/{PLATFORM.name}/{static} (linked by default; "
            "build with -tags custom_wasmer_runtime to link another libwasmer)\n")
        at = out / "proxy" / escape(path) / "@v"
        at.mkdir(parents=True)
        size = write_module_zip(stage, f"{path}@{version}", at / f"{version}.zip")
        (at / f"{version}.mod").write_bytes((stage / "go.mod").read_bytes())
    when = subprocess.run(["git", "log", "-1", "--format=%cd", "--date=format-local:%Y-%m-%dT%H:%M:%SZ"], cwd=ROOT,
                          capture_output=True, text=True, env={**os.environ, "TZ": "UTC"}).stdout.strip()
    (at / f"{version}.info").write_text(json.dumps({"Version": version, "Time": when or "1980-01-01T00:00:00Z"}) + "\n")
    (at / "list").write_text(version + "\n")
    zipped = (at / f"{version}.zip").stat().st_size
    session.log(f"go: {path}@{version}: {size:,} bytes uncompressed ({100 * size / MAX_ZIP:.0f}% of the proxy's "
                f"{MAX_ZIP:,} limit), {zipped:,} zipped; carries {lib.describe()}")
    return [at / f"{version}.zip", at / f"{version}.mod", at / f"{version}.info", at / "list"]


def verify(session: nox.Session, out: Path) -> None:
    """A throwaway module in a temporary directory requiring the release (the proxy tree copied there, served
    with GOPROXY=file://, GOSUMDB=off; fresh GOPATH, GOMODCACHE and GOCACHE; an empty environment otherwise)
    whose main package is the binding's conformance driver (cmd/conformance-driver's files, copied): built with
    plain `go build`, linked to the packaged static libwasmer (checked: no libwasmer.so needed), then the seed
    cases through it. Then the same with `-tags custom_wasmer_runtime` and CGO_CFLAGS/CGO_LDFLAGS naming the
    pinned libwasmer (the documented way to link a libwasmer of one's own)."""
    import release  # ci/release.py
    import wasmer as pinned  # ci/wasmer.py

    tool = go(session)
    path, version = module_path(), "v" + release.version()
    if not (out / "proxy" / escape(path) / "@v" / f"{version}.zip").is_file():
        session.error(f"{out}: no {path}@{version} module zip: run `nox -s package-go`")
    with tempfile.TemporaryDirectory(prefix="wasmgen-verify-go-") as tmp:
        work = Path(tmp)
        shutil.copytree(out / "proxy", work / "proxy")
        app = work / "app"
        app.mkdir()
        for f in sorted((MODULE / "cmd" / "conformance-driver").glob("*.go")):
            if not f.name.endswith("_test.go"):
                shutil.copy2(f, app / f.name)
        (app / "go.mod").write_text(f"module example.com/wasmgen-verify\n\ngo 1.19\n\nrequire {path} {version}\n")
        base = {"PATH": f"{Path(tool).parent}:/usr/bin:/bin", "HOME": str(work), "GOPATH": str(work / "gopath"),
                "GOMODCACHE": str(work / "gopath" / "pkg" / "mod"), "GOCACHE": str(work / "gocache"),
                "GOPROXY": f"file://{work / 'proxy'}", "GOSUMDB": "off", "GOFLAGS": "-mod=mod -modcacherw",
                "GOTOOLCHAIN": "local", "CGO_ENABLED": "1"}
        prefix = pinned.ensure()
        kinds = [("packaged", [], {}),
                 ("custom_wasmer_runtime", ["-tags", "custom_wasmer_runtime"],
                  {"CGO_CFLAGS": f"-I{prefix}/include", "CGO_LDFLAGS": env(prefix)["CGO_LDFLAGS"]})]
        for kind, flags, extra in kinds:
            exe = work / f"driver-{kind}"
            with session.chdir(app):
                session.run("env", "-i", *[f"{k}={v}" for k, v in {**base, **extra}.items()], tool, "build", *flags,
                            "-o", str(exe), ".", external=True)
            libs = subprocess.run(["ldd", str(exe)], capture_output=True, text=True).stdout
            shared = [line.strip() for line in libs.splitlines() if "libwasmer" in line]
            if kind == "packaged" and shared:
                session.error(f"the default build links a shared libwasmer, not the packaged static one: {shared}")
            if kind != "packaged" and not any(str(prefix) in line for line in shared):
                session.error(f"-tags custom_wasmer_runtime did not link {prefix}/lib/libwasmer.so: {libs}")
            run_seeds(session, "go", ["env", "-i", f"HOME={work}", str(exe)], work)
            session.log(f"verify-go: {path}@{version} ({kind}) built from the file:// proxy; seed cases passed")
        mod_dir = work / "gopath" / "pkg" / "mod" / f"{escape(path)}@{version}"
        session.log(f"verify-go: extracted module: {mod_dir} ({(mod_dir / 'packaged' / 'LIBWASMER').read_text().splitlines()[0]})")


LANG = Lang(
    "go",
    # cgo needs a C compiler; Go itself comes with the machine (/usr/local/go),
    # else from Debian (golang-go, Go 1.19 on bookworm: enough for this module).
    # libasan8: gcc's AddressSanitizer runtime, for `go build -asan` (memcheck).
    # clang, lld, wasi-libc: the WASI test programs (wasi_programs).
    apt=["gcc", "libasan8"] + apt.PACKAGES["wasi"] + ([] if go_tool() else ["golang-go"]),
    build=build,
    test=test,
    example=example,
    bench=bench,
    bench_calls=bench_calls,
    memcheck=memcheck,
    package=package,
    verify=verify,
)

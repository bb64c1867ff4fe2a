"""Ruby: a C extension built with mkmf (bindings/ruby), compatible with wasmer-ruby 1.0.

The extension is built out of tree in build/ruby/ext (extconf.rb + make) and
copied to build/ruby/lib/wasmer/wasmer_native.so; Ruby code runs with
`-I build/ruby/lib -I bindings/ruby/lib` (RUBYLIB below).

package (dist/ruby/): the source gem wasmer-VERSION.gem (the extension's sources, the glue,
and libwasmer bundled in vendor/libwasmer: `gem install` compiles against it, or against
`-- --with-wasmer-dir=DIR` / WASMER_DIR) and the precompiled wasmer-VERSION-x86_64-linux.gem
(lib/wasmer/wasmer_native.so built for this Ruby, libwasmer.so next to it, found by
rpath $ORIGIN). verify: `gem install --local --install-dir` of each into its own temp dir,
and the seed cases through the conformance driver with GEM_HOME/GEM_PATH only there.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

import platforms  # ci/platforms.py: library names, $ORIGIN
import release  # ci/release.py: the one version, the libwasmer description

from . import ROOT, Lang, conformance, generate, wasi_programs
from ._release import clean_env, run_seeds, wasmer_install

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


def bench_calls(session: nox.Session, prefix: Path, extra_env: dict[str, str]) -> str:
    """sum / host round trip (and bulk memory): bench/ruby_bench.rb."""
    return session.run("ruby", "bench/ruby_bench.rb", external=True, silent=True, env={**ENV, **extra_env}) or ""


def bench(session: nox.Session, prefix: Path) -> str:
    """Compute and the C-extension floor (bench/ruby/compute.rb; the floor's extension, bench/ruby/bench_floor.c,
    compiled here against this Ruby's headers; the per-call cases are bench_calls')."""
    conf = json.loads(session.run("ruby", "-rjson", "-e", "c = RbConfig::CONFIG; puts JSON.generate("
                                  "[c['rubyhdrdir'], c['rubyarchhdrdir'], c['DLEXT']])",
                                  external=True, silent=True) or "[]")
    floor = ROOT / "build" / "bench" / f"bench_floor.{conf[2]}"
    session.run("gcc", "-O2", "-shared", "-fPIC", f"-I{conf[0]}", f"-I{conf[1]}",
                str(ROOT / "bench" / "ruby" / "bench_floor.c"), "-o", str(floor), external=True)
    return session.run("ruby", "bench/ruby/compute.rb", str(floor), external=True, silent=True, env=ENV) or ""


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


# --------------------------------------------------------------------------- release

BINDING = ROOT / "bindings" / "ruby"
RELEASE = BUILD / "release"


def _stage_common(stage: Path, lib: release.Libwasmer) -> None:
    shutil.copytree(BINDING / "lib", stage / "lib")
    for name in ("wasmer.gemspec", "README.md"):
        shutil.copy2(BINDING / name, stage / name)
    (stage / "LIBWASMER").write_text(lib.describe() + "\n")


def _copy_stripped(session: nox.Session, src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)
    session.run("strip", "--strip-unneeded", str(dst), external=True)


def _gem_build(session: nox.Session, stage: Path, platform: str | None) -> Path:
    before = set(stage.glob("*.gem"))
    with session.chdir(stage):
        session.run("gem", "build", "--quiet", "wasmer.gemspec", external=True,
                    env={"WASMER_GEM_PLATFORM": platform} if platform else {"WASMER_GEM_PLATFORM": None})
    built = sorted(set(stage.glob("*.gem")) - before)
    if len(built) != 1:
        session.error(f"gem build in {stage} wrote {built}")
    return built[0]


PLATFORM = platforms.current()


def package(session: nox.Session, prefix: Path, out: Path) -> list[Path]:
    """dist/ruby/wasmer-VERSION.gem (source) and wasmer-VERSION-<platform>.gem (precompiled)."""
    lib = release.libwasmer(prefix)
    shutil.rmtree(RELEASE, ignore_errors=True)
    # the source gem: sources + glue + libwasmer (headers, libwasmer.so) in vendor/libwasmer
    src = RELEASE / "source"
    _stage_common(src, lib)
    ext = src / "ext" / "wasmer"
    (ext / "glue").mkdir(parents=True)
    for f in sorted((BINDING / "ext" / "wasmer").iterdir()):
        if f.suffix in (".c", ".h", ".rb"):
            shutil.copy2(f, ext / f.name)
    for name in ("wasmgen.c", "wasmgen.h"):
        shutil.copy2(ROOT / "bindings" / "c" / name, ext / "glue" / name)
    vendor = src / "vendor" / "libwasmer"
    shutil.copytree(prefix / "include", vendor / "include")
    shared = PLATFORM.shared_lib("wasmer")
    _copy_stripped(session, prefix / "lib" / shared, vendor / "lib" / shared)
    if (prefix / "BUILD-INFO").is_file():
        shutil.copy2(prefix / "BUILD-INFO", vendor / "BUILD-INFO")
    source_gem = _gem_build(session, src, None)
    # the precompiled gem: the extension built for this Ruby with rpath $ORIGIN (the platform's), libwasmer next to it
    platform = subprocess.run(["ruby", "-e", "print Gem::Platform.local"], capture_output=True, text=True,
                              check=True).stdout.strip()
    build_dir = RELEASE / "ext"
    build_dir.mkdir(parents=True)
    with session.chdir(build_dir):
        session.run("ruby", str(BINDING / "ext" / "wasmer" / "extconf.rb"), f"--with-wasmer-dir={prefix}",
                    f"--with-wasmer-rpath={PLATFORM.origin}", external=True, silent=True, env={"WASMER_DIR": None})
        session.run("make", f"-j{os.cpu_count() or 2}", "V=0", external=True, silent=True)
    plat = RELEASE / "platform"
    _stage_common(plat, lib)
    _copy_stripped(session, build_dir / "wasmer_native.so", plat / "lib" / "wasmer" / "wasmer_native.so")
    _copy_stripped(session, prefix / "lib" / shared, plat / "lib" / "wasmer" / shared)
    platform_gem = _gem_build(session, plat, platform)
    files = []
    for gem in (source_gem, platform_gem):
        shutil.copy2(gem, out / gem.name)
        files.append(out / gem.name)
    return files


CHECK = """require "wasmer"
spec = Gem.loaded_specs.fetch("wasmer")
puts Wasmer::VERSION, spec.platform, spec.metadata["libwasmer"]
puts $LOADED_FEATURES.grep(/wasmer_native/).first
puts File.read("/proc/self/maps")[%r{\\S*/libwasmer\\.so}]
"""


def verify(session: nox.Session, out: Path) -> None:
    """Each gem `gem install --local --install-dir`ed into a temp dir of its own (env -i: no
    WASMER_DIR, no RUBYLIB; the source gem compiles against its bundled libwasmer, and once more
    with `-- --with-wasmer-dir=` a Wasmer install copied into the temp dir), then the seed cases
    through the conformance driver (copied into the temp dir) with GEM_HOME and GEM_PATH
    pointing only there."""
    version = release.version()
    gems = sorted(out.glob(f"wasmer-{version}*.gem"))
    if len(gems) != 2:
        session.error(f"{out}: expected the source and the precompiled wasmer-{version} gems, found {[g.name for g in gems]}")
    tmp = Path(tempfile.mkdtemp(prefix="wasmgen-verify-ruby-"))
    driver = tmp / "driver"
    driver.mkdir()
    for name in ("conformance_driver.rb", "conformance_model.rb", "conformance_support.rb"):
        shutil.copy2(BINDING / name, driver / name)
    wasmer = wasmer_install(tmp)  # a Wasmer install outside the repository, for `-- --with-wasmer-dir`
    # (gem, where installed, gem install's build options, where libwasmer.so must be loaded from)
    installs = []
    for gem in gems:
        shutil.copy2(gem, tmp / gem.name)
        home = tmp / gem.name.removesuffix(".gem")
        installs.append((gem, home, [], home))
        if not gem.name.endswith(f"-{version}.gem"):
            continue
        installs.append((gem, tmp / f"{home.name}-with-wasmer-dir", ["--", f"--with-wasmer-dir={wasmer}"], wasmer))
    for gem, home, build_args, lib_home in installs:
        gem_cmd = clean_env(session, "gem", tmp, GEM_HOME=str(home), GEM_PATH=str(home))
        with session.chdir(tmp):
            session.run(*gem_cmd, "install", "--local", "--no-document", "--install-dir", str(home),
                        str(tmp / gem.name), *build_args, external=True)
        ruby = clean_env(session, "ruby", tmp, GEM_HOME=str(home), GEM_PATH=str(home))
        said = subprocess.run([*ruby, "-e", CHECK], cwd=tmp, capture_output=True, text=True)
        if said.returncode != 0:
            session.error(f"{gem.name}: require 'wasmer' failed:\n{said.stderr}")
        got_version, got_platform, got_lib, native, libwasmer = (said.stdout.splitlines() + [""] * 5)[:5]
        session.log(f"{shlex.join([gem.name, *build_args])}: Wasmer::VERSION {got_version}, platform {got_platform}, "
                    f"{got_lib}; extension {native}; libwasmer {libwasmer}")
        problems = []
        if got_version != version:
            problems.append(f"Wasmer::VERSION is {got_version!r}, not {version}")
        if not got_lib.startswith("libwasmer "):
            problems.append(f"the gem's metadata names no libwasmer ({got_lib!r})")
        for what, path, where in (("wasmer_native.so", native, home), ("libwasmer.so", libwasmer, lib_home)):
            if not path.startswith(str(where) + "/"):
                problems.append(f"{what} was loaded from {path or 'nowhere'}, not from {where}")
        if problems:
            session.error(f"{gem.name}: " + "; ".join(problems))
        run_seeds(session, "ruby", [*ruby, str(driver / "conformance_driver.rb")], tmp)
    shutil.rmtree(tmp)


LANG = Lang(
    "ruby",
    apt=["ruby-dev", "ruby-minitest", "rake", "make", "gcc", "wabt", "valgrind"],
    build=build,
    test=test,
    example=example,
    bench=bench,
    bench_calls=bench_calls,
    memcheck=memcheck,
    package=package,
    verify=verify,
)

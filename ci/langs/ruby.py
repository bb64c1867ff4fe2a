"""Ruby: a C extension built with mkmf (bindings/ruby), compatible with wasmer-ruby 1.0.

The extension is built out of tree in build/ruby/ext (extconf.rb + make) and
copied to build/ruby/lib/wasmer/wasmer_native.so; Ruby code runs with
`-I build/ruby/lib -I bindings/ruby/lib` (RUBYLIB below).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox

from . import ROOT, Lang, conformance, generate

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
    shutil.copy2(ext / "wasmer_native.so", LIB / "wasmer" / "wasmer_native.so")
    # The driver is a script: check its syntax (and that the library loads) now.
    session.run("ruby", "-c", "bindings/ruby/conformance_driver.rb", external=True, silent=True)
    session.run("ruby", "-e", "require 'wasmer'", external=True, env=ENV)


def test(session: nox.Session, prefix: Path) -> None:
    env = {**ENV, "WASMER_DIR": str(prefix)}
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


LANG = Lang(
    "ruby",
    apt=["ruby-dev", "ruby-minitest", "rake", "make", "gcc", "wabt"],
    build=build,
    test=test,
    example=example,
    bench=bench,
)

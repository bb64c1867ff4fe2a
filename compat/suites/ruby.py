"""wasmer-ruby 1.0.0's own minitest suite (tests/*_test.rb), unchanged, against our Ruby binding.

Upstream ran `rake test` with tests/prelude.rb, which needs bundler and
minitest-reporters; the stand-in compat/ruby/prelude.rb loads our `wasmer`,
minitest (Debian's ruby-minitest) and the same aliases, and records each test as
JSON lines. Each test file runs in its own ruby process; when one dies (a
segfault, an abort, a timeout) the test it was running is counted as a crash and
the rest of the file runs again in a new process, without the tests already done.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

from compat.core import Context, Outcome, Suite

PRELUDE_DIR = Path(__file__).resolve().parent.parent / "ruby"
TIMEOUT = 300  # seconds for one ruby process (the whole suite takes a few seconds)
CLASS = re.compile(r"^\s*class\s+(\w+)\s*<\s*Minitest::Test\b")
TEST = re.compile(r"^\s*def\s+(test_\w+)")


def listed_tests(path: Path) -> list[tuple[str, str]]:
    """(class, method) of every test the file defines, in source order."""
    found, klass = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if m := CLASS.match(line):
            klass = m.group(1)
        elif (m := TEST.match(line)) and klass:
            found.append((klass, m.group(1)))
    return found


def test_id(path: Path, klass: str, name: str) -> str:
    return f"tests/{path.name}::{klass}#{name}"


def run_file(ctx: Context, path: Path) -> list[Outcome]:
    expected = listed_tests(path)
    done: dict[tuple[str, str], Outcome] = {}
    out = ctx.workdir / f"{path.stem}.jsonl"
    lib = [str(PRELUDE_DIR), str(ctx.root / "build" / "ruby" / "lib"), str(ctx.root / "bindings" / "ruby" / "lib")]
    env = {**ctx.env, "RUBYLIB": os.pathsep.join(lib + [p for p in [ctx.env.get("RUBYLIB", "")] if p]),
           "WASMGEN_COMPAT_OUT": str(out)}
    while True:
        out.unlink(missing_ok=True)
        cmd = ["ruby", str(path), "--seed", "1"]
        if done:
            cmd += ["--exclude", "/^(?:" + "|".join(re.escape(n) for _, n in sorted(done)) + ")$/"]
        try:
            proc = subprocess.run(cmd, cwd=ctx.workdir, env=env, capture_output=True, text=True, timeout=TIMEOUT)
            code, log = proc.returncode, (proc.stdout + proc.stderr)
        except subprocess.TimeoutExpired as exc:
            code = None
            log = "".join(s.decode(errors="replace") if isinstance(s, bytes) else (s or "")
                          for s in (exc.stdout, exc.stderr))
        started = None
        new = 0
        for line in out.read_text(encoding="utf-8").splitlines() if out.exists() else []:
            event = json.loads(line)
            key = (event["class"], event["name"])
            if event["event"] == "start":
                started = key
                continue
            started = None
            status = event["status"]
            message = event["message"]
            if status == "skip":
                status, message = "fail", f"skipped: {message}"
            done[key] = Outcome(test_id(path, *key), status, message)
            new += 1
        tail = "\n".join(log.strip().splitlines()[-15:])
        if code is None:
            how = f"timed out after {TIMEOUT} s"
        elif code < 0:
            how = f"killed by {signal.Signals(-code).name}"
        else:
            how = f"exit status {code}"
        if started is not None:  # the process died inside this test: count it, run the rest again
            done[started] = Outcome(test_id(path, *started), "crash", f"ruby {how} in this test\n{tail}")
            continue
        missing = [k for k in expected if k not in done]
        if missing and new == 0 and (code is None or code < 0):  # died outside any test: no progress possible
            for key in missing:
                done[key] = Outcome(test_id(path, *key), "crash", f"ruby {how} before this test ran\n{tail}")
        elif missing:  # the file did not load, or a test the source defines did not run
            for key in missing:
                done[key] = Outcome(test_id(path, *key), "fail", f"did not run ({how})\n{tail}")
        break
    order = {key: i for i, key in enumerate(expected)}
    return [done[k] for k in sorted(done, key=lambda k: (order.get(k, len(order)), k))]


def run(ctx: Context) -> list[Outcome]:
    tests = ctx.upstream / "tests"
    results: list[Outcome] = []
    for path in sorted(tests.glob("*_test.rb")):
        results += run_file(ctx, path)
    return results


SUITES = [
    Suite(
        name="wasmer-ruby-1.0.0",
        lang="ruby",
        commit="c1b554b5b3d14f17405940dc6c0951b898113ef1",
        run=run,
        doc="minitest, one ruby process per file (stand-in prelude: compat/ruby/prelude.rb)",
    )
]

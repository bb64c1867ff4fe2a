"""wasmer-go 1.0.4's own tests (package `wasmer`, internal tests) against our Go package.

Upstream's *_test.go files are package `wasmer` tests: they compile together
with the package they test, as one package. They run in place: the run builds a
package directory in build/compat/wasmer-go-1.0.4/mod/wasmer whose files are
symbolic links, to our package's non-test sources (bindings/go/wasmer) and to
upstream's *_test.go and testdata/ (upstream finds testdata next to its test
files, through runtime.Caller). Our own tests are not in it. Two of upstream's
tests call private helpers of wasmer-go's implementation: go_private_test.go
(beside this file) names them for this run only, doing nothing, so the files
compile as one package and those two tests fail (listed, with the reason). The module there
(go.mod written by this run, module `github.com/wasmgen/wasmer-go/v2`, so the import path is ours)
requires github.com/stretchr/testify v1.7.0, upstream's version, from the Go
module proxy; go.sum pins its checksums.

The tests run with upstream's runner, `go test` (the test binary through
`go tool test2json`). A crash (a segfault or abort kills the binary) is counted:
the test that was running is a crash (test2json reports it failed, but the
testing package printed no "--- FAIL" for it; a Go panic it does report, and that
is a failure) and the tests not yet run run again in a new process, until each
has an outcome. Ids are the test names `go test` prints
(`TestConfig`, `TestConfig_AllCombinations/compiler=Cranelift,_engine=Universal`).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

from ci import gocmd  # the go command and the glue hash, as ci/langs/go.py finds them
from compat.core import Context, Outcome, Suite

COMMIT = "23d786b6b81ad93e2b974d2f4510bea374f0f37c"  # wasmer-go v1.0.4 (upstream SOURCE)

GO_MOD = """module github.com/wasmgen/wasmer-go/v2

go 1.19

require github.com/stretchr/testify v1.7.0
"""

# testify v1.7.0 and what it requires, as the Go checksum database has them.
GO_SUM = """github.com/davecgh/go-spew v1.1.0 h1:ZDRjVQ15GmhC3fiQ8ni8+OwkZQO4DARzQgrnXU1Liz8=
github.com/davecgh/go-spew v1.1.0/go.mod h1:J7Y8YcW2NihsgmVo/mv3lAwl/skON4iLHjSsI+c5H38=
github.com/pmezard/go-difflib v1.0.0 h1:4DBwDE0NGyQoBHbLQYPwSUPoCMWR5BEzIk/f1lZbAQM=
github.com/pmezard/go-difflib v1.0.0/go.mod h1:iKH77koFhYxTK1pcRnkKkqfTogsbg7gZNVY4sRDYZ/4=
github.com/stretchr/objx v0.1.0/go.mod h1:HFkY916IF+rwdDfMAkV7OtwuqBVzrE8GR6GFx+wExME=
github.com/stretchr/testify v1.7.0 h1:nwc3DEeHmmLAfoZucVR881uASk0Mfjw8xYJ99tb5CcY=
github.com/stretchr/testify v1.7.0/go.mod h1:6Fq8oRcR53rry900zMqJjRRixrwX3KX962/h/Wwjteg=
gopkg.in/check.v1 v0.0.0-20161208181325-20d25e280405/go.mod h1:Co6ibVJAznAaIkqp8huTwlJQCZ016jof/cbN4VW5Yz0=
gopkg.in/yaml.v3 v3.0.0-20200313102051-9f266ea9e77c h1:dUUwHk2QECo/6vqA44rthZ8ie2QXMNeKRTHCNY2nXvo=
gopkg.in/yaml.v3 v3.0.0-20200313102051-9f266ea9e77c/go.mod h1:K4uyk7z7BCEPqu6E+C64Yfv1cQ7kz7rIZviUmN+EgEM=
"""

PRIVATE = Path(__file__).resolve().parent / "go_private_test.go"
TEST_FUNC = re.compile(r"^func (Test\w*)\(\w+ \*testing\.T\)", re.M)
RUN_TIMEOUT = 900


def go_tool() -> str:
    tool = gocmd.go_tool()
    if tool is None:
        raise SystemExit("compat: wasmer-go: no `go` command (install Go, see ci/langs/go.py)")
    return tool


def go_env(ctx: Context) -> dict[str, str]:
    """ctx.env plus what cgo needs to link libwasmer (as ci/langs/go.py's build sets it)."""
    env = dict(ctx.env)
    prefix = env.get("WASMER_DIR")
    if not prefix:
        raise SystemExit("compat: wasmer-go: WASMER_DIR is not set (run through `nox -s compat-go`)")
    tool = go_tool()
    env.update({**gocmd.cgo_env(prefix), "PATH": os.pathsep.join([str(Path(tool).parent), env.get("PATH", "")])})
    return env


def link(target: Path, at: Path) -> None:
    if at.is_symlink() or at.exists():
        at.unlink()
    at.symlink_to(target)


def layout(ctx: Context) -> Path:
    """The module and package directory of the run: links to our sources and upstream's tests."""
    mod = ctx.workdir / "mod"
    pkg = mod / "wasmer"
    if pkg.exists():
        shutil.rmtree(pkg)
    pkg.mkdir(parents=True)
    (mod / "go.mod").write_text(GO_MOD)
    (mod / "go.sum").write_text(GO_SUM)
    ours = ctx.root / "bindings" / "go" / "wasmer"
    for f in sorted(ours.iterdir()):
        if f.suffix in (".go", ".c", ".h") and not f.name.endswith("_test.go"):
            link(f, pkg / f.name)
    for f in sorted(ctx.upstream.glob("wasmer/*_test.go")):
        link(f, pkg / f.name)
    link(ctx.upstream / "wasmer" / "testdata", pkg / "testdata")
    # wasmer-go's private helpers that two of its tests call, which we do not have (see the file)
    link(PRIVATE, pkg / "wasmgen_upstream_private_test.go")
    # low.go's `#cgo CFLAGS: -I${SRCDIR}/glue` and glue.c's #include "glue/wasmgen.c"
    link(ours / "glue", pkg / "glue")
    return pkg


def declared_tests(ctx: Context) -> list[str]:
    names: list[str] = []
    for f in sorted(ctx.upstream.glob("wasmer/*_test.go")):
        source = re.sub(r"/\*.*?\*/", "", f.read_text(encoding="utf-8"), flags=re.S)  # a commented-out test is none
        names += TEST_FUNC.findall(source)
    return names


def parse(lines: list[str]) -> tuple[dict[str, Outcome], list[str], dict[str, list[str]]]:
    """test2json events: the finished tests, those started but not finished (in order), and each test's output."""
    done: dict[str, Outcome] = {}
    started: list[str] = []
    output: dict[str, list[str]] = {}
    for line in lines:
        try:
            ev = json.loads(line)
        except ValueError:
            continue
        test = ev.get("Test")
        if not test:
            continue
        action = ev.get("Action")
        if action == "run":
            started.append(test)
        elif action == "output":
            output.setdefault(test, []).append(ev.get("Output", ""))
        elif action in ("pass", "fail", "skip"):
            lines_of_test = output.get(test, [])
            text = "".join(lines_of_test)
            status = "fail" if action == "fail" else "pass"
            if action == "skip":
                status, text = "fail", "skipped: " + text
            elif action == "fail" and not any(o.lstrip().startswith(f"--- FAIL: {test} ") for o in lines_of_test):
                # test2json's own "fail" for the test that was running when the binary died (a
                # signal, an abort): the testing package never reported it (a Go panic it does)
                status, text = "crash", "the test binary died in this test:\n" + text[:3000]
            done[test] = Outcome(test, status, text.strip())
    return done, [t for t in started if t not in done], output


def run(ctx: Context) -> list[Outcome]:
    env = go_env(ctx)
    pkg = layout(ctx)
    tool = go_tool()
    exe = ctx.workdir / "wasmer.test"
    built = subprocess.run([tool, "test", "-c", "-o", str(exe), "."], cwd=pkg, env=env,
                           capture_output=True, text=True, timeout=RUN_TIMEOUT)
    if built.returncode != 0:
        message = "upstream's tests do not compile against our package:\n" + (built.stdout + built.stderr).strip()
        return [Outcome(name, "fail", message) for name in declared_tests(ctx)]
    results: dict[str, Outcome] = {}
    pending = declared_tests(ctx)
    while pending:
        pattern = "^(" + "|".join(re.escape(n) for n in pending) + ")$"
        proc = subprocess.run([tool, "tool", "test2json", "-t", str(exe), "-test.v=test2json", "-test.count=1",
                               "-test.run", pattern], cwd=pkg, env=env, capture_output=True, text=True,
                              timeout=RUN_TIMEOUT)
        done, unfinished, output = parse(proc.stdout.splitlines())
        results.update(done)
        for test in unfinished:
            # The binary died in it: a crash (its parent test, if a subtest crashed, too).
            tail = "".join(output.get(test, []))[-2000:] + proc.stderr[-2000:]
            results[test] = Outcome(test, "crash", f"the test binary died (exit {proc.returncode}):\n{tail}".strip())
        top = {t.split("/")[0] for t in results}
        rest = [n for n in pending if n not in top]
        if len(rest) == len(pending):  # nothing ran: report what the binary said
            message = f"the test binary ran no test (exit {proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}"
            for n in rest:
                results[n] = Outcome(n, "crash", message)
            break
        pending = rest
    return sorted(results.values(), key=lambda r: r.id)


SUITES = [Suite(name="wasmer-go-1.0.4", lang="go", commit=COMMIT, run=run,
                doc="go test (testify v1.7.0 from the Go proxy)")]

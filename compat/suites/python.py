"""wasmer-python 1.2.0's own pytest suite (tests/ of the upstream folder), unchanged, against bindings/python.

Each test file runs with upstream's runner, pytest, in a child process of its own (JUnit XML report in
build/compat/wasmer-python-1.2.0/). A file whose process dies (a segfault, an abort) leaves no report: its
tests are then run one by one, each in its own process, so a crash is counted against the test that crashed
and the others still run. A file that does not import (a missing name) fails each of its tests with the
collection error. Test ids are "tests/<file>::<function>", taken from the file's top-level `def test_*`
(the same list whether the file imports or not).

pytest's verdicts map to: passed, xfailed (a test upstream marks as expected to fail, failing) and xpassed
(non-strict xfail, passing: pytest passes it too) -> pass; failed, error (setup, collection) -> fail; skipped
(an upstream `skip` mark) -> fail with its reason.
"""

from __future__ import annotations

import ast
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from compat.core import Context, Outcome, Suite

FILE_TIMEOUT = 600  # seconds for one file (the whole suite takes a few seconds)


def test_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    return [n.name for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)) and n.name.startswith("test_")]


def pytest_run(ctx: Context, target: str, report: Path) -> tuple[int | None, str]:
    """Run pytest on one file or one test; (return code or None on timeout, its output's tail)."""
    report.unlink(missing_ok=True)
    env = dict(ctx.env)
    bindings = str(ctx.root / "bindings" / "python")
    env["PYTHONPATH"] = bindings + (":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # the upstream folder is read-only
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}",
           "-o", "junit_family=xunit1", "--rootdir", str(ctx.upstream), target]
    try:
        proc = subprocess.run(cmd, cwd=ctx.workdir, env=env, capture_output=True, text=True, timeout=FILE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        return None, out[-2000:]
    return proc.returncode, (proc.stdout + proc.stderr)[-2000:]


def parse_report(report: Path) -> tuple[dict[str, tuple[str, str]], str | None]:
    """{test function: (status, message)} from a JUnit XML report, and the collection error if any."""
    results: dict[str, tuple[str, str]] = {}
    collection_error = None
    for case in ET.parse(report).getroot().iter("testcase"):
        name = case.get("name", "")
        problem = next((c for c in case if c.tag in ("failure", "error", "skipped")), None)
        if not case.get("classname"):  # a collection error is reported as a testcase named after the file
            collection_error = message_of(problem) if problem is not None else "collection failed"
            continue
        if problem is None:
            results[name] = ("pass", "")
        elif problem.tag == "skipped" and problem.get("type") == "pytest.xfail":
            results[name] = ("pass", "xfailed (upstream marks it as expected to fail)")
        elif problem.tag == "skipped":
            results[name] = ("fail", "skipped: " + message_of(problem))
        else:
            results[name] = ("fail", message_of(problem))
    return results, collection_error


def message_of(elem: ET.Element) -> str:
    text = (elem.text or "").strip()
    last = [line for line in text.splitlines() if line.startswith("E ")]
    detail = " | ".join(line[1:].strip() for line in last[:3])
    return (elem.get("message") or "").strip() + (f" ({detail})" if detail else "")


def run_file(ctx: Context, path: Path) -> list[Outcome]:
    rel = f"tests/{path.name}"
    names = test_names(path)
    report = ctx.workdir / f"{path.stem}.xml"
    code, output = pytest_run(ctx, str(path), report)
    if code is not None and code >= 0 and report.exists():
        results, collection_error = parse_report(report)
        out = []
        for name in names:
            if name in results:
                status, message = results[name]
            else:
                status, message = "fail", collection_error or "not run by pytest"
            out.append(Outcome(f"{rel}::{name}", status, message))
        return out
    # the process died (or hung): each test alone, so the one that crashes is the one counted
    out = []
    for name in names:
        one = ctx.workdir / f"{path.stem}.{name}.xml"
        code, output = pytest_run(ctx, f"{path}::{name}", one)
        if code is None:
            out.append(Outcome(f"{rel}::{name}", "crash", f"timed out after {FILE_TIMEOUT} s"))
        elif code < 0 or not one.exists():
            if code < 0:
                try:
                    why = f"signal {-code} ({signal.Signals(-code).name})"
                except ValueError:
                    why = f"signal {-code}"
                out.append(Outcome(f"{rel}::{name}", "crash", f"the test process died with {why}"))
            else:
                tail = output.strip().splitlines()[-1:] or [""]
                out.append(Outcome(f"{rel}::{name}", "crash", f"pytest exited {code} without a report: {tail[0]}"))
        else:
            results, collection_error = parse_report(one)
            status, message = results.get(name, ("fail", collection_error or "not run by pytest"))
            out.append(Outcome(f"{rel}::{name}", status, message))
    return out


def run(ctx: Context) -> list[Outcome]:
    results: list[Outcome] = []
    for path in sorted((ctx.upstream / "tests").glob("test_*.py")):
        results += run_file(ctx, path)
    return results


SUITES = [Suite(name="wasmer-python-1.2.0", lang="python", commit="9d3f2ddd59f612da2273a70237db8fffb610aa20",
                run=run, doc="pytest, a process per file (per test after a crash)")]

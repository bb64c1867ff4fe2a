"""wasmer-php's own test suites, unchanged, against bindings/php (build/php/wasm.so).

wasmer-php 0.5.1 (php-ext-wasm, tests/units): written for atoum, which comes only through Composer. They run
under compat/php/atoum.php, a small atoum-compatible stand-in (the asserters, data providers and function
mocker those tests use). Each test (each data-provider case) runs in its own php process, so a crash (a
signal, or a php that dies without reporting) is counted against that test alone. Test ids are
"units/<file>::<method>" plus "#<case>" for a data-provider case (its key, or its index).

wasmer-php 1.1.0 (ext/tests/*.phpt): PHP's own run-tests.php (php-dev), each test in its own process, its
JUnit report (TEST_PHP_JUNIT) read back; temporary files go to build/compat/<suite>/ (--temp-source/-target),
never into the upstream folder. A test whose output shows a signal (run-tests.php's "Termsig=") is a crash.
Test ids are the .phpt paths relative to ext/tests. The 11 tests upstream skips itself (SKIPIF `if (true)
print 'skip ...'`, one on PHP >= 8.1) are not counted: upstream never ran them either.
"""

from __future__ import annotations

import glob
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from compat.core import Context, Outcome, Suite

TEST_TIMEOUT = 120  # seconds for one atoum test
RESULT = re.compile(r"^ATOUM-RESULT (.*)$", re.M)


def extension(ctx: Context) -> Path:
    so = ctx.root / "build" / "php" / "wasm.so"
    if not so.exists():
        raise SystemExit(f"compat: {so} is missing: build it first (python3 -m nox -s build-php)")
    return so


def php_env(ctx: Context) -> dict[str, str]:
    tmp = ctx.workdir / "tmp"  # sys_get_temp_dir(): the cache tests' directories (emptied by run_051)
    tmp.mkdir(parents=True, exist_ok=True)
    return {**ctx.env, "TMPDIR": str(tmp), "NO_INTERACTION": "1"}


# --------------------------------------------------------------------------- 0.5.1: atoum stand-in

def atoum(ctx: Context, *args: str) -> subprocess.CompletedProcess[str]:
    cmd = ["php", "-n", "-d", f"extension={extension(ctx)}", "-d", "error_reporting=E_ALL",
           str(ctx.root / "compat" / "php" / "atoum.php"), *args]
    return subprocess.run(cmd, cwd=ctx.workdir, env=php_env(ctx), capture_output=True, text=True,
                          timeout=TEST_TIMEOUT, errors="replace")


def run_atoum_test(ctx: Context, file: Path, rel: str, case: str) -> Outcome:
    test_id = rel + "::" + case.rsplit("::", 1)[1]
    try:
        proc = atoum(ctx, "run", str(file), case)
    except subprocess.TimeoutExpired:
        return Outcome(test_id, "fail", f"timed out after {TEST_TIMEOUT} s")
    found = RESULT.findall(proc.stdout)
    if found:
        result = json.loads(found[-1])
        return Outcome(test_id, result["status"], result["message"])
    tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
    if proc.returncode < 0 or proc.returncode in (134, 139):
        return Outcome(test_id, "crash", f"php died (status {proc.returncode}): " + " | ".join(tail))
    return Outcome(test_id, "fail", f"php exited {proc.returncode} without a result: " + " | ".join(tail))


def run_051(ctx: Context) -> list[Outcome]:
    units = ctx.upstream / "tests" / "units"
    shutil.rmtree(ctx.workdir / "tmp", ignore_errors=True)  # the cache directories of an earlier run
    work: list[tuple[Path, str, str]] = []
    outcomes: list[Outcome] = []
    for file in sorted(units.rglob("*.php")):
        rel = "units/" + file.relative_to(units).as_posix()
        listed = atoum(ctx, "list", str(file))
        cases = [line for line in listed.stdout.splitlines() if "::" in line]
        if listed.returncode != 0 or not cases:
            tail = (listed.stdout + listed.stderr).strip().splitlines()[-2:]
            outcomes.append(Outcome(rel, "crash" if listed.returncode < 0 else "fail",
                                    "the test file does not load: " + " | ".join(tail)))
            continue
        work += [(file, rel, case) for case in cases]
    with ThreadPoolExecutor(max_workers=2) as pool:
        outcomes += pool.map(lambda w: run_atoum_test(ctx, *w), work)
    return outcomes


# --------------------------------------------------------------------------- 1.1.0: run-tests.php

def run_tests_php(ctx: Context) -> Path:
    found = sorted(glob.glob("/usr/lib/php/*/build/run-tests.php")) + [
        str(ctx.root / "build" / "php" / "ext" / "run-tests.php")]
    for candidate in found:
        if Path(candidate).exists():
            return Path(candidate)
    raise SystemExit("compat: PHP's run-tests.php is missing (php-dev ships it)")


def run_110(ctx: Context) -> list[Outcome]:
    tests = ctx.upstream / "ext" / "tests"
    out = ctx.workdir / "out"
    junit = ctx.workdir / "junit.xml"
    junit.unlink(missing_ok=True)
    env = {**php_env(ctx), "TEST_PHP_JUNIT": str(junit), "REPORT_EXIT_STATUS": "0"}
    cmd = ["php", str(run_tests_php(ctx)), "-P", "-q", "-j2", "--no-progress", "-n",
           "-d", f"extension={extension(ctx)}", "--temp-source", str(tests), "--temp-target", str(out), str(tests)]
    subprocess.run(cmd, cwd=ctx.workdir, env=env, capture_output=True, text=True, errors="replace")
    outcomes = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        rel = Path(case.get("name", "").split(" (", 1)[0])  # "<path> (<title>)"
        rel = rel.relative_to(tests) if rel.is_absolute() else rel
        test_id = rel.as_posix()
        problem = next((c for c in case if c.tag in ("failure", "error", "skipped")), None)
        if problem is None:
            outcomes.append(Outcome(test_id, "pass"))
            continue
        message = (problem.get("message") or problem.get("type") or "").strip()
        out_file = (out / rel).with_suffix(".out")
        output = out_file.read_text(errors="replace") if out_file.exists() else ""
        if "Termsig=" in output:
            outcomes.append(Outcome(test_id, "crash", f"killed by a signal: {output.strip().splitlines()[-1]}"))
        elif problem.tag == "skipped":
            continue  # upstream's own SKIPIF (`if (true) print 'skip ...'`): upstream never ran it either
        else:
            first = next((line for line in output.splitlines() if line.strip()), "")
            outcomes.append(Outcome(test_id, "fail", f"{message}: {first[:300]}"))
    return outcomes


SUITES = [
    Suite(name="wasmer-php-0.5.1", lang="php", commit="a76150388a2c2f0bd698a77486f6792a5e7bfd3d", run=run_051,
          doc="tests/units under compat/php/atoum.php (an atoum stand-in; atoum comes only through Composer), "
              "one php process per test"),
    Suite(name="wasmer-php-1.1.0", lang="php", commit="d592186dfff0c980314f6dac62f6e26b51478fb1", run=run_110,
          doc="ext/tests/*.phpt with PHP's run-tests.php (php-dev)"),
]

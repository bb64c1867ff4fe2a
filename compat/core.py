"""The drop-in gate: each old Wasmer embedding's own test suite, unchanged, against ours.

A suite module (compat/suites/<lang>.py) runs upstream's tests in place (from
../shared/upstream, or $WASMGEN_UPSTREAM) with upstream's own runner where it
installs here, and reports every test as pass, fail or crash. This module holds
what is the same for every suite: where the suites are, the expectations
(compat/expected/<suite>.yaml: `not_applicable` tests out of scope, `failures`
known shortfalls, each with its reason), the verdict (an unlisted failure, or a
listed test that passes, fails the run) and compat/RESULTS.md.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXPECTED_DIR = Path(__file__).resolve().parent / "expected"
RESULTS_MD = Path(__file__).resolve().parent / "RESULTS.md"
ENV_VAR = "WASMGEN_UPSTREAM"
STATUSES = ("pass", "fail", "crash")


@dataclass(frozen=True)
class Outcome:
    id: str  # stable: "tests/test_memory.py::test_grow", "TestMemory/TestGrow", "001-foo.phpt"
    status: str  # pass | fail | crash
    message: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"{self.id}: status {self.status!r} is not one of {', '.join(STATUSES)}")


@dataclass(frozen=True)
class Context:
    upstream: Path  # this suite's folder under the upstream directory
    root: Path  # the repository
    workdir: Path  # build/compat/<suite>: scratch space of this run
    env: dict[str, str]  # the environment for child processes (WASMER_DIR set)


@dataclass(frozen=True)
class Suite:
    name: str  # the folder under upstream/: "wasmer-python-1.2.0"
    lang: str
    commit: str  # upstream commit (what to fetch when the folder is missing)
    run: Callable[[Context], list[Outcome]]
    doc: str = ""  # how it runs: upstream's runner or the stand-in


@dataclass
class Expected:
    not_applicable: dict[str, str] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)


def upstream_dir() -> Path:
    return Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else ROOT.parent / "shared" / "upstream"


def load_expected(suite: str) -> Expected:
    path = EXPECTED_DIR / f"{suite}.yaml"
    if not path.exists():
        return Expected()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"not_applicable", "failures"}
    if unknown:
        raise SystemExit(f"{path.relative_to(ROOT)}: unknown key(s) {', '.join(sorted(unknown))} "
                         "(allowed: not_applicable, failures)")
    for key in ("not_applicable", "failures"):
        for test, reason in (data.get(key) or {}).items():
            if not isinstance(reason, str) or not reason.strip():
                raise SystemExit(f"{path.relative_to(ROOT)}: {key}.{test}: give the reason as text")
    return Expected(dict(data.get("not_applicable") or {}), dict(data.get("failures") or {}))


@dataclass
class Verdict:
    suite: Suite
    results: list[Outcome]
    expected: Expected
    problems: list[str] = field(default_factory=list)

    @property
    def applicable(self) -> list[Outcome]:
        return [r for r in self.results if r.id not in self.expected.not_applicable]

    @property
    def passed(self) -> int:
        return sum(r.status == "pass" for r in self.applicable)

    @property
    def crashed(self) -> int:
        return sum(r.status == "crash" for r in self.applicable)


def judge(suite: Suite, results: Sequence[Outcome], expected: Expected) -> Verdict:
    verdict = Verdict(suite, list(results), expected)
    where = f"compat/expected/{suite.name}.yaml"
    ids = {r.id for r in results}
    if len(ids) != len(results):
        verdict.problems.append(f"{suite.name}: duplicate test ids in the results (the suite module must name each once)")
    for r in verdict.applicable:
        if r.status != "pass" and r.id not in expected.failures:
            verdict.problems.append(f"{suite.name}: {r.id}: {r.status} (not in {where} `failures`): "
                                    f"{r.message.strip().splitlines()[0] if r.message.strip() else 'no message'}")
        if r.status == "pass" and r.id in expected.failures:
            verdict.problems.append(f"{suite.name}: {r.id}: passes now: remove it from {where} `failures`")
    for listed in sorted((set(expected.failures) | set(expected.not_applicable)) - ids):
        verdict.problems.append(f"{suite.name}: {listed}: listed in {where} but the suite ran no such test")
    return verdict


def results_md(verdicts: Sequence[Verdict]) -> str:
    lines = ["# Drop-in compatibility: the old embeddings' own test suites against ours", "",
             "Written by `python -m compat run` (`nox -s compat`). Each suite runs unchanged from",
             f"`../shared/upstream` (or `${ENV_VAR}`); known failures and tests out of scope are listed,",
             "with their reasons, in `compat/expected/<suite>.yaml`.", "",
             "| suite | runner | passed / applicable | % | total | not applicable | crashes |",
             "|---|---|---|---|---|---|---|"]
    for v in verdicts:
        n = len(v.applicable)
        pct = f"{100 * v.passed / n:.0f}%" if n else "-"
        lines.append(f"| {v.suite.name} | {v.suite.doc} | {v.passed} / {n} | {pct} | {len(v.results)} | "
                     f"{len(v.results) - n} | {v.crashed} |")
    for v in verdicts:
        failing = [r for r in v.applicable if r.status != "pass"]
        if not failing:
            continue
        lines += ["", f"## {v.suite.name}: failing tests", ""]
        for r in sorted(failing, key=lambda r: r.id):
            reason = v.expected.failures.get(r.id, "NOT LISTED")
            lines.append(f"- `{r.id}` ({r.status}): {reason}")
    return "\n".join(lines) + "\n"

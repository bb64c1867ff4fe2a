"""The conformance matrix: every driver on every .wast file, held to the C reference.

`python -m conformance matrix` runs each language's driver over the spec test
files, compares every command with the C reference driver (the wasm C API called
directly: whatever libwasmer gets right, every binding must get right), and
writes conformance/RESULTS.md and RESULTS.json. Its `wasi` row runs the WASI
programs of conformance/wasi_cases.py (one command per case): each language's
result must be the expected one and equal C's (exit code, streams, files).

A command that passes in C but fails in a binding is a difference: a bug in that
binding or the glue, unless conformance/expected_failures.yaml lists it with its
reason. A command that fails in C itself is a limit of the runtime and is listed
there too (lang: c). Listed failures are printed in the matrix, never hidden; an
unlisted difference, or a listed one that no longer fails, fails the run.
"""

from __future__ import annotations

import io
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Sequence

import yaml

from .runner import WASI_ROW, ItemResult, WasiResult, run_wasi_cases, run_wast_files, wasi_row
from .wasi_cases import WASI_CASES

HERE = Path(__file__).resolve().parent
REFERENCE = "c"
EXPECTED_FILE = HERE / "expected_failures.yaml"


@dataclass(frozen=True)
class Expected:
    lang: str
    file: str
    lines: frozenset[int] | None  # None: every failing command of the file
    reason: str

    def covers(self, lang: str, file: str, line: int) -> bool:
        return self.lang == lang and self.file == file and (self.lines is None or line in self.lines)


def load_expected(path: Path = EXPECTED_FILE) -> list[Expected]:
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text()) or []
    out = []
    for i, item in enumerate(data):
        missing = {"lang", "file", "reason"} - set(item)
        if missing:
            raise ValueError(f"{path.name}: entry {i}: missing {', '.join(sorted(missing))}")
        lines = item.get("lines")
        if item.get("cases"):  # the wasi row: cases by name (a case's line is its number)
            numbers = {case.name: n for n, case in enumerate(WASI_CASES, 1)}
            unknown = [c for c in item["cases"] if c not in numbers]
            if item["file"] != WASI_ROW or unknown:
                raise ValueError(f"{path.name}: entry {i}: `cases` names cases of the {WASI_ROW} row "
                                 f"(unknown: {', '.join(unknown) or '-'})")
            lines = [numbers[c] for c in item["cases"]]
        out.append(Expected(item["lang"], item["file"], frozenset(lines) if lines else None, str(item["reason"])))
    return out


@dataclass
class Finding:
    lang: str
    file: str
    line: int
    message: str
    expected: Expected | None  # the entry that lists it, if any


@dataclass
class Matrix:
    langs: list[str]
    files: list[str]
    cells: dict[str, dict[str, ItemResult]] = field(default_factory=dict)  # lang -> file -> result
    findings: list[Finding] = field(default_factory=list)
    stale: list[Expected] = field(default_factory=list)  # listed failures that now pass

    @property
    def unexpected(self) -> list[Finding]:
        return [f for f in self.findings if f.expected is None]

    @property
    def ok(self) -> bool:
        return not self.unexpected and not self.stale


def compare(matrix: Matrix, expected: list[Expected]) -> None:
    """Findings: C's own failures, and each binding command failing where C passes."""
    used: set[Expected] = set()
    ref = matrix.cells.get(REFERENCE, {})
    for lang in matrix.langs:
        for file in matrix.files:
            item = matrix.cells[lang].get(file)
            if item is None:
                continue
            ref_status = {(c.line, c.type): c.status for c in ref[file].commands} if lang != REFERENCE and file in ref else {}
            if item.error is not None:
                entry = next((e for e in expected if e.covers(lang, file, 0)), None)
                matrix.findings.append(Finding(lang, file, 0, item.error, entry))
                if entry:
                    used.add(entry)
            for cmd in item.commands:
                if cmd.status != "fail":
                    continue
                if lang != REFERENCE and ref_status.get((cmd.line, cmd.type)) != "pass":
                    continue  # fails in C too: the runtime's limit, listed under c
                entry = next((e for e in expected if e.covers(lang, file, cmd.line)), None)
                matrix.findings.append(Finding(lang, file, cmd.line, cmd.message, entry))
                if entry:
                    used.add(entry)
    matrix.stale = [e for e in expected if e not in used and e.lang in matrix.langs and e.file in matrix.files]


def apply_listed(lang: str, item: ItemResult, expected: list[Expected]) -> list[str]:
    """Outside the matrix (``python -m conformance wasi``): a failing command that the list covers
    becomes skipped with its reason; returns a STALE line for each listed command that passes
    (the caller fails on those)."""
    notes = []
    for cmd in item.commands:
        entry = next((e for e in expected if e.covers(lang, item.name, cmd.line)), None)
        if entry is None:
            continue
        if cmd.status == "fail":
            cmd.status, cmd.message = "skip", f"listed in expected_failures.yaml: {entry.reason}"
        elif cmd.status == "pass" and entry.lines is not None:
            notes.append(f"STALE {cmd.case or cmd.line}: listed as failing but passes: remove it from "
                         "expected_failures.yaml")
    return notes


def run_matrix(langs: Sequence[str], files: Sequence[Path], *, jobs: int = 1, timeout: float = 60.0,
               log: IO[str] | None = None, wasi_dir: Path | None = None) -> Matrix:
    """``wasi_dir``: the compiled WASI programs (build/wasi): the `wasi` row is run (None: not)."""
    log = log or sys.stdout
    langs = [REFERENCE] + [lang for lang in langs if lang != REFERENCE]
    matrix = Matrix(langs=list(langs), files=[])
    reference: dict[str, WasiResult] | None = None  # C's results of the cases C passes
    for lang in langs:
        buf = io.StringIO()
        summary = run_wast_files(lang, files, jobs=jobs, timeout=timeout, out=buf)
        matrix.cells[lang] = {item.name: item for item in summary.items}
        for item in summary.items:
            if item.name not in matrix.files:
                matrix.files.append(item.name)
        commands = sum(i.passed + i.failed for i in summary.items)
        print(f"{lang:<8} {sum(i.passed for i in summary.items)}/{commands} commands, "
              f"files: {summary.passed} all passing, {summary.failed} with failures", file=log, flush=True)
        if wasi_dir is not None:
            wasi, results = run_wasi_cases(lang, wasi_dir=wasi_dir, timeout=timeout, reference=reference,
                                           out=io.StringIO())
            if reference is None:  # the first language is the reference
                passed = {c.case for i in wasi.items for c in i.commands if c.status == "pass"}
                reference = {name: r for name, r in results.items() if name in passed}
            row = wasi_row(wasi)
            matrix.cells[lang][WASI_ROW] = row
            if WASI_ROW not in matrix.files:
                matrix.files.append(WASI_ROW)
            print(f"{lang:<8} {row.passed}/{row.passed + row.failed} WASI cases", file=log, flush=True)
    compare(matrix, load_expected())
    return matrix


def cell(item: ItemResult | None, marked: bool) -> str:
    if item is None:
        return "-"
    if item.error is not None:
        return "error" + (" *" if marked else "")
    total = item.passed + item.failed
    return f"{item.passed}/{total}" + (" *" if marked else "")


def to_markdown(matrix: Matrix) -> str:
    lines = [
        "# Conformance matrix",
        "",
        "Generated by `python -m conformance matrix` (`nox -s conformance`): every driver on every",
        "spec test file, `passed/total` commands (skipped ones, e.g. text-format modules, are not",
        "counted). `c` is the reference driver: the wasm C API called directly. `*` marks a cell",
        "with failures listed in `conformance/expected_failures.yaml`, given below with their reasons.",
        f"The `{WASI_ROW}` row counts the WASI program cases of `conformance/wasi_cases.py` (real C programs",
        "compiled to wasm32-wasi): exit code, captured stdout/stderr and the files left behind, each",
        "checked exactly and, in every language, equal to C's.",
        "",
        "| file | " + " | ".join(matrix.langs) + " |",
        "|---|" + "---|" * len(matrix.langs),
    ]
    marked = {(f.lang, f.file) for f in matrix.findings if f.expected}
    for file in matrix.files:
        row = [cell(matrix.cells[lang].get(file), (lang, file) in marked) for lang in matrix.langs]
        lines.append(f"| {file} | " + " | ".join(row) + " |")
    totals = []
    for lang in matrix.langs:
        items = list(matrix.cells[lang].values())
        totals.append(f"{sum(i.passed for i in items)}/{sum(i.passed + i.failed for i in items)}")
    lines.append("| **all** | " + " | ".join(totals) + " |")
    lines += ["", "## Listed failures", ""]
    listed = [f for f in matrix.findings if f.expected]
    if not listed:
        lines.append("None.")
    by_entry: dict[Expected, list[Finding]] = {}
    for f in listed:
        assert f.expected is not None
        by_entry.setdefault(f.expected, []).append(f)
    for entry, found in by_entry.items():
        names = [WASI_CASES[f.line - 1].name if entry.file == WASI_ROW and 0 < f.line <= len(WASI_CASES)
                 else str(f.line) for f in found[:12]]
        where = ", ".join(names) + (" ..." if len(found) > 12 else "")
        lines.append(f"- **{entry.lang}**, {entry.file} ({'case' if entry.file == WASI_ROW else 'line'} {where}): "
                     f"{entry.reason}")
    if matrix.unexpected or matrix.stale:
        lines += ["", "## Unlisted differences (bugs)", ""]
        for f in matrix.unexpected:
            lines.append(f"- **{f.lang}**, {f.file}:{f.line}: {f.message}")
        for e in matrix.stale:
            lines.append(f"- **{e.lang}**, {e.file}: listed as failing but passes now: remove it from the list")
    return "\n".join(lines) + "\n"


def to_json(matrix: Matrix) -> dict[str, Any]:
    return {
        "reference": REFERENCE,
        "langs": matrix.langs,
        "files": {
            file: {lang: ({"passed": item.passed, "failed": item.failed, "skipped": item.skipped,
                           "error": item.error} if (item := matrix.cells[lang].get(file)) else None)
                   for lang in matrix.langs}
            for file in matrix.files
        },
        "findings": [{"lang": f.lang, "file": f.file, "line": f.line, "message": f.message,
                      "listed": f.expected.reason if f.expected else None} for f in matrix.findings],
        "stale": [{"lang": e.lang, "file": e.file, "reason": e.reason} for e in matrix.stale],
    }


def write(matrix: Matrix, md: Path, js: Path) -> None:
    md.write_text(to_markdown(matrix))
    js.write_text(json.dumps(to_json(matrix), indent=1, sort_keys=True) + "\n")

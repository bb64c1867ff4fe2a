"""The matrix's comparison with the C reference, on made-up results."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.matrix import Expected, Matrix, apply_listed, compare, load_expected, to_markdown
from conformance.runner import WASI_ROW, CommandResult, ItemResult
from conformance.wasi_cases import WASI_CASES


def item(file: str, statuses: dict[int, str]) -> ItemResult:
    return ItemResult(file, "file", [CommandResult(file, line, "assert_return", st, f"msg {line}")
                                     for line, st in statuses.items()])


def matrix(c: dict[int, str], py: dict[int, str]) -> Matrix:
    m = Matrix(langs=["c", "python"], files=["a.wast"])
    m.cells = {"c": {"a.wast": item("a.wast", c)}, "python": {"a.wast": item("a.wast", py)}}
    return m


def test_a_binding_failing_where_c_passes_is_a_difference() -> None:
    m = matrix({1: "pass", 2: "pass"}, {1: "pass", 2: "fail"})
    compare(m, [])
    assert [(f.lang, f.line) for f in m.unexpected] == [("python", 2)]
    assert not m.ok


def test_a_listed_difference_is_printed_not_failed() -> None:
    m = matrix({1: "pass", 2: "pass"}, {1: "pass", 2: "fail"})
    entry = Expected("python", "a.wast", frozenset({2}), "floats are doubles")
    compare(m, [entry])
    assert m.ok and m.findings[0].expected is entry
    md = to_markdown(m)
    assert "1/2 *" in md and "floats are doubles" in md


def test_failures_c_shares_are_the_runtimes_and_listed_under_c() -> None:
    m = matrix({1: "fail"}, {1: "fail"})
    compare(m, [])
    assert [(f.lang, f.line) for f in m.unexpected] == [("c", 1)]  # C's own failure must be listed
    m = matrix({1: "fail"}, {1: "fail"})
    compare(m, [Expected("c", "a.wast", None, "libwasmer limit")])
    assert m.ok  # and the binding is not blamed for it


def test_a_listed_failure_that_now_passes_is_stale() -> None:
    m = matrix({1: "pass"}, {1: "pass"})
    compare(m, [Expected("python", "a.wast", None, "fixed since")])
    assert not m.ok and m.stale


def test_the_shipped_list_loads_and_every_entry_has_a_reason() -> None:
    entries = load_expected()
    assert entries and all(e.reason.strip() for e in entries)
    spec = Path(__file__).resolve().parents[1] / "spectest"
    assert all((spec / e.file).exists() or e.file == WASI_ROW for e in entries)


def test_wasi_entries_name_cases(tmp_path: Path) -> None:
    listed = tmp_path / "x.yaml"
    listed.write_text("- {lang: go, file: wasi, cases: [cat_text, echo_args_env], reason: r}\n")
    numbers = {c.name: n for n, c in enumerate(WASI_CASES, 1)}
    assert load_expected(listed)[0].lines == {numbers["cat_text"], numbers["echo_args_env"]}
    listed.write_text("- {lang: go, file: wasi, cases: [no_such_case], reason: r}\n")
    with pytest.raises(ValueError, match="no_such_case"):
        load_expected(listed)


def test_listed_wasi_failures_outside_the_matrix() -> None:
    row = ItemResult(WASI_ROW, "file", [CommandResult(WASI_ROW, n, "wasi", st, "m", case=f"c{n}")
                                        for n, st in [(1, "fail"), (2, "pass"), (3, "fail")]])
    entries = [Expected("go", WASI_ROW, frozenset({1, 2}), "why")]
    notes = apply_listed("go", row, entries)
    assert [c.status for c in row.commands] == ["skip", "pass", "fail"]
    assert "why" in row.commands[0].message and len(notes) == 1 and notes[0].startswith("STALE c2")

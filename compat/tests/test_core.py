"""The verdict of the drop-in gate, on made-up results."""

from __future__ import annotations

from compat.core import Expected, Suite, Outcome, judge, results_md


def suite() -> Suite:
    return Suite("wasmer-x-1.0", "python", "0" * 40, run=lambda ctx: [], doc="pytest")


def test_listed_failures_and_out_of_scope_tests_pass_the_gate() -> None:
    results = [Outcome("a", "pass"), Outcome("b", "fail", "boom"), Outcome("c", "crash"),
               Outcome("wasi", "fail")]
    v = judge(suite(), results, Expected({"wasi": "WASI: issue 14"}, {"b": "no Buffer yet", "c": "segfault"}))
    assert v.problems == []
    assert (v.passed, len(v.applicable), v.crashed) == (1, 3, 1)
    md = results_md([v])
    assert "| wasmer-x-1.0 | pytest | 1 / 3 | 33% | 4 | 1 | 1 |" in md
    assert "- `b` (fail): no Buffer yet" in md


def test_unlisted_failure_listed_pass_and_stale_entries_fail_the_gate() -> None:
    results = [Outcome("a", "fail", "AssertionError: 1 != 2\nmore"), Outcome("b", "pass")]
    v = judge(suite(), results, Expected({"gone": "x"}, {"b": "was broken"}))
    assert v.problems == [
        "wasmer-x-1.0: a: fail (not in compat/expected/wasmer-x-1.0.yaml `failures`): AssertionError: 1 != 2",
        "wasmer-x-1.0: b: passes now: remove it from compat/expected/wasmer-x-1.0.yaml `failures`",
        "wasmer-x-1.0: gone: listed in compat/expected/wasmer-x-1.0.yaml but the suite ran no such test",
    ]


def test_a_status_outside_the_vocabulary_is_refused() -> None:
    try:
        Outcome("a", "skipped")
    except ValueError as exc:
        assert "pass, fail, crash" in str(exc)
    else:
        raise AssertionError("accepted")

"""The reliability runner against a fake program: counting, crashes, resumption, the table."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import reliability
from conformance.drivers import DriverCommand

FAKE = Path(__file__).resolve().parent / "fake_program.py"
SIZES = reliability.Sizes(mutants=20, cycles=100, calls=10)


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(reliability.programs, "resolve", lambda lang, root: DriverCommand(argv=[sys.executable, str(FAKE)]))
    return reliability.write_inputs(tmp_path, SIZES.mutants)


def test_mutants_are_the_same_whatever_the_count(tmp_path: Path) -> None:
    a = reliability.write_inputs(tmp_path / "a", 5)
    b = reliability.write_inputs(tmp_path / "b", 20)
    for n in range(5):
        assert (a / "mutants" / f"{n:06d}.wasm").read_bytes() == (b / "mutants" / f"{n:06d}.wasm").read_bytes()
    assert len(list((b / "mutants").glob("*.wasm"))) == 20
    assert (b / "traps.wasm").exists() and (b / "simple.wasm").exists()


def test_clean_run(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_RELIABILITY", raising=False)
    cells = reliability.run_language("fake", inputs, SIZES)
    assert cells["mutants"].inputs == 20 and cells["mutants"].typed == 10 and cells["mutants"].ok == 10
    assert cells["traps"].text() == "2 in, 1 ok, 1 typed"
    assert cells["cycles"].rss_kib == 100 and cells["cycles"].inputs == 11
    assert cells["threads"].skipped == 1
    assert not reliability.failures({"fake": cells}, SIZES)


def test_a_crashing_mutant_is_counted_and_the_rest_still_run(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_RELIABILITY", "crash_mutant=7")
    cell = reliability.run_language("fake", inputs, SIZES)["mutants"]
    assert cell.crashes == 1 and cell.inputs == 19
    assert cell.notes[0].startswith("mutant 000007: fake mutants 0 20: killed by SIGSEGV")


def test_wrong_crash_stray_and_rss_fail_their_cells(inputs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_RELIABILITY", f"wrong=host,crash=misuse,rss={reliability.RSS_BOUND_KIB + 1},stray=traps")
    cells = reliability.run_language("fake", inputs, SIZES)
    assert cells["host"].wrong == 1 and "host/second: wrong (returned 0)" in cells["host"].notes[0]
    assert cells["misuse"].crashes == 1 and "killed by SIGABRT" in cells["misuse"].notes[0]
    assert cells["traps"].crashes == 1 and "stray stdout 'hello'" in cells["traps"].notes[0]
    bad = reliability.failures({"fake": cells}, SIZES)
    assert any(line.startswith("fake: instantiate/call/release cycles") for line in bad)
    table = reliability.table({"fake": cells}, SIZES)
    assert "| host functions: raise, wrong type/count | 2 in, 1 ok, 0 typed, **1 wrong** |" in table

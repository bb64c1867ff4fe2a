"""The runner's WASI cases (conformance/wasi_cases.py, runner.run_wasi_cases) against the fake
driver, whose `wasi` request runs Python stand-ins for the programs (no wasm runtime needed)."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import sys
from pathlib import Path

import pytest

from conformance import __main__ as cli
from conformance import drivers, matrix, runner
from conformance.drivers import DriverCommand
from conformance.runner import (
    WASI_ROW,
    ConformanceError,
    Outcome,
    WasiResult,
    check_wasi,
    expected_tree,
    make_wasi_dir,
    run_wasi_cases,
    snapshot_tree,
    tree_difference,
    wasi_request,
    wasi_result,
)
from conformance.wasi_cases import FIXTURE, WASI_CASES, Prefix, WasiCase

FAKE = Path(__file__).with_name("fake_driver.py")
FAKE_CMD = [sys.executable, str(FAKE)]
CASES = {c.name: c for c in WASI_CASES}


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_DRIVER", raising=False)
    monkeypatch.delenv(runner.RUNTOOL_ENV, raising=False)


@pytest.fixture
def programs(tmp_path: Path) -> Path:
    """Placeholder .wasm files: the fake driver runs programs by their name."""
    d = tmp_path / "wasi"
    d.mkdir()
    for name in {c.program for c in WASI_CASES}:
        (d / f"{name}.wasm").write_bytes(b"\0asm\1\0\0\0")
    return d


def run(programs: Path, modes: str = "", monkeypatch: pytest.MonkeyPatch | None = None,
        **kw: object) -> tuple[runner.RunSummary, dict[str, WasiResult], str]:
    if modes and monkeypatch is not None:
        monkeypatch.setenv("FAKE_DRIVER", modes)
    out = io.StringIO()
    summary, results = run_wasi_cases("fake", wasi_dir=programs, driver_cmd=FAKE_CMD, out=out, runtool=[],
                                      **kw)  # type: ignore[arg-type]
    return summary, results, out.getvalue()


def failures(summary: runner.RunSummary) -> dict[str, str]:
    return {c.case or "": c.message for i in summary.items for c in i.commands if c.status == "fail"}


# --------------------------------------------------------------------------- the table


def test_the_table_covers_the_programs_and_the_sandbox() -> None:
    assert {c.program for c in WASI_CASES} == {"echo", "streams", "cat", "copy", "mutate"}
    assert len(CASES) == len(WASI_CASES)  # names are unique
    exits = {c.exit for c in WASI_CASES if c.program == "streams"}
    assert 0 in exits and len(exits - {0, None}) >= 2
    assert any(c.stdin == b"" for c in WASI_CASES) and any(c.stdin is None for c in WASI_CASES)
    assert any(c.stdin and set(range(256)) <= set(c.stdin) for c in WASI_CASES)
    sandbox = [c for c in WASI_CASES if c.name.startswith("sandbox_")]
    given = " ".join(a for c in sandbox for a in c.args)
    assert "/../" in given and "/in/escape" in given and "/etc/passwd" in given
    assert all((c.exit == 1 or c.program == "mutate") and not c.files for c in sandbox)  # refused, nothing written
    assert {c.error for c in WASI_CASES} == {None, "argument"}


def test_request_substitutes_the_case_directory(tmp_path: Path) -> None:
    case = CASES["copy_preopened"]
    req = wasi_request(case, Path("/x/copy.wasm"), tmp_path)
    assert req["op"] == "wasi" and req["program"] == "copy" and req["path"] == "/x/copy.wasm"
    assert req["args"] == [f"{tmp_path}/in/a.txt", f"{tmp_path}/out/b.txt"]
    assert req["preopens"] == [f"{tmp_path}/in", f"{tmp_path}/out"] and req["maps"] == []
    assert req["stdin"] is None and req["capture"] == ["stdout", "stderr"]
    req = wasi_request(CASES["cat_binary"], Path("/x/cat.wasm"), tmp_path)
    assert base64.b64decode(req["stdin"]) == CASES["cat_binary"].stdin
    assert wasi_request(CASES["cat_empty"], Path("/x/cat.wasm"), tmp_path)["stdin"] == ""
    req = wasi_request(CASES["echo_args_env"], Path("/x/echo.wasm"), tmp_path)
    assert req["env"][0] == ["FOO", "bar=baz"] and json.loads(json.dumps(req)) == req


def test_fixture_directory_and_its_snapshot(tmp_path: Path) -> None:
    make_wasi_dir(tmp_path)
    tree = snapshot_tree(tmp_path)
    assert tree == expected_tree(CASES["echo_nothing_inherited"])
    assert tree["in/abs"] == "-> {tmp}/secret.txt" and tree["in/escape"] == "-> ../secret.txt"
    assert tree["out"] == "<dir>" and tree["in/bin.dat"] == FIXTURE["in/bin.dat"]
    (tmp_path / "out" / "x").write_bytes(b"new")
    (tmp_path / "in" / "a.txt").write_bytes(b"changed")
    (tmp_path / "secret.txt").unlink()
    problem = tree_difference(expected_tree(CASES["echo_nothing_inherited"]), snapshot_tree(tmp_path))
    assert problem is not None
    assert "in/a.txt is b'changed'" in problem and "out/x created" in problem and "secret.txt missing" in problem


def outcome(**fields: object) -> Outcome:
    return Outcome.of({"ok": True, **fields})


def test_response_validation(tmp_path: Path) -> None:
    make_wasi_dir(tmp_path)
    case = CASES["streams_stdout_only"]  # stdout captured, stderr not
    good = wasi_result(case, outcome(exit=3, stdout=base64.b64encode(f"at {tmp_path}".encode()).decode(),
                                     stderr=None), tmp_path)
    assert isinstance(good, WasiResult) and good.stdout == b"at {tmp}" and good.stderr is None
    assert "expected null" in str(wasi_result(case, outcome(exit=3, stdout="", stderr=""), tmp_path))
    assert "base64" in str(wasi_result(case, outcome(exit=3, stdout="not base64!", stderr=None), tmp_path))
    assert "base64 string" in str(wasi_result(case, outcome(exit=3, stdout=None, stderr=None), tmp_path))
    assert "non-negative" in str(wasi_result(case, outcome(exit=True, stdout="", stderr=None), tmp_path))
    assert "non-negative" in str(wasi_result(case, outcome(stdout="", stderr=None), tmp_path))  # no "exit"
    failed = wasi_result(case, Outcome(False, "link", "no"), tmp_path)
    assert isinstance(failed, WasiResult) and failed.error == "link"


def test_check_exact_prefix_and_reference() -> None:
    tree = tuple(expected_tree(CASES["streams_exit_7"]).items())
    case = CASES["streams_exit_7"]
    right = WasiResult(None, 7, b"to stdout", b"to stderr 7", tree)
    assert check_wasi(case, right) is None
    assert "expected exit 7, got a return" in str(check_wasi(case, dataclasses.replace(right, exit=None)))
    assert "stderr: expected" in str(check_wasi(case, dataclasses.replace(right, stderr=b"to stderr")))
    assert "got link error" in str(check_wasi(case, WasiResult("link", None, None, None, tree)))
    prefixed = dataclasses.replace(case, stderr=Prefix(b"to std"))
    assert check_wasi(prefixed, right) is None
    assert check_wasi(prefixed, dataclasses.replace(right, stderr=b"other")) is not None
    other = dataclasses.replace(right, stderr=b"to stderr 7!")
    assert "differs from the C reference" in str(check_wasi(prefixed, right, reference=other))
    assert check_wasi(prefixed, right, reference=right) is None


# --------------------------------------------------------------------------- against the fake driver


def test_every_case_passes_with_a_correct_driver(programs: Path) -> None:
    summary, results, out = run(programs)
    assert summary.failed == 0 and summary.passed == len(WASI_CASES), out
    assert set(results) == set(CASES)
    assert results["copy_preopened"].stdout == b"copied {tmp}/in/a.txt to {tmp}/out/b.txt\n"
    assert [c.line for i in summary.items for c in i.commands] == list(range(1, len(WASI_CASES) + 1))
    row = runner.wasi_row(summary)
    assert row.name == WASI_ROW and row.passed == len(WASI_CASES)


@pytest.mark.parametrize(("modes", "case", "words"), [
    ("wasi_wrong=to stdout", "streams_exit_7", "stdout: expected b'to stdout', got b'to stdout!'"),
    ("wasi_leak", "copy_mapped", "out/leak.txt created"),
    ("wasi_inherit", "echo_nothing_inherited", "env: PATH="),
    ("wasi_exit0", "cat_text", "expected a return from _start, got exit 0"),
    ("wasi_raw", "cat_text", "not valid base64"),
    ("wasi_not_null", "streams_discarded", "stdout was not captured: expected null"),
])
def test_a_wrong_driver_fails_the_case(programs: Path, monkeypatch: pytest.MonkeyPatch, modes: str, case: str,
                                       words: str) -> None:
    summary, _, out = run(programs, modes, monkeypatch)
    failed = failures(summary)
    assert case in failed and words in failed[case], out


def test_a_difference_from_the_reference_fails(programs: Path) -> None:
    _, reference, _ = run(programs)
    reference["cat_text"] = dataclasses.replace(reference["cat_text"], exit=None, stdout=b"line one\nline two\n")
    reference["echo_program_name"] = dataclasses.replace(reference["echo_program_name"], stderr=b"C said more")
    summary, _, _ = run(programs, reference=reference)
    assert list(failures(summary)) == ["echo_program_name"]
    assert "C gave returned, stdout b'arg 0: my program\\narg 1: x\\n', stderr b'C said more'" \
        in failures(summary)["echo_program_name"]


def test_an_error_answer_fails_the_case_with_its_message(programs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a program the fake does not know: a link error, reported with its message; the next case runs
    case = WasiCase("unknown", "nothing", "a program the fake driver has not")
    (programs / "nothing.wasm").write_bytes(b"")
    summary, _, _ = run(programs, cases=[case, CASES["cat_text"]])
    assert "expected returned, got link error" in failures(summary)["unknown"]
    assert "no WASI program 'nothing'" in failures(summary)["unknown"]
    assert summary.passed == 1


def test_missing_programs_say_how_to_build_them(tmp_path: Path) -> None:
    with pytest.raises(ConformanceError, match="wasi_programs"):
        run_wasi_cases("fake", wasi_dir=tmp_path, driver_cmd=FAKE_CMD, out=io.StringIO())


def test_cli_wasi(programs: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    js = tmp_path / "wasi.json"
    code = cli.main(["wasi", "--driver-cmd", " ".join(FAKE_CMD), "--wasi-dir", str(programs), "--json", str(js)])
    assert code == 0
    assert f"{len(WASI_CASES)} passed, 0 failed" in capsys.readouterr().out
    assert json.loads(js.read_text())["passed"] == len(WASI_CASES)


def test_the_matrix_row_holds_each_language_to_c(programs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake(modes: str) -> drivers.DriverEntry:
        return lambda root: DriverCommand(argv=FAKE_CMD, env={"FAKE_DRIVER": modes})
    monkeypatch.setattr(drivers, "DRIVERS", {"c": fake(""), "good": fake(""), "bad": fake("wasi_inherit")})
    monkeypatch.setattr(matrix, "load_expected", lambda: [])
    m = matrix.run_matrix(["good", "bad"], [], wasi_dir=programs, log=io.StringIO())
    assert m.files == [WASI_ROW]
    assert m.cells["good"][WASI_ROW].passed == len(WASI_CASES)
    assert [(f.lang, f.file) for f in m.unexpected] == [("bad", WASI_ROW)] * len([
        c for c in WASI_CASES if c.program == "echo" and c.error is None])
    md = matrix.to_markdown(m)
    assert f"| {WASI_ROW} | {len(WASI_CASES)}/{len(WASI_CASES)} |" in md and "env: PATH=" in md

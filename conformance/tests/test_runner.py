"""Tests of the conformance runner against the fake driver (no wasm runtime needed)."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest

from conformance import __main__ as cli
from conformance import drivers, runner
from conformance.runner import (
    COMMAND_TYPES,
    ConformanceError,
    RunSummary,
    build_seeds,
    check_results,
    run_seed_cases,
    run_wast_files,
    skip_reason,
    value_matches,
)

FAKE = Path(__file__).with_name("fake_driver.py")
FAKE_CMD = [sys.executable, str(FAKE)]
SPECTEST = Path("/work/shared/spectest")

needs_wabt = pytest.mark.skipif(
    shutil.which("wast2json") is None or shutil.which("wat2wasm") is None,
    reason="wabt (wat2wasm, wast2json) not installed",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_DRIVER", raising=False)
    monkeypatch.delenv(runner.RUNTOOL_ENV, raising=False)


def run_wast(tmp_path: Path, sources: dict[str, str], **kwargs: object) -> tuple[RunSummary, str]:
    files = []
    for name, text in sources.items():
        path = tmp_path / name
        path.write_text(text)
        files.append(path)
    out = io.StringIO()
    kwargs.setdefault("runtool", [])
    summary = run_wast_files("fake", files, driver_cmd=FAKE_CMD, out=out, **kwargs)  # type: ignore[arg-type]
    return summary, out.getvalue()


def statuses(summary: RunSummary) -> dict[int, str]:
    return {c.line: c.status for item in summary.items for c in item.commands}


def messages(summary: RunSummary) -> dict[int, str]:
    return {c.line: c.message for item in summary.items for c in item.commands}


ECHO_MODULE = """(module
  (func (export "echo_i32") (param i32) (result i32) local.get 0)
  (func (export "echo_f32") (param f32) (result f32) local.get 0)
  (func (export "echo_f64") (param f64) (result f64) local.get 0)
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) (func (export "mystery")))
"""

# A file where every command passes with a correct driver (one text module skipped).
GOOD_WAST = """(module $A
  (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
  (func (export "div_s") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s)
  (func (export "trap") unreachable)
  (func $r (export "runaway") call $r)
  (global (export "g") i32 (i32.const -7))
  (func (export "echo_f32") (param f32) (result f32) local.get 0)
  (func (export "echo_f64") (param f64) (result f64) local.get 0))
(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "sum" (i32.const -1) (i32.const 0)) (i32.const -1))
(assert_return (invoke "div_s" (i32.const -6) (i32.const 2)) (i32.const -3))
(assert_trap (invoke "div_s" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_trap (invoke "trap") "unreachable")
(assert_exhaustion (invoke "runaway") "call stack exhausted")
(assert_return (get "g") (i32.const -7))
(assert_return (invoke "echo_f32" (f32.const -0.0)) (f32.const -0.0))
(assert_return (invoke "echo_f32" (f32.const nan)) (f32.const nan:canonical))
(assert_return (invoke "echo_f32" (f32.const -nan)) (f32.const nan:canonical))
(assert_return (invoke "echo_f32" (f32.const nan:0x600000)) (f32.const nan:arithmetic))
(assert_return (invoke "echo_f64" (f64.const -nan:0xc000000000000)) (f64.const nan:arithmetic))
(assert_return (invoke "echo_f64" (f64.const nan)) (f64.const nan:canonical))
(invoke "sum" (i32.const 0) (i32.const 0))
(register "A" $A)
(module $B (import "A" "sum" (func (param i32 i32) (result i32)))
  (func (export "add") (param i32 i32) (result i32) local.get 0))
(assert_return (invoke $A "sum" (i32.const 2) (i32.const 2)) (i32.const 4))
(assert_return (invoke "add" (i32.const 2) (i32.const 2)) (i32.const 4))
(assert_invalid (module (func (result i32))) "type mismatch")
(assert_malformed (module binary "\\00asm\\02\\00\\00\\00") "unknown binary version")
(assert_malformed (module quote "(func") "unexpected token")
(assert_unlinkable (module (import "nowhere" "f" (func))) "unknown import")
(assert_trap (module (func $s unreachable) (start $s)) "unreachable")
"""


# ----------------------------------------------------------------------------- values


def f32(bits: int) -> dict[str, str]:
    return {"type": "f32", "value": str(bits)}


def f64(bits: int) -> dict[str, str]:
    return {"type": "f64", "value": str(bits)}


@pytest.mark.parametrize(("pattern", "bits", "matches"), [
    ("nan:canonical", 0x7FC0_0000, True),
    ("nan:canonical", 0xFFC0_0000, True),   # sign is free
    ("nan:canonical", 0x7FE0_0000, False),  # extra payload bit
    ("nan:canonical", 0x7FA0_0000, False),  # signalling
    ("nan:canonical", 0x7F80_0000, False),  # +inf
    ("nan:arithmetic", 0x7FC0_0000, True),
    ("nan:arithmetic", 0xFFE0_0001, True),
    ("nan:arithmetic", 0x7FA0_0000, False),  # top mantissa bit clear
    ("nan:arithmetic", 0x7F80_0000, False),
    ("nan:arithmetic", 0x3FC0_0000, False),  # exponent not all ones
])
def test_f32_nan_patterns(pattern: str, bits: int, matches: bool) -> None:
    assert value_matches({"type": "f32", "value": pattern}, f32(bits)) is matches


@pytest.mark.parametrize(("pattern", "bits", "matches"), [
    ("nan:canonical", 0x7FF8_0000_0000_0000, True),
    ("nan:canonical", 0xFFF8_0000_0000_0000, True),
    ("nan:canonical", 0x7FF8_0000_0000_0001, False),
    ("nan:arithmetic", 0x7FFC_0000_0000_0000, True),
    ("nan:arithmetic", 0x7FF4_0000_0000_0000, False),
    ("nan:arithmetic", 0x7FF0_0000_0000_0000, False),
])
def test_f64_nan_patterns(pattern: str, bits: int, matches: bool) -> None:
    assert value_matches({"type": "f64", "value": pattern}, f64(bits)) is matches


def test_bit_exact_floats_and_zero_sign() -> None:
    assert value_matches(f32(0x8000_0000), f32(0x8000_0000))
    assert not value_matches(f32(0x8000_0000), f32(0))
    assert not value_matches(f64(0), f64(1 << 63))
    assert value_matches(f32(0x7FA0_0000), f32(0x7FA0_0000))  # exact NaN payload
    assert not value_matches(f32(0x7FA0_0000), f32(0x7FC0_0000))
    assert not value_matches(f32(0), {"type": "i32", "value": "0"})  # type matters


def test_integer_encoding_is_strict() -> None:
    expected = [{"type": "i32", "value": "4294967295"}]
    assert check_results(expected, [{"type": "i32", "value": "4294967295"}]) is None
    reason = check_results(expected, [{"type": "i32", "value": "-1"}])
    assert reason is not None and "wire encoding" in reason
    reason = check_results(expected, [{"type": "i32", "value": 4294967295}])
    assert reason is not None and "wire encoding" in reason
    reason = check_results(expected, [{"type": "i32", "value": str(1 << 32)}])
    assert reason is not None and "wire encoding" in reason
    assert check_results(expected, []) == "expected (i32:4294967295 (-1)), got ()"
    assert "results" in str(check_results(expected, None))


def test_reference_values() -> None:
    assert value_matches({"type": "externref", "value": "1"}, {"type": "externref", "value": "1"})
    assert not value_matches({"type": "externref", "value": "1"}, {"type": "externref", "value": "2"})
    assert not value_matches({"type": "externref", "value": "null"}, {"type": "externref", "value": "1"})
    assert value_matches({"type": "funcref", "value": "null"}, {"type": "funcref", "value": "null"})
    assert value_matches({"type": "funcref", "value": "0"}, {"type": "funcref", "value": "7"})
    assert not value_matches({"type": "funcref", "value": "0"}, {"type": "funcref", "value": "null"})


def test_failure_message_shows_both_values_readably() -> None:
    reason = check_results([f32(0x8000_0000)], [f32(0)])
    assert reason == "expected (f32:2147483648 (-0.0)), got (f32:0 (0.0))"
    reason = check_results([{"type": "f32", "value": "nan:canonical"}], [f32(0x7FA0_0000)])
    assert reason == "expected (f32:nan:canonical), got (f32:2141192192 (nan:0x200000))"


def test_skip_reasons() -> None:
    assert skip_reason({"type": "assert_malformed", "module_type": "text"}) is not None
    assert skip_reason({"type": "assert_invalid", "module_type": "binary"}) is None
    v128 = {"type": "v128", "lane_type": "i32", "value": ["1", "2", "3", "4"]}
    cmd = {"type": "assert_return", "action": {"type": "invoke", "field": "f", "args": []},
           "expected": [v128]}
    assert "v128" in str(skip_reason(cmd))
    cmd = {"type": "assert_return", "action": {"type": "invoke", "field": "f", "args": [v128]},
           "expected": []}
    assert "v128" in str(skip_reason(cmd))


# ----------------------------------------------------------------------------- seeds


@needs_wabt
def test_build_seeds_compiles_and_is_a_noop_when_up_to_date(tmp_path: Path) -> None:
    seeds = build_seeds(tmp_path)
    assert set(seeds) == {"simple", "import", "memory"}
    for wasm in seeds.values():
        assert wasm.read_bytes()[:4] == b"\0asm"
    mtimes = {name: path.stat().st_mtime_ns for name, path in seeds.items()}
    time.sleep(0.01)
    build_seeds(tmp_path)
    assert mtimes == {name: path.stat().st_mtime_ns for name, path in seeds.items()}


def test_build_seeds_names_the_wabt_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(ConformanceError, match="Debian package `wabt`"):
        build_seeds(tmp_path / "out")


@needs_wabt
def test_seed_cases_pass(tmp_path: Path) -> None:
    out = io.StringIO()
    summary = run_seed_cases("fake", driver_cmd=FAKE_CMD, build_dir=tmp_path, out=out, runtool=[])
    assert out.getvalue().splitlines() == [
        "PASS sum", "PASS add1", "PASS return_hello", "3 passed, 0 failed"]
    assert summary.exit_code == 0


@needs_wabt
def test_seed_wrong_value_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "wrong_on=add1")
    out = io.StringIO()
    summary = run_seed_cases("fake", driver_cmd=FAKE_CMD, build_dir=tmp_path, out=out, runtool=[])
    lines = out.getvalue().splitlines()
    assert lines[1] == 'FAIL add1: invoke "add1"(i32:1, i32:2): expected (i32:4), got (i32:5)'
    assert lines[-1] == "2 passed, 1 failed"
    assert summary.exit_code == 1


@needs_wabt
def test_seed_crash_restarts_driver_for_next_case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "crash_on=sum")
    out = io.StringIO()
    run_seed_cases("fake", driver_cmd=FAKE_CMD, build_dir=tmp_path, out=out, runtool=[])
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("FAIL sum: driver crashed: exit code 3")
    assert "fake driver: crashing on sum" in lines[0]  # stderr tail
    assert lines[1:] == ["PASS add1", "PASS return_hello", "2 passed, 1 failed"]


@needs_wabt
def test_seed_crash_at_quit_is_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "crash_at_quit")
    out = io.StringIO()
    summary = run_seed_cases("fake", driver_cmd=FAKE_CMD, build_dir=tmp_path, out=out, runtool=[])
    lines = out.getvalue().splitlines()
    assert lines[3] == "FAIL driver exit: driver exited with exit code 5 after quit"
    assert lines[-1] == "3 passed, 1 failed"
    assert summary.exit_code == 1


@needs_wabt
def test_runtool_prefix_from_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The prefix command wraps the driver: here `env` sets the misbehaviour.
    monkeypatch.setenv(runner.RUNTOOL_ENV, "env FAKE_DRIVER=wrong_on=sum")
    out = io.StringIO()
    summary = run_seed_cases("fake", driver_cmd=FAKE_CMD, build_dir=tmp_path, out=out)
    assert summary.argv[:2] == ["env", "FAKE_DRIVER=wrong_on=sum"]
    assert out.getvalue().splitlines()[0].startswith("FAIL sum:")


# ----------------------------------------------------------------------------- .wast files


@needs_wabt
def test_good_file_passes_with_text_module_skipped(tmp_path: Path) -> None:
    summary, out = run_wast(tmp_path, {"good.wast": GOOD_WAST})
    assert out.splitlines() == ["PASS good.wast 23/23, 1 skipped", "1 passed, 0 failed"]
    types = {c.type for item in summary.items for c in item.commands}
    assert types == COMMAND_TYPES  # every command type exercised
    assert summary.exit_code == 0


@needs_wabt
def test_requests_sent_for_each_command_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "requests.log"
    monkeypatch.setenv("FAKE_DRIVER", f"log={log}")
    run_wast(tmp_path, {"good.wast": GOOD_WAST}, workdir=tmp_path / "work")  # kept: paths exist
    requests = [json.loads(line) for line in log.read_text().splitlines()]
    ids = [req.pop("id", None) for req in requests if req.get("op") != "quit"]
    assert ids == list(range(1, len(ids) + 1))  # every request numbered, in order
    for req in requests:
        if "path" in req:
            assert Path(req["path"]).is_absolute() and Path(req["path"]).exists()
            req["path"] = Path(req["path"]).name
    # the spectest host module first, registered by the id of its module request
    assert requests[0] == {"op": "module", "path": "spectest.wasm"}
    assert requests[1] == {"op": "register", "instance": 1, "as": "spectest"}
    assert requests[2] == {"op": "module", "path": "good.0.wasm"}  # $A: instance 3
    assert requests[3] == {"op": "invoke", "instance": 3, "field": "sum",
                           "args": [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]}
    assert {"op": "get", "instance": 3, "field": "g"} in requests
    assert {"op": "invoke", "instance": 3, "field": "echo_f32",  # -nan: bits kept; f64: the double for it
            "args": [{"type": "f32", "value": str(0xFFC0_0000), "f64": str(0xFFF8_0000_0000_0000)}]} in requests
    assert {"op": "register", "instance": 3, "as": "A"} in requests
    b = requests.index({"op": "module", "path": "good.1.wasm"}) + 1  # $B, then current
    assert {"op": "invoke", "instance": 3, "field": "sum",
            "args": [{"type": "i32", "value": "2"}, {"type": "i32", "value": "2"}]} in requests
    assert {"op": "invoke", "instance": b, "field": "add",
            "args": [{"type": "i32", "value": "2"}, {"type": "i32", "value": "2"}]} in requests
    assert {"op": "compile", "path": "good.2.wasm"} in requests  # assert_invalid
    assert {"op": "compile", "path": "good.3.wasm"} in requests  # assert_malformed (binary)
    assert {"op": "module", "path": "good.5.wasm"} in requests  # assert_unlinkable
    assert {"op": "module", "path": "good.6.wasm"} in requests  # assert_uninstantiable
    assert requests[-1] == {"op": "quit"}
    assert len(requests) == 2 + 23 + 1  # spectest, one per command run, quit


@needs_wabt
def test_the_runner_keeps_the_current_and_named_instances(tmp_path: Path) -> None:
    sources = {"a": '(module (func (export "sum") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))',
               "bad": '(module (import "nowhere" "f" (func)))'}
    for name, text in sources.items():
        (tmp_path / f"{name}.wat").write_text(text)
    build_seeds(tmp_path, tmp_path)
    i32 = [{"type": "i32", "value": "1"}, {"type": "i32", "value": "2"}]
    sum_ = {"type": "invoke", "field": "sum", "args": i32}
    commands = [
        {"type": "action", "line": 1, "action": sum_},
        {"type": "module", "line": 2, "filename": "a.wasm", "name": "$A"},
        {"type": "module", "line": 3, "filename": "bad.wasm"},
        {"type": "action", "line": 4, "action": sum_},
        {"type": "assert_return", "line": 5, "action": {**sum_, "module": "$A"}, "expected": [{"type": "i32", "value": "3"}]},
        {"type": "action", "line": 6, "action": {**sum_, "module": "$B"}},
        {"type": "register", "line": 7, "name": "$B", "as": "M"},
        {"type": "register", "line": 8, "name": "$A", "as": "M"},
    ]
    results = runner.run_commands("names", commands, tmp_path,
                                  lambda: runner.DriverProcess(runner.DriverCommand(FAKE_CMD)))
    assert {r.line: r.status for r in results} == {1: "fail", 2: "pass", 3: "fail", 4: "fail", 5: "pass", 6: "fail",
                                                    7: "fail", 8: "pass"}
    text = {r.line: r.message for r in results}
    assert text[1] == 'invoke "sum"(i32:1, i32:2): no current module'
    assert text[4] == 'invoke "sum"(i32:1, i32:2): no current module'  # after a failed module
    assert text[6] == 'invoke $B "sum"(i32:1, i32:2): no module named $B'
    assert text[7] == 'register $B as "M": no module named $B'


@needs_wabt
def test_spectest_is_registered_by_the_runner(tmp_path: Path) -> None:
    summary, _ = run_wast(tmp_path, {"spectest.wast": """(module
  (import "spectest" "print_i32" (func (param i32))) (import "spectest" "global_i32" (global i32))
  (import "spectest" "table" (table 10 funcref)) (import "spectest" "memory" (memory 1)))
(assert_unlinkable (module (import "spectest" "nothing" (func))) "unknown import")
"""})
    assert statuses(summary) == {1: "pass", 4: "pass"}


@needs_wabt
def test_nan_and_zero_sign_are_compared_bit_exactly(tmp_path: Path) -> None:
    body = ECHO_MODULE + "\n".join([
        '(assert_return (invoke "echo_f32" (f32.const 0.0)) (f32.const -0.0))',                   # 6
        '(assert_return (invoke "echo_f32" (f32.const nan:0x600000)) (f32.const nan:canonical))',  # 7
        '(assert_return (invoke "echo_f32" (f32.const nan:0x200000)) (f32.const nan:arithmetic))',  # 8
        '(assert_return (invoke "echo_f32" (f32.const nan:0x200000)) (f32.const nan:0x200000))',  # 9
        '(assert_return (invoke "echo_f32" (f32.const nan:0x200000)) (f32.const nan))',           # 10
        '(assert_return (invoke "echo_f64" (f64.const -0.0)) (f64.const 0.0))',                   # 11
        '(assert_return (invoke "echo_f64" (f64.const nan:0x4000000000000)) (f64.const nan:arithmetic))',  # 12
        '(assert_return (invoke "echo_f32" (f32.const inf)) (f32.const nan:arithmetic))',         # 13
        '(assert_return (invoke "echo_f64" (f64.const -nan)) (f64.const nan:canonical))',         # 14
    ]) + "\n"
    summary, out = run_wast(tmp_path, {"nan.wast": body})
    got = statuses(summary)
    assert {line: got[line] for line in range(6, 15)} == {
        6: "fail", 7: "fail", 8: "fail", 9: "pass", 10: "fail",
        11: "fail", 12: "fail", 13: "fail", 14: "pass"}
    assert out.splitlines()[0] == (
        'FAIL nan.wast 3/10 (first failure: line 6: invoke "echo_f32"(f32:0 (0.0)): '
        "expected (f32:2147483648 (-0.0)), got (f32:0 (0.0)))")
    assert out.splitlines()[-1] == "0 passed, 1 failed"


@needs_wabt
def test_wrong_value_message_names_line_call_expected_and_got(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "wrong_on=sum")
    body = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const -1) (i32.const -1)) (i32.const -2))\n'
    summary, out = run_wast(tmp_path, {"wrong.wast": body})
    assert out.splitlines()[0] == (
        'FAIL wrong.wast 1/2 (first failure: line 6: invoke "sum"(i32:4294967295 (-1), '
        "i32:4294967295 (-1)): expected (i32:4294967294 (-2)), got (i32:4294967295 (-1)))")
    assert summary.exit_code == 1


@needs_wabt
def test_signed_integer_answer_is_a_protocol_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "signed_on=sum")
    body = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const -1) (i32.const 0)) (i32.const -1))\n'
    summary, _ = run_wast(tmp_path, {"signed.wast": body})
    assert "not in wire encoding" in messages(summary)[6]


@needs_wabt
def test_wrong_error_kind_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "accept_invalid")
    body = ECHO_MODULE + "\n".join([
        '(assert_trap (invoke "sum" (i32.const 1) (i32.const 2)) "unreachable")',  # 6: returns instead
        '(assert_invalid (module (func (result i32))) "type mismatch")',            # 7: compiles
        '(assert_trap (invoke "mystery") "unreachable")',                            # 8: runtime, not trap
    ]) + "\n"
    summary, _ = run_wast(tmp_path, {"kinds.wast": body})
    msg = messages(summary)
    assert msg[6] == ('invoke "sum"(i32:1, i32:2): expected trap "unreachable", '
                      "got (i32:3)")
    assert msg[7] == 'assert_invalid kinds.1.wasm: expected compile error "type mismatch", got success'
    assert msg[8] == ('invoke "mystery"(): expected trap "unreachable", '
                      "got runtime error: fake driver has no behaviour for 'mystery'")


@needs_wabt
def test_crash_fails_the_file_and_the_next_file_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "crash_on=echo_i32")
    crashing = ECHO_MODULE + "\n".join([
        '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))',  # 6
        '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))',           # 7: crash
        '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))',  # 8: not run
    ]) + "\n"
    fine = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))\n'
    summary, out = run_wast(tmp_path, {"a.wast": crashing, "b.wast": fine})
    lines = out.splitlines()
    assert lines[0].startswith("FAIL a.wast 2/4 (first failure: line 7: driver crashed: exit code 3;")
    assert "fake driver: crashing on echo_i32" in lines[0]
    assert lines[1:] == ["PASS b.wast 2/2", "1 passed, 1 failed"]
    assert messages(summary)[8] == "not run: the driver died at line 7"
    assert summary.exit_code == 1


@needs_wabt
def test_signal_death_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "segv_on=echo_i32")
    body = ECHO_MODULE + '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))\n'
    summary, _ = run_wast(tmp_path, {"segv.wast": body})
    assert messages(summary)[6].startswith("driver crashed: exit code -11 (SIGSEGV)")


@needs_wabt
def test_hang_times_out_and_the_next_file_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "hang_on=echo_i32")
    hanging = ECHO_MODULE + '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))\n'
    fine = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))\n'
    start = time.monotonic()
    summary, out = run_wast(tmp_path, {"hang.wast": hanging, "ok.wast": fine}, timeout=1.0)
    assert time.monotonic() - start < 20
    lines = out.splitlines()
    assert lines[0] == ("FAIL hang.wast 1/2 (first failure: line 6: driver timed out: "
                        "no response to 'invoke' within 1 s)")
    assert lines[1:] == ["PASS ok.wast 2/2", "1 passed, 1 failed"]


@needs_wabt
def test_garbage_line_fails_and_the_next_file_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "garbage_on=echo_i32")
    bad = ECHO_MODULE + '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))\n'
    fine = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))\n'
    _, out = run_wast(tmp_path, {"bad.wast": bad, "ok.wast": fine})
    lines = out.splitlines()
    assert lines[0] == ("FAIL bad.wast 1/2 (first failure: line 6: driver wrote a line that is "
                        "not a JSON object: 'this is not json')")
    assert lines[1:] == ["PASS ok.wast 2/2", "1 passed, 1 failed"]


@needs_wabt
def test_extra_response_line_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "twice_on=echo_i32")
    body = ECHO_MODULE + "\n".join([
        '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))',          # 6: answers twice
        '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))',  # 7: sees the extra
    ]) + "\n"
    summary, _ = run_wast(tmp_path, {"twice.wast": body})
    msg = messages(summary)
    assert msg[6] == 'invoke "echo_i32"(i32:1): expected (i32:1), got ()'
    assert msg[7].startswith("driver wrote more than one line for its previous request:")


@needs_wabt
def test_a_late_extra_line_is_caught_by_its_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # as test_extra_response_line_is_detected, with the extra line of request 6 arriving after request 7
    # was sent (where, without ids, it was taken for the answer to 7): the same failure
    monkeypatch.setenv("FAKE_DRIVER", "twice_on=echo_i32,twice_delay=0.3")
    body = ECHO_MODULE + "\n".join([
        '(assert_return (invoke "echo_i32" (i32.const 1)) (i32.const 1))',
        '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))',
    ]) + "\n"
    summary, _ = run_wast(tmp_path, {"late.wast": body})
    msg = messages(summary)
    assert msg[6] == 'invoke "echo_i32"(i32:1): expected (i32:1), got ()'
    assert msg[7].startswith("driver wrote more than one line for its previous request:")


@needs_wabt
def test_response_without_id_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "no_id")
    summary, _ = run_wast(tmp_path, {"noid.wast": ECHO_MODULE})
    msg = messages(summary)
    assert "with no id: every response echoes its request's \"id\"" in msg[1]


@needs_wabt
def test_crash_at_quit_fails_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "crash_at_quit")
    summary, out = run_wast(tmp_path, {"q.wast": ECHO_MODULE})
    assert out.splitlines()[0] == (
        "FAIL q.wast 1/2 (first failure: line 1: driver exited with exit code 5 after quit)")


@needs_wabt
def test_driver_that_cannot_start(tmp_path: Path) -> None:
    (tmp_path / "x.wast").write_text(ECHO_MODULE)
    out = io.StringIO()
    summary = run_wast_files("fake", [tmp_path / "x.wast"], driver_cmd=[str(tmp_path / "missing")],
                             out=out, runtool=[])
    assert "cannot start driver" in out.getvalue()
    assert summary.exit_code == 1


@needs_wabt
def test_wast2json_failure_fails_the_file(tmp_path: Path) -> None:
    summary, out = run_wast(tmp_path, {"broken.wast": "(module (func"})
    assert out.splitlines()[0].startswith("FAIL broken.wast 0/0 (wast2json failed")
    assert summary.failed == 1


@needs_wabt
def test_either_alternatives(tmp_path: Path) -> None:
    body = ECHO_MODULE + "\n".join([
        '(assert_return (invoke "echo_i32" (i32.const 2)) (either (i32.const 1) (i32.const 2)))',
        '(assert_return (invoke "echo_i32" (i32.const 3)) (either (i32.const 1) (i32.const 2)))',
    ]) + "\n"
    summary, _ = run_wast(tmp_path, {"either.wast": body})
    assert statuses(summary)[6] == "pass"
    assert messages(summary)[7] == ('invoke "echo_i32"(i32:3): expected (i32:1) or (i32:2), '
                                    "got (i32:3)")


@needs_wabt
def test_json_output_and_parallel_jobs(tmp_path: Path) -> None:
    fine = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))\n'
    bad = ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 4))\n'
    json_out = tmp_path / "out" / "results.json"
    summary, out = run_wast(tmp_path, {"a.wast": fine, "b.wast": bad, "c.wast": GOOD_WAST},
                            jobs=3, json_out=json_out)
    assert [line.split()[1] for line in out.splitlines()[:3]] == ["a.wast", "b.wast", "c.wast"]
    data = json.loads(json_out.read_text())
    assert (data["passed"], data["failed"], data["skipped"]) == (2, 1, 0)
    failed = [r for r in data["results"] if r["status"] == "fail"]
    assert failed == [{"file": "b.wast", "line": 6, "type": "assert_return", "status": "fail",
                       "message": 'invoke "sum"(i32:1, i32:2): expected (i32:4), got (i32:3)'}]
    assert {r["status"] for r in data["results"]} == {"pass", "fail", "skip"}


@needs_wabt
def test_all_skipped_file_counts_as_skipped(tmp_path: Path) -> None:
    body = '(assert_malformed (module quote "(func") "unexpected token")\n'
    summary, out = run_wast(tmp_path, {"text.wast": body})
    assert out.splitlines() == ["SKIP text.wast 0/0, 1 skipped", "0 passed, 0 failed, 1 skipped"]
    assert summary.exit_code == 0


# ----------------------------------------------------------------------------- spec test files


@needs_wabt
@pytest.mark.skipif(not SPECTEST.is_dir(), reason="no /work/shared/spectest")
def test_every_spectest_command_is_recognized(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """All wast2json output of the shared spec tests walks through the command loop."""
    files = sorted(SPECTEST.glob("*.wast"))
    assert len(files) == 44
    monkeypatch.setenv("FAKE_DRIVER", "noop")
    out_io = io.StringIO()
    summary = run_wast_files("fake", files, driver_cmd=FAKE_CMD, out=out_io, runtool=[], jobs=8)
    assert len(summary.items) == 44
    for item in summary.items:
        assert item.error is None, item.line()
        assert item.commands, item.name
        for cmd in item.commands:
            assert cmd.type in COMMAND_TYPES, (item.name, cmd)
            assert not cmd.message.startswith(("unknown command type", "unknown action type",
                                               "malformed ", "not run", "driver")), (item.name, cmd)
            if cmd.status == "skip":
                assert "text module" in cmd.message, (item.name, cmd)
    # With a no-op driver, plain module/register/action commands all pass.
    for cmd in (c for item in summary.items for c in item.commands):
        if cmd.type in ("module", "register", "action"):
            assert cmd.status == "pass", cmd
    assert summary.passed == 2  # exports0.wast and type.wast have only module commands
    assert out_io.getvalue().splitlines()[-1] == f"2 passed, {summary.failed} failed"


# ----------------------------------------------------------------------------- CLI and drivers


@needs_wabt
def test_cli_seed_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli.main(["run", "--lang", "fake", "--driver-cmd", " ".join(FAKE_CMD),
                     "--build-dir", str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == "3 passed, 0 failed"
    results = json.loads((tmp_path / "r.json").read_text())["results"]
    assert [r["case"] for r in results] == ["sum", "add1", "return_hello"]


@needs_wabt
def test_cli_wast_run_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "wrong_on=sum")
    wast = tmp_path / "w.wast"
    wast.write_text(ECHO_MODULE + '(assert_return (invoke "sum" (i32.const 1) (i32.const 2)) (i32.const 3))\n')
    code = cli.main(["run", "--driver-cmd", " ".join(FAKE_CMD), str(wast)])
    assert code == 1
    assert capsys.readouterr().out.splitlines()[-1] == "0 passed, 1 failed"


def test_cli_unknown_language(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", "--lang", "cobol"]) == 2
    err = capsys.readouterr().err
    assert "unknown language 'cobol'" in err
    for lang in ("python", "go", "php", "java", "ruby"):
        assert lang in err


def test_driver_not_built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(drivers.DRIVERS, "klingon", [sys.executable, "bindings/klingon/driver.kl"])
    with pytest.raises(drivers.DriverNotBuilt,
                       match=r"driver for klingon not built: run `nox -s build-klingon`"):
        drivers.resolve("klingon", root=tmp_path)
    (tmp_path / "bindings/klingon").mkdir(parents=True)
    (tmp_path / "bindings/klingon/driver.kl").write_text("")
    command = drivers.resolve("klingon", root=tmp_path)
    assert command.argv == [sys.executable, str(tmp_path / "bindings/klingon/driver.kl")]
    assert command.cwd == tmp_path


def test_python_driver_entry(tmp_path: Path) -> None:
    with pytest.raises(drivers.DriverNotBuilt, match="build-python"):
        drivers.resolve("python", root=tmp_path)
    (tmp_path / "bindings/python").mkdir(parents=True)
    (tmp_path / "bindings/python/conformance_driver.py").write_text("")
    command = drivers.resolve("python", root=tmp_path)
    assert command.argv == [sys.executable, str(tmp_path / "bindings/python/conformance_driver.py")]
    assert command.env["PYTHONPATH"].split(os.pathsep)[0] == str(tmp_path / "bindings/python")


def test_every_table_entry_resolves_or_says_not_built() -> None:
    for lang in drivers.DRIVERS:
        try:
            command = drivers.resolve(lang)
        except drivers.DriverNotBuilt as exc:
            assert f"nox -s build-{lang}" in str(exc)
        else:
            assert command.argv


@pytest.mark.parametrize("bits", [0x7FA0_0000, 0xFFA0_F1E2, 0x7FC0_0000, 0x7F80_0001, 0x3F80_0000, 0x8000_0000,
                                  0x7F80_0000, 0x0000_0001])
def test_f32_crosses_as_the_double_of_the_glue_and_back(bits: int) -> None:
    from conformance.runner import _narrow_f64, _with_f64, f32_bits_to_f64_bits, f64_bits_to_f32_bits

    double = f32_bits_to_f64_bits(bits)
    assert f64_bits_to_f32_bits(double) == bits
    req = _with_f64({"op": "invoke", "args": [{"type": "f32", "value": str(bits)}, {"type": "i32", "value": "1"}]})
    assert req["args"] == [{"type": "f32", "value": str(bits), "f64": str(double)}, {"type": "i32", "value": "1"}]
    assert _narrow_f64({"ok": True, "results": [{"type": "f32", "f64": str(double)}]}) == {
        "ok": True, "results": [{"type": "f32", "value": str(bits)}]}


def test_f32_signalling_nan_keeps_its_payload_in_the_double() -> None:
    from conformance.runner import f32_bits_to_f64_bits

    assert f32_bits_to_f64_bits(0x7FA0_0000) == 0x7FF4_0000_0000_0000  # nan:0x200000 stays signalling

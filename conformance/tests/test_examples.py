"""`python -m conformance examples` against the fake driver (no wasm runtime needed)."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conformance import examples, runner

FAKE_CMD = [sys.executable, str(Path(__file__).resolve().parent / "fake_driver.py")]


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FAKE_DRIVER", raising=False)
    monkeypatch.delenv(runner.RUNTOOL_ENV, raising=False)


def member(name: str, *examples_: dict[str, Any], hidden: str | None = None,
           runtime: str | None = None, owner: str | None = "Fake") -> SimpleNamespace:
    """A stand-in for a generator.public Member: what the runner reads of it."""
    method = SimpleNamespace(name=name, owner=SimpleNamespace(name=owner) if owner else None)
    reason = f"hidden: {hidden}" if hidden else f"runtime support in {runtime}" if runtime else None
    return SimpleNamespace(method=method, hidden=hidden, runtime=runtime, examples=list(examples_), not_public=reason)


def run(members: list[SimpleNamespace]) -> tuple[examples.ExampleSummary, str]:
    out = io.StringIO()
    summary = examples.run_examples("fake", members, driver_cmd=FAKE_CMD, out=out, runtool=[])
    return summary, out.getvalue()


def test_results_errors_and_not_applicable_members() -> None:
    summary, text = run([
        member("add", {"args": [2, 3], "result": 5}, {"args": [1, 1], "result": 2}),
        member("echo", {"args": [{"hex": "0061736D"}], "result": {"hex": "0061736d"}}),
        member("trap", {"args": [], "error": "trap"}),
        member("add", {"args": [1], "result": 1}, runtime="fake/_support.py"),
        member("add", {"args": [1], "result": 1}, hidden="not public here"),
    ])
    assert [r.status for r in summary.results] == ["pass", "pass", "pass", "pass", "n/a", "n/a"]
    assert summary.ok
    assert text.strip() == "fake: examples 4 passed, 0 failed, 2 not applicable (runtime or hidden there)"


def test_wrong_result_wrong_error_and_bool_vs_int_fail() -> None:
    summary, text = run([
        member("add", {"args": [2, 3], "result": 6}),
        member("trap", {"args": [], "result": None}),
        member("add", {"args": [2, 3], "error": "trap"}),
        member("add", {"args": [1, 0], "result": True}),  # 1 is not true
    ])
    assert [r.status for r in summary.results] == ["fail"] * 4
    assert not summary.ok
    assert "FAIL fake Fake.add#1: expected 6, got 5" in text
    assert "FAIL fake Fake.trap#1: expected null, got trap: unreachable" in text
    assert "expected a trap error, got 5" in text


def test_wat_is_converted_by_the_runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    log = tmp_path / "log"
    monkeypatch.setenv("FAKE_DRIVER", f"log={log}")
    wat = '(module (memory (export "mem") 1))'
    summary, _ = run([
        member("wasm_size", {"module": wat, "self": {"export": "mem"}, "args": [], "result": 22}),
        member("echo", {"args": [{"wat": "(module)"}], "result": {"hex": "0061736d01000000"}}),
    ])
    assert [r.status for r in summary.results] == ["pass", "pass"], summary.results
    sent = [json.loads(line) for line in log.read_text().splitlines()]
    assert sent[0]["op"] == "example" and sent[0]["method"] == "Fake.wasm_size"
    assert sent[0]["module"].endswith(".wasm") and sent[0]["self"] == {"export": "mem"}
    assert sent[1]["args"] == [{"hex": "0061736d01000000"}] and sent[1]["module"] is None


def test_a_crash_fails_that_example_and_a_new_driver_runs_the_next(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "crash_on=Fake.trap")
    summary, text = run([member("trap", {"args": [], "error": "trap"}), member("add", {"args": [1, 2], "result": 3})])
    assert [r.status for r in summary.results] == ["fail", "pass"]
    assert "driver crashed" in text


def test_free_function_key_and_wrong_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DRIVER", "wrong_on=Fake.add")
    assert examples.member_key(member("version", owner=None)) == "version"
    summary, text = run([member("add", {"args": [1, 2], "result": 3})])
    assert "expected 3, got 4" in text


def test_cli_examples_of_the_spec_with_the_fake_driver(capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(examples, "load_public",
                        lambda spec, lang: calls.append(lang) or SimpleNamespace(
                            members=[member("add", {"args": [4, 5], "result": 9})]))
    from conformance.__main__ import main
    assert main(["examples", "--lang", "python", "--lang", "go", "--driver-cmd", " ".join(FAKE_CMD)]) == 0
    assert calls == ["python", "go"]
    assert "go: examples 1 passed" in capsys.readouterr().out


MODEL_FILES = {"python": "conformance_model.py", "go": "cmd/conformance-driver/model.go",
               "java": "conformance/model.json", "ruby": "conformance_model.rb", "php": "conformance_model.php"}


@pytest.mark.parametrize("lang", examples.EXAMPLE_LANGS)
def test_every_member_with_examples_is_in_the_rendered_dispatch(lang: str) -> None:
    """The dispatch is rendered from the model: a member with examples that is public in a language
    is in that language's dispatch, one that is runtime or hidden there is not."""
    from generator import model, render

    api = model.load(examples.DEFAULT_SPEC)
    rendered = {o.path.as_posix(): o.text for o in render.render_lang(api, lang)}
    text = rendered[f"bindings/{lang}/{MODEL_FILES[lang]}"]
    with_examples = [m for m in api.public[lang].members if m.examples]
    assert with_examples, "api.yaml has examples"
    for m in with_examples:
        key = json.dumps(m.qualname) if lang != "python" else repr(m.qualname)
        assert (key in text) == (examples.not_applicable(m) is None), (lang, m.qualname)

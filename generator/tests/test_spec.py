"""generator.spec: parsing with positions, schema + semantic validation, the bad-spec corpus.

Each bad_specs/X.yaml has X.stderr beside it with the exact error lines.
After a deliberate message change: WASMGEN_UPDATE_STDERR=1 pytest ... rewrites them (review the diff).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import jsonschema
import pytest

from generator.spec import SCHEMA_PATH, SpecError, load_spec, parse_yaml, spec_hash

HERE = Path(__file__).parent
BAD = HERE / "bad_specs"
API = HERE.parents[1] / "api.yaml"
BAD_SPECS = sorted(BAD.glob("*.yaml"))


def errors_of(path: Path) -> list[str]:
    with pytest.raises(SpecError) as info:
        load_spec(path)
    return info.value.errors


def test_schema_is_valid_draft_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_PATH.read_text()))


def test_real_api_yaml_loads() -> None:
    data = load_spec(API)
    assert {c["name"] for c in data["classes"]} >= {"Engine", "Store", "Module", "Instance"}


def test_corpus_is_complete() -> None:
    assert len(BAD_SPECS) >= 12
    missing = [p.name for p in BAD_SPECS if not p.with_suffix(".stderr").exists()]
    assert not missing


@pytest.mark.parametrize("spec", BAD_SPECS, ids=lambda p: p.stem)
def test_bad_spec(spec: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    got = "".join(line + "\n" for line in errors_of(Path(spec.name)))
    expected_file = spec.with_suffix(".stderr")
    if os.environ.get("WASMGEN_UPDATE_STDERR"):
        expected_file.write_text(got)
    assert got == expected_file.read_text()


def test_display_name_is_relative_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    spec = tmp_path / "sub" / "api.yaml"
    spec.write_text("spec_version: 1\n")
    monkeypatch.chdir(tmp_path)
    assert errors_of(spec.resolve())[0].startswith("sub/api.yaml:1:1: error: (root): missing required key")
    monkeypatch.chdir(HERE)
    assert errors_of(spec)[0].startswith(f"{spec}:1:1: ")  # outside the cwd: as given


# --- positions --------------------------------------------------------------------

DOC = """\
top: 1
list:
  - {a: x, bb: [p, q]}
  - a: y
    bb: >-
      folded
      text
"""


def test_positions_of_values_and_keys() -> None:
    parsed = parse_yaml(DOC)
    assert parsed.data == {"top": 1, "list": [{"a": "x", "bb": ["p", "q"]}, {"a": "y", "bb": "folded text"}]}
    pos = parsed.positions
    assert pos[()] == (1, 1)
    assert pos[("top",)] == (1, 6)
    assert pos[("list",)] == (3, 3)
    assert pos[("list", 0)] == (3, 5)
    assert pos[("list", 0, "a")] == (3, 9)
    assert pos[("list", 0, "bb", 1)] == (3, 20)
    assert pos[("list", 1)] == (4, 5)
    assert pos[("list", 1, "bb")] == (5, 9)
    assert parsed.key_positions[("list", 0, "bb")] == (3, 12)
    assert parsed.key_positions[("list", 1, "bb")] == (5, 5)
    assert not parsed.problems


def test_yaml_syntax_error_position() -> None:
    (pos, path, message), = parse_yaml("a: [1, 2\nb: 3\n").problems
    assert path is None and pos == (2, 2) and message.startswith("invalid YAML: ")


def _at(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, col) of the n-th occurrence of needle in text."""
    index = -1
    for _ in range(occurrence):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _with(tmp_path: Path, old: str, new: str) -> tuple[Path, str]:
    text = (BAD / "missing_doc.yaml").read_text()
    text = text.replace("      - name: call\n", "      - name: call\n        doc: Calls it.\n").replace(old, new, 1)
    path = tmp_path / "api.yaml"
    path.write_text(text)
    return path, text


def _positions(errors: list[str]) -> list[tuple[int, int]]:
    return [(int(e.split(":")[1]), int(e.split(":")[2])) for e in errors]


def test_error_points_at_offending_value(tmp_path: Path) -> None:
    path, text = _with(tmp_path, "type: vals}", "type: i128}")
    (error,) = errors_of(path)
    assert _positions([error]) == [_at(text, "i128")]
    assert "classes[1].methods[0].params[0].type: unknown type 'i128'" in error


def test_extra_key_points_at_key_and_missing_key_at_mapping(tmp_path: Path) -> None:
    path, text = _with(tmp_path, "{name: wasmer, version: 0.0.0, c_prefix: wg, doc: Test library.}", "{name: wasmer, version: 0.0.0, prefix: wg, doc: x}")
    errors = errors_of(path)
    assert _positions(errors) == [_at(text, "{name: wasmer"), _at(text, "prefix: wg")]
    assert errors[0].endswith("library: missing required key 'c_prefix'")
    assert errors[1].endswith("library: unknown key 'prefix' (did you mean 'c_prefix'?)")


def test_all_errors_sorted_by_position(tmp_path: Path) -> None:
    # a semantic error (duplicate code) early in the file, a schema error later
    path, text = _with(tmp_path, "kind: runtime}", "kind: runtime}\n  - {name: Trap, code: 1, doc: t, kind: trap}")
    path.write_text(text.replace("c_api: [wasmer_version]", "c_api: wasmer_version"))
    errors = errors_of(path)
    assert len(errors) == 2
    assert _positions(errors) == sorted(_positions(errors))
    assert "errors[1].code: duplicate code 1" in errors[0]
    assert "functions[0].c_api: expected a list" in errors[1]


def test_spec_error_message_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"[]\n")
    with pytest.raises(SpecError) as info:
        load_spec(path)
    assert str(info.value) == "\n".join(info.value.errors)
    assert spec_hash([]) == hashlib.sha256(b"[]").hexdigest()
    assert spec_hash({"b": 1, "a": [2]}) == spec_hash({"a": [2], "b": 1})

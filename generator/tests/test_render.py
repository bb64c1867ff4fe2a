"""Rendering: deterministic output, headers, drift check, missing glue bodies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator import model, render
from generator.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api() -> model.Api:
    return model.load(ROOT / "api.yaml")


def test_output_is_byte_identical_run_to_run(api: model.Api) -> None:
    for lang in ("c", "python"):
        first = render.render_lang(api, lang)
        second = render.render_lang(model.load(ROOT / "api.yaml"), lang)
        assert [(o.path, o.text) for o in first] == [(o.path, o.text) for o in second]


def test_every_output_names_its_template_and_the_spec_hash(api: model.Api) -> None:
    for o in render.render_lang(api, "python") + render.render_lang(api, "c"):
        head = "\n".join(o.text.splitlines()[:2])
        assert f"templates/{o.template}" in head and api.short_hash in head, o.path


def test_check_reports_stale_missing_and_orphaned_files(api: model.Api, tmp_path: Path) -> None:
    outputs = render.render_lang(api, "python")
    render.write_outputs(outputs, tmp_path)
    assert render.stale_outputs(outputs, "python", tmp_path) == []
    first = tmp_path / outputs[0].path
    first.write_text(first.read_text() + "# edited by hand\n")
    (tmp_path / outputs[1].path).unlink()
    orphan = tmp_path / "bindings" / "python" / "old.py"
    orphan.write_text(f"# {render.MARKER}templates/python/old.py.jinja\n")
    problems = render.stale_outputs(outputs, "python", tmp_path)
    assert any("differs from templates/" in p for p in problems)
    assert any("missing" in p for p in problems)
    assert any("old.py: generated file that no template produces" in p for p in problems)


def test_missing_glue_body_is_reported_with_the_macro_to_add(api: model.Api, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    bodies = tmp_path / "templates" / "c" / "_bodies.c.jinja"
    text = bodies.read_text()
    start = text.index("{% macro Memory_grow() %}")
    end = text.index("{% endmacro %}", start) + len("{% endmacro %}")
    bodies.write_text(text[:start] + text[end:])
    problems = render.check_c_bodies(api, tmp_path / "templates")
    assert problems == ["templates/c/_bodies.c.jinja: no body for Memory.grow (wg_memory_grow); "
                        "add {% macro Memory_grow() %}...{% endmacro %}"]


def test_template_typo_fails_with_file_and_line(api: model.Api, tmp_path: Path) -> None:
    (tmp_path / "python").mkdir()
    (tmp_path / "python" / "x.py.jinja").write_text("ok\n{{ api.no_such_thing }}\n")
    with pytest.raises(render.RenderError, match=r"templates/python/x.py.jinja.*no_such_thing"):
        render.render_lang(api, "python", tmp_path)


def test_cli_check_is_clean_on_the_committed_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--lang", "c", "--lang", "python"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_cli_bad_spec_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "api.yaml"
    bad.write_text("spec_version: 2\n")
    assert main(["generate", "--spec", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "unsupported spec_version 2" in err and "nothing written" in err

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


def test_every_output_names_its_template_and_a_hash_of_its_own_text(api: model.Api) -> None:
    import hashlib

    for o in render.render_lang(api, "python") + render.render_lang(api, "c"):
        lines = o.text.splitlines(keepends=True)
        at = next(i for i, line in enumerate(lines[:3]) if render.MARKER in line)
        body = "".join(lines[:at] + lines[at + 1:])
        assert f"templates/{o.template} and api.yaml" in lines[at], o.path
        assert f"content sha256:{hashlib.sha256(body.encode()).hexdigest()[:12]}" in lines[at], o.path


def test_an_edit_rewrites_only_the_files_it_changes(api: model.Api, tmp_path: Path) -> None:
    def texts(spec: Path) -> dict[Path, str]:
        a = model.load(spec)
        return {o.path: o.text for lang in render.LANGS for o in render.render_lang(a, lang)}

    before = texts(ROOT / "api.yaml")
    text = (ROOT / "api.yaml").read_text()
    spec = tmp_path / "api.yaml"
    spec.write_text("# a comment edit\n" + text)
    assert texts(spec) == before  # a comment rewrites nothing
    spec.write_text(text.replace("doc: The table's type.", "doc: The type of the table.", 1))
    changed = {path for path, t in texts(spec).items() if t != before[path]}
    # the files that carry method docs or the spec hash, not every file
    assert changed and len(changed) < len(before) / 2, sorted(map(str, changed))


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


def test_a_glue_body_without_its_method_is_reported(api: model.Api, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    bodies = tmp_path / "templates" / "c" / "_bodies.c.jinja"
    lines = bodies.read_text().count("\n")
    bodies.write_text(bodies.read_text() + "{% macro Function_param_arity() %}\n    return WG_OK;\n{% endmacro %}\n")
    assert render.check_c_bodies(api, tmp_path / "templates") == [
        f"templates/c/_bodies.c.jinja:{lines + 1}: macro Function_param_arity is the body of method "
        "Function.param_arity, which api.yaml does not have: remove the macro, or add the method to api.yaml"]


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C preprocessor")
def test_c_api_names_are_checked_against_the_headers(api: model.Api, tmp_path: Path) -> None:
    from generator.spec import c_api_problems

    names = sorted({n for m in api.all_methods for n in m.c_api})
    (tmp_path / "wasmer.h").write_text("".join(f"void {n}(void);\n" for n in names if n != "wasm_func_call"))
    known = render.c_declarations(tmp_path)
    problems = c_api_problems(ROOT / "api.yaml", known)
    assert len(problems) == sum(m.c_api.count("wasm_func_call") for m in api.all_methods) > 0
    assert all(p.startswith("api.yaml:") and "'wasm_func_call' is not declared by wasm.h / wasmer.h" in p
               for p in problems), problems


def test_missing_glue_body_is_reported_with_the_macro_to_add(api: model.Api, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    bodies = next(p for p in (tmp_path / "templates" / "c").glob("_bodies*.c.jinja")
                  if "{% macro Memory_grow() %}" in p.read_text())
    text = bodies.read_text()
    start = text.index("{% macro Memory_grow() %}")
    end = text.index("{% endmacro %}", start) + len("{% endmacro %}")
    bodies.write_text(text[:start] + text[end:])
    problems = render.check_c_bodies(api, tmp_path / "templates")
    assert problems == ["templates/c/_bodies*.c.jinja: no body for Memory.grow (wg_memory_grow); "
                        "add {% macro Memory_grow() %}...{% endmacro %} to one of them"]


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


@pytest.mark.parametrize("lang", ["python", "ruby", "php", "java"])
def test_a_new_extern_kind_stops_the_render_where_a_chain_lacks_it(lang: str) -> None:
    api = model.load(ROOT / "api.yaml")
    api.extern_kinds.append(model.Named("tag", 4, "", {"class": "Tag"}))
    # a chain over the kinds has no branch for it, or the template needs its class first
    with pytest.raises(render.RenderError, match="no branch for extern kind tag|class Tag is not in api.yaml"):
        render.render_lang(api, lang)


def _installed_headers() -> Path | None:
    import os

    if os.environ.get("WASMER_DIR") and (Path(os.environ["WASMER_DIR"]) / "include" / "wasmer.h").exists():
        return Path(os.environ["WASMER_DIR"]) / "include"
    import importlib.util

    # the libwasmer pinned in ci/wasmer.py (another cached build may lack a feature the glue uses)
    spec = importlib.util.spec_from_file_location("pinned_wasmer", ROOT / "ci" / "wasmer.py")
    pinned = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(pinned)  # type: ignore[union-attr]
    include = pinned.cache_root() / pinned.cache_key() / "include"
    return include if (include / "wasmer.h").exists() else None


@pytest.mark.skipif(_installed_headers() is None or shutil.which("cc") is None,
                    reason="needs libwasmer's headers (nox -s test checks the glue again after building it)")
def test_a_renamed_parameter_is_reported_before_the_build(api: model.Api, tmp_path: Path) -> None:
    headers = _installed_headers()
    assert render.check_c_glue(api, render.render_lang(api, "c"), headers) == []
    text = (ROOT / "api.yaml").read_text()
    start = text.index("- name: grow")
    at = text.index("delta", start)
    spec = tmp_path / "api.yaml"
    spec.write_text(text[:at] + "pages" + text[at + len("delta"):])
    renamed = model.load(spec)
    assert render.check_c_glue(renamed, render.render_lang(renamed, "c"), headers) == [
        "templates/c/_bodies_instances.c.jinja: macro Memory_grow: 'delta' undeclared (first use in this function); "
        "the parameters of Memory.grow in api.yaml are: self, pages, out"]

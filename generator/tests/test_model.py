"""The typed model built from the real api.yaml, and the C signatures it computes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import model
from generator.model import TYPES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def api() -> model.Api:
    return model.load(ROOT / "api.yaml")


def test_classes_and_lookup(api: model.Api) -> None:
    names = [c.name for c in api.classes]
    assert {"Engine", "Store", "Module", "Instance", "Function", "Memory", "Global", "Table", "Imports"} <= set(names)
    assert api.cls("Module").method("new").static
    with pytest.raises(KeyError, match="Nope is not in api.yaml"):
        api.cls("Module").method("Nope")
    with pytest.raises(KeyError):
        api.cls("Nope")


def test_every_method_has_doc_and_c_api(api: model.Api) -> None:
    for m in api.all_methods:
        assert m.doc, m.c_name
        assert isinstance(m.c_api, list)


def test_c_signatures(api: model.Api) -> None:
    new = api.cls("Module").method("new")
    assert new.c_signature == "int wg_module_new(wg_store *store, const uint8_t *bytes, size_t bytes_len, wg_module **out)"
    call = api.cls("Function").method("call")
    assert call.c_signature == "int wg_function_call(wg_extern *self, const wg_val *args, wg_val *out)"
    assert call.hot
    name = api.cls("Module").method("name")
    assert name.c_signature == "int wg_module_name(wg_module *self, wg_bytes *out)"
    table_set = api.cls("Table").method("set")
    assert table_set.params[1].type.nullable and table_set.params[1].type.handle is api.cls("Function")
    assert table_set.returns.is_void
    assert "wg_version" in [f.c_name for f in api.functions]


def test_externs_share_one_glue_type(api: model.Api) -> None:
    for name in ("Function", "Memory", "Global", "Table", "Extern"):
        assert api.cls(name).c_type == "wg_extern"
        assert api.cls(name).c_delete == "wg_extern_delete"
    assert api.cls("ExternType").c_type == "wg_extern_type"
    assert api.c_types.count("wg_extern") == 1


def test_tables_from_the_spec(api: model.Api) -> None:
    assert [v.name for v in api.value_types][:4] == ["i32", "i64", "f32", "f64"]
    assert {v.name for v in api.value_types if v.is_ref} == {"externref", "funcref"}
    assert api.default_compiler.name == "cranelift"
    assert api.error("Trap").kind == "trap"
    assert api.error("CompileError").code == 2
    assert {k.extra["class"] for k in api.extern_kinds} == {"Function", "Global", "Table", "Memory"}


def test_every_param_and_result_type_is_in_the_vocabulary(api: model.Api) -> None:
    for m in api.all_methods:
        for p in m.params:
            assert p.type.is_handle or TYPES[p.type.base].c_in is not None, (m.c_name, p.name)
        assert m.returns.is_handle or m.returns.is_void or TYPES[m.returns.base].c_out is not None, m.c_name


def test_hash_is_of_the_content_not_the_layout(api: model.Api, tmp_path: Path) -> None:
    text = (ROOT / "api.yaml").read_text()
    edited = tmp_path / "api.yaml"
    edited.write_text("# a new comment\n" + text.replace("\n\n", "\n\n\n", 3))
    assert model.load(edited).hash == api.hash  # comments and blank lines do not count
    edited.write_text(text.replace("doc: Creates an engine", "doc: Makes an engine", 1))
    assert model.load(edited).hash != api.hash
    assert api.short_hash == api.hash[:12]


def test_fast_path_signatures(api: model.Api) -> None:
    fast = api.fast_path
    assert [t.name for t in fast.types] == ["i32", "i64", "f32", "f64"]
    sigs = fast.signatures
    n = len(fast.types)
    params = sum(n**k for k in range(fast.max_params + 1))
    results = sum(n**k for k in range(fast.max_results + 1))
    assert len(sigs) == params * results == 425
    assert [s.index for s in sigs] == list(range(len(sigs)))
    def names(s: model.FastSignature) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return tuple(t.name for t in s.params), tuple(t.name for t in s.results)

    assert len({names(s) for s in sigs}) == len(sigs)  # each signature once
    assert fast.signatures is sigs  # computed once per model
    first, sum_ = sigs[0], next(s for s in sigs if names(s) == (("i32", "i32"), ("i32",)))
    assert (first.rust_params, first.rust_results) == ("()", "()")
    assert (sum_.rust_params, sum_.rust_results) == ("(i32, i32)", "i32")  # wasmer: (), a bare type, a tuple


def test_fast_path_raw_bits_expressions(api: model.Api) -> None:
    by = {t.name: t for t in api.value_types}
    assert by["i32"].rust_lift == "b as u32 as i32" and by["i32"].rust_lower == "v as u32 as u64"
    assert by["f32"].rust_lift == "f32::from_bits(b as u32)" and by["f32"].rust_lower == "v.to_bits() as u64"
    assert by["i64"].rust_variant == "I64"
    assert not by["externref"].fast

"""public/php_capi.yaml (wasmer-php 1.1.0's API): shapes derived from the C prototypes, and the file's errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator import capi
from generator.spec import SpecError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def capi_file(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "public" / "php_capi.yaml", tmp_path / "php_capi.yaml")
    return tmp_path / "php_capi.yaml"


def functions(path: Path) -> dict[str, capi.Function]:
    return {f.name: f for f in capi.load(path).functions}


def edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_shapes_follow_from_the_prototypes(capi_file: Path) -> None:
    fns = functions(capi_file)
    assert fns["wasm_global_get"].out.ctype.name == "wasm_val_t"  # void f(const global*, own val* out)
    assert fns["wasm_global_get"].php == "wasm_global_get($global)"
    assert fns["wasm_module_imports"].php == "wasm_module_imports($module): \\Wasm\\Vec\\ImportType"
    assert fns["wasm_instance_new"].trap is not None and len(fns["wasm_instance_new"].args) == 3
    assert fns["wasm_engine_delete"].php == "wasm_engine_delete($engine): bool"
    assert fns["wasm_memory_same"].php == "wasm_memory_same($memory1, $memory2): bool"
    assert [a.own for a in fns["wasm_functype_new"].args] == [True, True]
    assert [a.own for a in fns["wasm_exporttype_new"].args] == [False, True]  # `borrowed:`
    assert fns["wasm_trap_origin"].stub_tags == ["@param resource $trap", "@return resource|null"]


def test_unknown_c_type_is_named(capi_file: Path) -> None:
    edit(capi_file, lambda d: d["functions"].update({"wasm_ref_copy": "own wasm_ref_t* wasm_ref_copy(const wasm_ref_t*)"}))
    with pytest.raises(SpecError) as err:
        capi.load(capi_file)
    assert "functions.wasm_ref_copy: no PHP shape for the C type 'wasm_ref_t'" in str(err.value.errors)


def test_own_argument_without_copy_is_refused(capi_file: Path) -> None:
    edit(capi_file, lambda d: d["types"]["wasm_valtype_t"]["resource"].pop("copy"))
    with pytest.raises(SpecError) as err:
        capi.load(capi_file)
    assert any("wasm_globaltype_new: takes an own wasm_valtype_t and the type has no copy" in e for e in err.value.errors)


def test_schema_rejects_an_unknown_key(capi_file: Path) -> None:
    edit(capi_file, lambda d: d["functions"].update({"wasm_store_new": {"c": "x", "retruns": "int"}}))
    with pytest.raises(SpecError):
        capi.load(capi_file)


def test_normalize_ignores_names_and_spacing() -> None:
    assert capi.normalize("own wasm_module_t* wasm_module_new( wasm_store_t*, const wasm_byte_vec_t*)") == \
        capi.normalize("own  wasm_module_t *wasm_module_new(wasm_store_t *, const wasm_byte_vec_t*)")

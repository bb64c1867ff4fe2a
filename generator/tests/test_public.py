"""The public API model: default shapes and names, inline and companion attributes, and their errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from generator import model
from generator.public import selects
from generator.spec import SpecError

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "api.yaml", tmp_path / "api.yaml")
    shutil.copytree(ROOT / "public", tmp_path / "public")
    (tmp_path / "bindings").symlink_to(ROOT / "bindings")  # where `runtime:` files are checked
    return tmp_path


def declare(path: Path, cls: str, members: dict) -> None:
    """Add (or replace) members of a class in a companion file."""
    data = yaml.safe_load(path.read_text()) or {}
    entry = data.setdefault("classes", {}).setdefault(cls, {})
    entry.setdefault("members", {}).update(members)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_selectors() -> None:
    assert selects("*", "go") and selects("go", "go") and not selects("java", "go")
    assert selects("not(java, php)", "go") and not selects("not(go)", "go")
    assert selects("any(python,go)", "go") and not selects("any(python)", "go")


def test_default_shapes_and_names() -> None:
    api = model.load(ROOT / "api.yaml")
    go = api.public["go"]
    assert go.cls("Module").member("new").shape == "constructor"
    assert go.cls("Module").member("new").name == "NewModule"
    assert go.cls("Module").member("validate").name == "ValidateModule"
    assert api.public["java"].cls("Module").member("set_name").name == "setName"
    assert api.public["ruby"].functions[0].shape == "function"
    # the call fast path is hidden everywhere (inline `on: "*"`)
    assert all(not p.cls("Function").member("call_scratch").rendered for p in api.public.values())


def test_companion_attributes_and_setter(repo: Path) -> None:
    declare(repo / "public" / "ruby.yaml", "Module",
            {"name": {"shape": "property", "setter": "set_name", "aliases": ["title"]}, "set_name": {}})
    api = model.load(repo / "api.yaml")
    module = api.public["ruby"].cls("Module")
    name, set_name = module.member("name"), module.member("set_name")
    assert name.shape == "property" and name.aliases == ["title"] and name.setter is set_name
    assert set_name.name == "name=" and not set_name.rendered
    assert api.public["go"].cls("Module").member("name").aliases == []  # other languages untouched


def test_inline_property_for_all_but_one(repo: Path) -> None:
    spec = repo / "api.yaml"
    text = spec.read_text().replace("        doc: Size in 64 KiB pages.\n",
                                    "        doc: Size in 64 KiB pages.\n"
                                    "        public: [{on: \"not(go)\", shape: property}]\n")
    spec.write_text(text)
    api = model.load(spec)
    assert api.public["java"].cls("Memory").member("size").name == "getSize"
    assert api.public["go"].cls("Memory").member("size").shape == "method"


@pytest.mark.parametrize("cls, members, message", [
    ("Modul", {}, "no class 'Modul'"),
    ("Module", {"nme": {"hidden": "x"}}, "Module has no method 'nme'"),
    ("Module", {"name": {"shape": "property", "setter": "serialize", "runtime": None}}, "must be an instance method of one parameter"),
    ("Module", {"serialize": {"runtime": "no/such/file.x"}}, "does not exist"),
    ("Module", {"serialize": {"shape": "konstructor"}}, "shape is one of"),
    ("Module", {"serialize": {"on": "go"}}, "`on` is for api.yaml"),
    ("Module", {"deserialize": {"shape": "method"}}, "cannot have shape method"),
])
def test_companion_errors_name_the_file_and_the_fix(repo: Path, cls: str, members: dict, message: str) -> None:
    path = repo / "public" / "go.yaml"
    declare(path, cls, {k: {a: b for a, b in v.items() if b is not None} for k, v in members.items()})
    with pytest.raises(SpecError) as err:
        model.load(repo / "api.yaml")
    text = "\n".join(err.value.errors)
    assert message in text and "go.yaml" in text


def test_a_value_typed_member_must_be_declared(repo: Path) -> None:
    path = repo / "public" / "php.yaml"
    data = yaml.safe_load(path.read_text())
    del data["classes"]["Global"]["members"]["get"]  # its declaration is what the test takes away
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(SpecError) as err:
        model.load(repo / "api.yaml")
    text = "\n".join(err.value.errors)
    assert "Global.get: type val has no generic public form in php" in text and "public/php.yaml" in text


def test_a_builders_void_methods_chain() -> None:
    api = model.load(ROOT / "api.yaml")
    for pub in (api.public["java"], api.public["php"]):
        config = pub.cls("WasiConfig")
        assert config.builder and config.member("argument").chains
        assert not config.member("new").chains
        assert not pub.cls("Memory").builder and not pub.cls("Global").member("set").chains

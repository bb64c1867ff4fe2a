"""The per-language naming tables: cases, reserved words, renames."""

from __future__ import annotations

import pytest

from generator import naming
from generator.naming import GO, JAVA, PHP, PYTHON, RUBY


@pytest.mark.parametrize("name, words", [
    ("set_name", ["set", "name"]), ("SetName", ["set", "name"]), ("ExternType", ["extern", "type"]),
    ("new_host", ["new", "host"]), ("wat2wasm", ["wat2wasm"]), ("HTTPServer", ["http", "server"]),
])
def test_words(name: str, words: list[str]) -> None:
    assert naming.words(name) == words


def test_cases() -> None:
    assert naming.snake("ExternType") == "extern_type"
    assert naming.pascal("data_size") == "DataSize"
    assert naming.camel("data_size") == "dataSize"
    assert naming.screaming("funcref") == "FUNCREF"


@pytest.mark.parametrize("table, method, expected", [
    (PYTHON, "data_size", "data_size"), (PYTHON, "import", "import_"), (PYTHON, "type", "type"),
    (GO, "data_size", "DataSize"), (GO, "type", "Type"),
    (JAVA, "data_size", "dataSize"), (JAVA, "new", "new_"), (JAVA, "class", "class_"),
    (RUBY, "end", "end_"), (RUBY, "data_size", "data_size"),
    (PHP, "list", "list_"), (PHP, "data_size", "dataSize"),
])
def test_methods_and_reserved_words(table: naming.Naming, method: str, expected: str) -> None:
    assert table.method(method) == expected


def test_params_escape_reserved_words() -> None:
    assert GO.param("type") == "type_"
    assert PYTHON.param("lambda") == "lambda_"
    assert JAVA.param("default") == "default_"


def test_renames_for_clashes_with_the_language() -> None:
    assert PYTHON.cls("RuntimeError") == "Error"  # builtins.RuntimeError is its base class
    assert PYTHON.const("externref") == "EXTERN_REF"  # wasmer-python 1.x spelling
    assert PYTHON.const("i32") == "I32"
    assert JAVA.cls("Trap") == "TrapException"
    assert PHP.cls("RuntimeError") == "RuntimeException"
    assert GO.cls("Memory") == "Memory"


def test_one_table_per_language() -> None:
    assert set(naming.NAMINGS) == {"python", "go", "java", "ruby", "php", "c"}

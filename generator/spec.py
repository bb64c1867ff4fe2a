"""Load api.yaml: parse keeping positions, validate against schema.json, then cross-checks.

Every error is collected (YAML structure, schema, semantics) and reported at once,
sorted by position, as ``api.yaml:LINE:COL: error: JSON.PATH: message``.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import yaml
from jsonschema.exceptions import ValidationError, best_match

SCHEMA_PATH = Path(__file__).with_name("schema.json")

JsonPath = tuple[str | int, ...]
Pos = tuple[int, int]  # 1-based (line, column)

_HANDLE = re.compile(r"^[A-Z][A-Za-z0-9]*\??$")


class SpecError(Exception):
    """The spec has errors; ``errors`` holds every one, formatted, in file order."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class Parsed(NamedTuple):
    data: Any
    positions: dict[JsonPath, Pos]  # position of each value
    key_positions: dict[JsonPath, Pos]  # position of the key of each mapping value
    problems: list[tuple[Pos, JsonPath | None, str]]  # YAML errors (path None: syntax)


def spec_hash(data: Any) -> str:
    """sha256 hex digest of the spec's content: its data as canonical JSON, so a
    comment or a layout change of api.yaml does not change it."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def c_api_problems(path: Path, known: set[str]) -> list[str]:
    """Each `c_api` name of the spec that is not a declaration of the installed
    wasm.h / wasmer.h (`known`), as `api.yaml:LINE:COL: error: ...`."""
    name = display_name(path)
    parsed = parse_yaml(Path(path).read_text(encoding="utf-8"))
    out = []
    for cpath, cls in _entries(parsed.data, "classes"):
        for mpath, method in _entries(parsed.data, *cpath, "methods"):
            out += _unknown_c_names(parsed, mpath, method, known, name)
    for fpath, fn in _entries(parsed.data, "functions"):
        out += _unknown_c_names(parsed, fpath, fn, known, name)
    return out


def _unknown_c_names(parsed: Parsed, mpath: JsonPath, method: dict[str, Any], known: set[str], name: str) -> list[str]:
    out = []
    for i, c_name in enumerate(method.get("c_api") or []):
        if c_name in known:
            continue
        near = difflib.get_close_matches(c_name, sorted(known), n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        path = mpath + ("c_api", i)
        out.append(format_error(name, _position(parsed, path), path,
                                f"{c_name!r} is not declared by wasm.h / wasmer.h ({hint}c_api lists the C-API "
                                "calls the method's body makes)"))
    return out


def format_path(path: Iterable[str | int]) -> str:
    """('classes', 2, 'methods', 1, 'returns') -> 'classes[2].methods[1].returns'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def format_error(name: str, pos: Pos, path: JsonPath | None, message: str) -> str:
    where = "" if path is None else f"{format_path(path)}: "
    return f"{name}:{pos[0]}:{pos[1]}: error: {where}{message}"


def display_name(path: Path) -> str:
    """The path relative to the cwd when it is under it, else as given."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_spec(path: Path) -> dict[str, Any]:
    """Parse and validate the spec; raise SpecError listing every error."""
    name = display_name(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([f"{name}: error: cannot read: {exc}"]) from None
    parsed = parse_yaml(text)
    problems = list(parsed.problems)
    if not any(p is None for _, p, _ in problems):  # structure is usable
        problems += _schema_problems(parsed)
        problems += _semantic_problems(parsed)
    if problems:
        unique = sorted(set(problems), key=lambda p: (p[0], format_path(p[1] or ()), p[2]))
        raise SpecError([format_error(name, pos, path_, msg) for pos, path_, msg in unique])
    assert isinstance(parsed.data, dict)
    return parsed.data


# --- YAML with positions -----------------------------------------------------


def _mark(node: yaml.Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def parse_yaml(text: str) -> Parsed:
    """Compose the YAML node tree and build plain data plus positions for every path."""
    result = Parsed(None, {(): (1, 1)}, {}, [])
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # a non-printable character
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - text.rfind("\n", 0, exc.position)
        result.problems.append(((line, col), None, f"invalid YAML: character #x{exc.character:04x} is not allowed"))
        return result
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        pos = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = exc.problem or exc.context or "syntax error"
        if exc.context and exc.problem:
            where = f" at line {exc.context_mark.line + 1}" if exc.context_mark else ""
            msg = f"{exc.problem} ({exc.context}{where})"
        if "but got '?'" in msg:  # PyYAML (YAML 1.1) ends a plain scalar at '?' inside [...] / {...}
            msg += '; quote a nullable handle in flow style, e.g. type: "Function?"'
        result.problems.append((pos, None, f"invalid YAML: {msg}"))
        return result
    except yaml.YAMLError as exc:
        result.problems.append(((1, 1), None, f"invalid YAML: {exc}"))
        return result
    finally:
        loader.dispose()

    def build(node: yaml.Node, path: JsonPath) -> Any:
        result.positions[path] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            out: dict[str, Any] = {}
            for knode, vnode in node.value:
                if not isinstance(knode, yaml.ScalarNode):
                    result.problems.append((_mark(knode), path, "mapping keys must be plain names"))
                    continue
                key = str(knode.value)
                if key in out:
                    first = result.key_positions[path + (key,)][0]
                    result.problems.append((_mark(knode), path, f"duplicate key {key!r} (first at line {first})"))
                    continue
                result.key_positions[path + (key,)] = _mark(knode)
                out[key] = build(vnode, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [build(child, path + (i,)) for i, child in enumerate(node.value)]
        try:
            return loader.construct_object(node, deep=True)
        except yaml.YAMLError as exc:
            result.problems.append((_mark(node), path, f"invalid value: {getattr(exc, 'problem', exc)}"))
            return None

    data = build(root, ()) if root is not None else None
    return result._replace(data=data)


# --- schema --------------------------------------------------------------------


@cache
def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


_TYPE_NAMES = {"object": "a mapping", "array": "a list", "string": "a string", "integer": "an integer",
               "number": "a number", "boolean": "true or false", "null": "nothing"}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"a boolean ({value!r})"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def _position(parsed: Parsed, path: JsonPath) -> Pos:
    while path not in parsed.positions:
        path = path[:-1]
    return parsed.positions[path]


def _schema_problems(parsed: Parsed) -> Iterator[tuple[Pos, JsonPath, str]]:
    for err in schema_validator().iter_errors(parsed.data):
        yield from _explain(parsed, err)


def _explain(parsed: Parsed, err: ValidationError) -> Iterator[tuple[Pos, JsonPath, str]]:
    path: JsonPath = tuple(err.absolute_path)
    kind, value = err.validator, err.instance
    custom = err.schema.get("errorMessage", {}).get(kind) if isinstance(err.schema, dict) else None
    if kind == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        for key in value:
            if key not in allowed:
                near = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(allowed)}"
                yield (parsed.key_positions.get(path + (key,), _position(parsed, path)), path,
                       f"unknown key {key!r} ({hint})")
    elif kind == "required":
        for key in err.validator_value:
            if key not in value:
                yield _position(parsed, path), path, f"missing required key {key!r}"
    elif kind == "type":
        want = err.validator_value if isinstance(err.validator_value, list) else [err.validator_value]
        yield (_position(parsed, path), path,
               f"expected {' or '.join(_TYPE_NAMES.get(w, w) for w in want)}, got {_describe(value)}")
    elif custom:
        yield _position(parsed, path), path, custom.replace("{value}", repr(value))
    elif kind in ("anyOf", "oneOf") and err.context:
        yield from _explain(parsed, best_match(err.context))
    else:
        yield _position(parsed, path), path, err.message


# --- semantic checks -------------------------------------------------------------


def _entries(data: Any, *path: str | int) -> list[tuple[JsonPath, dict[str, Any]]]:
    """The mapping items of the list at `path` (skipping what the schema already rejects)."""
    node = data
    for part in path:
        if isinstance(part, str) and isinstance(node, dict):
            node = node.get(part)
        elif isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        else:
            return []
    if not isinstance(node, list):
        return []
    return [(tuple(path) + (i,), item) for i, item in enumerate(node) if isinstance(item, dict)]


FAST_TYPES = ("i32", "i64", "f32", "f64")


def _semantic_problems(parsed: Parsed) -> Iterator[tuple[Pos, JsonPath, str]]:
    data = parsed.data
    problems: list[tuple[JsonPath, str]] = []

    def duplicates(entries: list[tuple[JsonPath, dict[str, Any]]], key: str, what: str) -> None:
        seen: dict[Any, JsonPath] = {}
        for path, item in entries:
            value = item.get(key)
            if value is None or isinstance(value, (dict, list, bool)):
                continue
            if value in seen:
                line = _position(parsed, seen[value] + (key,))[0]
                problems.append((path + (key,), f"duplicate {what} {value!r} (first at line {line})"))
            else:
                seen[value] = path

    classes = _entries(data, "classes")
    class_names = [c["name"] for _, c in classes if isinstance(c.get("name"), str)]
    duplicates(classes, "name", "class name")
    for table in ("value_types", "extern_kinds", "compilers", "errors"):
        duplicates(_entries(data, table), "name", "name")
        duplicates(_entries(data, table), "code", "code")
    for vpath, vtype in _entries(data, "value_types"):
        # the fast path's Rust (templates/c/wasmgen_fast.rs.jinja) names the type in Rust and in wasmer
        if vtype.get("fast") and vtype.get("name") not in FAST_TYPES:
            problems.append((vpath + ("fast",), f"value type {vtype.get('name')!r} cannot be on the typed fast path "
                             f"(only {', '.join(FAST_TYPES)}: a number type of the same name in Rust and wasmer); "
                             "remove `fast: true`"))

    def known_class(path: JsonPath, name: str) -> None:
        if name in class_names:
            return
        near = difflib.get_close_matches(name, class_names, n=1)
        hint = f"did you mean {near[0]!r}? " if near else ""
        problems.append((path, f"unknown type {name!r} ({hint}known classes: {', '.join(class_names)})"))

    callables = [e for cpath, _ in classes for e in _entries(data, *cpath, "methods")]
    duplicates(_entries(data, "functions"), "name", "function name")
    for cpath, _ in classes:
        duplicates(_entries(data, *cpath, "methods"), "name", "method name")
    for mpath, method in callables + _entries(data, "functions"):
        params = _entries(data, *mpath, "params")
        duplicates(params, "name", "param name")
        typed = [(p + ("type",), param.get("type")) for p, param in params] + [(mpath + ("returns",), method.get("returns"))]
        for tpath, tname in typed:
            if isinstance(tname, str) and _HANDLE.match(tname):
                known_class(tpath, tname.rstrip("?"))

    for mpath, method in callables + _entries(data, "functions"):
        nparams = len(_entries(data, *mpath, "params"))
        instance = mpath[0] == "classes" and not method.get("static")
        for epath, example in _entries(data, *mpath, "examples"):
            args = example.get("args", [])
            if isinstance(args, list) and len(args) != nparams:
                problems.append((epath + ("args",), f"{len(args)} argument(s) for {nparams} parameter(s) (one per "
                                 "parameter of the method, in order)"))
            if instance and "self" not in example:
                problems.append((epath, "an instance method's example needs `self` ({export: NAME} or "
                                 "{object: Store|Module|Instance|Engine})"))
            if not instance and "self" in example:
                problems.append((epath + ("self",), "`self` is for instance methods; this one is static"))
            if "module" not in example and "export" in json.dumps(example):
                problems.append((epath, "an example that uses an {export: ...} needs a `module`"))

    kinds = {k["name"]: (kpath, k) for kpath, k in _entries(data, "extern_kinds") if isinstance(k.get("name"), str)}
    for kpath, kind in kinds.values():
        if isinstance(kind.get("class"), str) and kind["class"] not in class_names:
            problems.append((kpath + ("class",), f"unknown class {kind['class']!r} (known classes: {', '.join(class_names)})"))
    for cpath, cls in classes:
        ext = cls.get("extern")
        if not isinstance(ext, str):
            continue
        if ext not in kinds:
            names = ", ".join(str(k) for k in kinds)
            problems.append((cpath + ("extern",), f"unknown extern kind {ext!r} (extern_kinds: {names})"))
        elif (owner := kinds[ext][1].get("class")) in class_names and owner != cls.get("name"):
            where = format_path(kinds[ext][0] + ("class",))
            problems.append((cpath + ("extern",), f"extern kind {ext!r} belongs to class {owner!r} ({where})"))

    defaults = [(p, c) for p, c in _entries(data, "compilers") if c.get("default") is True]
    for path, _ in defaults[1:]:
        first = defaults[0][1].get("name")
        problems.append((path + ("default",), f"more than one default compiler (first: {first!r})"))

    for path, message in problems:
        yield _position(parsed, path), path, message

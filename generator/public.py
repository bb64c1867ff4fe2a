"""Each language's public API, as data: what templates render with one macro per shape.

Every class, method and free function of api.yaml is public in every language by
default, in a shape derived from the spec (free function -> function; static `new`
returning its own class -> constructor; other static -> static; else method) and
named by the language's naming table (naming.Naming.public). What differs per
language is declared, diplomat-like, as attributes:

- inline in api.yaml: `public: [{on: "*" | lang | "not(a, b)" | "any(a, b)", ...}]`
  on a class, method or function;
- in the language's companion file public/<lang>.yaml (same JSON Schema,
  `$defs/public_file`), which wins over the inline attributes.

Attributes: shape, rename, aliases, setter, hidden (a reason), runtime (the plain
source file under bindings/<lang>/ that implements the member by hand), fallible,
defaults, support (classes). See generator/schema.json `$defs/public_attrs`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import naming
from .model import Api, Class, Method, Param, Type
from .spec import SpecError, _explain, _position, display_name, format_error, parse_yaml, schema_validator

LANGS = ("python", "go", "java", "ruby", "php")
SHAPES = ("constructor", "static", "method", "property", "function")
# Glue types with a generic public form in every language (shared brief): anything
# else (kinds, val, vals, buffer) needs a hand-written form, declared `runtime`.
GENERIC_TYPES = frozenset({"bool", "u32", "u64", "compiler", "valkind", "externkind", "bytes", "str", "void"})
MEMBER_KEYS = ("shape", "rename", "aliases", "setter", "hidden", "runtime", "fallible", "defaults")
CLASS_KEYS = ("rename", "aliases", "hidden", "support")


@dataclass
class PublicParam:
    spec: Param
    name: str  # cased for the language

    @property
    def type(self) -> Type:
        return self.spec.type


@dataclass
class Member:
    method: Method
    owner: PublicClass | None
    shape: str
    name: str
    aliases: list[str] = field(default_factory=list)
    setter: Member | None = None
    setter_of: Member | None = None  # this member is the setter of that property
    hidden: str | None = None
    runtime: str | None = None
    fallible: bool = True
    defaults: dict[str, Any] = field(default_factory=dict)
    params: list[PublicParam] = field(default_factory=list)
    setter_name: str | None = None  # the spec method declared as this property's setter
    renamed: bool = False  # the public name was declared (rename), not derived

    @property
    def returns(self) -> Type:
        return self.method.returns

    @property
    def doc(self) -> str:
        return self.method.doc

    @property
    def examples(self) -> list[dict[str, Any]]:
        return self.method.examples

    @property
    def qualname(self) -> str:
        """`Class.method` or the function's name: how api.yaml and conformance name it."""
        return f"{self.method.owner.name}.{self.method.name}" if self.method.owner else self.method.name

    @property
    def generic(self) -> bool:
        types = [p.type for p in self.params] + [self.returns]
        return all(t.is_handle or t.base in GENERIC_TYPES for t in types)

    @property
    def rendered(self) -> bool:
        """Rendered by the language's templates (not hidden, not hand-written, not a folded setter,
        not a member of a hidden class)."""
        return (self.hidden is None and self.runtime is None and self.setter_of is None
                and (self.owner is None or self.owner.hidden is None))

    @property
    def not_public(self) -> str | None:
        """Why this member cannot be called through the language's public API by its
        model name and shape (None: it can; a setter folded into a property can too)."""
        if self.hidden is not None:
            return f"hidden: {self.hidden}"
        if self.runtime is not None:
            return f"runtime support in {self.runtime}"
        if self.owner is not None and self.owner.hidden is not None:
            return f"its class is hidden: {self.owner.hidden}"
        return None

    @property
    def chains(self) -> bool:
        """A void method of a builder: it returns the object itself, so calls chain
        (`WasiConfig("p").argument("a").capture_stdout()`)."""
        return self.owner is not None and self.owner.builder and self.shape == "method" and self.returns.is_void

    @property
    def is_static(self) -> bool:
        return self.shape in ("constructor", "static", "function")

    def default_literal(self, param: str) -> str:
        """A `defaults` value as a JSON literal (valid in every target language for bool/int/str)."""
        return json.dumps(self.defaults[param])


@dataclass
class PublicClass:
    spec: Class
    name: str
    aliases: list[str] = field(default_factory=list)
    support: str | None = None
    hidden: str | None = None
    members: list[Member] = field(default_factory=list)

    @property
    def rendered(self) -> list[Member]:
        return [m for m in self.members if m.rendered]

    @property
    def builder(self) -> bool:
        """Every member but its constructors is a void instance method (a configuration)."""
        others = [m for m in self.members if m.shape != "constructor"]
        return bool(others) and all(m.shape == "method" and m.returns.is_void for m in others)

    def member(self, name: str) -> Member:
        for m in self.members:
            if m.method.name == name:
                return m
        raise KeyError(f"{self.spec.name}.{name} is not in api.yaml")


@dataclass
class PublicApi:
    lang: str
    classes: list[PublicClass]
    functions: list[Member]

    def cls(self, name: str) -> PublicClass:
        for c in self.classes:
            if c.spec.name == name:
                return c
        raise KeyError(f"class {name} is not in api.yaml")

    @property
    def members(self) -> list[Member]:
        return [m for c in self.classes for m in c.members] + self.functions

    @property
    def example_members(self) -> list[Member]:
        """Members with examples that the conformance drivers call through the public API."""
        return [m for m in self.members if m.examples and m.not_public is None]

    @property
    def rendered_functions(self) -> list[Member]:
        return [f for f in self.functions if f.rendered]


def selects(selector: str, lang: str) -> bool:
    """diplomat-like backend selection: "*", "go", "not(go, java)", "any(python, ruby)"."""
    found = re.fullmatch(r"(not|any)\((.*)\)", selector.strip())
    if not found:
        return selector.strip() in ("*", lang)
    names = {n.strip() for n in found[2].split(",")}
    return (lang in names) == (found[1] == "any")


def _inline(attrs: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for entry in attrs:
        if selects(entry["on"], lang):
            out.update({k: v for k, v in entry.items() if k != "on"})
    return out


def load_companion(path: Path, schema: str = "public_file") -> tuple[dict[str, Any], Any]:
    """Parse and schema-check public/<lang>.yaml (or another file of public/ by its `$defs` schema);
    returns (data, parsed) or raises SpecError."""
    name = display_name(path)
    parsed = parse_yaml(path.read_text(encoding="utf-8"))
    problems = list(parsed.problems)
    if not any(p is None for _, p, _ in problems):
        validator = schema_validator()
        file_schema = {"$defs": validator.schema["$defs"], "$ref": f"#/$defs/{schema}"}
        for err in type(validator)(file_schema).iter_errors(parsed.data or {}):
            problems += list(_explain(parsed, err))
    if problems:
        raise SpecError([format_error(name, pos, p, msg) for pos, p, msg in sorted(set(problems), key=str)])
    return parsed.data or {}, parsed


def build_public(api: Api, public_dir: Path) -> dict[str, PublicApi]:
    errors: list[str] = []
    out = {}
    for lang in LANGS:
        path = public_dir / f"{lang}.yaml"
        companion: dict[str, Any] = {}
        parsed = None
        if path.exists():
            try:
                companion, parsed = load_companion(path)
            except SpecError as exc:
                errors += exc.errors
                continue

        def where(*keys: str, _path: Path = path, _parsed: Any = parsed) -> str:
            """public/<lang>.yaml, with the line of `keys` when the file has them."""
            name = display_name(_path)
            if _parsed is None:
                return name
            line, col = _position(_parsed, tuple(keys))
            return f"{name}:{line}:{col}"

        out[lang] = _build_lang(api, lang, companion, where, public_dir.parent / "bindings" / lang, errors)
    if errors:
        raise SpecError(errors)
    return out


def _build_lang(api: Api, lang: str, companion: dict[str, Any], where: Callable[..., str], bindings: Path,
                errors: list[str]) -> PublicApi:
    names = naming.NAMINGS[lang]
    spec = display_name(api.path)
    declared_classes = dict(companion.get("classes") or {})
    declared_functions = dict(companion.get("functions") or {})
    for cname in declared_classes:
        if cname not in {c.name for c in api.classes}:
            errors.append(f"{where('classes', cname)}: error: classes.{cname}: no class {cname!r} in {spec} "
                          f"(classes: {', '.join(c.name for c in api.classes)})")
    for fname in declared_functions:
        if fname not in {f.name for f in api.functions}:
            errors.append(f"{where('functions', fname)}: error: functions.{fname}: no function {fname!r} in {spec}")

    def member(method: Method, owner: PublicClass | None, attrs: dict[str, Any], at: str) -> Member:
        what = f"{owner.spec.name}.{method.name}" if owner else method.name
        shape = attrs.get("shape") or _default_shape(method)
        if owner is None and shape != "function":
            errors.append(f"{at}: error: {what}: a free function has shape function, not {shape}")
        if owner is not None and shape == "function":
            errors.append(f"{at}: error: {what}: shape function is for free functions")
        if shape in ("constructor", "static") and not method.static:
            errors.append(f"{at}: error: {what}: shape {shape} needs a static method (add `static: true`)")
        if shape in ("method", "property") and method.static:
            errors.append(f"{at}: error: {what}: a static method cannot have shape {shape} (use static)")
        defaults = dict(attrs.get("defaults") or {})
        spec_params = [p.name for p in method.params]
        for p in defaults:
            if p not in spec_params:
                errors.append(f"{at}: error: {what}: defaults.{p}: no such parameter (parameters: "
                              f"{', '.join(spec_params) or 'none'})")
        params = [PublicParam(p, names.param(p.name)) for p in method.params if p.name not in defaults]
        if shape == "property" and (params or method.returns.is_void):
            errors.append(f"{at}: error: {what}: a property takes no parameters and returns a value")
        class_name = owner.name if owner else ""
        name = attrs.get("rename") or names.public_name(shape, method.name, class_name)
        m = Member(method, owner, shape, name, list(attrs.get("aliases") or []), hidden=attrs.get("hidden"),
                   runtime=attrs.get("runtime"), fallible=attrs.get("fallible", True), defaults=defaults, params=params,
                   setter_name=attrs.get("setter"), renamed="rename" in attrs)
        if m.runtime is not None and not (bindings / m.runtime).is_file():
            errors.append(f"{at}: error: {what}: runtime: bindings/{lang}/{m.runtime} does not exist (it names the "
                          "plain source file that implements this member by hand)")
        if not m.generic and m.hidden is None and m.runtime is None:
            bad = sorted({t.base for t in [p.type for p in params] + [m.returns]
                          if not t.is_handle and t.base not in GENERIC_TYPES})
            errors.append(f"{spec}: error: {what}: type {', '.join(bad)} has no generic public form in {lang}; declare "
                          f"how {lang} presents it in {where()}: `runtime: <file under bindings/{lang}/>` (written by "
                          "hand there) or `hidden: <why>`")
        return m

    classes: list[PublicClass] = []
    for c in api.classes:
        cattrs = _inline(c.public, lang)
        declared = declared_classes.get(c.name) or {}
        cattrs.update({k: v for k, v in declared.items() if k != "members"})
        for key in set(cattrs) - set(CLASS_KEYS):
            errors.append(f"{spec}: error: {c.name}: public attribute {key!r} is for members, not classes "
                          f"(class attributes: {', '.join(CLASS_KEYS)})")
        pc = PublicClass(c, cattrs.get("rename") or names.cls(c.name), list(cattrs.get("aliases") or []),
                         cattrs.get("support"), cattrs.get("hidden"))
        declared_members = dict(declared.get("members") or {})
        for mname in declared_members:
            if mname not in {m.name for m in c.methods}:
                errors.append(f"{where('classes', c.name, 'members', mname)}: error: classes.{c.name}.members.{mname}: "
                              f"{c.name} has no method {mname!r} "
                              f"in {spec} (methods: {', '.join(m.name for m in c.methods)})")
        for method in c.methods:
            attrs = _inline(method.public, lang)
            extra = declared_members.get(method.name) or {}
            at = where("classes", c.name, "members", method.name) if extra else spec
            attrs.update(extra)
            if "support" in attrs:
                errors.append(f"{at}: error: {c.name}.{method.name}: `support` is a class attribute")
            pc.members.append(member(method, pc, attrs, at))
        _link_setters(pc, names, where("classes", c.name), errors)
        classes.append(pc)
    functions = []
    for f in api.functions:
        attrs = _inline(f.public, lang)
        extra = declared_functions.get(f.name) or {}
        attrs.update(extra)
        functions.append(member(f, None, attrs, where("functions", f.name) if extra else spec))
    return PublicApi(lang, classes, functions)


def _default_shape(method: Method) -> str:
    if method.owner is None:
        return "function"
    if method.static:
        returns_self = method.returns.handle is method.owner and not method.returns.nullable
        return "constructor" if method.name == "new" and returns_self else "static"
    return "method"


def _link_setters(pc: PublicClass, names: naming.Naming, where: str, errors: list[str]) -> None:
    declared = {m.method.name: m for m in pc.members}
    for m in pc.members:
        attrs_setter = m.setter_name
        if attrs_setter is None:
            continue
        target = declared.get(attrs_setter)
        what = f"{pc.spec.name}.{m.method.name}"
        if m.shape != "property":
            errors.append(f"{where}: error: {what}: `setter` needs shape property")
        if target is None:
            errors.append(f"{where}: error: {what}: setter {attrs_setter!r} is not a method of {pc.spec.name}")
            continue
        if target.method.static or len(target.params) != 1:
            errors.append(f"{where}: error: {what}: setter {attrs_setter!r} must be an instance method of one parameter")
            continue
        m.setter = target
        target.setter_of = m
        if not target.renamed:
            target.name = names.public_name("setter", m.method.name, pc.name)


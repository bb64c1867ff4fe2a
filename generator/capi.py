"""public/php_capi.yaml: wasmer-php 1.1.0's API, the wasm C API mirrored as PHP functions (data, not code).

`load()` validates the file (generator/schema.json `$defs/capi_file`) and derives, from each function's
C prototype and the PHP shape of each C type, what templates/php/wasm_capi.*.jinja render: the PHP
parameters and result of every function, its stub signature, and the Wasm\\Vec\\* classes.
`prototype_problems()` checks the prototypes against the installed wasm.h / wasmer.h (`own` kept).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import SpecError

SCALARS = {"int", "float", "bool"}


@dataclass
class CType:
    name: str  # the C type name: wasm_engine_t, wasm_val_vec_t, size_t, const char*
    kind: str  # resource | value | vec | string | int | float | bool
    delete: str | None = None
    copy: str | None = None  # a C function, "share", or (value types) None: a struct copy
    store: bool = False
    fields: list[str] = field(default_factory=list)
    vec_class: str | None = None
    of: CType | None = None  # a vector's element type
    nul: bool = False  # a string stored with its terminating NUL (wasm_message_t)
    index: int = 0  # resources and values: position in the runtime's type table

    @property
    def short(self) -> str:
        """wasm_globaltype_t -> globaltype (parameter names, table entries)."""
        short = re.sub(r"^(wasm|wasmer)_|_vec_t$|_t$", "", self.name)
        return {"byte": "bytes"}.get(short, short)


@dataclass
class Arg:
    ctype: CType
    own: bool
    const: bool
    pointers: int
    name: str = ""  # the PHP parameter name

    @property
    def role(self) -> str:
        if self.pointers == 2:
            return "trap_out"
        if self.ctype.kind in ("vec", "string", "value") and self.pointers == 1:
            return self.ctype.kind
        return self.ctype.kind


@dataclass
class Function:
    name: str  # the PHP function
    shape: str  # call | delete | copy | value | field | runtime
    c_name: str = ""
    prototype: str = ""
    args: list[Arg] = field(default_factory=list)  # the PHP parameters, in order
    out: Arg | None = None  # the C out-parameter returned to PHP
    trap: Arg | None = None  # an `own wasm_trap_t**` out-parameter: a trap is an exception
    ret: Arg | None = None  # the C result (None: void)
    null: str | None = None  # message of the exception for a NULL result; "return": null
    false: str | None = None  # message of the exception for a false result
    error: str = "RuntimeException"
    runtime: str = ""  # why it is written by hand
    php: str = ""  # the stub signature

    @property
    def stub_tags(self) -> list[str]:
        """gen_stub.php's doc tags for what PHP cannot declare: resource parameters and results."""
        m = re.match(r"^\w+\((.*)\)(:.*)?$", self.php)
        assert m, self.php
        tags = [f"@param resource {p.strip()}" for p in m[1].split(",") if p.strip().startswith("$")]
        if not m[2]:
            tags.append("@return resource" + ("|null" if self.null == "return" else ""))
        return tags
    type: CType | None = None  # delete, copy, value, field: the type
    kind: str = ""  # value constructors of wasm_val_t: WASM_I32 ...
    field_name: str = ""


@dataclass
class Capi:
    types: dict[str, CType]
    functions: list[Function]
    constants: list[tuple[str, str, str]]  # PHP name, C expression, why (a number's reason)
    exceptions: list[tuple[str, str]]

    @property
    def tables(self) -> list[CType]:
        """The types held by resources (objects and values), in their table order."""
        return sorted((t for t in self.types.values() if t.kind in ("resource", "value")), key=lambda t: t.index)

    @property
    def vecs(self) -> list[CType]:
        return [t for t in self.types.values() if t.kind == "vec"]


PROTO = re.compile(r"^\s*(?P<ret>.+?)\s*\b(?P<name>wasm\w+)\s*\((?P<args>.*)\)\s*$")


def split_type(text: str) -> tuple[str, bool, bool, int]:
    """'own const wasm_val_t*' -> ('wasm_val_t', own, const, pointers)."""
    text = text.strip()
    pointers = text.count("*")
    words = text.replace("*", " ").split()
    own = "own" in words or "__OWN__" in words
    const = "const" in words
    words = [w for w in words if w not in ("own", "__OWN__", "const", "struct")]
    base = " ".join(words)
    if base == "_Bool":
        base = "bool"
    if base == "char":  # const char*: a C string
        return "const char*", own, False, 0
    return base, own, const, pointers


def parse_prototype(proto: str) -> tuple[str, tuple[str, bool, bool, int], list[tuple[str, bool, bool, int]]]:
    m = PROTO.match(proto)
    if not m:
        raise ValueError(f"not a C prototype: {proto!r}")
    args = [a for a in (x.strip() for x in m["args"].split(",")) if a and a != "void"]
    return m["name"], split_type(m["ret"]), [split_type(a) for a in args]


def normalize(proto: str) -> str:
    """A prototype without parameter names or spacing differences, `own` kept (for the header check)."""
    name, ret, args = parse_prototype(proto)

    def one(t: tuple[str, bool, bool, int]) -> str:
        base, own, const, ptr = t
        if base == "const char*":
            return base
        return ("own " if own else "") + ("const " if const else "") + base + "*" * ptr

    return f"{one(ret)} {name}({', '.join(one(a) for a in args)})"


def _strip_name(arg: str) -> str:
    """'const wasm_byte_vec_t* binary' -> 'const wasm_byte_vec_t*'; 'wasm_valkind_t k' -> 'wasm_valkind_t'."""
    arg = arg.strip()
    if "(" in arg:
        return arg
    if "*" in arg:
        head, _, tail = arg.rpartition("*")
        return head + "*" if re.fullmatch(r"\s*\w+\s*", tail) else arg
    words = arg.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-2] not in ("const", "own", "__OWN__", "struct") else arg


def preprocessed_headers(include_dir: Path, own_marker: bool = False) -> str:
    """wasmer.h (with wasm.h) after the preprocessor (wasm.h declares most functions through macros);
    `own_marker`: wasm.h's `own` kept as `__OWN__`. ValueError if the headers do not preprocess."""
    with tempfile.TemporaryDirectory() as tmp:
        if own_marker:
            text = (include_dir / "wasm.h").read_text()
            (Path(tmp) / "wasm.h").write_text(re.sub(r"^#define own\s*$", "#define own __OWN__", text, flags=re.M))
            # beside it, so that its #include "wasm.h" finds the marked copy
            (Path(tmp) / "wasmer.h").write_text((include_dir / "wasmer.h").read_text())
        proc = subprocess.run(["cc", "-E", "-P", f"-I{tmp}", f"-I{include_dir}", "-x", "c", "-"],
                              input="#include <wasmer.h>\n", capture_output=True, text=True)
    if proc.returncode != 0:
        raise ValueError(f"cannot preprocess {include_dir}/wasmer.h: {proc.stderr.strip()[:300]}")
    return proc.stdout


def header_prototypes(include_dir: Path) -> dict[str, str]:
    """Every function prototype of wasmer.h (with wasm.h) after the preprocessor, `own` kept as a marker."""
    try:
        text = preprocessed_headers(include_dir, own_marker=True)
    except ValueError as exc:
        raise SpecError([str(exc)]) from None
    out: dict[str, str] = {}
    for stmt in " ".join(text.split()).split(";"):
        stmt = stmt.rsplit("}", 1)[-1].split("{", 1)[0].replace("static inline ", "inline ").strip()
        inline = stmt.startswith("inline ")
        stmt = stmt.removeprefix("inline ")
        m = re.match(r"^(.+?\b(wasm\w+))\s*\((.*)\)$", stmt)
        if not m or "typedef" in stmt or "(*" in m[1] or m[2] in out or stmt.startswith("return"):
            continue  # the first declaration is wasm.h's (wasmer.h repeats some without `own`)
        args = ", ".join(_strip_name(a) for a in m[3].split(",")) if m[3].strip() else ""
        try:
            out[m[2]] = ("inline " if inline else "") + normalize(f"{m[1]}({args})")
        except ValueError:
            continue
    return out


def entry_shape(entry: Any) -> str:
    return "call" if isinstance(entry, str) else entry.get("shape", "call") if isinstance(entry.get("shape", "call"), str) else "value"


def prototype_problems(path: Path, include_dir: Path) -> list[str]:
    """Each prototype of php_capi.yaml against the header's (and each runtime copy function named)."""
    from .public import load_companion

    data, _ = load_companion(path, "capi_file")
    known = header_prototypes(include_dir)
    library = include_dir.parent / "lib" / "libwasmer.so"
    exported: set[str] | None = None
    if library.exists():  # a function wasm.h declares may still be missing from libwasmer (wasm_module_copy)
        nm = subprocess.run(["nm", "-D", "--defined-only", str(library)], capture_output=True, text=True)
        exported = set(re.findall(r"^\S+ T (\w+)$", nm.stdout, re.M)) if nm.returncode == 0 else None
    problems = []
    for name, entry in (data.get("functions") or {}).items():
        proto = entry if isinstance(entry, str) else entry.get("c")
        if not proto:
            continue
        c_name = parse_prototype(proto)[0]
        if c_name not in known:
            problems.append(f"{path.name}: functions.{name}: {c_name} is not declared by {include_dir}/wasmer.h")
        elif normalize(proto) != known[c_name].removeprefix("inline "):
            problems.append(f"{path.name}: functions.{name}: the prototype {normalize(proto)!r} differs from the "
                            f"header's {known[c_name]!r}")
        elif exported is not None and c_name not in exported and not known[c_name].startswith("inline ") \
                and entry_shape(entry) == "call":
            problems.append(f"{path.name}: functions.{name}: {library} does not export {c_name}")
    for name, shape in (data.get("types") or {}).items():
        resource = shape.get("resource", {}) if isinstance(shape, dict) else {}
        for role in ("delete", "copy"):
            fn = resource.get(role, "share")
            if exported is not None and fn.startswith("wasm") and fn not in exported:
                problems.append(f"{path.name}: types.{name}.resource.{role}: {library} does not export {fn}")
    return problems


def load(path: Path) -> Capi:
    from .public import load_companion

    data, _ = load_companion(path, "capi_file")
    errors: list[str] = []
    types: dict[str, CType] = {}
    for index, (name, shape) in enumerate(data["types"].items()):
        if isinstance(shape, str):
            types[name] = CType(name, shape)
        elif "resource" in shape:
            r = shape["resource"]
            types[name] = CType(name, "resource", delete=r["delete"], copy=r.get("copy"), store=r.get("store", False))
        elif "value" in shape:
            v = shape["value"]
            types[name] = CType(name, "value", delete=v.get("delete"), fields=list(v.get("fields", [])))
        elif "vec" in shape:
            types[name] = CType(name, "vec", vec_class=shape["vec"])
        elif "string" in shape:
            types[name] = CType(name, "string", nul=shape["string"].get("nul", False))
    for index, t in enumerate(t for t in types.values() if t.kind in ("resource", "value")):
        t.index = index
    for name, shape in data["types"].items():
        if isinstance(shape, dict) and "vec" in shape:
            of = types.get(shape["of"])
            if of is None or of.kind not in ("resource", "value"):
                errors.append(f"{path.name}: types.{name}: `of: {shape['of']}` is not a resource or value type")
            types[name].of = of

    def ctype(t: tuple[str, bool, bool, int], where: str) -> Arg | None:
        base, own, const, ptr = t
        if base not in types:
            errors.append(f"{path.name}: {where}: no PHP shape for the C type {base!r} (add it to `types`)")
            return None
        return Arg(types[base], own, const, ptr)

    functions: list[Function] = []
    for name, entry in data["functions"].items():
        entry = {"c": entry} if isinstance(entry, str) else dict(entry)
        where = f"functions.{name}"
        if "runtime" in entry:
            functions.append(Function(name, "runtime", runtime=entry["runtime"], php=entry["php"]))
            continue
        shape = entry.get("shape", "call")
        fn = Function(name, shape if isinstance(shape, str) else next(iter(shape)), null=entry.get("null"),
                      false=entry.get("false"), error=entry.get("error", "RuntimeException"))
        if isinstance(shape, dict):
            target = shape.get("value") or shape["field"][0]
            fn.type = types.get(target)
            if fn.type is None or fn.type.kind != "value":
                errors.append(f"{path.name}: {where}: {target!r} is not a value type")
                continue
            fn.kind = shape.get("kind", "")
            if fn.shape == "field":
                fn.field_name = shape["field"][1]
                if fn.field_name not in fn.type.fields:
                    errors.append(f"{path.name}: {where}: {target} has no field {fn.field_name!r}")
            functions.append(fn)
            continue
        try:
            c_name, ret, args = parse_prototype(entry["c"])
        except ValueError as exc:
            errors.append(f"{path.name}: {where}: {exc}")
            continue
        fn.c_name, fn.prototype = c_name, entry["c"]
        parsed = [ctype(a, where) for a in args]
        if None in parsed:
            continue
        for position in entry.get("borrowed", {}):  # `own` in wasm.h, only read by libwasmer 7
            parsed[int(position) - 1].own = False  # type: ignore[union-attr]
        fn.args = [a for a in parsed if a.pointers < 2]  # type: ignore[union-attr]
        fn.trap = next((a for a in parsed if a.pointers == 2), None)  # type: ignore[union-attr]
        fn.ret = None if ret[0] == "void" else ctype(ret, where)
        if shape in ("delete", "copy"):
            fn.type = fn.args[-1].ctype
            fn.args = fn.args[-1:]
        elif fn.ret is None and fn.args and fn.args[-1].pointers == 1 and not fn.args[-1].const \
                and fn.args[-1].ctype.kind in ("vec", "string", "value"):
            fn.out = fn.args.pop()
        for a in fn.args if fn.shape == "call" else []:
            if a.own and a.role == "resource" and a.ctype.copy in (None, "share"):
                errors.append(f"{path.name}: {where}: takes an own {a.ctype.name} and the type has no copy: "
                              "write it by hand (`runtime:`)")
        functions.append(fn)
    for fn in functions:
        _name_args(fn)
        if not fn.php:
            fn.php = stub_signature(fn)
    constants = []
    for php_name, value in (data.get("constants") or {}).items():
        if isinstance(value, dict):
            constants.append((php_name, str(value["value"]), value["why"]))
        else:
            constants.append((php_name, value, ""))
    if errors:
        raise SpecError(errors)
    return Capi(types, functions, constants, list((data.get("exceptions") or {}).items()))


def _name_args(fn: Function) -> None:
    seen: dict[str, int] = {}
    bases = []
    for a in fn.args:
        base = a.ctype.short + ("s" if a.ctype.kind == "vec" else "")
        if a.ctype.kind in SCALARS:
            base = "value" if fn.shape == "value" else re.sub(r"^wasm_|_t$", "", a.ctype.name)
        bases.append(base)
    for a, base in zip(fn.args, bases):
        if bases.count(base) > 1:
            seen[base] = seen.get(base, 0) + 1
            a.name = f"{base}{seen[base]}"
        else:
            a.name = base


PHP_TYPES = {"int": "int", "float": "float", "bool": "bool", "string": "string"}


def php_type(a: Arg | None) -> str:
    if a is None:
        return "void"
    if a.ctype.kind == "vec":
        return "\\Wasm\\Vec\\" + a.ctype.vec_class
    return PHP_TYPES.get(a.ctype.kind, "")


def stub_signature(fn: Function) -> str:
    if fn.shape == "delete":
        return f"{fn.name}(${fn.args[0].name}): bool"
    if fn.shape == "copy":
        return f"{fn.name}(${fn.args[0].name})"
    if fn.shape == "value":
        if fn.kind:
            kind = "int" if fn.kind in ("WASM_I32", "WASM_I64") else "float"
            return f"{fn.name}({kind} $value)"
        return f"{fn.name}({', '.join(f'int ${f}' for f in fn.type.fields)})"  # type: ignore[union-attr]
    if fn.shape == "field":
        return f"{fn.name}(${fn.type.short}): int"  # type: ignore[union-attr]
    params = []
    for a in fn.args:
        t = php_type(a) if a.role not in ("resource", "value") else ""
        params.append((t + " " if t else "") + "$" + a.name)
    ret = php_type(fn.out) if fn.out is not None else php_type(fn.ret)
    if fn.ret is not None and fn.ret.ctype.kind in ("resource", "value"):
        ret = ""
    return f"{fn.name}({', '.join(params)})" + (f": {ret}" if ret else "")

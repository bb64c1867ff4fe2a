"""The typed model of api.yaml: what every backend renders.

Everything a template needs that is the same in every language is computed
here (C glue signatures, the value-type table, error codes); what differs per
language goes through generator/naming.py.
"""

from __future__ import annotations

import functools
import itertools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .spec import load_spec, spec_hash

# The glue vocabulary. `c_in` is how a parameter of this type is passed to a
# glue function (`{n}` = parameter name), `c_out` how a result is written back.
SCALARS = {"bool", "u32", "u64", "compiler", "valkind", "externkind"}
STORE_CLASS = "Store"  # the class whose lock serializes everything made in it


@dataclass(frozen=True)
class TypeInfo:
    name: str
    c_in: tuple[str, ...] | None  # C parameter declarations; None: not allowed as a parameter
    c_out: str | None  # C out-parameter declaration; None: not allowed as a result


TYPES: dict[str, TypeInfo] = {
    "bool": TypeInfo("bool", ("bool {n}",), "bool *out"),
    "u32": TypeInfo("u32", ("uint32_t {n}",), "uint32_t *out"),
    "u64": TypeInfo("u64", ("uint64_t {n}",), "uint64_t *out"),
    "compiler": TypeInfo("compiler", ("uint32_t {n}",), None),
    "valkind": TypeInfo("valkind", ("uint8_t {n}",), "uint8_t *out"),
    "externkind": TypeInfo("externkind", None, "uint8_t *out"),
    "bytes": TypeInfo("bytes", ("const uint8_t *{n}", "size_t {n}_len"), "wg_bytes *out"),
    "str": TypeInfo("str", ("const char *{n}", "size_t {n}_len"), "wg_bytes *out"),
    "kinds": TypeInfo("kinds", ("const uint8_t *{n}", "size_t {n}_len"), None),
    "val": TypeInfo("val", ("wg_val {n}",), "wg_val *out"),
    "vals": TypeInfo("vals", ("const wg_val *{n}",), "wg_val *out"),
    "buffer": TypeInfo("buffer", None, "wg_buffer *out"),
    "void": TypeInfo("void", None, None),
}


@dataclass
class Type:
    name: str  # as written in the spec: "u32", "Module", "Function?"
    base: str  # vocabulary name, or "handle"
    handle: Class | None = None
    nullable: bool = False

    @property
    def is_handle(self) -> bool:
        return self.base == "handle"

    @property
    def is_void(self) -> bool:
        return self.base == "void"


@dataclass
class Param:
    name: str
    type: Type

    @property
    def c_decls(self) -> list[str]:
        if self.type.is_handle:
            return [f"{self.type.handle.c_type} *{self.name}"]  # type: ignore[union-attr]
        info = TYPES[self.type.base]
        assert info.c_in is not None
        return [d.format(n=self.name) for d in info.c_in]


@dataclass
class Method:
    name: str
    owner: Class | None  # None for free functions
    static: bool
    params: list[Param]
    returns: Type
    c_api: list[str]
    doc: str
    hot: bool = False
    public: list[dict[str, Any]] = field(default_factory=list)  # inline public attributes (generator/public.py)
    examples: list[dict[str, Any]] = field(default_factory=list)  # run by `python -m conformance examples`

    @property
    def c_name(self) -> str:
        if self.owner is None:
            return f"wg_{self.name}"
        return f"wg_{self.owner.snake}_{self.name}"

    @property
    def body_macro(self) -> str:
        return f"{self.owner.name}_{self.name}" if self.owner else f"fn_{self.name}"

    @property
    def c_params(self) -> list[str]:
        decls: list[str] = []
        if self.owner is not None and not self.static:
            decls.append(f"{self.owner.c_type} *self")
        for p in self.params:
            decls.extend(p.c_decls)
        if self.returns.is_handle:
            decls.append(f"{self.returns.handle.c_type} **out")  # type: ignore[union-attr]
        elif not self.returns.is_void:
            out = TYPES[self.returns.base].c_out
            assert out is not None
            decls.append(out)
        return decls

    @property
    def c_signature(self) -> str:
        return f"int {self.c_name}({', '.join(self.c_params) or 'void'})"

    @property
    def c_args(self) -> list[str]:
        """The C parameter names, in order (to forward a call)."""
        return [d.rsplit(" ", 1)[1].lstrip("*") for d in self.c_params]

    @property
    def store_lock(self) -> str | None:
        """The C expression of the store (wg_store *) whose lock the glue function
        holds: self's store for a class living in a store, else its Store parameter."""
        if self.owner is not None and not self.static and (self.owner.in_store or self.owner.extern):
            return "self ? self->store : NULL"
        return next((p.name for p in self.params if p.type.is_handle and p.type.handle.name == STORE_CLASS), None)


@dataclass
class Class:
    name: str
    doc: str
    wraps: list[str]
    extern: str | None  # extern kind name when the class is a kind of Extern
    methods: list[Method] = field(default_factory=list)
    in_store: bool = False  # its objects belong to a store (an extern class always does)
    public: list[dict[str, Any]] = field(default_factory=list)  # inline public attributes (generator/public.py)

    @property
    def snake(self) -> str:
        out = ""
        for i, ch in enumerate(self.name):
            if ch.isupper() and i:
                out += "_"
            out += ch.lower()
        return out

    @property
    def c_type(self) -> str:
        # Every extern (Function, Memory, Global, Table, Extern) shares one glue
        # struct, so an exported extern can be handed back as an import as is.
        return "wg_extern" if self.extern or self.name == "Extern" else f"wg_{self.snake}"

    @property
    def c_delete(self) -> str:
        return f"{self.c_type}_delete"

    @property
    def constructors(self) -> list[Method]:
        return [m for m in self.methods if m.static and m.returns.handle is self]

    def method(self, name: str) -> Method:
        for m in self.methods:
            if m.name == name:
                return m
        raise KeyError(f"{self.name}.{name} is not in api.yaml")


@dataclass
class ValueType:
    name: str
    code: int
    field: str
    c_type: str
    doc: str
    fast: bool = False  # has the typed fast path (FastPath)

    @property
    def is_ref(self) -> bool:
        return self.code >= 128

    # The typed fast path in Rust (templates/c/wasmgen_fast.rs.jinja): a fast type is
    # a number type of the same name in Rust and a wasmer_types::Type variant; values
    # cross the C boundary as 64 raw bits (wg_val.bits), narrower ones in the low bits.
    @property
    def rust_variant(self) -> str:
        return self.name.upper()

    @property
    def rust_lift(self) -> str:
        """Rust expression: the value of this type from its raw bits `b: u64`."""
        width = int(self.name[1:])
        return f"{self.name}::from_bits(b as u{width})" if self.name[0] == "f" else f"b as u{width} as {self.name}"

    @property
    def rust_lower(self) -> str:
        """Rust expression: the raw bits (u64, zero-extended) of `v: Self`."""
        width = int(self.name[1:])
        return "v.to_bits() as u64" if self.name[0] == "f" else f"v as u{width} as u64"


@dataclass
class FastSignature:
    """One signature of the typed fast path: numbered in spec order (FastPath.signatures)."""

    index: int
    params: list[ValueType]
    results: list[ValueType]

    @staticmethod
    def _tuple(types: list[ValueType]) -> str:
        # wasmer's TypedFunction takes (), a bare type for one, a tuple for more
        names = [t.name for t in types]
        return names[0] if len(names) == 1 else "(" + ", ".join(names) + ")"

    @property
    def rust_params(self) -> str:
        return self._tuple(self.params)

    @property
    def rust_results(self) -> str:
        return self._tuple(self.results)

    @property
    def rust_host_result(self) -> str:
        """What a typed host function returns from its callback's raw result."""
        return ".map(Raw::lift)" if self.results else ".map(|_| ())"


@dataclass
class FastPath:
    version: int
    max_params: int
    max_results: int
    types: list[ValueType]

    @functools.cached_property
    def signatures(self) -> list[FastSignature]:
        """Every signature of the table, once per model (the templates walk it several times)."""
        params = [list(p) for n in range(self.max_params + 1) for p in itertools.product(self.types, repeat=n)]
        results = [list(r) for n in range(self.max_results + 1) for r in itertools.product(self.types, repeat=n)]
        return [FastSignature(i, p, r) for i, (p, r) in enumerate((p, r) for p in params for r in results)]


@dataclass
class Named:
    """extern kinds, compilers and errors: a name, a code and the rest as given."""

    name: str
    code: int
    doc: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, key: str) -> Any:
        try:
            return self.__dict__["extra"][key]
        except KeyError:
            raise AttributeError(key) from None


@dataclass
class Api:
    path: Path
    hash: str
    library: dict[str, Any]
    value_types: list[ValueType]
    extern_kinds: list[Named]
    compilers: list[Named]
    errors: list[Named]
    classes: list[Class]
    functions: list[Method]
    fast_path: FastPath | None = None
    public: dict[str, Any] = field(default_factory=dict)  # language -> public.PublicApi
    capi: Any = None  # public/php_capi.yaml: wasmer-php 1.1.0's mirror of the wasm C API (generator/capi.py)

    @property
    def short_hash(self) -> str:
        return self.hash[:12]

    def cls(self, name: str) -> Class:
        for c in self.classes:
            if c.name == name:
                return c
        raise KeyError(f"class {name} is not in api.yaml")

    def error(self, name: str) -> Named:
        for e in self.errors:
            if e.name == name:
                return e
        raise KeyError(f"error {name} is not in api.yaml")

    @property
    def default_compiler(self) -> Named:
        return next((c for c in self.compilers if c.extra.get("default")), self.compilers[0])

    @property
    def c_types(self) -> list[str]:
        """Distinct glue handle types, in spec order."""
        seen: list[str] = []
        for c in self.classes:
            if c.c_type not in seen:
                seen.append(c.c_type)
        return seen

    @property
    def all_methods(self) -> list[Method]:
        return [m for c in self.classes for m in c.methods] + self.functions


def _named(items: list[dict[str, Any]]) -> list[Named]:
    out = []
    for item in items:
        rest = {k: v for k, v in item.items() if k not in ("name", "code", "doc")}
        out.append(Named(item["name"], item["code"], item.get("doc", ""), rest))
    return out


def build_model(data: dict[str, Any], path: Path, digest: str) -> Api:
    classes = [Class(c["name"], c["doc"], list(c.get("wraps", [])), c.get("extern"), in_store=bool(c.get("in_store")),
                     public=list(c.get("public", [])))
               for c in data["classes"]]
    by_name = {c.name: c for c in classes}

    def typ(name: str) -> Type:
        nullable = name.endswith("?")
        base = name.rstrip("?")
        if base in by_name:
            return Type(name, "handle", by_name[base], nullable)
        return Type(name, base)

    def method(m: dict[str, Any], owner: Class | None) -> Method:
        return Method(
            name=m["name"],
            owner=owner,
            static=bool(m.get("static", False)),
            params=[Param(p["name"], typ(p["type"])) for p in m.get("params", [])],
            returns=typ(m.get("returns", "void")),
            c_api=list(m.get("c_api", [])),
            doc=" ".join(str(m["doc"]).split()),
            hot=bool(m.get("hot", False)),
            public=list(m.get("public", [])),
            examples=list(m.get("examples", [])),
        )

    for c, raw in zip(classes, data["classes"]):
        c.methods = [method(m, c) for m in raw.get("methods", [])]
    value_types = [ValueType(v["name"], v["code"], v["field"], v["c_type"], v["doc"], bool(v.get("fast")))
                   for v in data["value_types"]]
    fast = data.get("fast_path") or {"version": 1, "max_params": 0, "max_results": 0}
    return Api(
        path=path,
        hash=digest,
        library=data["library"],
        value_types=value_types,
        extern_kinds=_named(data["extern_kinds"]),
        compilers=_named(data["compilers"]),
        errors=_named(data["errors"]),
        classes=classes,
        functions=[method(f, None) for f in data.get("functions", [])],
        fast_path=FastPath(fast["version"], fast["max_params"], fast["max_results"], [v for v in value_types if v.fast]),
    )


def load(path: Path, public_dir: Path | None = None) -> Api:
    """Load, validate (raises spec.SpecError with every error) and build the model,
    with each language's public API (api.yaml's `public:` plus public/<lang>.yaml)."""
    from . import capi
    from .public import build_public

    data = load_spec(path)
    api = build_model(data, path, spec_hash(data))
    if public_dir is None:
        # public/ next to the spec; a spec copied alone (tests, experiments) uses the repository's.
        public_dir = Path(path).parent / "public"
        if not public_dir.is_dir():
            public_dir = Path(__file__).resolve().parent.parent / "public"
    api.public = build_public(api, public_dir)
    capi_path = public_dir / "php_capi.yaml"
    api.capi = capi.load(capi_path) if capi_path.exists() else None
    return api

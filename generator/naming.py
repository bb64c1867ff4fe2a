"""One naming authority per language: case conventions and reserved words.

Templates never build an identifier themselves: they call `names.<lang>` (a
`Naming`) through the `ident` filters registered in render.py.
"""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass, field


def words(name: str) -> list[str]:
    """Split snake_case or PascalCase into lower-case words: 'set_name' / 'SetName' -> ['set', 'name']."""
    parts: list[str] = []
    for chunk in name.split("_"):
        parts.extend(p.lower() for p in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z0-9]+|[A-Z]+", chunk))
    return [p for p in parts if p]


def snake(name: str) -> str:
    return "_".join(words(name))


def pascal(name: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def camel(name: str) -> str:
    p = pascal(name)
    return p[:1].lower() + p[1:]


def screaming(name: str) -> str:
    return snake(name).upper()


@dataclass(frozen=True)
class Naming:
    lang: str
    method_case: str  # "snake" | "camel" | "pascal"
    reserved: frozenset[str]
    suffix: str = "_"  # appended to an identifier that is reserved
    # Spec names that clash with something the language already defines (a builtin
    # exception class, say) get a language-specific name instead.
    renames: dict[str, str] = field(default_factory=dict)
    # How each public shape is named by default (generator/public.py; `rename` in
    # api.yaml or public/<lang>.yaml overrides): {snake} {camel} {pascal} of the spec
    # name, {Class} the public class name.
    public: dict[str, str] = field(default_factory=dict)

    def escape(self, ident: str) -> str:
        return ident + self.suffix if ident in self.reserved else ident

    def cls(self, name: str) -> str:
        return self.renames.get(name, self.escape(pascal(name)))

    def method(self, name: str) -> str:
        cased = {"snake": snake, "camel": camel, "pascal": pascal}[self.method_case](name)
        return self.escape(cased)

    def param(self, name: str) -> str:
        cased = camel(name) if self.method_case in ("camel", "pascal") else snake(name)
        return self.escape(cased)

    def const(self, name: str) -> str:
        return self.renames.get(name, self.escape(screaming(name)))

    def public_name(self, shape: str, name: str, class_name: str = "") -> str:
        """The default public name of a member of `shape` ('setter' for a property's setter)."""
        fmt = self.public[shape]
        out = fmt.format(snake=snake(name), camel=camel(name), pascal=pascal(name), Class=class_name)
        return out if out in ("", class_name) else self.escape(out)


PYTHON = Naming(
    "python",
    "snake",
    frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset({"self"}),
    # builtins.RuntimeError is the base class of every wasmer error; the reference
    # types keep wasmer-python 1.x's spelling of Type members.
    renames={"RuntimeError": "Error", "externref": "EXTERN_REF", "funcref": "FUNC_REF"},
    public={"constructor": "{Class}", "static": "{snake}", "method": "{snake}", "property": "{snake}",
            "setter": "{snake}", "function": "{snake}"},
)
# Python builtins a parameter must not shadow inside generated bodies.
PYTHON_BUILTINS = frozenset(dir(builtins))

GO = Naming(
    "go",
    "pascal",
    frozenset(
        "break case chan const continue default defer else fallthrough for func go goto if import "
        "interface map package range return select struct switch type var "
        "bool byte error int string uint len cap new make append copy delete panic recover".split()
    ),
    # wasmer-go 1.x's spelling of the reference value kinds and of the function extern kind.
    renames={"externref": "AnyRef", "funcref": "FuncRef", "func": "FUNCTION"},
    public={"constructor": "New{Class}", "static": "{pascal}{Class}", "method": "{pascal}", "property": "{pascal}",
            "setter": "Set{pascal}", "function": "{pascal}"},
)

JAVA = Naming(
    "java",
    "camel",
    frozenset(
        "abstract assert boolean break byte case catch char class const continue default do double "
        "else enum extends final finally float for goto if implements import instanceof int interface "
        "long native new package private protected public return short static strictfp super switch "
        "synchronized this throw throws transient try void volatile while var record yield true false null".split()
    ),
    # Java spells errors `...Exception` (an `...Error` is a java.lang.Error, not
    # to be caught); all are unchecked and extend WasmerException. The Function
    # class is WasmFunction: org.wasmer.exports.Function is wasmer-java's interface.
    renames={"RuntimeError": "WasmerException", "CompileError": "CompileException", "LinkError": "LinkException",
             "Trap": "TrapException", "HostError": "HostException", "ArgumentError": "ArgumentException",
             "ExitError": "ExitException",
             "Function": "WasmFunction"},
    public={"constructor": "{Class}", "static": "{camel}", "method": "{camel}", "property": "get{pascal}",
            "setter": "set{pascal}", "function": "{camel}"},
)

RUBY = Naming(
    "ruby",
    "snake",
    frozenset(
        "BEGIN END alias and begin break case class def defined? do else elsif end ensure false for if in "
        "module next nil not or redo rescue retry return self super then true undef unless until when "
        "while yield".split()
    ),
    # wasmer-ruby 1.0 spells the reference types Type::EXTERN_REF / Type::FUNC_REF.
    renames={"externref": "EXTERN_REF", "funcref": "FUNC_REF"},
    public={"constructor": "new", "static": "{snake}", "method": "{snake}", "property": "{snake}",
            "setter": "{snake}=", "function": "{snake}"},
)

PHP = Naming(
    "php",
    "camel",
    frozenset(
        "abstract and array as break callable case catch class clone const continue declare default do "
        "echo else elseif empty enddeclare endfor endforeach endif endswitch endwhile eval exit extends "
        "final finally fn for foreach function global goto if implements include instanceof insteadof "
        "interface isset list match namespace new or print private protected public readonly require "
        "return static switch throw trait try unset use var while xor yield".split()
    ),
    suffix="_",
    # PHP keywords are case-insensitive, so `Function` and `Global` cannot be class
    # names in a stub; the extension also registers them as class aliases.
    renames={"RuntimeError": "RuntimeException", "Function": "Function_", "Global": "Global_"},
    public={"constructor": "__construct", "static": "{camel}", "method": "{camel}", "property": "get{pascal}",
            "setter": "set{pascal}", "function": "{camel}"},
)

C = Naming("c", "snake", frozenset("auto break case char const continue default do double else enum extern "
                                      "float for goto if inline int long register restrict return short signed "
                                      "sizeof static struct switch typedef union unsigned void volatile while "
                                      "bool true false".split()))

NAMINGS: dict[str, Naming] = {n.lang: n for n in (PYTHON, GO, JAVA, RUBY, PHP, C)}

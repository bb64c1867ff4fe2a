"""How much of each language's templates is driven by the spec: `python -m generator.stats [ROOT]`.

Per language (templates/<lang>/): non-blank lines that hold a Jinja construct
(driven by the spec) vs fixed text, the largest template, and the spec methods
the templates still name by hand: a glue function (`wg_memory_grow`), a low-level
name in any case (`memory_grow`, `memoryGrow`, `MemoryGrow`) or a lookup by name
(`.method("grow")`, `.member("grow")`).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from . import model, naming

LANGS = ("python", "go", "java", "ruby", "php", "c")


def method_names(api: model.Api) -> dict[str, list[re.Pattern[str]]]:
    out = {}
    for m in api.all_methods:
        base = f"{m.owner.name}_{m.name}" if m.owner else f"fn_{m.name}"
        # the glue function anywhere; a low-level function called by a name that ends in the
        # method's (`lowMemoryGrow(`, `glue_memory_grow(`, `Native.memoryGrow(`), not a type
        # that happens to share the spelling (Go's `ExternKind`)
        pats = [re.compile(rf"\b{re.escape(m.c_name)}\b")]
        if m.owner is not None:
            pats += [re.compile(rf"(?:\w|\.)(?<!wasm_)(?<!wasmer_)(?<!register_class_Wasm_){re.escape(f)}\s*\(")
                     for f in {naming.snake(base), naming.camel(base), naming.pascal(base)}]
        pats.append(re.compile(rf"\.(?:method|member)\(\s*['\"]{re.escape(m.name)}['\"]"))
        key = f"{m.owner.name}.{m.name}" if m.owner else m.name
        out[key] = pats
    return out


def stats(root: Path, lang: str, api: model.Api) -> dict[str, object]:
    driven = fixed = 0
    largest = ("", 0)
    named: set[str] = set()
    pats = method_names(api)
    for path in sorted((root / "templates" / lang).rglob("*.jinja")):
        text = path.read_text(encoding="utf-8")
        code = re.sub(r"/\*.*?\*/|//[^\n]*|\{#.*?#\}", "", text, flags=re.S)  # comments name things freely
        lines = [ln for ln in text.splitlines() if ln.strip()]
        if len(text.splitlines()) > largest[1]:
            largest = (path.relative_to(root).as_posix(), len(text.splitlines()))
        for ln in lines:
            if "{{" in ln or "{%" in ln or "{#" in ln:
                driven += 1
            else:
                fixed += 1
        if lang == "c" and path.name == "_bodies.c.jinja":
            continue  # the body of each glue function is named by its method: that is the design
        if "conformance" in path.as_posix() or "driver" in path.name:
            continue  # drivers are counted separately
        for key, ps in pats.items():
            if any(p.search(code) for p in ps):
                named.add(key)
    return {"lang": lang, "driven": driven, "fixed": fixed, "largest": largest, "named": sorted(named)}


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parent.parent
    # the current spec's method list (a past checkout's api.yaml may predate public/)
    api = model.load(Path(__file__).resolve().parent.parent / "api.yaml")
    print(f"{'lang':8} {'driven':>7} {'fixed':>7} {'driven%':>8}  largest template (lines)  spec methods named by hand")
    for lang in LANGS:
        if not (root / "templates" / lang).is_dir():
            continue
        s = stats(root, lang, api)
        total = s["driven"] + s["fixed"] or 1  # type: ignore[operator]
        largest = s["largest"]
        print(f"{lang:8} {s['driven']:>7} {s['fixed']:>7} {100 * s['driven'] / total:>7.0f}%  "  # type: ignore[operator]
              f"{largest[0]} ({largest[1]})  {len(s['named'])}: {', '.join(s['named'])}")  # type: ignore[index,arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""python -m generator {generate,check} [--lang L] [--spec api.yaml]"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import capi, model, render
from .spec import SpecError, c_api_problems


def implemented_langs(templates: Path) -> list[str]:
    return [lang for lang in render.LANGS if (templates / lang).is_dir()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator", description=__doc__)
    parser.add_argument("command", choices=["generate", "check", "validate"],
                        help="generate: write bindings/; check: exit 1 listing stale files; validate: spec only")
    parser.add_argument("--lang", action="append", help="only this language (repeatable); default: all with templates")
    parser.add_argument("--spec", type=Path, default=render.ROOT / "api.yaml")
    parser.add_argument("--headers", type=Path, metavar="DIR",
                        help="check every c_api name against DIR/wasmer.h and wasm.h (default: $WASMER_DIR/include "
                             "when set)")
    args = parser.parse_args(argv)

    templates = render.ROOT / "templates"
    try:
        api = model.load(args.spec)
    except SpecError as exc:
        for line in exc.errors:
            print(line, file=sys.stderr)
        print(f"{len(exc.errors)} error(s) in {args.spec.name} or public/<lang>.yaml; nothing written", file=sys.stderr)
        return 1
    headers = args.headers or (Path(os.environ["WASMER_DIR"]) / "include" if os.environ.get("WASMER_DIR") else None)
    if headers is not None:
        try:
            unknown_c = c_api_problems(args.spec, render.c_declarations(headers))
            capi_file = args.spec.parent / "public" / "php_capi.yaml"
            if capi_file.exists():
                unknown_c += capi.prototype_problems(capi_file, headers)
        except render.RenderError as exc:
            unknown_c = [f"error: {exc}"]
        if unknown_c:
            for line in unknown_c:
                print(line, file=sys.stderr)
            print(f"{len(unknown_c)} error(s) in {args.spec.name}; nothing written", file=sys.stderr)
            return 1
    if args.command == "validate":
        checked = f", c_api names checked against {headers}" if headers else ""
        print(f"{args.spec.name}: ok ({len(api.classes)} classes, {len(api.all_methods)} methods{checked})")
        return 0

    langs = args.lang or implemented_langs(templates)
    unknown = [lang for lang in langs if lang not in render.LANGS]
    if unknown:
        print(f"error: unknown language(s) {', '.join(unknown)}; known: {', '.join(render.LANGS)}", file=sys.stderr)
        return 2
    problems = render.check_c_bodies(api, templates) if "c" in langs else []
    outputs: dict[str, list[render.Output]] = {}
    for lang in langs:
        try:
            outputs[lang] = render.render_lang(api, lang, templates)
        except render.RenderError as exc:
            problems.append(str(exc))
    if not problems and headers is not None and "c" in outputs:
        problems += render.check_c_glue(api, outputs["c"], headers)
    if problems:
        for p in problems:
            print(f"error: {p}", file=sys.stderr)
        print("nothing written", file=sys.stderr)
        return 1

    if args.command == "check":
        stale = [p for lang in langs for p in render.stale_outputs(outputs[lang], lang)]
        for p in stale:
            print(f"stale: {p}")
        if stale:
            print(f"{len(stale)} stale file(s): run `python -m generator generate` and commit the result")
            return 1
        print(f"up to date: {sum(len(v) for v in outputs.values())} files for {', '.join(langs)}")
        return 0

    total = 0
    for lang in langs:
        written = render.write_outputs(outputs[lang])
        total += len(written)
        for path in written:
            print(f"wrote {path}")
    print(f"{total} file(s) written, {sum(len(v) for v in outputs.values()) - total} unchanged")
    return 0


if __name__ == "__main__":
    sys.exit(main())

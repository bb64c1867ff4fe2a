"""The regeneration test (`nox -s regen-test`): an API change reaches every public API.

Copies the repository to a temporary directory, adds to the copy's api.yaml three
entities of the C API that api.yaml lacks (a method, a property and a free
function that no old embedding has either, each with its C body and an example), regenerates, builds all five
bindings in the copy and runs the new entities' examples through each language's
public API (`python -m conformance examples`). No file of templates/<lang>/ or
bindings/<lang>/ is touched: what reaches the public APIs comes from the spec.

    python ci/regen.py [--keep] [--lang L ...]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FUNCTION_MODULE = '(module (func (export \\"f\\") (param i32 i64) (result f32) f32.const 1) (table (export \\"t\\") 1 funcref))'

# Inserted at the end of class Function's methods (before class Memory) and of class
# Table's (before class Imports). Names no old embedding has, so that no language has
# them written by hand already.
FUNCTION_METHODS = f'''      - name: param_arity
        returns: u32
        c_api: [wasm_func_param_arity]
        doc: Number of parameters.
        examples:
          - {{module: "{FUNCTION_MODULE}", self: {{export: f}}, args: [], result: 2}}

'''
TABLE_METHODS = f'''      - name: element_kind
        returns: valkind
        c_api: [wasm_table_type, wasm_tabletype_element, wasm_valtype_kind, wasm_tabletype_delete]
        doc: The kind of the table's elements.
        public: [{{on: "*", shape: property}}]
        examples:
          - {{module: "{FUNCTION_MODULE}", self: {{export: t}}, args: [], result: funcref}}

'''
FUNCTIONS = '''  - name: is_headless
    returns: bool
    c_api: [wasmer_is_headless]
    doc: Whether this libwasmer can only run precompiled modules (it has no compiler).
    examples:
      - {args: [], result: false}
'''
BODIES = '''
{% macro Function_param_arity() %}
    if (self->kind != WASM_EXTERN_FUNC) return wg_fail(WG_ERR_ARGUMENT_ERROR, "not a function");
    *out = self->ext ? (uint32_t)wasm_func_param_arity(wasm_extern_as_func(self->ext)) : self->nparams;
    return WG_OK;
{% endmacro %}

{% macro Table_element_kind() %}
    if (self->kind != WASM_EXTERN_TABLE) return wg_fail(WG_ERR_ARGUMENT_ERROR, "not a table");
    wasm_tabletype_t *type = wasm_table_type(wasm_extern_as_table(self->ext));
    *out = wasm_valtype_kind(wasm_tabletype_element(type));
    wasm_tabletype_delete(type);
    return WG_OK;
{% endmacro %}

{% macro fn_is_headless() %}
    *out = wasmer_is_headless();
    return WG_OK;
{% endmacro %}
'''
NEW = ["Function.param_arity", "Table.element_kind", "is_headless"]


def copy_repo(dest: Path) -> None:
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                           check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        src = ROOT / rel
        if src.is_file():
            (dest / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def change_api(copy: Path) -> None:
    spec = copy / "api.yaml"
    text = spec.read_text()
    for anchor, methods in (("  - name: Memory\n", FUNCTION_METHODS), ("  - name: Imports\n", TABLE_METHODS)):
        if text.count(anchor) != 1:
            sys.exit(f"ci/regen.py: api.yaml has no single {anchor.strip()!r} line to insert new methods before "
                     "(the class after the one they extend): update the anchors in ci/regen.py")
        text = text.replace(anchor, methods + anchor)
    if not text.endswith("\n") or not text.rstrip().splitlines()[-1].startswith("    "):
        sys.exit("ci/regen.py: api.yaml no longer ends with its `functions:` list: update change_api()")
    spec.write_text(text + FUNCTIONS)
    bodies = copy / "templates" / "c" / "_bodies.c.jinja"
    bodies.write_text(bodies.read_text() + BODIES)


def run(cmd: list[str], cwd: Path) -> None:
    print(f"regen-test: $ {' '.join(cmd)}  (in {cwd})", flush=True)
    subprocess.run(cmd, cwd=cwd, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keep", action="store_true", help="keep the temporary copy (its path is printed)")
    parser.add_argument("--lang", action="append", help="only these languages (default: all five)")
    args = parser.parse_args(argv)
    langs = args.lang or ["python", "go", "php", "java", "ruby"]
    tmp = Path(tempfile.mkdtemp(prefix="wasmgen-regen-"))
    copy = tmp / "repo"
    try:
        copy_repo(copy)
        change_api(copy)
        headers = [f"--headers={os.environ['WASMER_DIR']}/include"] if os.environ.get("WASMER_DIR") else []
        run([sys.executable, "-m", "generator", "generate", *headers], copy)
        touched = subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout
        sessions = ["build"] if args.lang is None else [f"build-{lang}" for lang in langs]
        run([sys.executable, "-m", "nox", "-s", *sessions], copy)
        report = tmp / "examples.json"
        lang_args = [a for lang in langs for a in ("--lang", lang)]
        run([sys.executable, "-m", "conformance", "examples", *lang_args, "--json", str(report)], copy)
        results = json.loads(report.read_text())
        missing = [f"{lang}: {member}" for lang in langs for member in NEW
                   if results.get(lang, {}).get(member, {}).get("pass", 0) < 1]
        if missing:
            print("regen-test: FAILED: these new entities were not called successfully through the public API:\n  "
                  + "\n  ".join(missing), file=sys.stderr)
            return 1
        if touched != subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True).stdout:
            print("regen-test: FAILED: the run changed files of the repository itself", file=sys.stderr)
            return 1
        print(f"regen-test: ok: {', '.join(NEW)} reached the public API of {', '.join(langs)} from api.yaml alone")
        return 0
    finally:
        if args.keep:
            print(f"regen-test: copy kept in {copy}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

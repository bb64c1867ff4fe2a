"""python -m compat run [--lang L] [--suite NAME] [--no-write]: the old embeddings' suites against ours.
python -m compat fetch DIR: clone each suite's upstream repository at its pinned commit into DIR/<suite>
(where this machine has no ../shared/upstream, e.g. CI elsewhere; then WASMGEN_UPSTREAM=DIR)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path

from .core import ENV_VAR, RESULTS_MD, ROOT, Context, Suite, Verdict, judge, load_expected, results_md, upstream_dir

LANGS = ("python", "go", "java", "ruby", "php")


def all_suites() -> list[Suite]:
    suites: list[Suite] = []
    for lang in LANGS:
        try:
            module = importlib.import_module(f"compat.suites.{lang}")
        except ModuleNotFoundError as exc:
            if exc.name != f"compat.suites.{lang}":
                raise
            continue
        suites += module.SUITES
    return suites


def upstream_repo(suite: Suite) -> str:
    return f"https://github.com/wasmerio/{suite.name.rsplit('-', 1)[0]}"


def fetch(suite: Suite, into: Path) -> None:
    """The upstream repository at the suite's commit (its tests at the paths the runners expect)."""
    import subprocess

    if (into / ".git").is_dir():
        return
    into.mkdir(parents=True, exist_ok=True)
    for cmd in (["git", "init", "-q"], ["git", "fetch", "-q", "--depth", "1", upstream_repo(suite), suite.commit],
                ["git", "checkout", "-q", "FETCH_HEAD"]):
        subprocess.run(cmd, cwd=into, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compat", description=__doc__)
    parser.add_argument("command", choices=["run", "list", "fetch"])
    parser.add_argument("into", nargs="?", type=Path, help="fetch: the directory to clone the suites into")
    parser.add_argument("--lang", action="append", help="only this language's suites (repeatable)")
    parser.add_argument("--suite", action="append", help="only this suite (repeatable)")
    parser.add_argument("--no-write", action="store_true", help=f"do not rewrite {RESULTS_MD.relative_to(ROOT)}")
    parser.add_argument("--md", type=Path, default=RESULTS_MD, help="where a full run writes its table")
    args = parser.parse_args(argv)
    suites = [s for s in all_suites() if (not args.lang or s.lang in args.lang)
              and (not args.suite or s.name in args.suite)]
    if args.command == "fetch":
        if args.into is None:
            parser.error("fetch needs the directory to clone into")
        for s in suites:
            fetch(s, args.into / s.name)
        print(f"compat: fetched {len(suites)} suites into {args.into}: set {ENV_VAR}={args.into}")
        return 0
    if args.command == "list":
        for s in suites:
            print(f"{s.name} ({s.lang}, upstream commit {s.commit}): {s.doc}")
        return 0
    base = upstream_dir()
    missing = [s for s in suites if not (base / s.name).is_dir()]
    if missing:
        print(f"compat: the old embeddings' test suites are not in {base}: set {ENV_VAR} to the directory that "
              "holds them (../shared/upstream of this repository), or fetch them at these commits:", file=sys.stderr)
        for s in missing:
            print(f"  {s.name}: {upstream_repo(s)} at {s.commit}", file=sys.stderr)
        print("  (python -m compat fetch DIR clones them)", file=sys.stderr)
        print("compat: skipped (every other test still runs)", file=sys.stderr)
        return 0
    verdicts: list[Verdict] = []
    env = dict(os.environ)
    for s in suites:
        workdir = ROOT / "build" / "compat" / s.name
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"compat: {s.name}: {s.doc}", flush=True)
        results = s.run(Context(base / s.name, ROOT, workdir, env))
        v = judge(s, results, load_expected(s.name))
        verdicts.append(v)
        print(f"compat: {s.name}: {v.passed} / {len(v.applicable)} passed ({len(v.results)} tests, "
              f"{len(v.results) - len(v.applicable)} not applicable, {v.crashed} crashes)", flush=True)
    problems = [p for v in verdicts for p in v.problems]
    if not args.no_write and not args.suite and not args.lang:
        args.md.parent.mkdir(parents=True, exist_ok=True)
        args.md.write_text(results_md(verdicts))
    elif not args.no_write:
        out = ROOT / "build" / "compat" / "RESULTS.md"
        out.write_text(results_md(verdicts))
        print(f"compat: wrote {out.relative_to(ROOT)} (a partial run does not rewrite compat/RESULTS.md)")
    for p in problems:
        print(f"compat: FAIL: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

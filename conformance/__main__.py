"""Command line: ``python -m conformance run --lang L [FILE.wast ...]``.

Subcommands:
  run          run the seed cases (no files) or .wast files / directories of them
  build-seeds  compile conformance/wat/*.wat into the build directory
  drivers      list the driver table and whether each driver is built
  matrix       every language on every .wast file and the WASI cases, held to the C reference (RESULTS.md)
  wasi         the WASI program cases (conformance/wasi_cases.py) against a language's driver
  examples     the `examples:` of api.yaml's methods, through each language's public API
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from . import drivers, examples
from .examples import DEFAULT_SPEC, EXAMPLE_LANGS
from .runner import (
    DEFAULT_BUILD_DIR,
    DEFAULT_TIMEOUT,
    DEFAULT_WASI_DIR,
    RUNTOOL_ENV,
    ConformanceError,
    build_seeds,
    run_seed_cases,
    run_wasi_cases,
    run_wast_files,
    wasi_row,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m conformance", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", help="run seed cases or .wast files against a language's driver",
                         description=f"Prefix the driver with the command in ${RUNTOOL_ENV} "
                                     "(e.g. 'valgrind -q --error-exitcode=99') if set.")
    run.add_argument("files", nargs="*", type=Path, metavar="FILE.wast",
                     help=".wast files or directories of them (none: the seed cases)")
    run.add_argument("--lang", help=f"language whose driver to run: {', '.join(sorted(drivers.DRIVERS))}")
    run.add_argument("--driver-cmd", metavar="CMD",
                     help="driver command line overriding the table (run in the current directory)")
    run.add_argument("--json", type=Path, metavar="OUT", help="write per-command results as JSON")
    run.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                     help=f"per-request timeout (default {DEFAULT_TIMEOUT:g})")
    run.add_argument("-j", "--jobs", type=int, default=1, help=".wast files run in parallel")
    run.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR,
                     help="where seed .wasm files are built (default build/conformance)")
    run.add_argument("--workdir", type=Path,
                     help="keep wast2json output here instead of a temporary directory")
    run.add_argument("--show-driver-stderr", action="store_true",
                     help="pass the driver's stderr through (it is always captured for messages)")

    seeds = sub.add_parser("build-seeds", help="compile the seed .wat modules")
    seeds.add_argument("--build-dir", type=Path, default=DEFAULT_BUILD_DIR)

    sub.add_parser("drivers", help="list the driver table")

    mat = sub.add_parser("matrix", help="every driver on every .wast file, compared with the C reference")
    mat.add_argument("files", nargs="*", type=Path, metavar="FILE.wast",
                     help=".wast files or directories (default: conformance/spectest, the spec test subset, "
                          "and conformance/wast, our own)")
    mat.add_argument("--langs", default=",".join(sorted(drivers.DRIVERS)),
                     help="comma-separated drivers (c, the reference, is always run)")
    mat.add_argument("-j", "--jobs", type=int, default=2)
    mat.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    mat.add_argument("--wasi", action=argparse.BooleanOptionalAction, default=None,
                     help="run the WASI cases as the `wasi` row (default: when no files are given)")
    mat.add_argument("--wasi-dir", type=Path, default=DEFAULT_WASI_DIR,
                     help="the compiled WASI programs (default build/wasi)")
    mat.add_argument("--md", type=Path, default=Path(__file__).resolve().parent / "RESULTS.md")
    mat.add_argument("--json", type=Path, default=Path(__file__).resolve().parent / "RESULTS.json")

    wasi = sub.add_parser("wasi", help="run the WASI program cases against a language's driver")
    wasi.add_argument("--lang", help=f"language whose driver to run: {', '.join(sorted(drivers.DRIVERS))}")
    wasi.add_argument("--driver-cmd", metavar="CMD", help="driver command line overriding the table")
    wasi.add_argument("--wasi-dir", type=Path, default=DEFAULT_WASI_DIR,
                      help="the compiled WASI programs, conformance/wasi/*.c (default build/wasi)")
    wasi.add_argument("--json", type=Path, metavar="OUT", help="write per-case results as JSON")
    wasi.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    wasi.add_argument("--show-driver-stderr", action="store_true")

    ex = sub.add_parser("examples", help="run api.yaml's method examples through each language's public API")
    ex.add_argument("--lang", action="append",
                    help="language (repeatable; default: every language with a public API: "
                         f"{', '.join(EXAMPLE_LANGS)})")
    ex.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="the spec whose examples to run")
    ex.add_argument("--driver-cmd", metavar="CMD", help="driver command line overriding the table")
    ex.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS")
    ex.add_argument("--show-driver-stderr", action="store_true")
    ex.add_argument("--json", type=Path, metavar="OUT", help="write per-member counts as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build-seeds":
            for name, path in build_seeds(args.build_dir).items():
                print(f"{name}: {path}")
            return 0
        if args.command == "drivers":
            for lang in sorted(drivers.DRIVERS):
                try:
                    status = " ".join(drivers.resolve(lang).argv)
                except drivers.DriverNotBuilt as exc:
                    status = str(exc)
                print(f"{lang}: {status}")
            return 0
        if args.command == "examples":
            return examples.main(args.lang or list(EXAMPLE_LANGS), spec=args.spec, driver_cmd=args.driver_cmd,
                                 timeout=args.timeout, show_stderr=args.show_driver_stderr, json_out=args.json)
        if args.command == "matrix":
            from . import matrix

            files = args.files or [drivers.REPO_ROOT / "conformance" / "spectest",
                                   drivers.REPO_ROOT / "conformance" / "wast"]
            with_wasi = not args.files if args.wasi is None else args.wasi
            result = matrix.run_matrix([x for x in args.langs.split(",") if x], files, jobs=args.jobs,
                                       timeout=args.timeout, wasi_dir=args.wasi_dir if with_wasi else None)
            matrix.write(result, args.md, args.json)
            listed = sum(1 for f in result.findings if f.expected)
            print(f"wrote {args.md} and {args.json}: {len(result.unexpected)} unlisted difference(s), "
                  f"{listed} listed failure(s), {len(result.stale)} stale list entr(y/ies)")
            for f in result.unexpected:
                print(f"DIFF {f.lang} {f.file}:{f.line}: {f.message}")
            for e in result.stale:
                print(f"STALE {e.lang} {e.file}: listed as failing but passes: remove it from expected_failures.yaml")
            passed = sum(i.passed for cells in result.cells.values() for i in cells.values())
            # Listed failures are known and printed above and in RESULTS.md; failed counts the rest.
            print(f"matrix: {passed} passed, {len(result.unexpected) + len(result.stale)} failed")
            return 0 if result.ok else 1
        if args.command == "wasi":
            if args.lang is None and args.driver_cmd is None:
                raise ConformanceError("--lang or --driver-cmd is required")
            from . import matrix

            lang = args.lang or "custom"
            summary, _ = run_wasi_cases(lang, wasi_dir=args.wasi_dir, driver_cmd=args.driver_cmd,
                                        timeout=args.timeout, show_stderr=args.show_driver_stderr,
                                        out=io.StringIO())
            # the differences conformance/expected_failures.yaml lists for this language, as in the matrix
            notes = matrix.apply_listed(lang, wasi_row(summary), matrix.load_expected())
            for line in [*(item.line() for item in summary.items), *notes, summary.closing_line()]:
                print(line)
            if args.json is not None:
                summary.write_json(args.json)
            return 1 if summary.failed or notes else 0
        if args.lang is None and args.driver_cmd is None:
            raise ConformanceError(
                f"--lang is required (known languages: {', '.join(sorted(drivers.DRIVERS))})")
        lang = args.lang or "custom"
        common = dict(driver_cmd=args.driver_cmd, timeout=args.timeout, json_out=args.json,
                      show_stderr=args.show_driver_stderr)
        if args.files:
            summary = run_wast_files(lang, args.files, jobs=args.jobs, workdir=args.workdir, **common)
        else:
            summary = run_seed_cases(lang, build_dir=args.build_dir, **common)
        return summary.exit_code
    except ConformanceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())

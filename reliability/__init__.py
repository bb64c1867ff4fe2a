"""Reliability: every binding's public API under bad input, misuse, repetition and threads.

`python -m reliability run` writes the shared inputs once (seed modules and
mutated modules from a fixed seed), runs each language's reliability program
(reliability/programs.py) once per check in a child process, and prints one
table: rows = checks, columns = languages, cells = counts. A crash of a program
is counted in its cell and the run goes on (for mutants, from the next mutant).
See reliability/PROTOCOL.md for what each program does and prints.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conformance.drivers import REPO_ROOT, DriverNotBuilt
from conformance.runner import build_seeds

from . import programs

WAT_DIR = Path(__file__).resolve().parent / "wat"
SEED_WAT_DIR = REPO_ROOT / "conformance" / "wat"
DEFAULT_DIR = REPO_ROOT / "build" / "reliability"
SEED = 9  # the mutants are the same on every machine and for every language
LANGS = list(programs.PROGRAMS)  # python, go, php, java, ruby
REENTRY_DEPTHS = [100, 1000, 10000, 100000]
RSS_BOUND_KIB = 5 * 1024  # the growth allowed over the instantiate cycles (issue: 100,000 cycles <= 5 MiB)
CHECK_TIMEOUT = 1200.0  # seconds for one program run; a hang counts as a crash


@dataclass(frozen=True)
class Sizes:
    """How much each check does: the full run and the short form CI runs."""

    mutants: int = 10_000
    cycles: int = 100_000
    calls: int = 100_000


FULL = Sizes()
SHORT = Sizes(mutants=1_000, cycles=10_000, calls=10_000)


# ----------------------------------------------------------------------------- inputs


def mutate(rng: random.Random, data: bytes) -> bytes:
    """One mutation of a module: bytes changed, inserted, removed, cut or repeated."""
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 1, 2, 3, 8])):
        op = rng.randrange(7)
        pos = rng.randrange(len(b) + 1) if b else 0
        if op == 0 and b:  # a random byte
            b[min(pos, len(b) - 1)] = rng.randrange(256)
        elif op == 1 and b:  # one bit
            b[min(pos, len(b) - 1)] ^= 1 << rng.randrange(8)
        elif op == 2:  # an inserted run
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        elif op == 3 and b:  # a removed run
            del b[pos:pos + rng.randrange(1, 9)]
        elif op == 4 and len(b) > 8:  # cut short
            del b[rng.randrange(8, len(b)):]
        elif op == 5 and b:  # a LEB128 made huge or endless
            b[min(pos, len(b) - 1):min(pos, len(b) - 1) + 1] = bytes([0xFF] * rng.randrange(1, 6))
        elif op == 6 and b:  # a repeated run
            end = min(len(b), pos + rng.randrange(1, 17))
            b[pos:pos] = b[pos:end]
    return bytes(b)


def write_inputs(outdir: Path, mutants: int) -> Path:
    """The inputs every program reads: seed and reliability modules, and `mutants` mutated ones."""
    built = {**build_seeds(outdir, SEED_WAT_DIR), **build_seeds(outdir, WAT_DIR)}
    bases = [built[name].read_bytes() for name in sorted(built)]
    mdir = outdir / "mutants"
    mdir.mkdir(parents=True, exist_ok=True)
    stamp = mdir / "SEED"
    want = f"seed={SEED} bases={','.join(sorted(built))} sizes={','.join(str(len(b)) for b in bases)}"
    have = stamp.read_text() if stamp.exists() else ""
    existing = len(list(mdir.glob("*.wasm"))) if have.startswith(want + " ") else 0
    if existing < mutants:
        rng = random.Random(SEED)  # always from the start: mutant N is the same whatever the count
        for n in range(mutants):
            data = mutate(rng, rng.choice(bases))
            if n >= existing:
                (mdir / f"{n:06d}.wasm").write_bytes(data)
        stamp.write_text(f"{want} count={mutants}")
    return outdir


# ----------------------------------------------------------------------------- running


@dataclass
class Cell:
    """What one language did on one check (a row of the table)."""

    inputs: int = 0
    ok: int = 0
    typed: int = 0
    wrong: int = 0
    skipped: int = 0
    crashes: int = 0
    rss_kib: int | None = None
    notes: list[str] = field(default_factory=list)

    def add(self, line: dict) -> None:
        n = int(line.get("inputs", 1))
        outcome = line.get("outcome")
        if outcome == "skip":
            self.skipped += 1
            self.note(f"{line.get('case')}: skipped ({line.get('detail', '')})")
            return
        self.inputs += n
        if outcome == "ok":
            self.ok += n
        elif outcome == "typed":
            self.typed += n
        else:
            self.wrong += 1
            self.note(f"{line.get('case')}{'#' + str(line['index']) if 'index' in line else ''}: "
                      f"{outcome} ({line.get('detail', '')})")
        if "rss_kib" in line:
            self.rss_kib = int(line["rss_kib"])

    def note(self, text: str) -> None:
        if len(self.notes) < 5:
            self.notes.append(text[:300])

    def text(self) -> str:
        if not self.inputs and not self.crashes:
            return "skip" if self.skipped else "-"
        parts = [f"{self.inputs} in", f"{self.ok} ok", f"{self.typed} typed"]
        if self.wrong:
            parts.append(f"**{self.wrong} wrong**")
        if self.crashes:
            parts.append(f"**{self.crashes} crashed**")
        if self.rss_kib is not None:
            parts.append(f"RSS {self.rss_kib / 1024:+.1f} MiB")
        return ", ".join(parts)

    def failed(self, rss_bound: int | None) -> bool:
        over = rss_bound is not None and self.rss_kib is not None and self.rss_kib > rss_bound
        return bool(self.wrong or self.crashes or over)


#: Rows of the table: (row name, check). Each check is one child process per language.
ROWS = [
    ("mutated modules (Module + validate)", "mutants"),
    ("trap kinds (+ instance usable after)", "traps"),
    ("host functions: raise, wrong type/count", "host"),
    ("host <-> wasm re-entry (depth 100..100000)", "reenter"),
    ("misuse: arity, types, ranges, views, grow, closed", "misuse"),
    ("instantiate/call/release cycles", "cycles"),
    ("compile/release cycles", "compile"),
    ("threads: own store each", "threads"),
    ("threads: one shared instance", "shared"),
]


def _run_program(lang: str, args: list[str], inputs: Path, timeout: float = CHECK_TIMEOUT) -> tuple[list[dict], str | None]:
    """Runs one program; returns its JSON lines and None, or the lines before a crash and what happened."""
    cmd = programs.resolve(lang, REPO_ROOT)
    env = {**os.environ, **cmd.env, "WASMGEN_RELIABILITY_DIR": str(inputs)}
    runtool = os.environ.get("RELIABILITY_RUNTOOL", "").split()
    try:
        proc = subprocess.run([*runtool, *cmd.argv, *args], cwd=REPO_ROOT, env=env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        out, err, rc = proc.stdout, proc.stderr, proc.returncode
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        err, rc = f"timed out after {timeout:.0f} s", None
    lines, bad = [], []
    for raw in out.splitlines():
        try:
            obj = json.loads(raw)
            if isinstance(obj, dict) and "case" in obj:
                lines.append(obj)
                continue
        except json.JSONDecodeError:
            pass
        bad.append(raw)
    if rc == 0 and not bad:
        return lines, None
    if rc is None:
        what = err
    elif rc < 0:
        what = f"killed by {signal.Signals(-rc).name}"
    else:
        what = f"exit status {rc}"
    lines_err = err.strip().splitlines()
    # the line naming the signal or panic says more than a runtime's register dump at the end
    telling = [x for x in lines_err if any(w in x for w in ("SIG", "signal", "panic", "Error", "error", "abort"))]
    tail = "; ".join(telling[:2] or lines_err[-3:])
    if bad:
        tail = f"stray stdout {bad[0][:100]!r}; {tail}"
    return lines, f"{lang} {' '.join(args)}: {what}: {tail}"[:600]


def _mutant_lines(lang: str, inputs: Path, count: int, crashes: list[str]) -> Iterator[dict]:
    """The mutants check, resumed after the mutant that crashed the program."""
    start = 0
    while start < count:
        lines, crash = _run_program(lang, ["mutants", str(start), str(count)], inputs)
        yield from lines
        done = max((int(x["index"]) for x in lines if "index" in x), default=start - 1) + 1
        if crash is None:
            break
        crashes.append(f"mutant {done:06d}: {crash}")
        start = done + 1


def run_language(lang: str, inputs: Path, sizes: Sizes) -> dict[str, Cell]:
    """Every check for one language: {check: Cell}."""
    args = {
        "traps": [],
        "host": [],
        "reenter": [str(d) for d in REENTRY_DEPTHS],
        "misuse": [],
        "cycles": [str(sizes.cycles)],
        "compile": [str(max(1, sizes.cycles // 10))],
        "threads": [str(sizes.calls)],
        "shared": [str(sizes.calls)],
    }
    cells: dict[str, Cell] = {}
    for _, check in ROWS:
        cell = cells[check] = Cell()
        crashes: list[str] = []
        if check == "mutants":
            lines = list(_mutant_lines(lang, inputs, sizes.mutants, crashes))
        else:
            lines, crash = _run_program(lang, [check, *args[check]], inputs)
            crashes += [crash] if crash else []
        for line in lines:
            if str(line.get("case", "")).split("/")[0] == check:
                cell.add(line)
            else:
                cell.add({**line, "outcome": "wrong", "detail": f"case {line.get('case')!r} is not of check {check!r}"})
        for crash in crashes:
            cell.crashes += 1
            cell.note(crash)
    return cells


def table(results: dict[str, dict[str, Cell]], sizes: Sizes) -> str:
    langs = list(results)
    out = [
        f"# Reliability ({sizes.mutants} mutants, {sizes.cycles} cycles, 4 threads x {sizes.calls} calls)",
        "",
        "Written by `python -m reliability run` (`nox -s reliability`); see reliability/PROTOCOL.md.",
        "Cells: inputs; right results; errors raised as the language's own type; wrong results; crashes; RSS growth.",
        "",
        "| check | " + " | ".join(langs) + " |",
        "|---|" + "---|" * len(langs),
    ]
    for row, check in ROWS:
        out.append(f"| {row} | " + " | ".join(results[lang][check].text() for lang in langs) + " |")
    notes = [(lang, check, n) for lang in langs for _, check in ROWS for n in results[lang][check].notes]
    if notes:
        out += ["", "Notes:", ""] + [f"- {lang}, {row}: {n}" for lang, row, n in notes]
    return "\n".join(out) + "\n"


def failures(results: dict[str, dict[str, Cell]], sizes: Sizes) -> list[str]:
    bad = []
    for lang, cells in results.items():
        for row, check in ROWS:
            bound = RSS_BOUND_KIB if check == "cycles" else None
            if cells[check].failed(bound):
                bad.append(f"{lang}: {row}: {cells[check].text()}")
    return bad


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    inp = sub.add_parser("inputs", help="write the inputs (modules, mutants) only")
    run = sub.add_parser("run", help="run the checks and print the table")
    for p in (inp, run):
        p.add_argument("--dir", type=Path, default=DEFAULT_DIR, help="inputs and results directory")
        p.add_argument("--short", action="store_true", help=f"the short form CI runs ({SHORT})")
        p.add_argument("--mutants", type=int)
    run.add_argument("--lang", action="append", choices=LANGS, help="a language (repeatable; default all)")
    run.add_argument("--cycles", type=int)
    run.add_argument("--calls", type=int)
    args = parser.parse_args(argv)
    base = SHORT if args.short else FULL
    sizes = Sizes(mutants=args.mutants if args.mutants is not None else base.mutants,
                  cycles=getattr(args, "cycles", None) or base.cycles,
                  calls=getattr(args, "calls", None) or base.calls)
    inputs = write_inputs(args.dir, sizes.mutants)
    if args.command == "inputs":
        print(f"inputs in {inputs}")
        return 0
    results: dict[str, dict[str, Cell]] = {}
    for lang in args.lang or LANGS:
        try:
            results[lang] = run_language(lang, inputs, sizes)
        except DriverNotBuilt as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"[reliability] {lang} done", file=sys.stderr, flush=True)
    text = table(results, sizes)
    (args.dir / "RESULTS.md").write_text(text)
    print(text)
    bad = failures(results, sizes)
    if bad:
        print(f"reliability: {len(bad)} failing cell(s) (crashes, wrong results, or instantiate-cycle RSS "
              f"growth over {RSS_BOUND_KIB // 1024} MiB):", file=sys.stderr)
        for line in bad:
            print(f"  {line}", file=sys.stderr)
        return 1
    print(f"reliability: 0 crashes, 0 wrong results in {', '.join(results)}; table in {args.dir / 'RESULTS.md'}")
    return 0

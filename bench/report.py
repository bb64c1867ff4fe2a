"""The report of one `nox -s bench` run: tables, targets, charts.

Input: the JSON records every bench program prints, one per line:
    {"lang": L, "case": C, "ns": N}                   (required)
    + "workload", "impl", "variant", "median", "p25", "p75", "stdev", "samples", "checked"   (optional)
A record without "workload" is a per-call case ("call"); without "impl" it is the binding ("wasmgen"),
or the wasm C API for lang "c" ("c_api"). The typed fast path (issue 15): a binding's per-call cases run
twice, "wasmgen" as the glue chooses (the fast path where libwasmer has it) and "wasmgen_c_api_path"
with WASMGEN_FAST_PATH=0; C's through wasmgen_fast.h are "c_fast_path". Every record is compared with its baseline in the same run:
    call, boot:    C through the wasm C API, same case
    nbody, hash:   native C (clang -O2), same case (each language also times native nbody in its own
                   process, impl "native_in_process": the nbody target's in-process ratio)
    memory:        the same language's own memcpy of the same size (case "memcpy_<size>")

    python bench/report.py build/bench/results.json [--versions V.json] [--out bench] [--readme README.md]
writes RESULTS.md and one <workload>.png per workload into --out, the summary table into the README
(between the bench-summary markers) and prints the summary table. Times are reported, never asserted.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LANG_ORDER = ["c", "python", "go", "java", "ruby", "php"]
DISPLAY = {"c": "C", "php": "PHP"}
WORKLOAD_ORDER = ["call", "nbody", "hash", "memory", "boot"]
WORKLOAD_TITLES = {
    "call": "Per call: sum(1, 2) and a host-import round trip (ns per call)",
    "nbody": "Compute: n-body (ns per step)",
    "hash": "Compute: FNV-1a over 1 MiB (ns per hash)",
    "memory": "Memory: bulk read/write through the binding vs the language's memcpy (ns per transfer)",
    "boot": "Boot: compile, deserialize, instantiate (ns per operation)",
}
README_BEGIN = "<!-- bench-summary: written by bench/report.py -->"
README_END = "<!-- /bench-summary -->"


@dataclass
class Record:
    lang: str
    case: str
    ns: float
    workload: str = "call"
    impl: str = "wasmgen"
    variant: str = ""
    p25: float | None = None
    p75: float | None = None
    stdev: float | None = None
    samples: int | None = None
    checked: bool | None = None
    extra: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.lang, self.impl, self.variant, self.case) if x)

    def spread(self) -> str:
        if self.p25 is not None and self.p75 is not None:
            return f"{fmt_ns(self.p25)}–{fmt_ns(self.p75)}"
        if self.stdev is not None:
            return f"± {fmt_ns(self.stdev)}"
        return ""


def parse(lines: list[str]) -> list[Record]:
    """Records from bench output (non-JSON lines and JSON lines without "ns" are skipped)."""
    out = []
    for line in lines:
        line = line.strip()
        if not line.startswith("{"):
            continue
        obj = json.loads(line)
        if "ns" not in obj or "lang" not in obj or "case" not in obj:
            continue
        out.append(record(obj))
    return out


def record(obj: dict) -> Record:
    known = {"lang", "case", "ns", "median", "workload", "impl", "variant", "p25", "p75", "stdev", "samples",
             "checked"}
    lang = obj["lang"]
    return Record(lang=lang, case=obj["case"], ns=float(obj.get("median", obj["ns"])),
                  workload=obj.get("workload") or "call",
                  impl=obj.get("impl") or ("c_api" if lang == "c" else "wasmgen"),
                  variant=obj.get("variant") or "", p25=obj.get("p25"), p75=obj.get("p75"),
                  stdev=obj.get("stdev"), samples=obj.get("samples"), checked=obj.get("checked"),
                  extra={k: v for k, v in obj.items() if k not in known})


def baseline(r: Record, records: list[Record]) -> Record | None:
    """The record r is compared with (None: r is a baseline itself, or its baseline is missing)."""
    if r.workload == "memory":
        size = r.case.rsplit("_", 1)[-1]
        want = [x for x in records if x.lang == r.lang and x.case == f"memcpy_{size}" and x.workload == "memory"]
    elif r.workload in ("nbody", "hash"):
        want = [x for x in records if x.lang == "c" and x.impl == "native" and x.case == r.case]
    else:
        want = [x for x in records if x.lang == "c" and x.impl == "c_api" and not x.variant and x.case == r.case
                and x.workload == r.workload]
    want = [x for x in want if x is not r]
    return want[0] if want else None


def ratio(r: Record, records: list[Record]) -> float | None:
    base = baseline(r, records)
    return r.ns / base.ns if base and base.ns > 0 else None


def fmt_ns(ns: float) -> str:
    if ns >= 1e6:
        return f"{ns / 1e6:,.2f} ms"
    if ns >= 1e4:
        return f"{ns / 1e3:,.1f} µs"
    return f"{ns:,.1f} ns"


def fmt_ratio(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}x"


def order(r: Record) -> tuple:
    lang = LANG_ORDER.index(r.lang) if r.lang in LANG_ORDER else len(LANG_ORDER)
    return (lang, r.lang, r.case, r.impl != "native", r.impl, r.variant)


def workloads(records: list[Record]) -> list[str]:
    seen = {r.workload for r in records}
    return [w for w in WORKLOAD_ORDER if w in seen] + sorted(seen - set(WORKLOAD_ORDER))


def workload_table(records: list[Record], workload: str) -> list[str]:
    rows = sorted((r for r in records if r.workload == workload), key=order)
    base = {"memory": "x memcpy", "nbody": "x native C", "hash": "x native C"}.get(workload, "x C API")
    out = [f"| lang | implementation | compiler | case | median | p25–p75 | samples | {base} |",
           "|---|---|---|---|---:|---|---:|---:|"]
    for r in rows:
        out.append(f"| {r.lang} | {r.impl} | {r.variant or '-'} | {r.case} | {fmt_ns(r.ns)} | {r.spread() or '-'} | "
                   f"{r.samples or '-'} | {fmt_ratio(ratio(r, records))} |")
    return out


# The summary: one row per language, one column per headline measurement (median and ratio to its baseline).
SUMMARY_COLUMNS = [
    ("sum(1, 2)", dict(workload="call", case="sum", impl="wasmgen")),
    ("host round trip", dict(workload="call", case="host_roundtrip", impl="wasmgen")),
    ("sum, C API path", dict(workload="call", case="sum", impl="wasmgen_c_api_path")),
    ("round trip, C API path", dict(workload="call", case="host_roundtrip", impl="wasmgen_c_api_path")),
    ("FFI floor (no-op call)", dict(workload="call", case="sum", impl="ffi")),
    ("nbody cranelift", dict(workload="nbody", case="nbody", impl="wasmgen", variant="cranelift")),
    ("nbody singlepass", dict(workload="nbody", case="nbody", impl="wasmgen", variant="singlepass")),
    ("nbody in the language", dict(workload="nbody", case="nbody", impl="language")),
    ("nbody native C in the process", dict(workload="nbody", case="nbody", impl="native_in_process")),
    ("hash cranelift", dict(workload="hash", case="hash_1MiB", impl="wasmgen", variant="cranelift")),
    ("hash in the language", dict(workload="hash", case="hash_1MiB", impl="language")),
    ("write 1 MiB", dict(workload="memory", case="memory_write_1MiB", impl="wasmgen")),
    ("read 1 MiB", dict(workload="memory", case="memory_read_1MiB", impl="wasmgen")),
    ("deserialize small", dict(workload="boot", case="deserialize_small", impl="wasmgen")),
    ("instantiate small", dict(workload="boot", case="instantiate_small", impl="wasmgen")),
]
C_SUMMARY = {"sum(1, 2)": dict(workload="call", case="sum", impl="c_fast_path"),
             "host round trip": dict(workload="call", case="host_roundtrip", impl="c_fast_path"),
             "sum, C API path": dict(workload="call", case="sum", impl="c_api"),
             "round trip, C API path": dict(workload="call", case="host_roundtrip", impl="c_api"),
             "nbody cranelift": dict(workload="nbody", case="nbody", impl="c_api", variant="cranelift"),
             "nbody singlepass": dict(workload="nbody", case="nbody", impl="c_api", variant="singlepass"),
             "nbody in the language": dict(workload="nbody", case="nbody", impl="native"),
             "hash cranelift": dict(workload="hash", case="hash_1MiB", impl="c_api", variant="cranelift"),
             "hash in the language": dict(workload="hash", case="hash_1MiB", impl="native"),
             "write 1 MiB": dict(workload="memory", case="memcpy_1MiB", impl="language"),
             "deserialize small": dict(workload="boot", case="deserialize_small", impl="c_api"),
             "instantiate small": dict(workload="boot", case="instantiate_small", impl="c_api")}


def find(records: list[Record], lang: str, **want: str) -> Record | None:
    for r in records:
        if r.lang == lang and all(getattr(r, k) == v for k, v in want.items()):
            return r
    return None


def best(records: list[Record], lang: str, **want: str) -> Record | None:
    """The fastest record that matches (a peer's best compiler/mode)."""
    found = [r for r in records if r.lang == lang and all(getattr(r, k) == v for k, v in want.items())]
    return min(found, key=lambda r: r.ns) if found else None


def summary_table(records: list[Record]) -> list[str]:
    langs = sorted({r.lang for r in records}, key=lambda x: (LANG_ORDER.index(x) if x in LANG_ORDER else 99, x))
    cols = [(t, sel) for t, sel in SUMMARY_COLUMNS
            if any(find(records, lang, **(C_SUMMARY.get(t, sel) if lang == "c" else sel)) for lang in langs)]
    out = ["| | " + " | ".join(t for t, _ in cols) + " |", "|---|" + "---:|" * len(cols)]
    for lang in langs:
        cells = []
        for title, sel in cols:
            r = find(records, lang, **(C_SUMMARY.get(title, sel) if lang == "c" else sel))
            if r is None:
                cells.append("-")
                continue
            x = ratio(r, records)
            cells.append(fmt_ns(r.ns) + (f" ({x:.2f}x)" if x is not None else ""))
        out.append(f"| {DISPLAY.get(lang, lang.capitalize())} | " + " | ".join(cells) + " |")
    return out


# The targets, each computed from the run's records.
def targets(records: list[Record]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows; verdict is "met", "missed" or "not measured"."""
    rows: list[tuple[str, str, str]] = []

    def add(target: str, pairs: list[tuple[str, float | None]], ok) -> None:
        got = [(who, x) for who, x in pairs if x is not None]
        if not got:
            rows.append((target, "-", "not measured"))
            return
        missing = [who for who, x in pairs if x is None]
        text = ", ".join(f"{who} {x:.2f}x" for who, x in got) + (f"; not measured: {', '.join(missing)}" if missing else "")
        verdict = "met" if all(ok(x) for _, x in got) and not missing else "missed" if not all(ok(x) for _, x in got) else "partly measured"
        rows.append((target, text, verdict))

    def rel(a: Record | None, b: Record | None) -> float | None:
        return a.ns / b.ns if a and b and b.ns > 0 else None

    bindings = ["python", "go", "java", "ruby", "php"]
    native = find(records, "c", workload="nbody", impl="native")
    add("nbody through every binding (cranelift) within 1.15x of native C (timed in another process)",
        [(lang, rel(find(records, lang, workload="nbody", impl="wasmgen", variant="cranelift"), native))
         for lang in bindings], lambda x: x <= 1.15)
    add("nbody through every binding (cranelift) within 1.15x of native C timed in the same process",
        [(lang, rel(find(records, lang, workload="nbody", impl="wasmgen", variant="cranelift"),
                    find(records, lang, workload="nbody", impl="native_in_process")))
         for lang in bindings], lambda x: x <= 1.15)
    add("Python at least 30x faster per call than wasmtime-py (sum)",
        [("python", rel(best(records, "python", workload="call", case="sum", impl="wasmtime"),
                        find(records, "python", workload="call", case="sum", impl="wasmgen")))], lambda x: x >= 30)
    add("Go at least 1.8x faster than wazero on nbody",
        [("go", rel(best(records, "go", workload="nbody", impl="wazero"),
                    find(records, "go", workload="nbody", impl="wasmgen", variant="cranelift")))], lambda x: x >= 1.8)
    add("Go host round trip within 1.5x of wazero's",
        [("go", rel(find(records, "go", workload="call", case="host_roundtrip", impl="wasmgen", variant="cranelift")
                    or find(records, "go", workload="call", case="host_roundtrip", impl="wasmgen"),
                    best(records, "go", workload="call", case="host_roundtrip", impl="wazero")))], lambda x: x <= 1.5)
    add("Java faster than Chicory on compute (nbody, Chicory's fastest mode)",
        [("java", rel(best(records, "java", workload="nbody", impl="chicory"),
                      find(records, "java", workload="nbody", impl="wasmgen", variant="cranelift")))], lambda x: x > 1)
    add("PHP module kept across requests faster than compiling each request (php-ext-wasm's authors: 840x)",
        [("php", rel(find(records, "php", workload="boot", case="request_small", variant="compile each request"),
                     find(records, "php", workload="boot", case="request_small", variant="persistent")))],
        lambda x: x > 1)
    pairs = []
    for lang in bindings:
        for op in ("write", "read"):
            # throughput relative to memcpy: memcpy time / bulk time
            pairs.append((f"{lang} {op}", rel(find(records, lang, workload="memory", case="memcpy_1MiB"),
                                              find(records, lang, workload="memory", case=f"memory_{op}_1MiB"))))
    add("bulk memory 1 MiB >= 0.5x of the language's memcpy (throughput)", pairs, lambda x: x >= 0.5)
    return rows


def fast_path_targets(records: list[Record]) -> list[tuple[str, str, str]]:
    """Issue 15's targets: per-call figures in ns from the run, each against a limit (a number, or the
    figure of another record of the same run); "no binding slower" compares each fast-path figure with
    the C API path's of the same run."""
    rows: list[tuple[str, str, str]] = []

    def call(lang: str, case: str, impl: str = "wasmgen") -> Record | None:
        return find(records, lang, workload="call", case=case, impl=impl)

    def add(target: str, checks: list[tuple[str, Record | None, float | Record | None]]) -> None:
        """checks: (who, measured, limit); a Record limit is that record's time, and missing counts as not measured."""
        got = [(who, r, limit.ns if isinstance(limit, Record) else limit) for who, r, limit in checks
               if r is not None and limit is not None]
        missing = [who for who, r, limit in checks if r is None or limit is None]
        if not got:
            rows.append((target, "-", "not measured"))
            return
        text = ", ".join(f"{who} {fmt_ns(r.ns)}" + (f" (limit {fmt_ns(limit)})" if limit else "") for who, r, limit in got)
        text += f"; not measured: {', '.join(missing)}" if missing else ""
        ok = all(r.ns <= limit for _, r, limit in got)
        rows.append((target, text, "missed" if not ok else "met" if not missing else "partly measured"))

    add("C floor through the fast path <= 70 ns per call, <= 120 ns per round trip",
        [("sum", call("c", "sum", "c_fast_path"), 70), ("round trip", call("c", "host_roundtrip", "c_fast_path"), 120)])
    add("PHP, Ruby and Java <= 110 ns per call", [(lang, call(lang, "sum"), 110) for lang in ("php", "ruby", "java")])
    add("Go <= 130 ns per call", [("go", call("go", "sum"), 130)])
    add("Go's host round trip faster than wazero's",
        [("go", call("go", "host_roundtrip"), best(records, "go", workload="call", case="host_roundtrip", impl="wazero"))])
    add("Python <= 350 ns per call", [("python", call("python", "sum"), 350)])
    ratios = [(f"{lang} {case}", fast.ns / slow.ns)
              for lang in ("c", "python", "go", "java", "ruby", "php") for case in ("sum", "host_roundtrip")
              if (fast := call(lang, case, "c_fast_path" if lang == "c" else "wasmgen"))
              and (slow := call(lang, case, "c_api" if lang == "c" else "wasmgen_c_api_path")) and slow.ns > 0]
    rows.append(("no binding slower than before (fast path / C API path, same run)",
                 ", ".join(f"{who} {x:.2f}x" for who, x in ratios) or "-",
                 "not measured" if not ratios else "met" if all(x <= 1 for _, x in ratios) else "missed"))
    return rows


def targets_table(records: list[Record], rows: list[tuple[str, str, str]] | None = None) -> list[str]:
    out = ["| target | measured | |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in (targets(records) if rows is None else rows)]
    return out


def chart(records: list[Record], workload: str, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = sorted((r for r in records if r.workload == workload), key=order)
    if not rows:
        return
    labels = [r.label for r in rows]
    values = [r.ns for r in rows]
    lo = [max(0.0, r.ns - r.p25) if r.p25 is not None else 0.0 for r in rows]
    hi = [max(0.0, r.p75 - r.ns) if r.p75 is not None else 0.0 for r in rows]
    colors = ["#888888" if r.impl in ("native", "native_in_process", "c_api", "c_fast_path", "language", "ffi") or r.case.startswith("memcpy") else
              "#1f77b4" if r.impl.startswith("wasmgen") else "#ff7f0e" for r in rows]
    fig, ax = plt.subplots(figsize=(7, 0.22 * len(rows) + 1.0), dpi=80)
    ax.barh(range(len(rows)), values, xerr=[lo, hi], color=colors, error_kw={"elinewidth": 0.8})
    ax.set_yticks(range(len(rows)), labels, fontsize=7)
    ax.invert_yaxis()
    if max(values) / max(min(values), 1e-9) > 50:
        ax.set_xscale("log")
    ax.set_xlabel("ns (median, p25–p75); blue: wasmgen, orange: peers, grey: baselines", fontsize=7)
    ax.set_title(WORKLOAD_TITLES.get(workload, workload), fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def results_md(records: list[Record], versions: dict[str, str], charts: dict[str, str]) -> str:
    out = ["# Benchmark results", "",
           "Written by `python3 -m nox -s bench` (bench/report.py); every time is the median of the samples "
           "shown, in the same run as its baseline. The ratios are what compares: this machine is shared and "
           "noisy. Times are printed, never asserted.", "", "## Machine and versions", "",
           "| | |", "|---|---|"]
    out += [f"| {k} | {v} |" for k, v in versions.items()]
    out += ["", "## Summary", "", *summary_table(records), "", "## Targets (issue 13)", "", *targets_table(records),
            "", "## Targets (issue 15: the typed fast path)", "", *targets_table(records, fast_path_targets(records))]
    for w in workloads(records):
        out += ["", f"## {WORKLOAD_TITLES.get(w, w)}", ""]
        if w in charts:
            out += [f"![{w}]({charts[w]})", ""]
        out += workload_table(records, w)
    return "\n".join(out) + "\n"


def update_readme(readme: Path, records: list[Record], charts: dict[str, str], prefix: str) -> bool:
    text = readme.read_text()
    if README_BEGIN not in text or README_END not in text:
        return False
    links = " · ".join(f"[{w}]({prefix}{p})" for w, p in charts.items())
    block = [README_BEGIN, "", *summary_table(records), "", f"Charts: {links}; all tables, targets and versions: "
             f"[{prefix}RESULTS.md]({prefix}RESULTS.md).", "", README_END]
    pattern = re.compile(re.escape(README_BEGIN) + r".*?" + re.escape(README_END), re.S)
    readme.write_text(pattern.sub(lambda _: "\n".join(block), text))
    return True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("results", type=Path, help="JSON list of records (build/bench/results.json)")
    ap.add_argument("--versions", type=Path)
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    ap.add_argument("--readme", type=Path)
    ap.add_argument("--no-charts", action="store_true")
    args = ap.parse_args(argv)
    records = [record(x) for x in json.loads(args.results.read_text())]
    versions = json.loads(args.versions.read_text()) if args.versions else {}
    args.out.mkdir(parents=True, exist_ok=True)
    charts: dict[str, str] = {}
    if not args.no_charts:
        for w in workloads(records):
            name = f"chart-{w}.png"
            chart(records, w, args.out / name)
            charts[w] = name
    (args.out / "RESULTS.md").write_text(results_md(records, versions, charts))
    if args.readme:
        prefix = args.out.resolve().relative_to(args.readme.resolve().parent).as_posix() + "/"
        if not update_readme(args.readme, records, charts, prefix):
            print(f"{args.readme}: no bench-summary markers, not updated", file=sys.stderr)
    print("\n".join(summary_table(records)))
    print()
    print("\n".join(targets_table(records)))
    print()
    print("\n".join(targets_table(records, fast_path_targets(records))))
    return 0


if __name__ == "__main__":
    sys.exit(main())

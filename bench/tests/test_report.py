"""bench/report.py's table logic on made-up records (no times are asserted about real runs)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import report  # noqa: E402

LINES = [
    "not json",
    '{"reference": {"nbody": 1.0}}',
    '{"lang": "c", "case": "sum", "ns": 100.0}',
    '{"lang": "python", "case": "sum", "ns": 300.0}',
    '{"lang": "python", "case": "sum", "ns": 9000.0, "impl": "wasmtime"}',
    '{"lang": "c", "case": "nbody", "ns": 10.0, "workload": "nbody", "impl": "native", "p25": 9, "p75": 11}',
    '{"lang": "go", "case": "nbody", "ns": 11.0, "workload": "nbody", "variant": "cranelift", "median": 11.0}',
    '{"lang": "go", "case": "nbody", "ns": 25.0, "workload": "nbody", "impl": "wazero"}',
    '{"lang": "go", "case": "nbody", "ns": 10.5, "workload": "nbody", "impl": "native_in_process"}',
    '{"lang": "go", "case": "memcpy_1MiB", "ns": 50.0, "workload": "memory", "impl": "language"}',
    '{"lang": "go", "case": "memory_write_1MiB", "ns": 200.0, "workload": "memory", "impl": "wasmgen"}',
]


def records():
    return report.parse(LINES)


def test_parse_defaults():
    rs = records()
    assert len(rs) == 9  # the non-JSON line and the reference line are skipped
    c = rs[0]
    assert (c.workload, c.impl, c.variant) == ("call", "c_api", "")
    assert rs[1].impl == "wasmgen" and rs[2].impl == "wasmtime"


def test_baselines_and_ratios():
    rs = records()
    by = {r.label: r for r in rs}
    assert report.ratio(by["python wasmgen sum"], rs) == 3.0
    assert report.ratio(by["go wasmgen cranelift nbody"], rs) == 1.1
    assert report.ratio(by["go wasmgen memory_write_1MiB"], rs) == 4.0  # vs go's own memcpy
    assert report.ratio(by["c native nbody"], rs) is None  # a baseline has none


def test_workload_table_rows():
    rs = records()
    table = report.workload_table(rs, "nbody")
    assert table[0].startswith("| lang |") and len(table) == 2 + 4
    assert table[2].startswith("| c | native |")  # the baseline first
    assert "native_in_process" in table[3] and "1.05x" in table[3]  # the language's own native run, vs C's
    assert "1.10x" in table[4] and "9.0 ns–11.0 ns" in table[2]


def test_summary_and_targets():
    rs = records()
    summary = report.summary_table(rs)
    assert summary[0].startswith("| | sum(1, 2) |") and "write 1 MiB" in summary[0]
    assert any(row.startswith("| Python | 300.0 ns (3.00x)") for row in summary)
    t = {name: (got, verdict) for name, got, verdict in report.targets(rs)}
    assert t["Python at least 30x faster per call than wasmtime-py (sum)"] == ("python 30.00x", "met")
    assert t["Go at least 1.8x faster than wazero on nbody"][1] == "met"
    assert t["Java faster than Chicory on compute (nbody, Chicory's fastest mode)"][1] == "not measured"
    nb = t["nbody through every binding (cranelift) within 1.15x of native C (timed in another process)"]
    assert nb[1] == "partly measured" and nb[0].startswith("go 1.10x")
    same = t["nbody through every binding (cranelift) within 1.15x of native C timed in the same process"]
    assert same[1] == "partly measured" and same[0].startswith("go 1.05x")  # 11.0 / go's own 10.5
    assert t["bulk memory 1 MiB >= 0.5x of the language's memcpy (throughput)"][1] == "missed"  # 50/200 = 0.25


def test_best_picks_the_fastest_peer_mode():
    rs = records() + report.parse([
        '{"lang": "java", "case": "nbody", "ns": 500.0, "workload": "nbody", "impl": "chicory", "variant": "interpreter"}',
        '{"lang": "java", "case": "nbody", "ns": 30.0, "workload": "nbody", "impl": "chicory", "variant": "compiler"}',
        '{"lang": "java", "case": "nbody", "ns": 12.0, "workload": "nbody", "variant": "cranelift"}'])
    assert report.best(rs, "java", impl="chicory").variant == "compiler"
    t = {name: (got, verdict) for name, got, verdict in report.targets(rs)}
    assert t["Java faster than Chicory on compute (nbody, Chicory's fastest mode)"] == ("java 2.50x", "met")


def test_readme_update(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{report.README_BEGIN}\nold\n{report.README_END}\n\nafter\n")
    assert report.update_readme(readme, records(), {"call": "chart-call.png"}, "bench/")
    text = readme.read_text()
    assert "old" not in text and "[call](bench/chart-call.png)" in text and text.endswith("after\n")


def test_main_writes_results(tmp_path):
    src = tmp_path / "results.json"
    src.write_text(json.dumps([json.loads(x) for x in LINES if x.startswith('{"lang"')]))
    assert report.main([str(src), "--out", str(tmp_path), "--no-charts"]) == 0
    assert "## Summary" in (tmp_path / "RESULTS.md").read_text()


def test_fast_path_targets():
    rs = report.parse([
        '{"lang": "c", "case": "sum", "ns": 300.0}',
        '{"lang": "c", "case": "sum", "ns": 60.0, "impl": "c_fast_path"}',
        '{"lang": "c", "case": "host_roundtrip", "ns": 130.0, "impl": "c_fast_path"}',
        '{"lang": "go", "case": "sum", "ns": 120.0}',
        '{"lang": "go", "case": "sum", "ns": 400.0, "impl": "wasmgen_c_api_path"}',
        '{"lang": "go", "case": "host_roundtrip", "ns": 500.0}',
        '{"lang": "php", "case": "sum", "ns": 100.0}',
        '{"lang": "php", "case": "sum", "ns": 90.0, "impl": "wasmgen_c_api_path"}'])
    t = {name: (got, verdict) for name, got, verdict in report.fast_path_targets(rs)}
    assert t["C floor through the fast path <= 70 ns per call, <= 120 ns per round trip"][1] == "missed"  # 130 > 120
    assert t["PHP, Ruby and Java <= 110 ns per call"] == ("php 100.0 ns (limit 110.0 ns); not measured: ruby, java",
                                                          "partly measured")
    assert t["Go <= 130 ns per call"][1] == "met"
    assert t["Go's host round trip faster than wazero's"] == ("-", "not measured")  # no wazero record
    assert t["Python <= 350 ns per call"] == ("-", "not measured")
    slower = t["no binding slower than before (fast path / C API path, same run)"]
    assert slower == ("c sum 0.20x, go sum 0.30x, php sum 1.11x", "missed")

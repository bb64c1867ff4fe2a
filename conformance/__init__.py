"""Shared conformance runner for the generated Wasmer bindings.

One runner (this package) holds all assertion logic and drives a small
per-language driver program over the line-based JSON protocol documented in
``conformance/protocol.md``. Run ``python -m conformance run --lang L``.
"""

from .runner import (
    ConformanceError,
    RunSummary,
    build_seeds,
    run_seed_cases,
    run_wast_files,
)

__all__ = ["ConformanceError", "RunSummary", "build_seeds", "run_seed_cases", "run_wast_files"]

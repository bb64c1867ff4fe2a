"""The spec's own tests: the `examples:` of api.yaml methods, run through each language's public API.

A method (or free function) of api.yaml may carry examples (a WAT module, a
receiver, arguments, the expected result or error). ``python -m conformance
examples`` sends each one to every language's driver as an ``example`` request
(conformance/protocol.md); the driver calls the member through its binding's
public API by the member's public shape and name (a dispatch table rendered from
the model, ``api.public[lang]``) and answers the result in the example's JSON
form. A member that is hand-written runtime support or hidden in a language
(``runtime:`` / ``hidden:`` in the model) is not sent there: it is counted as not
applicable. What the runner does once for every driver: WAT modules and
``{wat: ...}`` arguments are converted to binary here (a module arrives as the
path of a .wasm file, a ``{wat}`` argument as ``{hex}``), and results are compared here.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .drivers import REPO_ROOT
from .runner import (
    DEFAULT_TIMEOUT,
    ConformanceError,
    DriverFailure,
    DriverProcess,
    Outcome,
    _shorten,
    _wabt_tool,
    driver_command,
    runtool_from_env,
)

#: The languages whose drivers answer `example` requests (C has no public API of its own).
EXAMPLE_LANGS: tuple[str, ...] = ("python", "go", "java", "ruby", "php")
DEFAULT_SPEC: Path = REPO_ROOT / "api.yaml"


@dataclass(frozen=True)
class Example:
    member: str  # "Class.method" (spec names) or "function"
    index: int  # position among the member's examples (0-based)
    data: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.member}#{self.index + 1}"


@dataclass
class ExampleResult:
    example: Example
    status: str  # "pass" | "fail" | "n/a"
    message: str = ""


@dataclass
class ExampleSummary:
    lang: str
    results: list[ExampleResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def ok(self) -> bool:
        return not self.count("fail")

    def line(self) -> str:
        return (f"{self.lang}: examples {self.count('pass')} passed, {self.count('fail')} failed, "
                f"{self.count('n/a')} not applicable (runtime or hidden there)")


def member_key(member: Any) -> str:
    """ "Class.method" for a class member, the function's name for a free function (spec names)."""
    method = member.method
    return f"{method.owner.name}.{method.name}" if method.owner is not None else method.name


def not_applicable(member: Any) -> str | None:
    """Why a member of ``api.public[lang]`` is not sent to that language's driver (None: it is)."""
    return member.not_public


def load_public(spec: Path, lang: str) -> Any:
    """``api.public[lang]`` of the spec (generator/public.py)."""
    sys.path.insert(0, str(REPO_ROOT))
    from generator import model  # noqa: PLC0415 - the generator is only needed here

    api = model.load(spec)
    public = getattr(api, "public", None)
    if public is None:
        raise ConformanceError("this generator has no public model (generator/public.py): no examples to run")
    return public[lang]


class Wat:
    """wat2wasm, once per distinct text, into a directory."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.done: dict[str, Path] = {}

    def wasm(self, text: str) -> Path:
        if text in self.done:
            return self.done[text]
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        src, out = self.workdir / f"{digest}.wat", self.workdir / f"{digest}.wasm"
        src.write_text(text)
        proc = subprocess.run([_wabt_tool("wat2wasm"), str(src), "-o", str(out)], capture_output=True, text=True)
        if proc.returncode != 0:
            raise ValueError(f"wat2wasm failed: {proc.stderr.strip()[:300]}")
        self.done[text] = out
        return out


def example_request(example: Example, wat: Wat) -> dict[str, Any]:
    """The wire request of an example: WAT converted here, everything else as written in api.yaml."""
    data = example.data

    def arg(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"wat"}:
            return {"hex": wat.wasm(str(value["wat"])).read_bytes().hex()}
        return value

    module = data.get("module")
    return {"op": "example", "method": example.member,
            "module": str(wat.wasm(module)) if module is not None else None,
            "self": data.get("self"), "args": [arg(a) for a in data.get("args", [])]}


def _canonical(value: Any) -> Any:
    """A result in a form compared with ==: bytes as lowercase hex, and True != 1."""
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, dict) and set(value) == {"hex"} and isinstance(value["hex"], str):
        return ("hex", value["hex"].lower())
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _canonical(v)) for k, v in value.items())))
    if isinstance(value, list):
        return ("list", tuple(_canonical(v) for v in value))
    return (type(value).__name__, value)


def check_example(data: dict[str, Any], out: Outcome) -> str | None:
    """None when the driver's answer is what the example expects, else the reason."""
    if "error" in data:
        want = data["error"]
        if not out.ok and out.kind == want:
            return None
        return f"expected a {want} error, got {out.describe() if not out.ok else json.dumps(out.response.get('result'))}"
    if not out.ok:
        return f"expected {json.dumps(data.get('result'))}, got {out.describe()}"
    if "result" not in out.response:
        return "the driver answered without a \"result\""
    got = out.response["result"]
    if _canonical(got) == _canonical(data.get("result")):
        return None
    return f"expected {json.dumps(data.get('result'))}, got {json.dumps(got)}"


def collect(members: Sequence[Any]) -> list[tuple[Example, str | None]]:
    """Every example of ``members`` (one language's public members), with why it is not applicable there."""
    out = []
    for member in members:
        reason = not_applicable(member)
        for i, data in enumerate(getattr(member, "examples", None) or []):
            out.append((Example(member_key(member), i, dict(data)), reason))
    return out


def run_examples(
    lang: str,
    members: Sequence[Any],
    *,
    driver_cmd: str | Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    out: IO[str] | None = None,
    runtool: Sequence[str] | None = None,
    show_stderr: bool = False,
) -> ExampleSummary:
    """Run the examples of ``members`` (``api.public[lang].members``) against ``lang``'s driver.

    One driver for all examples; after a crash the next example gets a new one.
    Prints a FAIL line per failure and the closing count line to ``out``.
    """
    stream = out or sys.stdout
    command = driver_command(lang, driver_cmd)
    tool = runtool_from_env() if runtool is None else list(runtool)
    summary = ExampleSummary(lang)
    driver: DriverProcess | None = None
    with tempfile.TemporaryDirectory(prefix="examples-") as tmp:
        wat = Wat(Path(tmp))
        try:
            for example, reason in collect(members):
                if reason is not None:
                    summary.results.append(ExampleResult(example, "n/a", reason))
                    continue
                try:
                    request = example_request(example, wat)
                except ValueError as exc:
                    summary.results.append(ExampleResult(example, "fail", str(exc)))
                    continue
                if driver is None:
                    driver = DriverProcess(command, timeout=timeout, runtool=tool, show_stderr=show_stderr)
                try:
                    message = check_example(example.data, driver.call(request))
                except DriverFailure as exc:
                    message, driver = str(exc), None
                summary.results.append(ExampleResult(example, "fail" if message else "pass", message or ""))
            if driver is not None:
                closing, driver = driver, None
                problem = closing.close()
                if problem:
                    summary.results.append(ExampleResult(Example("(driver exit)", 0, {}), "fail", problem))
        finally:
            if driver is not None:
                driver.kill()
    for r in summary.results:
        if r.status == "fail":
            stream.write(f"FAIL {lang} {r.example.label}: {_shorten(r.message)}\n")
    stream.write(summary.line() + "\n")
    stream.flush()
    return summary


def main(langs: Sequence[str], *, spec: Path = DEFAULT_SPEC, driver_cmd: str | None = None,
         timeout: float = DEFAULT_TIMEOUT, show_stderr: bool = False, out: IO[str] | None = None,
         json_out: Path | None = None) -> int:
    """``python -m conformance examples``: 0 when no example failed in any language. With
    ``json_out``: {lang: {member: {"pass": n, "fail": n, "n/a": n}}} written there."""
    failed = False
    report: dict[str, dict[str, dict[str, int]]] = {}
    for lang in langs:
        summary = run_examples(lang, load_public(spec, lang).members, driver_cmd=driver_cmd, timeout=timeout,
                               show_stderr=show_stderr, out=out)
        failed = failed or not summary.ok
        for r in summary.results:
            counts = report.setdefault(lang, {}).setdefault(r.example.member, {"pass": 0, "fail": 0, "n/a": 0})
            counts[r.status] += 1
    if json_out is not None:
        json_out.write_text(json.dumps(report, indent=1, sort_keys=True) + "\n")
    return 1 if failed else 0

"""The conformance runner: all assertion logic, driving one per-language driver.

The runner starts a driver program (see :mod:`conformance.drivers`), sends it
one JSON request per line on stdin and reads one JSON response line per request
from its stdout (the protocol is in ``conformance/protocol.md``). It runs either
the seed cases of :mod:`conformance.cases` or WebAssembly spec-test ``.wast``
files converted by wabt's ``wast2json``.

Entry points: :func:`run_seed_cases`, :func:`run_wast_files`, :func:`build_seeds`,
:func:`run_wasi_cases` (the WASI programs of :mod:`conformance.wasi_cases`)
(and ``python -m conformance run`` / ``wasi``).
"""

from __future__ import annotations

import base64
import collections
import json
import os
import queue
import re
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from . import drivers
from .cases import SEED_CASES, Invoke, ReadCString, SeedCase
from .drivers import REPO_ROOT, DriverCommand
from .wasi_cases import DIRECTORIES, FIXTURE, SYMLINKS, WASI_CASES, Expected, Prefix, WasiCase

# ----------------------------------------------------------------------------- constants

#: Error kinds a driver may answer with (``{"ok": false, "error": KIND, ...}``).
ERROR_KINDS: frozenset[str] = frozenset(
    {"compile", "link", "trap", "host", "argument", "exit", "runtime", "protocol"}
)
INT_BITS: dict[str, int] = {"i32": 32, "i64": 64}
FLOAT_BITS: dict[str, int] = {"f32": 32, "f64": 64}
REF_TYPES: frozenset[str] = frozenset({"externref", "funcref"})
#: Value types the protocol carries; anything else (v128, ...) is skipped.
SUPPORTED_TYPES: frozenset[str] = frozenset({*INT_BITS, *FLOAT_BITS, *REF_TYPES})
NAN_PATTERNS: frozenset[str] = frozenset({"nan:canonical", "nan:arithmetic"})

#: Command types wast2json (wabt 1.0.32) writes, all handled by :func:`_execute`.
COMMAND_TYPES: frozenset[str] = frozenset({
    "module", "register", "action", "assert_return", "assert_trap",
    "assert_exhaustion", "assert_invalid", "assert_malformed",
    "assert_unlinkable", "assert_uninstantiable",
})

DEFAULT_TIMEOUT: float = 60.0
SEED_WAT_DIR: Path = Path(__file__).resolve().parent / "wat"
HOST_WAT_DIR: Path = Path(__file__).resolve().parent / "host"
DEFAULT_BUILD_DIR: Path = REPO_ROOT / "build" / "conformance"
DEFAULT_WASI_DIR: Path = REPO_ROOT / "build" / "wasi"  # conformance/wasi/*.c compiled (ci/langs wasi_programs)
WASI_ROW = "wasi"  # the WASI cases' row in the matrix (its "file" name)
RUNTOOL_ENV = "CONFORMANCE_RUNTOOL"
MAX_LINE_MESSAGE = 400  # characters of a failure message shown on a summary line
STDERR_TAIL_LINES = 20


class ConformanceError(Exception):
    """A setup problem that stops the whole run (missing tool, unknown language...)."""


class DriverFailure(Exception):
    """The driver crashed, hung or broke the protocol; its state is lost."""


# ----------------------------------------------------------------------------- tools


def _wabt_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ConformanceError(
            f"{name} not found on PATH: install the Debian package `wabt` "
            "(apt-get install wabt)"
        )
    return path


def _wat2wasm(wat: Path, outdir: Path) -> Path:
    """``outdir/<stem>.wasm`` from a .wat, unless that is newer than the .wat already."""
    wasm = outdir / f"{wat.stem}.wasm"
    if not (wasm.exists() and wasm.stat().st_mtime > wat.stat().st_mtime):
        outdir.mkdir(parents=True, exist_ok=True)
        tmp = outdir / f".{wat.stem}.{os.getpid()}.{threading.get_ident()}.wasm"
        proc = subprocess.run(
            [_wabt_tool("wat2wasm"), str(wat), "-o", str(tmp)],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise ConformanceError(f"wat2wasm {wat} failed:\n{proc.stderr.strip()}")
        os.replace(tmp, wasm)
    return wasm


def build_seeds(outdir: Path = DEFAULT_BUILD_DIR, watdir: Path = SEED_WAT_DIR) -> dict[str, Path]:
    """Compile ``watdir/*.wat`` (default ``conformance/wat``) with wat2wasm into ``outdir``.

    Returns ``{module name: .wasm path}``. A .wasm newer than its .wat is left
    alone (wat2wasm is then not even needed).
    """
    outdir.mkdir(parents=True, exist_ok=True)
    return {wat.stem: _wat2wasm(wat, outdir) for wat in sorted(watdir.glob("*.wat"))}


def build_host_modules(outdir: Path = DEFAULT_BUILD_DIR) -> list[tuple[str, Path]]:
    """The host modules the runner registers in every driver before a .wast file runs:
    ``[("spectest", spectest.wasm)]`` (conformance/host/*.wat, compiled into ``outdir``)."""
    return [(wat.stem, _wat2wasm(wat, outdir)) for wat in sorted(HOST_WAT_DIR.glob("*.wat"))]


def convert_wast(wast: Path, outdir: Path) -> Path:
    """Run ``wast2json WAST -o OUTDIR/<stem>.json``; returns the JSON path.

    Raises ConformanceError when wast2json is missing, and ValueError (with
    the tail of wast2json's stderr) when the conversion fails.
    """
    outdir.mkdir(parents=True, exist_ok=True)
    out = outdir / f"{wast.stem}.json"
    proc = subprocess.run(
        [_wabt_tool("wast2json"), str(wast), "-o", str(out)],
        capture_output=True, text=True,
    )
    if proc.returncode != 0 or not out.exists():
        tail = " | ".join(proc.stderr.strip().splitlines()[-5:])
        raise ValueError(f"wast2json failed (exit {proc.returncode}): {tail}")
    return out


# ----------------------------------------------------------------------------- values


# f32 values for drivers whose language's floats are doubles (Python, PHP, Ruby):
# every f32 argument also carries "f64", the bits of the double the binding takes
# for it, and a driver may answer an f32 with "f64" instead of "value". The mapping
# is the glue's (wg_f32_bits_to_f64 / wg_f64_to_f32_bits): a NaN's sign and payload
# go to the top of the double's mantissa and back, so no driver repeats it.


def f32_bits_to_f64_bits(bits: int) -> int:
    if bits & 0x7F80_0000 == 0x7F80_0000 and bits & 0x7F_FFFF:
        return (bits & 0x8000_0000) << 32 | 0x7FF0_0000_0000_0000 | (bits & 0x7F_FFFF) << 29
    return struct.unpack("<Q", struct.pack("<d", struct.unpack("<f", struct.pack("<I", bits))[0]))[0]


def f64_bits_to_f32_bits(bits: int) -> int:
    if bits & 0x7FF0_0000_0000_0000 == 0x7FF0_0000_0000_0000 and bits & 0xF_FFFF_FFFF_FFFF:
        payload = (bits & 0xF_FFFF_FFFF_FFFF) >> 29 or 0x40_0000  # low bits only: the quiet NaN
        return (bits >> 32) & 0x8000_0000 | 0x7F80_0000 | payload
    value = struct.unpack("<d", struct.pack("<Q", bits))[0]
    try:
        return struct.unpack("<I", struct.pack("<f", value))[0]
    except OverflowError:  # beyond f32: infinity, as C's conversion
        return 0xFF80_0000 if value < 0 else 0x7F80_0000


def _with_f64(req: dict[str, Any]) -> dict[str, Any]:
    """The request with "f64" added to each f32 argument."""
    args = req.get("args")
    if not isinstance(args, list) or not any(isinstance(a, dict) and a.get("type") == "f32" for a in args):
        return req
    def widen(a: Any) -> Any:
        bits = _parse_bits(a.get("value"), 32) if isinstance(a, dict) and a.get("type") == "f32" else None
        return a if bits is None else {**a, "f64": str(f32_bits_to_f64_bits(bits))}
    return {**req, "args": [widen(a) for a in args]}


def _narrow_f64(response: dict[str, Any]) -> dict[str, Any]:
    """The response with each f32 result given as "f64" put back as its f32 "value"."""
    for value in response.get("results") or []:
        if isinstance(value, dict) and value.get("type") == "f32" and "value" not in value:
            bits = _parse_bits(value.pop("f64", None), 64)
            if bits is not None:
                value["value"] = str(f64_bits_to_f32_bits(bits))
    return response


def _parse_bits(value: Any, width: int) -> int | None:
    """The bit pattern of a wire value: an unsigned decimal string below 2**width."""
    if not isinstance(value, str) or not re.fullmatch(r"[0-9]+", value):
        return None
    bits = int(value)
    return bits if bits < (1 << width) else None


def _float_text(bits: int, width: int) -> str:
    if width == 32:
        exp_mask, mant_bits = 0x7F80_0000, 23
        number = struct.unpack("<f", struct.pack("<I", bits))[0]
    else:
        exp_mask, mant_bits = 0x7FF0_0000_0000_0000, 52
        number = struct.unpack("<d", struct.pack("<Q", bits))[0]
    sign = "-" if bits >> (width - 1) else ""
    payload = bits & ((1 << mant_bits) - 1)
    if bits & exp_mask == exp_mask and payload:
        return f"{sign}nan:0x{payload:x}"
    if width == 64 or number != number or number in (float("inf"), float("-inf")):
        return repr(number)
    for digits in range(6, 10):  # shortest text that reads back as the same f32
        text = f"{number:.{digits}g}"
        if struct.pack("<f", float(text)) == struct.pack("<I", bits):
            break
    return text if any(c in text for c in ".en") else text + ".0"


def format_value(value: Any) -> str:
    """Human-readable ``type:wire (meaning)``, e.g. ``i32:4294967295 (-1)``."""
    if not isinstance(value, dict):
        return f"<not a value: {json.dumps(value)[:80]}>"
    vtype, raw = value.get("type"), value.get("value")
    if raw is None:
        return f"{vtype}"
    if isinstance(raw, list):
        return f"{vtype}:{' '.join(map(str, raw))}"
    if raw in NAN_PATTERNS:
        return f"{vtype}:{raw}"
    if vtype in INT_BITS:
        width = INT_BITS[vtype]
        bits = _parse_bits(raw, width)
        if bits is not None and bits >> (width - 1):
            return f"{vtype}:{raw} ({bits - (1 << width)})"
        return f"{vtype}:{raw}"
    if vtype in FLOAT_BITS:
        width = FLOAT_BITS[vtype]
        bits = _parse_bits(raw, width)
        if bits is not None:
            return f"{vtype}:{raw} ({_float_text(bits, width)})"
    return f"{vtype}:{raw}"


def format_values(values: Iterable[Any]) -> str:
    return "(" + ", ".join(format_value(v) for v in values) + ")"


def _nan_matches(pattern: str, bits: int, width: int) -> bool:
    """Spec NaN patterns; the sign is free in both."""
    if width == 32:
        exp_and_quiet, quiet_only = 0x7FC0_0000, 0x7FC0_0000
        magnitude = bits & 0x7FFF_FFFF
    else:
        exp_and_quiet, quiet_only = 0x7FF8_0000_0000_0000, 0x7FF8_0000_0000_0000
        magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
    if pattern == "nan:canonical":  # exponent all ones, only the top mantissa bit set
        return magnitude == quiet_only
    return magnitude & exp_and_quiet == exp_and_quiet  # nan:arithmetic: top mantissa bit set


def value_matches(expected: dict[str, Any], actual: Any) -> bool:
    """Whether a driver's value satisfies an expected (wast2json) value, bit-exactly."""
    if not isinstance(actual, dict):
        return False
    etype, evalue = expected.get("type"), expected.get("value")
    if actual.get("type") != etype:
        return False
    avalue = actual.get("value")
    if etype in INT_BITS or etype in FLOAT_BITS:
        width = INT_BITS.get(etype) or FLOAT_BITS[etype]
        bits = _parse_bits(avalue, width)
        if bits is None:
            return False
        if evalue in NAN_PATTERNS:
            return _nan_matches(evalue, bits, width)
        return bits == _parse_bits(evalue, width)
    if etype == "externref":
        return isinstance(avalue, str) and avalue == evalue
    if etype == "funcref":  # identity cannot cross the protocol: null or "some function"
        if not isinstance(avalue, str):
            return False
        return (avalue == "null") == (evalue == "null")
    return False


def _encoding_problem(value: Any) -> str | None:
    """Why a driver's value is not in wire encoding, or None if it is."""
    if not isinstance(value, dict) or "type" not in value or "value" not in value:
        return f"result {json.dumps(value)[:80]} is not a {{\"type\", \"value\"}} object"
    vtype, raw = value["type"], value["value"]
    width = INT_BITS.get(vtype) or FLOAT_BITS.get(vtype)
    if width is not None and _parse_bits(raw, width) is None:
        return (f"result {json.dumps(value)} is not in wire encoding "
                f"(unsigned decimal string of the {width}-bit pattern)")
    if vtype in REF_TYPES and not (isinstance(raw, str) and (raw == "null" or raw.isdigit())):
        return f"result {json.dumps(value)} is not a reference token (\"null\" or decimal)"
    return None


def check_results(expected: Sequence[dict[str, Any]], actual: Any) -> str | None:
    """None when ``actual`` (a driver's results list) matches, else the reason."""
    if not isinstance(actual, list):
        return f"driver answered without a \"results\" list: {json.dumps(actual)[:120]}"
    for value in actual:
        problem = _encoding_problem(value)
        if problem:
            return problem
    if len(actual) == len(expected) and all(map(value_matches, expected, actual)):
        return None
    return f"expected {format_values(expected)}, got {format_values(actual)}"


# ----------------------------------------------------------------------------- driver process


@dataclass(frozen=True)
class Outcome:
    """A driver's answer to one request."""

    ok: bool
    kind: str = ""  # error kind when not ok ("bad-response" for protocol violations)
    message: str = ""
    response: dict[str, Any] = field(default_factory=dict)

    @staticmethod
    def of(response: dict[str, Any]) -> Outcome:
        ok = response.get("ok")
        if ok is True:
            return Outcome(True, response=response)
        if ok is False:
            kind, message = response.get("error"), str(response.get("message", ""))
            if kind not in ERROR_KINDS:
                return Outcome(False, "bad-response",
                               f"unknown error kind {kind!r} (message: {message})", response)
            return Outcome(False, kind, message, response)
        return Outcome(False, "bad-response",
                       f"response without boolean \"ok\": {json.dumps(response)[:200]}", response)

    def describe(self) -> str:
        if self.ok:
            if "results" in self.response:
                results = self.response["results"]
                return format_values(results) if isinstance(results, list) else repr(results)
            if "value" in self.response:
                return json.dumps(self.response["value"])
            return "success"
        if self.kind == "trap":
            return f"trap: {self.message}"
        if self.kind == "bad-response":
            return f"invalid response: {self.message}"
        return f"{self.kind} error: {self.message}"


def _exit_text(code: int | None) -> str:
    if code is None:
        return "still running"
    if code < 0:
        try:
            return f"exit code {code} ({signal.Signals(-code).name})"
        except ValueError:
            return f"exit code {code}"
    return f"exit code {code}"


class NoInstance(Exception):
    """A command names a module that is not instantiated (or there is no current module)."""


class DriverProcess:
    """One running driver; :meth:`request` sends a request and waits for its response.

    It also keeps the driver's registry of instances: a driver stores each instance
    under the id of the `module` request that made it, and the runner, not the driver,
    knows which one is current and which wast name (``$M``) stands for which id.
    ``host`` modules (name, .wasm) are instantiated and registered under their name
    as soon as the driver starts (the spec tests' ``spectest``).
    """

    def __init__(self, command: DriverCommand, *, timeout: float = DEFAULT_TIMEOUT,
                 runtool: Sequence[str] = (), show_stderr: bool = False,
                 host: Sequence[tuple[str, Path]] = ()) -> None:
        self.host = list(host)
        self.current: int | None = None  # id of the current instance
        self.named: dict[str, int] = {}  # wast module name -> instance id
        self.argv: list[str] = [*runtool, *command.argv]
        self.command = command
        self.timeout = timeout
        self.show_stderr = show_stderr
        self._proc: subprocess.Popen[bytes] | None = None
        self._lines: queue.Queue[bytes | None] = queue.Queue()
        self._stderr: collections.deque[str] = collections.deque(maxlen=STDERR_TAIL_LINES)
        self._threads: list[threading.Thread] = []
        self._next_id = 0  # each request's "id", echoed by its response

    # -- lifecycle

    def start(self) -> None:
        env = {**os.environ, **self.command.env}
        try:
            self._proc = subprocess.Popen(
                self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, cwd=self.command.cwd, env=env,
                start_new_session=True,
            )
        except OSError as exc:
            raise DriverFailure(f"cannot start driver {shlex.join(self.argv)}: {exc}") from None
        assert self._proc.stdout is not None and self._proc.stderr is not None
        self._threads = [
            threading.Thread(target=self._pump_stdout, args=(self._proc.stdout,), daemon=True),
            threading.Thread(target=self._pump_stderr, args=(self._proc.stderr,), daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        for name, wasm in self.host:
            out = self.call({"op": "module", "path": str(wasm)})
            if out.ok:
                out = self.call({"op": "register", "instance": self._next_id, "as": name})
            if not out.ok:
                self.kill()
                raise DriverFailure(self._with_tail(
                    f"the host module {name} ({wasm.name}) could not be instantiated and registered: {out.describe()}"))

    # -- the registry of instances

    def instance(self, name: str | None) -> int:
        """The id of the instance a wast name stands for, or of the current one (None)."""
        if name is None:
            if self.current is None:
                raise NoInstance("no current module")
            return self.current
        if name not in self.named:
            raise NoInstance(f"no module named {name}")
        return self.named[name]

    def instantiate(self, path: Path, name: str | None = None, keep: bool = True) -> Outcome:
        """A `module` request; with ``keep``, the new instance is current (and named ``name``);
        a failure leaves no current module."""
        out = self.call({"op": "module", "path": str(path)})
        if keep:
            self.current = self._next_id if out.ok else None
            if out.ok and name is not None:
                self.named[name] = self._next_id
        return out

    def _pump_stdout(self, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            self._lines.put(raw)
        self._lines.put(None)

    def _pump_stderr(self, stream: IO[bytes]) -> None:
        for raw in iter(stream.readline, b""):
            text = raw.decode("utf-8", errors="replace")
            self._stderr.append(text.rstrip("\r\n"))
            if self.show_stderr:
                sys.stderr.write(text)
                sys.stderr.flush()

    def kill(self) -> None:
        """Kill the driver (its whole process group) and reap it."""
        proc = self._proc
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                proc.kill()
        proc.wait()
        self._finish()

    def _finish(self) -> None:
        """Join the pump threads (after the process is gone) and close pipes."""
        for thread in self._threads:
            thread.join(timeout=2)
        proc = self._proc
        if proc is not None:
            for stream in (proc.stdin, proc.stdout, proc.stderr):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass

    def stderr_tail(self) -> str:
        lines = [line for line in self._stderr if line.strip()]
        if not lines:
            return ""
        tail = " | ".join(lines)
        return tail if len(tail) <= 2000 else "..." + tail[-2000:]

    def _with_tail(self, message: str) -> str:
        tail = self.stderr_tail()
        return f"{message}; stderr: {tail}" if tail else message

    def _crashed(self) -> DriverFailure:
        proc = self._proc
        assert proc is not None
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # closed stdout but still alive
            self.kill()
        self._finish()
        return DriverFailure(self._with_tail(f"driver crashed: {_exit_text(proc.returncode)}"))

    # -- requests

    def request(self, req: dict[str, Any]) -> dict[str, Any]:
        """Send one request; return the decoded response object.

        Raises DriverFailure (after killing the driver) when it crashed, timed
        out or wrote something that is not one JSON object.
        """
        proc = self._proc
        if proc is None:
            self.start()
            proc = self._proc
        assert proc is not None and proc.stdin is not None
        try:
            extra = self._lines.get_nowait()  # anything unread now is not an answer to `req`
        except queue.Empty:
            pass
        else:
            if extra is None:
                raise self._crashed()
            raise self._extra_line(extra)
        self._next_id += 1
        rid = self._next_id
        try:
            proc.stdin.write((json.dumps({**_with_f64(req), "id": rid}, separators=(",", ":")) + "\n").encode())
            proc.stdin.flush()
        except OSError:
            raise self._crashed() from None
        try:
            raw = self._lines.get(timeout=self.timeout)
        except queue.Empty:
            self.kill()
            raise DriverFailure(self._with_tail(
                f"driver timed out: no response to {req.get('op')!r} within {self.timeout:g} s"
            )) from None
        if raw is None:
            raise self._crashed()
        text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        try:
            response = json.loads(text)
        except ValueError:
            response = None
        if not isinstance(response, dict):
            self.kill()
            raise DriverFailure(self._with_tail(
                f"driver wrote a line that is not a JSON object: {text[:200]!r}"
            ))
        got = response.pop("id", None)
        if got == rid:
            return _narrow_f64(response)
        if isinstance(got, int) and 0 < got < rid:  # a late or extra line of an earlier request
            raise self._extra_line(raw)
        self.kill()
        raise DriverFailure(self._with_tail(
            f"driver answered request {rid} ({req.get('op')!r}) with "
            f"{'no id' if got is None else f'id {got!r}'}: every response echoes its request's \"id\" "
            f"(conformance/protocol.md): {text[:200]!r}"))

    def _extra_line(self, line: bytes) -> DriverFailure:
        """Kills the driver: it wrote a line that answers no request still open."""
        self.kill()
        return DriverFailure(self._with_tail(
            "driver wrote more than one line for its previous request: "
            f"{line.decode('utf-8', errors='replace').rstrip()[:200]!r}"))

    def call(self, req: dict[str, Any]) -> Outcome:
        return Outcome.of(self.request(req))

    def close(self) -> str | None:
        """Send quit and wait for exit; the failure message if it did not exit 0."""
        proc = self._proc
        if proc is None:
            return None
        assert proc.stdin is not None
        try:
            proc.stdin.write(b'{"op":"quit"}\n')
            proc.stdin.flush()
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return self._with_tail(f"driver did not exit within {self.timeout:g} s after quit")
        self._finish()
        if proc.returncode != 0:
            return self._with_tail(f"driver exited with {_exit_text(proc.returncode)} after quit")
        return None


def driver_command(lang: str, driver_cmd: str | Sequence[str] | None = None) -> DriverCommand:
    """The command for ``lang`` from the table, or ``driver_cmd`` when given.

    ``driver_cmd`` (a shell-quoted string or argv) runs in the current directory
    with the current environment; ``lang`` is then only a label.
    """
    if driver_cmd is not None:
        argv = shlex.split(driver_cmd) if isinstance(driver_cmd, str) else list(driver_cmd)
        if not argv:
            raise ConformanceError("--driver-cmd is empty")
        return DriverCommand(argv=argv)
    try:
        return drivers.resolve(lang)
    except (drivers.UnknownLanguage, drivers.DriverNotBuilt) as exc:
        raise ConformanceError(str(exc)) from None


def runtool_from_env() -> list[str]:
    """The ``CONFORMANCE_RUNTOOL`` prefix command (e.g. ``valgrind -q``), split."""
    return shlex.split(os.environ.get(RUNTOOL_ENV, ""))


# ----------------------------------------------------------------------------- results


@dataclass
class CommandResult:
    file: str
    line: int
    type: str
    status: str  # "pass" | "fail" | "skip"
    message: str = ""
    case: str | None = None  # seed case name (file is then "seed")

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"file": self.file, "line": self.line, "type": self.type,
                                "status": self.status, "message": self.message}
        if self.case is not None:
            data["case"] = self.case
        return data


def _shorten(text: str, limit: int = MAX_LINE_MESSAGE) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class ItemResult:
    """A seed case or a .wast file: its commands and its one summary line."""

    name: str
    kind: str  # "case" | "file"
    commands: list[CommandResult] = field(default_factory=list)
    error: str | None = None  # failure before any command ran (e.g. wast2json)

    @property
    def passed(self) -> int:
        return sum(c.status == "pass" for c in self.commands)

    @property
    def failed(self) -> int:
        return sum(c.status == "fail" for c in self.commands)

    @property
    def skipped(self) -> int:
        return sum(c.status == "skip" for c in self.commands)

    @property
    def status(self) -> str:
        if self.error is not None or self.failed:
            return "fail"
        if self.commands and not self.passed:
            return "skip"
        return "pass"

    def first_failure(self) -> CommandResult | None:
        return next((c for c in self.commands if c.status == "fail"), None)

    def line(self) -> str:
        """``PASS sum`` / ``FAIL i32.wast 370/375 (first failure: line 123: ...)``."""
        tag = self.status.upper()
        if self.kind == "case":
            if self.status == "fail":
                failure = self.error or (self.first_failure() or CommandResult("", 0, "", "")).message
                return f"FAIL {self.name}: {_shorten(failure)}"
            if self.status == "skip":  # ran and failed as expected_failures.yaml lists it, or not runnable here
                message = self.commands[0].message
                tag = "XFAIL" if message.startswith("listed in expected_failures") else "SKIP"
                return f"{tag} {self.name}: {_shorten(message)}"
            return f"PASS {self.name}"
        ran = self.passed + self.failed
        text = f"{tag} {self.name} {self.passed}/{ran}"
        if self.skipped:
            text += f", {self.skipped} skipped"
        if self.error is not None:
            text += f" ({_shorten(self.error)})"
        elif (first := self.first_failure()) is not None:
            where = f"line {first.line}: " if first.line else ""
            text += f" (first failure: {where}{_shorten(first.message)})"
        return text


@dataclass
class RunSummary:
    lang: str
    argv: list[str]
    items: list[ItemResult] = field(default_factory=list)

    @property
    def passed(self) -> int:
        return sum(i.status == "pass" for i in self.items)

    @property
    def failed(self) -> int:
        return sum(i.status == "fail" for i in self.items)

    @property
    def skipped(self) -> int:
        return sum(i.status == "skip" for i in self.items)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def closing_line(self) -> str:
        text = f"{self.passed} passed, {self.failed} failed"
        return text + (f", {self.skipped} skipped" if self.skipped else "")

    def to_json(self) -> dict[str, Any]:
        return {
            "lang": self.lang,
            "driver": self.argv,
            "passed": self.passed,
            "failed": self.failed,
            "skipped": self.skipped,
            "items": [
                {"name": i.name, "kind": i.kind, "status": i.status, "passed": i.passed,
                 "failed": i.failed, "skipped": i.skipped, "error": i.error}
                for i in self.items
            ],
            "results": [c.to_json() for i in self.items for c in i.commands],
        }

    def write_json(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = self.to_json()
        results = data.pop("results")
        head = json.dumps(data, indent=1)[:-2]  # without the closing "\n}"
        lines = "".join(f"\n  {json.dumps(r)}," for r in results).rstrip(",")
        path.write_text(f'{head},\n "results": [{lines}\n ]\n}}\n')


# ----------------------------------------------------------------------------- seed cases


def _describe_call(field_name: str, args: Sequence[Any], module: str | None = None) -> str:
    target = f"{module} " if module else ""
    return f'invoke {target}"{field_name}"{format_values(args)}'


def _run_case_steps(driver: DriverProcess, case: SeedCase, wasm: Path) -> str | None:
    """Run one seed case; None on success, else why it failed."""
    out = driver.instantiate(wasm)
    if not out.ok:
        return f"module {wasm.name}: expected it to instantiate, got {out.describe()}"
    instance = driver.instance(None)
    saved: dict[str, int] = {}
    for step in case.steps:
        if isinstance(step, Invoke):
            args = [a.to_json() for a in step.args]
            call = _describe_call(step.field, args)
            out = driver.call({"op": "invoke", "instance": instance, "field": step.field, "args": args})
            if not out.ok:
                expected = format_values(a.to_json() for a in step.expect) if step.expect else "results"
                return f"{call}: expected {expected}, got {out.describe()}"
            results = out.response.get("results")
            if step.expect is not None:
                reason = check_results([v.to_json() for v in step.expect], results)
                if reason:
                    return f"{call}: {reason}"
            if step.save_as is not None:
                first = results[0] if isinstance(results, list) and results else None
                bits = _parse_bits(first.get("value") if isinstance(first, dict) else None, 64)
                if bits is None:
                    return f"{call}: expected one integer result, got {out.describe()}"
                saved[step.save_as] = bits
        elif isinstance(step, ReadCString):
            offset = saved[step.offset] if isinstance(step.offset, str) else step.offset
            what = f'read_cstring "{step.memory}" at {offset}'
            out = driver.call({"op": "read_cstring", "instance": instance,
                               "memory": step.memory, "offset": offset})
            if not out.ok:
                return f"{what}: expected {json.dumps(step.expect)}, got {out.describe()}"
            value = out.response.get("value")
            if value != step.expect:
                return f"{what}: expected {json.dumps(step.expect)}, got {json.dumps(value)}"
    return None


def run_seed_cases(
    lang: str,
    *,
    driver_cmd: str | Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    build_dir: Path = DEFAULT_BUILD_DIR,
    cases: Sequence[SeedCase] = SEED_CASES,
    json_out: Path | None = None,
    out: IO[str] | None = None,
    runtool: Sequence[str] | None = None,
    show_stderr: bool = False,
) -> RunSummary:
    """Run the seed cases against ``lang``'s driver, printing one line per case
    and the closing count line to ``out`` (default: sys.stdout).

    Raises ConformanceError for setup problems (unknown language, driver not
    built, wabt missing).
    """
    command = driver_command(lang, driver_cmd)
    tool = runtool_from_env() if runtool is None else list(runtool)
    seeds = build_seeds(build_dir)
    summary = RunSummary(lang, [*tool, *command.argv])
    driver: DriverProcess | None = None
    try:
        for case in cases:
            item = ItemResult(case.name, "case")
            if driver is None:
                driver = DriverProcess(command, timeout=timeout, runtool=tool,
                                       show_stderr=show_stderr)
            try:
                reason = _run_case_steps(driver, case, seeds[case.module])
            except DriverFailure as exc:
                reason, driver = str(exc), None
            item.commands.append(CommandResult(
                "seed", 0, "seed", "fail" if reason else "pass", reason or "", case=case.name))
            summary.items.append(item)
            _emit(out, item.line())
        if driver is not None:
            closing, driver = driver, None
            problem = closing.close()
            if problem:  # e.g. a crash in teardown: its own failed item
                item = ItemResult("driver exit", "case")
                item.commands.append(
                    CommandResult("seed", 0, "quit", "fail", problem, case=item.name))
                summary.items.append(item)
                _emit(out, item.line())
    finally:
        if driver is not None:  # interrupted: do not leave the driver behind
            driver.kill()
    _finish_run(summary, out, json_out)
    return summary


# ----------------------------------------------------------------------------- .wast files


def skip_reason(cmd: dict[str, Any]) -> str | None:
    """Why a wast2json command is not run (None: it is run)."""
    ctype = cmd.get("type")
    module_type = cmd.get("module_type", "binary")
    if module_type != "binary":
        return f"{ctype} of a {module_type} module: not applicable (wast2json cannot produce it)"
    action = cmd.get("action")
    if isinstance(action, dict):
        for arg in action.get("args", []):
            if arg.get("type") not in SUPPORTED_TYPES:
                return f"argument type {arg.get('type')} not supported"
    for value in [*cmd.get("expected", []), *cmd.get("either", [])]:
        if value.get("type") not in SUPPORTED_TYPES:
            return f"result type {value.get('type')} not supported"
    return None


def _describe_action(action: dict[str, Any]) -> str:
    module = action.get("module")
    if action.get("type") == "get":
        return f'get {module + " " if module else ""}"{action.get("field")}"'
    return _describe_call(str(action.get("field")), action.get("args", []), module)


def _action_request(action: dict[str, Any], instance: int) -> dict[str, Any]:
    atype = action.get("type")
    if atype == "invoke":
        return {"op": "invoke", "instance": instance, "field": action["field"], "args": action.get("args", [])}
    if atype == "get":
        return {"op": "get", "instance": instance, "field": action["field"]}
    raise ValueError(f"unknown action type {atype!r}")


def _expect_error(out: Outcome, kind: str, what: str, expected: str) -> str | None:
    if not out.ok and out.kind == kind:
        return None
    return f"{what}: expected {expected}, got {out.describe()}"


def _execute(driver: DriverProcess, cmd: dict[str, Any], base: Path) -> str | None:
    """Run one wast2json command; None when it passed, else the failure message."""
    ctype = cmd.get("type")
    text = cmd.get("text", "")
    if ctype == "module":
        path = base / cmd["filename"]
        out = driver.instantiate(path, cmd.get("name"))
        return None if out.ok else f"module {path.name}: expected it to instantiate, got {out.describe()}"
    if ctype == "register":
        who = cmd.get("name") or "current module"
        try:
            out = driver.call({"op": "register", "instance": driver.instance(cmd.get("name")), "as": cmd["as"]})
        except NoInstance as exc:
            return f'register {who} as "{cmd["as"]}": {exc}'
        return None if out.ok else f'register {who} as "{cmd["as"]}": got {out.describe()}'
    if ctype in ("assert_invalid", "assert_malformed"):
        path = base / cmd["filename"]
        out = driver.call({"op": "compile", "path": str(path)})
        return _expect_error(out, "compile", f"{ctype} {path.name}", f'compile error "{text}"')
    if ctype in ("assert_unlinkable", "assert_uninstantiable"):
        path = base / cmd["filename"]
        out = driver.instantiate(path, keep=False)
        expected = f'link error "{text}"' if ctype == "assert_unlinkable" else f'trap "{text}"'
        kind = "link" if ctype == "assert_unlinkable" else "trap"
        return _expect_error(out, kind, f"{ctype} {path.name}", expected)
    if ctype in ("action", "assert_return", "assert_trap", "assert_exhaustion"):
        action = cmd.get("action") or {}
        what = _describe_action(action)
        try:
            req = _action_request(action, driver.instance(action.get("module")))
        except ValueError as exc:
            return str(exc)
        except NoInstance as exc:
            return f"{what}: {exc}"
        out = driver.call(req)
        if ctype == "action":
            return None if out.ok else f"{what}: expected success, got {out.describe()}"
        if ctype in ("assert_trap", "assert_exhaustion"):
            return _expect_error(out, "trap", what, f'trap "{text}"')
        # assert_return: "expected" (one result list) or "either" (alternative single results)
        if "either" in cmd:
            alternatives = [[v] for v in cmd["either"]]
            wanted = " or ".join(format_values(a) for a in alternatives)
        else:
            alternatives = [cmd.get("expected", [])]
            wanted = format_values(alternatives[0])
        if not out.ok:
            return f"{what}: expected {wanted}, got {out.describe()}"
        results = out.response.get("results")
        reasons = [check_results(alt, results) for alt in alternatives]
        if any(r is None for r in reasons):
            return None
        if len(alternatives) == 1:
            return f"{what}: {reasons[0]}"
        return f"{what}: expected {wanted}, got {out.describe()}"
    return f"unknown command type {ctype!r}"


def run_commands(
    name: str,
    commands: Sequence[dict[str, Any]],
    base: Path,
    make_driver: Callable[[], DriverProcess],
) -> list[CommandResult]:
    """Run wast2json commands (``base``: directory of their .wasm files) with a fresh driver.

    After a driver crash/hang/garbage the rest of the file is not run (those
    commands fail as "not run"), and the next file gets a new driver.
    """
    results: list[CommandResult] = []
    driver: DriverProcess | None = None
    dead: str | None = None
    try:
        for cmd in commands:
            line, ctype = int(cmd.get("line", 0)), str(cmd.get("type", "?"))
            reason = skip_reason(cmd)
            if reason is not None:
                results.append(CommandResult(name, line, ctype, "skip", reason))
                continue
            if dead is not None:
                results.append(CommandResult(name, line, ctype, "fail", f"not run: {dead}"))
                continue
            if driver is None:
                driver = make_driver()
            try:
                message = _execute(driver, cmd, base)
            except (KeyError, TypeError, AttributeError) as exc:
                message = (f"malformed {ctype} command ({type(exc).__name__}: {exc}): "
                           f"{json.dumps(cmd)[:200]}")
            except DriverFailure as exc:
                message, driver = str(exc), None
                dead = f"the driver died at line {line}"
            results.append(
                CommandResult(name, line, ctype, "fail" if message else "pass", message or ""))
        if driver is not None:
            closing, driver = driver, None
            problem = closing.close()
            if problem:
                last_line = results[-1].line if results else 0
                results.append(CommandResult(name, last_line, "quit", "fail", problem))
    finally:
        if driver is not None:  # interrupted (e.g. Ctrl-C): do not leave the driver behind
            driver.kill()
    return results


def run_wast_file(
    wast: Path,
    workdir: Path,
    make_driver: Callable[[], DriverProcess],
) -> ItemResult:
    """Convert one .wast with wast2json into ``workdir`` and run it."""
    item = ItemResult(wast.name, "file")
    try:
        json_path = convert_wast(wast, workdir)
        data = json.loads(json_path.read_text())
        commands = data["commands"]
    except (ValueError, KeyError, OSError) as exc:
        item.error = str(exc)
        return item
    item.commands = run_commands(wast.name, commands, json_path.parent, make_driver)
    return item


def expand_wast_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given; directories replaced by their ``*.wast`` files, sorted."""
    out: list[Path] = []
    for path in paths:
        out.extend(sorted(path.glob("*.wast")) if path.is_dir() else [path])
    return out


def run_wast_files(
    lang: str,
    files: Sequence[Path],
    *,
    driver_cmd: str | Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    jobs: int = 1,
    workdir: Path | None = None,
    json_out: Path | None = None,
    out: IO[str] | None = None,
    runtool: Sequence[str] | None = None,
    show_stderr: bool = False,
) -> RunSummary:
    """Run .wast files (or directories of them) against ``lang``'s driver.

    Prints one line per file (in order) and the closing count line to ``out``
    (default: sys.stdout). Each file
    gets its own driver process; ``jobs`` files run in parallel. Converted
    files go to a temporary directory unless ``workdir`` is given.
    """
    command = driver_command(lang, driver_cmd)
    tool = runtool_from_env() if runtool is None else list(runtool)
    _wabt_tool("wast2json")
    wasts = expand_wast_paths(files)
    summary = RunSummary(lang, [*tool, *command.argv])

    with tempfile.TemporaryDirectory(prefix="conformance-") as tmp:
        root = workdir or Path(tmp)
        host = build_host_modules(root / "host")

        def make_driver() -> DriverProcess:
            return DriverProcess(command, timeout=timeout, runtool=tool, show_stderr=show_stderr, host=host)

        def one(indexed: tuple[int, Path]) -> ItemResult:
            index, wast = indexed
            return run_wast_file(wast, root / f"{index:03d}-{wast.stem}", make_driver)

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            for item in pool.map(one, enumerate(wasts)):
                summary.items.append(item)
                _emit(out, item.line())
    _finish_run(summary, out, json_out)
    return summary


def _emit(out: IO[str] | None, line: str) -> None:
    stream = sys.stdout if out is None else out
    stream.write(line + "\n")
    stream.flush()


def _finish_run(summary: RunSummary, out: IO[str] | None, json_out: Path | None) -> None:
    _emit(out, summary.closing_line())
    if json_out is not None:
        summary.write_json(json_out)


def iter_wast2json_commands(json_path: Path) -> Iterator[dict[str, Any]]:
    """The commands of a wast2json output file (for tools and tests)."""
    yield from json.loads(json_path.read_text())["commands"]


# ----------------------------------------------------------------------------- WASI programs

STREAMS: tuple[str, ...] = ("stdout", "stderr")


@dataclass(frozen=True)
class WasiResult:
    """What one WASI run gave, with the case directory's path written ``{tmp}`` (so runs in
    different directories and languages compare equal): an error kind, or the exit
    (None: ``_start`` returned) and the captured streams (None: not captured); and the
    directory afterwards (relative path -> bytes, ``"<dir>"`` or ``"-> target"``)."""

    error: str | None
    exit: int | None
    stdout: bytes | None
    stderr: bytes | None
    tree: tuple[tuple[str, Any], ...]

    def describe(self) -> str:
        if self.error is not None:
            return f"{self.error} error"
        exit_text = "returned" if self.exit is None else f"exit {self.exit}"
        return f"{exit_text}, stdout {_show_bytes(self.stdout)}, stderr {_show_bytes(self.stderr)}"


def _show_bytes(data: bytes | Prefix | None, limit: int = 120) -> str:
    if data is None:
        return "not captured"
    if isinstance(data, Prefix):
        return f"starting with {_show_bytes(data.data, limit)}"
    text = repr(data)
    return text if len(text) <= limit else f"{text[:limit]}... ({len(data)} bytes)"


def _subst(text: str, tmp: Path) -> str:
    return text.replace("{tmp}", str(tmp))


def make_wasi_dir(tmp: Path) -> None:
    """Lay out a case's directory: :data:`FIXTURE`, :data:`DIRECTORIES`, :data:`SYMLINKS`."""
    for d in DIRECTORIES:
        (tmp / d).mkdir(parents=True, exist_ok=True)
    for rel, data in FIXTURE.items():
        (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp / rel).write_bytes(data)
    for rel, target in SYMLINKS.items():
        os.symlink(_subst(target, tmp), tmp / rel)


def snapshot_tree(tmp: Path) -> dict[str, Any]:
    """Every entry under ``tmp`` (symlinks not followed): bytes, ``"<dir>"`` or ``"-> target"``."""
    out: dict[str, Any] = {}
    for dirpath, dirnames, filenames in os.walk(tmp):
        base = Path(dirpath)
        for name in [*dirnames, *filenames]:
            path = base / name
            rel = path.relative_to(tmp).as_posix()
            if path.is_symlink():
                out[rel] = "-> " + os.readlink(path).replace(str(tmp), "{tmp}")
            elif path.is_dir():
                out[rel] = "<dir>"
            else:
                out[rel] = path.read_bytes()
    return dict(sorted(out.items()))


def expected_tree(case: WasiCase) -> dict[str, Any]:
    tree: dict[str, Any] = {d: "<dir>" for d in DIRECTORIES}
    tree.update(FIXTURE)
    tree.update({rel: "-> " + target for rel, target in SYMLINKS.items()})
    tree.update(dict(case.files))
    return dict(sorted(tree.items()))


def tree_difference(expected: dict[str, Any], actual: dict[str, Any]) -> str | None:
    problems = []
    for rel in sorted(set(expected) | set(actual)):
        if rel not in actual:
            problems.append(f"{rel} missing")
        elif rel not in expected:
            problems.append(f"{rel} created ({_show_entry(actual[rel])})")
        elif actual[rel] != expected[rel]:
            problems.append(f"{rel} is {_show_entry(actual[rel])}, expected {_show_entry(expected[rel])}")
    return "; ".join(problems) or None


def _show_entry(entry: Any) -> str:
    return _show_bytes(entry, 60) if isinstance(entry, bytes) else str(entry)


def wasi_request(case: WasiCase, wasm: Path, tmp: Path) -> dict[str, Any]:
    """The protocol's `wasi` request for a case run in the directory ``tmp``."""
    return {
        "op": "wasi",
        "path": str(wasm),
        "program": case.argv0 if case.argv0 is not None else case.program,
        "args": [_subst(a, tmp) for a in case.args],
        "env": [[k, v] for k, v in case.env],
        "stdin": None if case.stdin is None else base64.b64encode(case.stdin).decode("ascii"),
        "preopens": [_subst(d, tmp) for d in case.preopens],
        "maps": [[alias, _subst(d, tmp)] for alias, d in case.maps],
        "capture": list(case.capture),
    }


def _decode_stream(response: dict[str, Any], name: str, captured: bool) -> bytes | None:
    """A response's stream: base64 when captured, null otherwise; ValueError if not so."""
    value = response.get(name)
    if not captured:
        if value is not None:
            raise ValueError(f"{name} was not captured: expected null, got {json.dumps(value)[:80]}")
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} was captured: expected a base64 string, got {json.dumps(value)[:80]}")
    try:
        return base64.b64decode(value.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        raise ValueError(f"{name} is not valid base64: {value[:80]!r}") from None


def wasi_result(case: WasiCase, out: Outcome, tmp: Path) -> WasiResult | str:
    """The normalized result of a `wasi` response, or why the response is not a valid one."""
    tree = tuple(snapshot_tree(tmp).items())
    if not out.ok:
        if out.kind == "bad-response":
            return f"invalid response: {out.message}"
        return WasiResult(out.kind, None, None, None, tree)
    exit_code = out.response.get("exit", "missing")
    if exit_code is not None and (isinstance(exit_code, bool) or not isinstance(exit_code, int) or exit_code < 0):
        return f'invalid response: "exit" must be null or a non-negative integer, got {json.dumps(exit_code)}'
    try:
        streams = [_decode_stream(out.response, s, s in case.capture) for s in STREAMS]
    except ValueError as exc:
        return f"invalid response: {exc}"
    marker = str(tmp).encode()
    norm = [None if s is None else s.replace(marker, b"{tmp}") for s in streams]
    return WasiResult(None, exit_code, norm[0], norm[1], tree)


def _stream_problem(name: str, expected: Expected, actual: bytes | None) -> str | None:
    if expected is None:
        return None if actual is None else f"{name}: expected not captured, got {_show_bytes(actual)}"
    if actual is None:
        return f"{name}: expected {_show_bytes(expected)}, got not captured"
    if isinstance(expected, Prefix):
        ok = actual.startswith(expected.data)
    else:
        ok = actual == expected
    return None if ok else f"{name}: expected {_show_bytes(expected)}, got {_show_bytes(actual)}"


def check_wasi(case: WasiCase, result: WasiResult, reference: WasiResult | None = None) -> str | None:
    """None when the result is the case's expected one (and the reference's, when given)."""
    problems = []
    want = f"{case.error} error" if case.error else "returned" if case.exit is None else f"exit {case.exit}"
    if case.error is not None:
        if result.error != case.error:
            problems.append(f"expected {want}, got {result.describe()}")
    elif result.error is not None:
        problems.append(f"expected {want}, got {result.error} error")
    else:
        if result.exit != case.exit:
            problems.append(f"expected {'a return from _start' if case.exit is None else f'exit {case.exit}'}, "
                            f"got {'a return' if result.exit is None else f'exit {result.exit}'}")
        problems += [p for p in (_stream_problem("stdout", case.stdout, result.stdout),
                                 _stream_problem("stderr", case.stderr, result.stderr)) if p]
    tree = tree_difference(expected_tree(case), dict(result.tree))
    if tree:
        problems.append(f"files: {tree}")
    if not problems and reference is not None and result != reference:
        problems.append(f"differs from the C reference: got {result.describe()}, C gave {reference.describe()}")
    return "; ".join(problems) or None


def _wasi_programs(wasi_dir: Path, cases: Sequence[WasiCase]) -> dict[str, Path]:
    programs = {}
    for name in sorted({c.program for c in cases}):
        path = wasi_dir / f"{name}.wasm"
        if not path.is_file():
            raise ConformanceError(
                f"{path} is missing: the WASI programs (conformance/wasi/*.c) are compiled by "
                "ci/langs `wasi_programs` (`nox -s test-<lang>`, `nox -s conformance`)")
        programs[name] = path.resolve()
    return programs


def run_wasi_cases(
    lang: str,
    *,
    wasi_dir: Path = DEFAULT_WASI_DIR,
    driver_cmd: str | Sequence[str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    cases: Sequence[WasiCase] = WASI_CASES,
    reference: dict[str, WasiResult] | None = None,
    json_out: Path | None = None,
    out: IO[str] | None = None,
    runtool: Sequence[str] | None = None,
    show_stderr: bool = False,
) -> tuple[RunSummary, dict[str, WasiResult]]:
    """Run the WASI cases against ``lang``'s driver (one driver for all, a fresh directory
    per case), printing one line per case; with ``reference`` (the C driver's results by
    case name), a result must also equal the reference's. Returns the summary (one item
    per case, whose command is file :data:`WASI_ROW`, line = the case's number) and the
    results by case name."""
    command = driver_command(lang, driver_cmd)
    tool = runtool_from_env() if runtool is None else list(runtool)
    programs = _wasi_programs(wasi_dir, cases)
    summary = RunSummary(lang, [*tool, *command.argv])
    results: dict[str, WasiResult] = {}
    driver: DriverProcess | None = None
    try:
        for number, case in enumerate(cases, 1):
            item = ItemResult(case.name, "case")
            if driver is None:
                driver = DriverProcess(command, timeout=timeout, runtool=tool, show_stderr=show_stderr)
            with tempfile.TemporaryDirectory(prefix="conformance-wasi-") as tmpname:
                tmp = Path(tmpname).resolve()
                make_wasi_dir(tmp)
                try:
                    outcome = driver.call(wasi_request(case, programs[case.program], tmp))
                except DriverFailure as exc:
                    outcome, driver = None, None
                    reason: str | None = str(exc)
                if outcome is not None:
                    got = wasi_result(case, outcome, tmp)
                    if isinstance(got, str):
                        reason = got
                    else:
                        results[case.name] = got
                        reason = check_wasi(case, got, (reference or {}).get(case.name))
                        if reason and got.error is not None and outcome.message:
                            reason += f" ({_shorten(outcome.message.replace(str(tmp), '{tmp}'), 160)})"
            item.commands.append(CommandResult(WASI_ROW, number, "wasi", "fail" if reason else "pass",
                                               reason or "", case=case.name))
            summary.items.append(item)
            _emit(out, item.line())
        if driver is not None:
            closing, driver = driver, None
            problem = closing.close()
            if problem:
                item = ItemResult("driver exit", "case")
                item.commands.append(CommandResult(WASI_ROW, 0, "quit", "fail", problem, case=item.name))
                summary.items.append(item)
                _emit(out, item.line())
    finally:
        if driver is not None:
            driver.kill()
    _finish_run(summary, out, json_out)
    return summary, results


def wasi_row(summary: RunSummary) -> ItemResult:
    """The WASI cases of a run as one matrix row (like a .wast file: a command per case)."""
    return ItemResult(WASI_ROW, "file", [c for item in summary.items for c in item.commands])

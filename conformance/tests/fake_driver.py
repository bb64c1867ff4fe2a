#!/usr/bin/env python3
"""A fake conformance driver: speaks the protocol without running any wasm.

It reads just enough of each .wasm (imports, exports, globals, data segments,
start section) to link modules and answer requests, and implements exported
functions by *name*:

  sum, add       i32/i64 wrapping add of the two arguments
  add1           env.sum(a, b) + 1 (the module must import env.sum)
  return_hello   the offset of "Hello, World!" in the module's data
  echo*          returns its arguments unchanged (bit-exact)
  div_s          signed division; trap on division by zero
  trap           trap "unreachable"
  runaway        trap "call stack exhausted"
  host_fail      host error
A module with a start section traps at instantiation.

`wasi` requests run a Python stand-in for the program named by the file's stem
(conformance/wasi/*.c: echo, streams, cat, copy, mutate; the file is not read), with a small
sandbox over the given directories: `..`, paths outside them and symlinks out of them
are refused ("Capabilities insufficient"; creating where nothing was given: "Operation
not permitted"), as libwasmer does.

`example` requests (conformance/examples.py) are answered by method name:
  Fake.add       the sum of the arguments
  Fake.echo      the first argument as is (e.g. {"hex": ...})
  Fake.trap      trap
  Fake.wasm_size the size of the example's module (a .wasm file the runner made from WAT)

Misbehaviour is chosen with the env var FAKE_DRIVER, a comma-separated list of:
  noop                 accept every module, answer every invoke/get with no results
  accept_invalid       `compile` always succeeds
  crash_on=F           exit 3 (after a stderr message) when invoking F
  segv_on=F            die of SIGSEGV when invoking F
  hang_on=F            never answer an invoke of F
  garbage_on=F         answer an invoke of F with a non-JSON line
  twice_on=F           answer an invoke of F with two lines
  twice_delay=S        with twice_on: wait S seconds before the second line
  no_id                answer without echoing the request's id
  wrong_on=F           add 1 to the integer results of F (invoke) or the result of F (example)
  signed_on=F          answer F's integer results as signed decimals (bad encoding)
  crash_at_quit        exit 5 on quit
  log=PATH             append every request line to PATH
  wasi_wrong=CASEARG   `wasi`: a program whose first argument is CASEARG writes "!" more on stdout
  wasi_leak            `wasi`: every run also writes out/leak.txt
  wasi_inherit         `wasi`: the host's environment (PATH) is given to the program too
  wasi_exit0           `wasi`: answer exit 0 where _start returned
  wasi_raw             `wasi`: answer captured streams as text, not base64
  wasi_not_null        `wasi`: answer "" for a stream not captured
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from typing import Any

MODES: dict[str, str] = {}
for token in filter(None, os.environ.get("FAKE_DRIVER", "").split(",")):
    key, _, value = token.partition("=")
    MODES[key] = value

KIND_NAMES = {0: "func", 1: "table", 2: "memory", 3: "global"}
VALTYPES = {0x7F: "i32", 0x7E: "i64", 0x7D: "f32", 0x7C: "f64", 0x7B: "v128",
            0x70: "funcref", 0x6F: "externref"}
MASKS = {"i32": 0xFFFF_FFFF, "i64": 0xFFFF_FFFF_FFFF_FFFF}


class WasmError(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


# ----------------------------------------------------------------------------- tiny wasm reader


class Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def byte(self) -> int:
        if self.pos >= len(self.data):
            raise WasmError("compile", "unexpected end")
        self.pos += 1
        return self.data[self.pos - 1]

    def bytes(self, n: int) -> bytes:
        if self.pos + n > len(self.data):
            raise WasmError("compile", "unexpected end")
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def uleb(self) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                return result

    def sleb(self, width: int) -> int:
        result = shift = 0
        while True:
            b = self.byte()
            result |= (b & 0x7F) << shift
            shift += 7
            if not b & 0x80:
                if b & 0x40:
                    result -= 1 << shift
                return result & ((1 << width) - 1)

    def name(self) -> str:
        return self.bytes(self.uleb()).decode("utf-8", errors="replace")

    def limits(self) -> None:
        flags = self.byte()
        self.uleb()
        if flags & 1:
            self.uleb()

    def const_expr(self) -> tuple[str, int] | None:
        """A constant initializer: (type, bits), or None for other expressions."""
        op = self.byte()
        value: tuple[str, int] | None = None
        if op == 0x41:
            value = ("i32", self.sleb(32))
        elif op == 0x42:
            value = ("i64", self.sleb(64))
        elif op == 0x43:
            value = ("f32", int.from_bytes(self.bytes(4), "little"))
        elif op == 0x44:
            value = ("f64", int.from_bytes(self.bytes(8), "little"))
        while op != 0x0B:  # skip to `end` (good enough for the tests' modules)
            op = self.byte()
        return value


@dataclass
class ModuleInfo:
    imports: list[tuple[str, str, str]] = field(default_factory=list)  # (module, name, kind)
    exports: dict[str, tuple[str, int]] = field(default_factory=dict)  # name -> (kind, index)
    globals: list[tuple[str, int] | None] = field(default_factory=list)  # defined globals
    imported_globals: int = 0
    memory: bytearray = field(default_factory=bytearray)
    has_start: bool = False


def parse_module(data: bytes) -> ModuleInfo:
    if data[:8] != b"\0asm\x01\0\0\0":
        raise WasmError("compile", "bad magic number or version")
    r, info = Reader(data), ModuleInfo()
    r.pos = 8
    while r.pos < len(data):
        section, size = r.byte(), r.uleb()
        body = Reader(r.bytes(size))
        if section == 2:  # imports
            for _ in range(body.uleb()):
                module, name, kind = body.name(), body.name(), body.byte()
                if kind == 0:
                    body.uleb()
                elif kind == 1:
                    body.byte()
                    body.limits()
                elif kind == 2:
                    body.limits()
                elif kind == 3:
                    body.byte()
                    body.byte()
                    info.imported_globals += 1
                info.imports.append((module, name, KIND_NAMES.get(kind, "?")))
        elif section == 6:  # globals
            for _ in range(body.uleb()):
                vtype = VALTYPES.get(body.byte(), "?")
                body.byte()
                init = body.const_expr()
                info.globals.append((vtype, init[1]) if init and init[0] == vtype else None)
        elif section == 7:  # exports
            for _ in range(body.uleb()):
                name, kind, index = body.name(), body.byte(), body.uleb()
                info.exports[name] = (KIND_NAMES.get(kind, "?"), index)
        elif section == 8:
            info.has_start = True
        elif section == 11:  # data: active segments of memory 0 only
            for _ in range(body.uleb()):
                flags = body.uleb()
                if flags == 1:
                    body.bytes(body.uleb())
                    continue
                if flags == 2:
                    body.uleb()
                offset = body.const_expr()
                chunk = body.bytes(body.uleb())
                start = offset[1] if offset else 0
                if len(info.memory) < start + len(chunk):
                    info.memory.extend(bytes(start + len(chunk) - len(info.memory)))
                info.memory[start:start + len(chunk)] = chunk
    return info


# ----------------------------------------------------------------------------- driver state

instances: dict[int, ModuleInfo] = {}  # by the id of the `module` request
registered: dict[str, ModuleInfo] = {}


def ok(**fields: Any) -> dict[str, Any]:
    return {"ok": True, **fields}


def err(kind: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": kind, "message": message}


def load(path: str) -> ModuleInfo:
    with open(path, "rb") as f:
        return parse_module(f.read())


def link(info: ModuleInfo) -> None:
    for module, name, kind in info.imports:
        if module == "env" and name == "sum":
            have = "func"
        elif module in registered:
            export = registered[module].exports.get(name)
            have = export[0] if export else None
        else:
            have = None
        if have is None:
            raise WasmError("link", f"unknown import {module}.{name}")
        if have != kind:
            raise WasmError("link", f"incompatible import type for {module}.{name}")


def instance(number: Any) -> ModuleInfo:
    if number not in instances:
        raise WasmError("protocol", f"no instance {number}")
    return instances[number]


def int_arg(arg: dict[str, str]) -> int:
    return int(arg["value"])


def call(info: ModuleInfo, fname: str, args: list[dict[str, str]]) -> list[dict[str, str]]:
    export = info.exports.get(fname)
    if export is None or export[0] != "func":
        raise WasmError("runtime", f"no exported function {fname!r}")
    if fname in ("sum", "add", "add1"):
        vtype = args[0]["type"]
        total = int_arg(args[0]) + int_arg(args[1])
        if fname == "add1":
            if ("env", "sum", "func") not in info.imports:
                raise WasmError("runtime", "add1 needs the env.sum import")
            total += 1
        return [{"type": vtype, "value": str(total & MASKS[vtype])}]
    if fname == "return_hello":
        return [{"type": "i32", "value": str(bytes(info.memory).find(b"Hello, World!"))}]
    if fname.startswith("echo"):
        return [dict(a) for a in args]
    if fname == "div_s":
        a, b = int_arg(args[0]), int_arg(args[1])
        if b == 0:
            raise WasmError("trap", "integer divide by zero")
        sa = a - (1 << 32) if a >> 31 else a
        sb = b - (1 << 32) if b >> 31 else b
        q = abs(sa) // abs(sb) * (1 if (sa < 0) == (sb < 0) else -1)
        return [{"type": "i32", "value": str(q & MASKS["i32"])}]
    if fname == "trap":
        raise WasmError("trap", "unreachable")
    if fname == "runaway":
        raise WasmError("trap", "call stack exhausted")
    if fname == "host_fail":
        raise WasmError("host", "host function raised RuntimeError")
    raise WasmError("runtime", f"fake driver has no behaviour for {fname!r}")


def handle(req: dict[str, Any]) -> dict[str, Any] | None:
    op = req.get("op")
    noop = "noop" in MODES
    if op == "module":
        if noop:
            return ok()
        info = load(req["path"])
        link(info)
        if info.has_start:
            raise WasmError("trap", "unreachable (start function)")
        instances[req["id"]] = info
        return ok()
    if op == "compile":
        if noop or "accept_invalid" in MODES:
            return ok()
        load(req["path"])
        raise WasmError("compile", "fake driver treats every `compile` module as invalid")
    if op == "register":
        if not noop:
            registered[req["as"]] = instance(req["instance"])
        return ok()
    if op == "invoke":
        fname = req["field"]
        if MODES.get("crash_on") == fname:
            sys.stderr.write(f"fake driver: crashing on {fname}\n")
            sys.stderr.flush()
            os._exit(3)
        if MODES.get("segv_on") == fname:
            os.kill(os.getpid(), signal.SIGSEGV)
        if MODES.get("hang_on") == fname:
            while True:
                time.sleep(60)
        if MODES.get("garbage_on") == fname:
            return None  # caller prints garbage
        if MODES.get("twice_on") == fname:
            print(json.dumps({**ok(results=[]), "id": req.get("id")}), flush=True)
            time.sleep(float(MODES.get("twice_delay", "0")))  # the second line comes late
        if noop:
            return ok(results=[])
        results = call(instance(req["instance"]), fname, req["args"])
        if MODES.get("wrong_on") == fname:
            for r in results:
                r["value"] = str((int(r["value"]) + 1) & MASKS.get(r["type"], MASKS["i64"]))
        if MODES.get("signed_on") == fname:
            for r in results:
                bits = 32 if r["type"] == "i32" else 64
                v = int(r["value"])
                r["value"] = str(v - (1 << bits) if v >> (bits - 1) else v)
        return ok(results=results)
    if op == "get":
        if noop:
            return ok(results=[])
        info = instance(req["instance"])
        export = info.exports.get(req["field"])
        if export is None or export[0] != "global":
            raise WasmError("runtime", f"no exported global {req['field']!r}")
        glob = info.globals[export[1] - info.imported_globals]
        if glob is None:
            raise WasmError("runtime", "fake driver cannot evaluate that global")
        return ok(results=[{"type": glob[0], "value": str(glob[1])}])
    if op == "read_cstring":
        if noop:
            return ok(value="")
        info = instance(req["instance"])
        if info.exports.get(req["memory"], ("",))[0] != "memory":
            raise WasmError("runtime", f"no exported memory {req['memory']!r}")
        data = bytes(info.memory[req["offset"]:])
        return ok(value=data.split(b"\0", 1)[0].decode("utf-8"))
    if op == "wasi":
        return wasi(req)
    if op == "example":
        return example(req)
    raise WasmError("protocol", f"unknown op {op!r}")


# ----------------------------------------------------------------------------- wasi


class Exit(Exception):
    def __init__(self, code: int) -> None:
        self.code = code


class Sandbox:
    """The directories given to a program: guest path -> host path."""

    def __init__(self, req: dict[str, Any]) -> None:
        self.dirs = [(p, p) for p in req["preopens"]] + [(a, h) for a, h in req["maps"]]
        for _, host in self.dirs:
            if not os.path.isdir(host):
                raise WasmError("argument", f"{host} is not a directory")

    def resolve(self, guest: str, create: bool) -> str:
        """The host path of a guest path; OSError-like text when refused."""
        for prefix, host in self.dirs:
            if guest == prefix or guest.startswith(prefix.rstrip("/") + "/"):
                rest = guest[len(prefix):].strip("/").split("/")
                if ".." in rest:
                    raise PermissionError("Operation not permitted" if create else "Capabilities insufficient")
                path = os.path.join(host, *rest)
                real = os.path.realpath(path)
                if not (real == os.path.realpath(host) or real.startswith(os.path.realpath(host) + "/")):
                    raise PermissionError("Capabilities insufficient")
                return path
        raise PermissionError("Operation not permitted" if create else "Capabilities insufficient")


def run_program(name: str, req: dict[str, Any], argv: list[str], env: list[str], stdin: bytes,
                out: list[bytearray]) -> None:
    """The program's main; raises Exit(n) for exit(n) and for a non-zero return."""
    if name == "echo":
        out[1] += "".join(f"arg {i}: {a}\n" for i, a in enumerate(argv)).encode()
        out[1] += "".join(f"env: {e}\n" for e in env).encode()
    elif name == "streams":
        if len(argv) != 4:
            raise Exit(2)
        out[1] += argv[1].encode()
        out[2] += argv[2].encode()
        raise Exit(int(argv[3]))
    elif name == "cat":
        out[1] += stdin
    elif name == "copy":
        sandbox = Sandbox(req)
        try:
            with open(sandbox.resolve(argv[1], False), "rb") as f:
                data = f.read()
        except OSError as exc:
            out[2] += f"cannot open {argv[1]}: {exc.strerror or exc.args[0]}\n".encode()
            raise Exit(1) from None
        try:
            with open(sandbox.resolve(argv[2], True), "wb") as f:
                f.write(data)
        except OSError as exc:
            out[2] += f"cannot create {argv[2]}: {exc.strerror or exc.args[0]}\n".encode()
            raise Exit(1) from None
        out[1] += f"copied {argv[1]} to {argv[2]}\n".encode()
    elif name == "mutate":
        mutate(Sandbox(req), argv[1:], out)
    else:
        raise WasmError("link", f"fake driver has no WASI program {name!r}")


#: What libwasmer answers a refused operation, where it is not the sandbox's reason.
MUTATE_REFUSED = {"mkdir": "Permission denied", "link": "Invalid argument", "rename": "Capabilities insufficient"}


def mutate(sandbox: Sandbox, args: list[str], out: list[bytearray]) -> None:
    """conformance/wasi/mutate.c: one line per operation."""
    i = 0
    while i < len(args):
        op, a, b = args[i], (args[i + 1:i + 2] or [""])[0], (args[i + 2:i + 3] or [""])[0]
        if op == "dirs":
            out[1] += b"3 /\n" + b"".join(f"{4 + n} {g.lstrip('/')}\n".encode() for n, (g, _) in enumerate(sandbox.dirs))
            i += 1
            continue
        two = op in ("rename", "link", "symlink")
        shown = b if op == "symlink" else a
        try:
            creates = op in ("write", "mkdir", "root")
            path = sandbox.resolve("/" + a if op == "root" else a, creates)
            if op in ("read", "touch", "append", "truncate", "rm", "rmdir"):
                os.stat(path)  # must exist
            if op == "read":
                open(path, "rb").close()
            elif op in ("write", "root"):
                with open(path, "wb") as f:
                    f.write(b"written\n")
            elif op == "append":
                with open(path, "ab") as f:
                    f.write(b"written\n")
            elif op == "mkdir":
                os.mkdir(path)
            elif op == "rmdir":
                os.rmdir(path)
            elif op == "rm":
                os.unlink(path)
            elif op == "rename":
                os.rename(path, sandbox.resolve(b, True))
            elif op == "touch":
                os.utime(path)
            elif op == "truncate":
                os.truncate(path, 0)
            else:
                raise PermissionError("Invalid argument")
            out[1] += f"{op} {shown}: ok\n".encode()
        except OSError as exc:
            reason = MUTATE_REFUSED.get(op) if isinstance(exc, PermissionError) else None
            out[1] += f"{op} {shown}: {reason or exc.strerror or exc.args[0]}\n".encode()
        i += 3 if two else 2


def wasi(req: dict[str, Any]) -> dict[str, Any]:
    import base64

    name = os.path.basename(req["path"]).removesuffix(".wasm")
    Sandbox(req)  # a missing directory is an argument error before the program runs
    argv = [req["program"], *req["args"]]
    env = [f"{k}={v}" for k, v in req["env"]]
    if "wasi_inherit" in MODES:
        env.append(f"PATH={os.environ.get('PATH', '')}")
    stdin = b"" if req["stdin"] is None else base64.b64decode(req["stdin"])
    out = [bytearray(), bytearray(), bytearray()]
    code = 0 if "wasi_exit0" in MODES else None
    try:
        run_program(name, req, argv, env, stdin, out)
    except Exit as exc:
        code = exc.code
    if MODES.get("wasi_wrong") and argv[1:2] == [MODES["wasi_wrong"]]:
        out[1] += b"!"
    if "wasi_leak" in MODES:
        for _, host in Sandbox(req).dirs:
            if host.endswith("/out"):
                with open(os.path.join(host, "leak.txt"), "w") as f:
                    f.write("leak")

    def stream(fd: int, label: str) -> str | None:
        if label not in req["capture"]:
            return "" if "wasi_not_null" in MODES else None
        return out[fd].decode("latin-1") if "wasi_raw" in MODES else base64.b64encode(bytes(out[fd])).decode()
    return ok(exit=code, stdout=stream(1, "stdout"), stderr=stream(2, "stderr"))


def example(req: dict[str, Any]) -> dict[str, Any]:
    method, args = req["method"], req["args"]
    if MODES.get("crash_on") == method:
        os._exit(3)
    if method == "Fake.add":
        result: Any = sum(args)
    elif method == "Fake.echo":
        result = args[0]
    elif method == "Fake.trap":
        raise WasmError("trap", "unreachable")
    elif method == "Fake.wasm_size":
        with open(req["module"], "rb") as f:
            result = len(f.read())
    else:
        raise WasmError("protocol", f"fake driver has no example behaviour for {method!r}")
    if MODES.get("wrong_on") == method:
        result += 1
    return ok(result=result)


def main() -> int:
    for line in sys.stdin:
        if "log" in MODES:
            with open(MODES["log"], "a") as log:
                log.write(line)
        try:
            req = json.loads(line)
        except ValueError as exc:
            print(json.dumps(err("protocol", f"bad JSON: {exc}")), flush=True)
            continue
        if req.get("op") == "quit":
            return 5 if "crash_at_quit" in MODES else 0
        try:
            response = handle(req)
        except WasmError as exc:
            response = err(exc.kind, str(exc))
        except Exception as exc:  # noqa: BLE001 - a driver never dies on a request
            response = err("runtime", f"{type(exc).__name__}: {exc}")
        if response is None:
            print("this is not json", flush=True)
        else:
            if "id" in req and "no_id" not in MODES:
                response["id"] = req["id"]
            print(json.dumps(response), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Conformance driver for the Python binding (conformance/protocol.md).

Reads one JSON request per line on stdin, answers one JSON line on stdout.
Uses only the public `wasmer` API.
"""

from __future__ import annotations

import base64
import json
import struct
import sys
from typing import Any

from conformance_model import KINDS
from conformance_support import run_example
from wasmer import ExitError, Function, FunctionType, ImportObject, Instance, Module, Store, Type, wasi


class ExternToken:
    """The host object standing for the spec tests' `ref.extern N`."""

    def __init__(self, n: int) -> None:
        self.n = n


def to_python(t: str, value: str) -> Any:
    """A protocol value (unsigned decimal of the bits) as the binding's Python value.
    An f32 comes as `f64`, the bits of the Python float the binding takes for it."""
    if value == "null":
        return None
    if t == "externref":
        return ExternToken(int(value))  # any Python object can be an externref
    bits = int(value)
    if t == "i32":
        return bits - (1 << 32) if bits >= 1 << 31 else bits
    if t == "i64":
        return bits - (1 << 64) if bits >= 1 << 63 else bits
    if t in ("f32", "f64"):
        return struct.unpack("<d", struct.pack("<Q", bits))[0]
    raise ValueError(f"unsupported value type {t}")


def from_python(t: Type, value: Any) -> dict[str, str]:
    if t == Type.I32:
        return {"type": "i32", "value": str(value & 0xFFFFFFFF)}
    if t == Type.I64:
        return {"type": "i64", "value": str(value & 0xFFFFFFFFFFFFFFFF)}
    if t == Type.F32:
        return {"type": "f32", "f64": str(struct.unpack("<Q", struct.pack("<d", value))[0])}  # narrowed by the runner
    if t == Type.F64:
        return {"type": "f64", "value": str(struct.unpack("<Q", struct.pack("<d", value))[0])}
    if t == Type.EXTERN_REF:
        return {"type": "externref", "value": "null" if value is None else str(value.n)}
    # a non-null funcref is a wasmer.Function: its identity cannot cross the protocol
    return {"type": "funcref", "value": "null" if value is None else "1"}


class Driver:
    def __init__(self) -> None:
        self.store = Store()
        self.instances: dict[int, Instance] = {}  # by the id of the `module` request
        self.registered: dict[str, dict[str, Any]] = {}
        sum_ = Function(self.store, lambda a, b: a + b, FunctionType([Type.I32, Type.I32], [Type.I32]))
        self.host = {"env": {"sum": sum_}}

    def instance(self, number: int) -> Instance:
        if number not in self.instances:
            raise LookupError(f"no instance {number}")
        return self.instances[number]

    def imports(self) -> ImportObject:
        imports = ImportObject()
        for ns, items in {**self.host, **self.registered}.items():
            imports.register(ns, items)
        return imports

    def handle(self, req: dict[str, Any]) -> dict[str, Any] | None:
        op = req.get("op")
        if op == "module":
            with open(req["path"], "rb") as f:
                module = Module(self.store, f.read())
            self.instances[req["id"]] = Instance(module, self.imports())
            return {"ok": True}
        if op == "compile":
            with open(req["path"], "rb") as f:
                Module(self.store, f.read())
            return {"ok": True}
        if op == "register":
            self.registered[req["as"]] = dict(self.instance(req["instance"]).exports)
            return {"ok": True}
        if op == "invoke":
            func = self.instance(req["instance"]).exports[req["field"]]
            args = [to_python(a["type"], a.get("f64", a["value"])) for a in req.get("args", [])]
            out = func(*args)
            results = func.type.results
            values = [] if not results else [out] if len(results) == 1 else list(out)
            return {"ok": True, "results": [from_python(t, v) for t, v in zip(results, values)]}
        if op == "get":
            glob = self.instance(req["instance"]).exports[req["field"]]
            return {"ok": True, "results": [from_python(glob.type.type, glob.value)]}
        if op == "read_cstring":
            memory = self.instance(req["instance"]).exports[req.get("memory", "memory")]
            view = memory.uint8_view(offset=int(req["offset"]))
            data = bytearray()
            while view[len(data)] != 0:
                data.append(view[len(data)])
            return {"ok": True, "value": data.decode("utf-8")}
        if op == "example":
            return run_example(self.store, self.imports(), req)
        if op == "wasi":
            return run_wasi(req)
        if op == "quit":
            return None
        return {"ok": False, "error": "protocol", "message": f"unknown op {op!r}"}


def run_wasi(req: dict[str, Any]) -> dict[str, Any]:
    """Runs a WASI program's _start in a store of its own (wasmer.wasi, the public API)."""
    store = Store()
    with open(req["path"], "rb") as f:
        module = Module(store, f.read())
    builder = wasi.StateBuilder(req["program"])
    for arg in req["args"]:
        builder.argument(arg)
    for key, value in req["env"]:
        builder.environment(key, value)
    if req.get("stdin") is not None:
        builder.stdin(base64.b64decode(req["stdin"]))
    for path in req["preopens"]:
        builder.preopen_directory(path)
    for alias, path in req["maps"]:
        builder.map_directory(alias, path)
    if "stdout" in req["capture"]:
        builder.capture_stdout()
    if "stderr" in req["capture"]:
        builder.capture_stderr()
    env = builder.finalize()
    version = wasi.get_version(module, strict=False)
    if version is None:
        raise LookupError("not a WASI module")
    instance = Instance(module, env.generate_import_object(store, version))
    code = None
    try:
        instance.exports._start()
    except ExitError as exc:
        code = exc.code
    def stream(name: str, read: Any) -> str | None:
        return base64.b64encode(read()).decode("ascii") if name in req["capture"] else None
    return {"ok": True, "exit": code, "stdout": stream("stdout", env.read_stdout),
            "stderr": stream("stderr", env.read_stderr)}


def error_kind(exc: BaseException) -> str:
    for cls, kind in KINDS:
        if isinstance(exc, cls):
            return kind
    return "host" if not isinstance(exc, (KeyError, LookupError, OSError, ValueError, TypeError)) else "runtime"


def main() -> int:
    driver = Driver()
    for line in sys.stdin:
        if not line.strip():
            continue
        req: Any = None
        try:
            req = json.loads(line)
            resp = driver.handle(req)
        except Exception as exc:  # noqa: BLE001 - every failure is an answer
            resp = {"ok": False, "error": error_kind(exc), "message": f"{type(exc).__name__}: {exc}"}
        if resp is None:
            break
        request_id = req.get("id") if isinstance(req, dict) else None
        if isinstance(request_id, int) and not isinstance(request_id, bool):
            resp["id"] = request_id  # echoed so the runner can match the answer to its request
        sys.stdout.write(json.dumps(resp) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

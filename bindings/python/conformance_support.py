"""The conformance driver's `example` request (conformance/protocol.md): the setup around a call of a
public member (compile and instantiate the example's module through the public API, resolve the
receiver and handle arguments, convert arguments and results by their spec type). The call itself
is in conformance_model.py, rendered from the model."""

from __future__ import annotations

from typing import Any

import wasmer
from conformance_model import EXTERNKINDS, MEMBERS, VALKINDS

SCALARS = {"bool", "u32", "u64", "str", "compiler"}


def run_example(store: wasmer.Store, imports: wasmer.ImportObject, req: dict[str, Any]) -> dict[str, Any]:
    entry = MEMBERS.get(req["method"])
    if entry is None:
        return {"ok": False, "error": "protocol", "message": f"no public member {req['method']} with examples"}
    call, param_types, result_type = entry
    objects: dict[str, Any] = {"Store": store, "Engine": store.engine}
    if req.get("module") is not None:
        with open(req["module"], "rb") as f:
            objects["Module"] = wasmer.Module(store, f.read())
        objects["Instance"] = wasmer.Instance(objects["Module"], imports)
    if len(req["args"]) != len(param_types):
        raise ValueError(f"{req['method']} takes {len(param_types)} argument(s), the example gives {len(req['args'])}")
    args = [argument(t, a, objects) for t, a in zip(param_types, req["args"])]
    receiver = reference(req["self"], objects) if req.get("self") is not None else None
    try:
        result = call(receiver, args)
    except (AttributeError, TypeError) as exc:
        if isinstance(exc, wasmer.Error):  # ArgumentError is a TypeError too
            raise
        # the public form is not the one the model says
        return {"ok": False, "error": "runtime", "message": f"{req['method']}: {type(exc).__name__}: {exc}"}
    return {"ok": True, "result": encode(result_type, result)}


def reference(ref: dict[str, Any], objects: dict[str, Any]) -> Any:
    """{export: NAME} (of the example's instance) or {object: Store|Engine|Module|Instance}."""
    if "export" in ref:
        return objects["Instance"].exports[ref["export"]]
    return objects[ref["object"]]


def argument(t: str, value: Any, objects: dict[str, Any]) -> Any:
    if t in SCALARS:
        return value
    if t == "bytes":
        return bytes.fromhex(value["hex"])
    if t == "valkind":
        return wasmer._type.of_code(VALKINDS[value])  # the public Type of the spec's kind
    return None if value is None else reference(value, objects)  # a handle


def encode(t: str, value: Any) -> Any:
    if t == "void" or value is None:
        return None
    if t in ("bool", "u32", "u64", "str"):
        return value
    if t == "bytes":
        return {"hex": bytes(value).hex()}
    if t in ("valkind", "externkind"):
        names = VALKINDS if t == "valkind" else EXTERNKINDS
        if isinstance(value, str):
            return value
        code = wasmer._type.code(value) if isinstance(value, wasmer.Type) else int(value)
        return next((n for n, c in names.items() if c == code), f"<unknown {t} {value!r}>")
    if t == "compiler":
        return value if isinstance(value, str) else getattr(value, "name", repr(value))
    return {"class": t}  # a handle of that spec class

"""WASI, as wasmer-python 1.x has it: `wasi.StateBuilder(program_name)` (arguments,
environment, preopened and mapped directories, and as extras stdin bytes and
captured or inherited stdout/stderr) `.finalize()` -> `wasi.Environment`, whose
`generate_import_object(store, version)` / `generate_imports(store, version)` are
the imports of a WASI program; `wasi.get_version(module, strict)` -> `wasi.Version`.
A program's exit (proc_exit, exit(n)) raises wasmer.ExitError with `code` n.

    from wasmer import wasi, Store, Module, Instance
    store = Store()
    module = Module(store, open("program.wasm", "rb").read())
    env = wasi.StateBuilder("program").argument("--foo").capture_stdout().finalize()
    instance = Instance(module, env.generate_import_object(store, wasi.get_version(module, strict=True)))
    instance.exports._start()
    print(env.read_stdout())
"""

from __future__ import annotations

from . import Environment, StateBuilder
from ._wasi import FUNCTIONS, Version, WasiImport, get_version

__all__ = ["StateBuilder", "Environment", "Version", "get_version", "FUNCTIONS", "WasiImport"]

"""WASI support: wasmer-python 1.x's `wasmer.wasi` (StateBuilder, Environment,
Version, get_version) over the glue's WasiConfig and WasiEnv, with extras for the
standard streams (stdin bytes, inherit or capture stdout/stderr, read_stdout/err).

The glue makes a program's WASI imports for one module (its WASI version decides
which functions, and the instance made with them is that program), while
wasmer-python 1.x's `generate_import_object(store, version)` takes no module. So
each `generate_*` call starts a new program state (a glue WasiEnv in `store`) and
returns its WASI namespace as entries that Instance resolves: when it instantiates
a module, it defines that state's WASI functions for that module, then the other
imports (which may replace WASI functions by name). One state runs one instance.
"""

from __future__ import annotations

import os
from enum import IntEnum
from typing import Any, Iterable, Mapping

from . import _handles, _low, _values
from ._errors import ARGUMENT_ERROR, DEFAULT as Error
from ._instance import ImportObject


class Version(IntEnum):
    """A WASI version, as wasmer-python 1.x numbers them (LATEST is SNAPSHOT1)."""

    LATEST = 1
    SNAPSHOT0 = 2
    SNAPSHOT1 = 3


# The import namespace of each version, and the version of each glue code (Module.wasi_version).
NAMESPACES = {Version.LATEST: "wasi_snapshot_preview1", Version.SNAPSHOT0: "wasi_unstable",
              Version.SNAPSHOT1: "wasi_snapshot_preview1"}
_BY_GLUE_CODE = {1: Version.SNAPSHOT0, 2: Version.SNAPSHOT1}

# The functions of a WASI namespace (the same names in wasi_unstable and wasi_snapshot_preview1).
FUNCTIONS = (
    "args_get", "args_sizes_get", "clock_res_get", "clock_time_get", "environ_get", "environ_sizes_get",
    "fd_advise", "fd_allocate", "fd_close", "fd_datasync", "fd_fdstat_get", "fd_fdstat_set_flags",
    "fd_fdstat_set_rights", "fd_filestat_get", "fd_filestat_set_size", "fd_filestat_set_times", "fd_pread",
    "fd_prestat_dir_name", "fd_prestat_get", "fd_pwrite", "fd_read", "fd_readdir", "fd_renumber", "fd_seek",
    "fd_sync", "fd_tell", "fd_write", "path_create_directory", "path_filestat_get", "path_filestat_set_times",
    "path_link", "path_open", "path_readlink", "path_remove_directory", "path_rename", "path_symlink",
    "path_unlink_file", "poll_oneoff", "proc_exit", "proc_raise", "random_get", "sched_yield", "sock_recv",
    "sock_send", "sock_shutdown",
)


def get_version(module: Any, strict: bool = False) -> Version | None:
    """The WASI version a module imports (SNAPSHOT0 for wasi_unstable, SNAPSHOT1 for
    wasi_snapshot_preview1), None when it is not a WASI module; with `strict`, also None
    when it imports anything else than WASI."""
    code = _low.module_wasi_version(_handles.unwrap(module, "Module"), _values.as_bool(strict))
    return _BY_GLUE_CODE.get(code)


def _version(version: Any) -> Version:
    try:
        return Version(version)
    except ValueError:
        raise TypeError(f"version must be a wasmer.wasi.Version, not {version!r}") from None


def _path(path: Any, what: str) -> str:
    try:
        return os.fsdecode(os.fspath(path))
    except TypeError:
        raise TypeError(f"{what} must be a str or a path, not {type(path).__name__}") from None


# the steps giving a directory (its host path is their last argument)
_DIRECTORY_STEPS = {_low.wasi_config_preopen_directory, _low.wasi_config_map_directory,
                    _low.wasi_config_preopen_directory_read_only, _low.wasi_config_map_directory_read_only}


class StateBuilderSupport(_handles.Handle):
    """wasi.StateBuilder(program_name): what a WASI program is given, by chained calls
    (each returns the builder), then finalize() -> wasi.Environment.

    Nothing of the host is given unless asked for: no directory, no environment
    variable, an empty stdin, and stdout/stderr discarded unless captured
    (capture_stdout(), then Environment.read_stdout()) or inherited (inherit_stdout())."""

    def __init__(self, program_name: str) -> None:
        self._program = _values.as_str(program_name, "program_name")
        self._steps: list[tuple[Any, tuple[Any, ...]]] = []  # (_low function, arguments), replayed for each program state
        self._adopt(_low.wasi_config_new(self._program), None)

    def _chain(self, low: Any, *args: Any) -> Any:
        low(self._h, *args)  # checked here, where it was given
        self._steps.append((low, args))  # replayed for each program state
        return self

    def argument(self, argument: str) -> Any:
        """Appends an argument (after the program name, argv[0])."""
        return self._chain(_low.wasi_config_argument, _values.as_str(argument, "argument"))

    def arguments(self, arguments: Iterable[str]) -> Any:
        """Appends arguments."""
        for argument in arguments:
            self.argument(argument)
        return self

    def environment(self, key: str, value: str) -> Any:
        """Sets an environment variable (its name is not empty and has no '=')."""
        return self._chain(_low.wasi_config_environment, _values.as_str(key, "key"), _values.as_str(value, "value"))

    def environments(self, environments: Mapping[str, str]) -> Any:
        """Sets environment variables."""
        for key, value in dict(environments).items():
            self.environment(key, value)
        return self

    def preopen_directory(self, preopen_directory: Any) -> Any:
        """Gives the program a host directory, under the same path."""
        return self._chain(_low.wasi_config_preopen_directory, _path(preopen_directory, "preopen_directory"))

    def preopen_directories(self, preopen_directories: Iterable[Any]) -> Any:
        """Gives the program host directories, under the same paths."""
        for directory in preopen_directories:
            self.preopen_directory(directory)
        return self

    def map_directory(self, alias: str, directory: Any) -> Any:
        """Gives the program a host directory under another path (`alias`)."""
        return self._chain(_low.wasi_config_map_directory, _values.as_str(alias, "alias"), _path(directory, "directory"))

    def map_directories(self, map_directories: Mapping[str, Any]) -> Any:
        """Gives the program host directories, {alias: host directory}."""
        for alias, directory in dict(map_directories).items():
            self.map_directory(alias, directory)
        return self

    def finalize(self) -> Any:
        """The wasi.Environment of this configuration (later calls on the builder do not change it)."""
        for low, args in self._steps:  # as the glue's WasiEnv.new, but here, where wasmer-python 1.x says it
            directory = args[-1] if low in _DIRECTORY_STEPS else None
            if directory is not None and not os.path.isdir(directory):
                raise ARGUMENT_ERROR(f"{directory} is not a directory of the host: cannot give it to the program")
        env = _handles.classes["WasiEnv"].__new__(_handles.classes["WasiEnv"])
        env._program = self._program
        env._steps = list(self._steps)
        env._h = env._store = None
        return env

    def __repr__(self) -> str:
        return f"<wasmer.wasi.StateBuilder program_name={self._program!r}>"


class WasiImport:
    """An entry of the WASI namespace made by Environment.generate_import_object /
    generate_imports: Instance defines the program state's WASI function of that
    name for the module it instantiates."""

    __slots__ = ("namespace", "name", "_state")

    def __init__(self, namespace: str, name: str, state: Any) -> None:
        self.namespace = namespace
        self.name = name
        self._state = state

    def __repr__(self) -> str:
        return f"<wasmer.wasi import {self.namespace}.{self.name}>"


class _State:
    """One program state: made in its store when an Instance first uses it (libwasmer cannot
    free a WASI environment that never ran an instance: see `unused`)."""

    __slots__ = ("env", "store", "namespace", "h", "ran")

    def __init__(self, env: Any, store: Any, namespace: str) -> None:
        self.env, self.store, self.namespace, self.h, self.ran = env, store, namespace, None, False

    def make(self) -> Any:
        if self.h is None:
            config = _low.wasi_config_new(self.env._program)
            for low, args in self.env._steps:
                low(config, *args)
            self.h = _low.wasi_env_new(_handles.unwrap(self.store, "Store"), config)
            self.env._adopt(self.h, self.store)  # read_stdout / read_stderr read the last one made
        return self.h

    def unused(self) -> None:
        """After an instantiation with this state failed: the next Instance makes another (the
        glue deletes the failed one like any other)."""
        if self.h is not None and not self.ran:
            self.h = None


def define_wasi(module: Any, imports: Any, states: list[_State]) -> _State | None:
    """Instance's part: defines in the glue `imports` the WASI functions of the program state
    for `module`, when the module imports that state's namespace (else its WASI imports stay
    missing: a LinkError names them). Returns the state used, if any."""
    if len({id(s) for s in states}) > 1:
        raise Error("the imports come from two WASI environments: give one instance one program state")
    version = get_version(module, False)
    state = states[0]
    if version is None or NAMESPACES[version] != state.namespace:
        return None
    _low.wasi_env_define_imports(state.make(), _handles.unwrap(module, "Module"), imports)
    return state


class EnvironmentSupport(_handles.Handle):
    """wasi.Environment, made by StateBuilder.finalize(): generate_import_object(store, version)
    (an ImportObject) or generate_imports(store, version) (a dict) give the WASI imports of a
    new program state, for one Instance; read_stdout() / read_stderr() take what that program
    (the last one generated) wrote to a captured stream. A WASI program's exit (proc_exit,
    exit(n), n = 0 included) raises wasmer.ExitError, whose `code` is n."""

    _program: str
    _steps: list[tuple[Any, tuple[Any, ...]]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a wasi.Environment is made by wasi.StateBuilder(...).finalize()")

    def _generate(self, store: Any, version: Any) -> dict[str, WasiImport]:
        namespace = NAMESPACES[_version(version)]
        _handles.unwrap(store, "Store")
        state = _State(self, _handles.store_of(store), namespace)
        return {name: WasiImport(namespace, name, state) for name in FUNCTIONS}

    def generate_import_object(self, store: Any, version: Any) -> ImportObject:
        """The WASI imports of `version` for a new program state in `store`, as an ImportObject
        (more namespaces can be registered in it)."""
        import_object = ImportObject()
        items = self._generate(store, version)
        import_object.register(next(iter(items.values())).namespace, items)
        return import_object

    def generate_imports(self, store: Any, version: Any) -> dict[str, dict[str, Any]]:
        """The WASI imports of `version` for a new program state in `store`, as
        {namespace: {name: import}} (more namespaces can be added to it)."""
        items = self._generate(store, version)
        return {next(iter(items.values())).namespace: items}

    def _last(self) -> Any:
        if getattr(self, "_h", None) is None:
            raise Error("this WASI environment has not run a program: generate its imports and instantiate first")
        return self._h

    def read_stdout(self) -> bytes:
        """Takes what the program wrote to its captured stdout so far (StateBuilder.capture_stdout())."""
        return _low.wasi_env_read_stdout(self._last())

    def read_stderr(self) -> bytes:
        """Takes what the program wrote to its captured stderr so far (StateBuilder.capture_stderr())."""
        return _low.wasi_env_read_stderr(self._last())

    def __repr__(self) -> str:
        return f"<wasmer.wasi.Environment program_name={self._program!r}>"

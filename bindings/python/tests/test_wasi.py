"""WASI (wasmer.wasi, wasmer-python 1.x's API with stream extras) with the real programs of
conformance/wasi/*.c compiled to wasm32-wasi (build/wasi, or $WASMGEN_WASI_DIR; made by
`nox -s test-python`): arguments and environment, captured streams and exit codes,
stdin, files in mapped and preopened directories, and the sandbox. The expected
outputs are those of bindings/c/tests/test_wasi.c."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import wasmer
from wasmer import ExitError, ImportObject, Instance, LinkError, Module, Store, wasi, ArgumentError

ROOT = Path(__file__).resolve().parents[3]
WASI_DIR = Path(os.environ.get("WASMGEN_WASI_DIR", ROOT / "build" / "wasi"))


def program(name: str) -> bytes:
    path = WASI_DIR / f"{name}.wasm"
    if not path.is_file():
        pytest.fail(f"{path} is missing: `nox -s test-python` compiles conformance/wasi/*.c into {WASI_DIR}")
    return path.read_bytes()


class Run:
    def __init__(self, exit: int | None, out: bytes | None, err: bytes | None) -> None:
        self.exit, self.out, self.err = exit, out, err


def run(name: str, builder: wasi.StateBuilder, dict_form: bool = False) -> Run:
    """Runs a program's _start; exit is None when it returned, else ExitError.code."""
    store = Store()
    module = Module(store, program(name))
    version = wasi.get_version(module, strict=True)
    assert version == wasi.Version.SNAPSHOT1
    env = builder.finalize()
    imports = env.generate_imports(store, version) if dict_form else env.generate_import_object(store, version)
    instance = Instance(module, imports)
    code = None
    try:
        assert instance.exports._start() is None
    except ExitError as e:
        code = e.code
    out = env.read_stdout()
    err = env.read_stderr()
    return Run(code, out, err)


def test_version_and_get_version() -> None:
    assert [v.name for v in wasi.Version] == ["LATEST", "SNAPSHOT0", "SNAPSHOT1"]
    store = Store()
    assert wasi.get_version(Module(store, program("echo")), strict=True) == wasi.Version.SNAPSHOT1
    assert wasi.get_version(Module(store, program("echo")), strict=False) == wasi.Version.SNAPSHOT1
    assert wasi.get_version(Module(store, "(module)"), strict=False) is None
    mixed = '(module (import "wasi_unstable" "proc_exit" (func (param i32))) (import "env" "f" (func)))'
    assert wasi.get_version(Module(store, mixed), strict=False) == wasi.Version.SNAPSHOT0
    assert wasi.get_version(Module(store, mixed), strict=True) is None


def test_echo_arguments_and_environment_nothing_of_the_host() -> None:
    os.environ["WASMGEN_HOST_SECRET"] = "leak"
    r = run("echo", wasi.StateBuilder("echo").argument("a b").argument("c").environment("FOO", "bar=baz")
            .capture_stdout())
    assert r.exit is None
    assert r.out == b"arg 0: echo\narg 1: a b\narg 2: c\nenv: FOO=bar=baz\n"
    r = run("echo", wasi.StateBuilder("echo").arguments(["x"]).environments({"A": "1", "B": "2"}).capture_stdout(),
            dict_form=True)
    assert r.out == b"arg 0: echo\narg 1: x\nenv: A=1\nenv: B=2\n"


@pytest.mark.parametrize("code", [7, 0, 255])
def test_streams_captured_apart_and_exit_codes(code: int) -> None:
    r = run("streams", wasi.StateBuilder("streams").arguments(["to stdout", "to stderr", str(code)])
            .capture_stdout().capture_stderr())
    assert r.exit == code
    assert (r.out, r.err) == (b"to stdout", b"to stderr")


def test_exit_error_is_a_wasmer_error_with_the_code() -> None:
    store = Store()
    module = Module(store, program("streams"))
    env = wasi.StateBuilder("streams").arguments(["o", "e", "42"]).finalize()
    instance = Instance(module, env.generate_import_object(store, wasi.Version.LATEST))
    with pytest.raises(ExitError, match="exited with code 42") as info:
        instance.exports._start()
    assert info.value.code == 42 and isinstance(info.value, RuntimeError)


def test_streams_not_captured_are_discarded(capfd: pytest.CaptureFixture[str]) -> None:
    r = run("streams", wasi.StateBuilder("streams").arguments(["x", "y", "3"]))
    assert (r.exit, r.out, r.err) == (3, b"", b"")
    assert capfd.readouterr() == ("", "")


def test_streams_inherited(capfd: pytest.CaptureFixture[str]) -> None:
    r = run("streams", wasi.StateBuilder("streams").arguments(["to out", "to err", "0"]).inherit_stdout()
            .inherit_stderr())
    assert r.exit == 0
    assert capfd.readouterr() == ("to out", "to err")


def test_stdin_given_bytes_and_empty_otherwise() -> None:
    r = run("cat", wasi.StateBuilder("cat").stdin(b"line one\nline two\n").capture_stdout())
    assert (r.exit, r.out) == (None, b"line one\nline two\n")
    r = run("cat", wasi.StateBuilder("cat").capture_stdout())
    assert (r.exit, r.out) == (None, b"")


@pytest.fixture
def dirs(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "in" / "a.txt").write_text("contents of a\n")
    (tmp_path / "secret.txt").write_text("outside\n")
    os.symlink("../secret.txt", tmp_path / "in" / "escape")
    return tmp_path


def copy(dirs: Path, source: str, target: str) -> Run:
    builder = wasi.StateBuilder("copy").map_directories({"/in": dirs / "in"}).map_directory("/out", str(dirs / "out"))
    return run("copy", builder.arguments([source, target]).capture_stdout().capture_stderr())


def test_read_only_directories(dirs: Path) -> None:
    """Read from a read-only directory; creating or overwriting in one fails with EROFS."""
    builder = (wasi.StateBuilder("copy").map_directory_read_only("/in", str(dirs / "in"))
               .map_directory("/out", str(dirs / "out")).arguments(["/in/a.txt", "/out/b.txt"]).capture_stdout())
    assert run("copy", builder).exit is None and (dirs / "out" / "b.txt").read_text() == "contents of a\n"
    for target in ("/ro/new.txt", "/ro/a.txt"):
        builder = (wasi.StateBuilder("copy").map_directory("/in", str(dirs / "in"))
                   .map_directory_read_only("/ro", str(dirs / "in")).arguments(["/in/a.txt", target]).capture_stderr())
        r = run("copy", builder)
        assert (r.exit, r.err) == (1, f"cannot create {target}: Read-only file system\n".encode())
    d = str(dirs / "out")
    r = run("copy", wasi.StateBuilder("copy").preopen_directory_read_only(d).arguments([f"{d}/b.txt", f"{d}/c.txt"])
            .capture_stderr())
    assert (r.exit, r.err) == (1, f"cannot create {d}/c.txt: Read-only file system\n".encode())
    assert sorted(p.name for p in (dirs / "in").iterdir()) == ["a.txt", "escape"]
    assert (dirs / "in" / "a.txt").read_text() == "contents of a\n" and not (dirs / "out" / "c.txt").exists()


def test_copy_between_mapped_directories(dirs: Path) -> None:
    r = copy(dirs, "/in/a.txt", "/out/b.txt")
    assert (r.exit, r.out, r.err) == (None, b"copied /in/a.txt to /out/b.txt\n", b"")
    assert (dirs / "out" / "b.txt").read_text() == "contents of a\n"


@pytest.mark.parametrize("source,target", [
    ("/in/../secret.txt", "/out/c.txt"),  # `..` out of the mapped directory
    ("/in/escape", "/out/d.txt"),         # a symlink out of it
    ("/etc/passwd", "/out/e.txt"),        # an absolute path of the host
    ("/in/a.txt", "/elsewhere.txt"),      # a directory it was not given
])
def test_sandbox_refuses(dirs: Path, source: str, target: str) -> None:
    r = copy(dirs, source, target)
    assert r.exit == 1 and r.err is not None and r.err.startswith(b"cannot "), r.err
    assert r.out == b""
    assert sorted(p.name for p in (dirs / "out").iterdir()) == []
    assert not (dirs / "elsewhere.txt").exists()


def test_preopened_directory_keeps_its_host_path(dirs: Path) -> None:
    d = str(dirs / "in")
    r = run("copy", wasi.StateBuilder("copy").preopen_directory(d).arguments([f"{d}/a.txt", f"{d}/f.txt"])
            .capture_stdout())
    assert r.exit is None and r.out == f"copied {d}/a.txt to {d}/f.txt\n".encode()
    assert (dirs / "in" / "f.txt").read_text() == "contents of a\n"
    r = run("copy", wasi.StateBuilder("copy").preopen_directories([d]).arguments([f"{dirs}/secret.txt", f"{d}/g.txt"])
            .capture_stderr())
    assert r.exit == 1 and r.err.startswith(b"cannot open")


def test_nothing_given_nothing_reachable(dirs: Path) -> None:
    r = run("copy", wasi.StateBuilder("copy").arguments([str(dirs / "in" / "a.txt"), "/tmp/x"]).capture_stderr())
    assert r.exit == 1 and r.err.startswith(b"cannot open")


def test_a_missing_directory_is_an_argument_error() -> None:
    builder = wasi.StateBuilder("echo").preopen_directory("/no/such/dir")
    with pytest.raises(ArgumentError, match="/no/such/dir is not a directory"):
        builder.finalize()
    with pytest.raises(ArgumentError, match="/no/such/file is not a directory"):
        wasi.StateBuilder("echo").map_directory("/x", "/no/such/file").finalize()


def test_bad_environment_name_refused_where_given() -> None:
    with pytest.raises(ArgumentError):
        wasi.StateBuilder("x").environment("A=B", "c")


def test_builder_and_environment_shapes() -> None:
    builder = wasi.StateBuilder("test-program").argument("--foo").environments({"ABC": "DEF", "X": "YZ"}) \
        .map_directory("the_host_current_dir", ".")
    assert isinstance(builder, wasi.StateBuilder)
    env = builder.finalize()
    assert isinstance(env, wasi.Environment)
    with pytest.raises(TypeError):
        wasi.Environment()
    with pytest.raises(Exception, match="has not run"):
        env.read_stdout()
    store = Store()
    assert isinstance(env.generate_import_object(store, wasi.Version.LATEST), ImportObject)
    imports = env.generate_imports(store, wasi.Version.SNAPSHOT0)
    assert list(imports) == ["wasi_unstable"] and sorted(imports["wasi_unstable"]) == sorted(wasi.FUNCTIONS)
    assert len(wasi.FUNCTIONS) == 45
    assert all(isinstance(v, wasi.WasiImport) for v in imports["wasi_unstable"].values())
    assert wasmer.StateBuilder is wasi.StateBuilder and wasmer.Environment is wasi.Environment


def test_version_mismatch_is_a_link_error() -> None:
    store = Store()
    module = Module(store, program("echo"))
    env = wasi.StateBuilder("echo").finalize()
    with pytest.raises(LinkError, match="wasi_snapshot_preview1"):
        Instance(module, env.generate_import_object(store, wasi.Version.SNAPSHOT0))


def test_more_namespaces_next_to_wasi() -> None:
    store = Store()
    wat = """(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (import "env" "code" (func $code (result i32)))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (call $code))))"""
    module = Module(store, wat)
    env = wasi.StateBuilder("p").finalize()
    import_object = env.generate_import_object(store, wasi.Version.LATEST)
    def code() -> int:
        return 9

    import_object.register("env", {"code": code})
    with pytest.raises(ExitError) as info:
        Instance(module, import_object).exports._start()
    assert info.value.code == 9


def test_a_failed_instantiation_leaves_the_state_usable() -> None:
    store = Store()
    wat = """(module
      (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
      (import "env" "missing" (func))
      (memory (export "memory") 1)
      (func (export "_start") (call $exit (i32.const 5))))"""
    module = Module(store, wat)
    env = wasi.StateBuilder("p").finalize()
    imports = env.generate_imports(store, wasi.Version.LATEST)
    with pytest.raises(LinkError, match="missing"):
        Instance(module, imports)

    def missing() -> None:
        pass

    imports["env"] = {"missing": missing}
    with pytest.raises(ExitError) as info:
        Instance(module, imports).exports._start()
    assert info.value.code == 5


def test_one_program_state_per_instance() -> None:
    store = Store()
    module = Module(store, program("echo"))
    env = wasi.StateBuilder("echo").capture_stdout().finalize()
    imports = env.generate_import_object(store, wasi.Version.LATEST)
    Instance(module, imports)
    with pytest.raises(LinkError, match="one per instance"):
        Instance(module, imports)
    instance = Instance(module, env.generate_import_object(store, wasi.Version.LATEST))  # a new state: fine
    instance.exports._start()
    assert env.read_stdout() == b"arg 0: echo\n"


INHERIT_STDIN = """
import sys
from wasmer import wasi, Store, Module, Instance
store = Store()
module = Module(store, open(sys.argv[1], "rb").read())
builder = wasi.StateBuilder("cat").capture_stdout()
if sys.argv[2] == "inherit":
    builder.inherit_stdin()
env = builder.finalize()
Instance(module, env.generate_import_object(store, wasi.Version.LATEST)).exports._start()
sys.stdout.buffer.write(b"[" + env.read_stdout() + b"]")
"""


@pytest.mark.parametrize("mode,expected", [("inherit", b"[from the host\n]"), ("default", b"[]")])
def test_host_stdin_only_when_inherited(mode: str, expected: bytes) -> None:
    program("cat")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "bindings" / "python")}
    done = subprocess.run([sys.executable, "-c", INHERIT_STDIN, str(WASI_DIR / "cat.wasm"), mode],
                          input=b"from the host\n", capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == expected

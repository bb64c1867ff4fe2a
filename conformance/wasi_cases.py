"""WASI conformance cases: real programs (conformance/wasi/*.c compiled to wasm32-wasi into
build/wasi/ by ci/langs `wasi_programs`) run through each driver's `wasi` request
(conformance/protocol.md), their exit code, captured streams and files checked exactly.

Data only; the logic is :func:`conformance.runner.run_wasi_cases`. Every case runs in a
fresh temporary directory laid out as :data:`FIXTURE` (plus the symlinks of
:data:`SYMLINKS`); ``{tmp}`` in an argument, a directory, an expected output or a
symlink target stands for that directory. After the run the runner compares the whole
directory with :data:`FIXTURE` updated by the case's ``files`` (so nothing else was
created, changed or removed), and, in the matrix, every result with the C reference's.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Every case's directory before it runs: relative path -> contents ("in"/"out" are directories).
FIXTURE: dict[str, bytes] = {
    "in/a.txt": b"contents of a\n",
    "in/bin.dat": bytes(range(256)) * 24 + b"\x00\xff",  # binary, more than copy's 4096-byte buffer
    "secret.txt": b"outside\n",
}
DIRECTORIES: tuple[str, ...] = ("in", "out")
#: Symlinks (relative path -> target) made in every case's directory: ways out of in/.
SYMLINKS: dict[str, str] = {
    "in/escape": "../secret.txt",      # relative, out of the directory
    "in/abs": "{tmp}/secret.txt",      # absolute, to a host file
}

MAPPED: tuple[tuple[str, str], ...] = (("/in", "{tmp}/in"), ("/out", "{tmp}/out"))
BOTH: tuple[str, ...] = ("stdout", "stderr")


@dataclass(frozen=True)
class Prefix:
    """An expected output that must start with these bytes (the rest, e.g. the libc's
    strerror text, is held to the C reference in the matrix)."""

    data: bytes


Expected = bytes | Prefix | None  # None: not captured (the driver answers null)


@dataclass(frozen=True)
class WasiCase:
    name: str
    program: str  # build/wasi/<program>.wasm
    doc: str
    args: tuple[str, ...] = ()
    env: tuple[tuple[str, str], ...] = ()  # in this order
    stdin: bytes | None = None  # None: no stdin given (the program reads end of file)
    preopens: tuple[str, ...] = ()  # host directories given under their own path
    maps: tuple[tuple[str, str], ...] = ()  # (alias, host directory)
    capture: tuple[str, ...] = BOTH  # which of stdout/stderr are captured
    argv0: str | None = None  # the program name given (default: `program`)
    # expected
    error: str | None = None  # the request's error kind (then no exit and no streams)
    exit: int | None = None  # None: _start returned; n: an ExitError with code n (exit(n))
    stdout: Expected = b""
    stderr: Expected = b""
    files: tuple[tuple[str, bytes | str], ...] = ()  # what the run creates: (relative path, contents or "<dir>")


#: wasi-libc's strerror of WASI's errno `notcapable` (76): the path is outside what was given.
NOTCAPABLE = "Capabilities insufficient"
#: ... and of `perm` (63): creating a file where no directory was given.
PERM = "Operation not permitted"


def refused(source: str, target: str, what: str, reason: str, **kw: object) -> dict[str, object]:
    """A copy that the sandbox must refuse: exit 1, nothing on stdout, why on stderr, no file."""
    path = source if what == "open" else target
    return dict(args=(source, target), exit=1, stdout=b"", stderr=f"cannot {what} {path}: {reason}\n".encode(), **kw)


WASI_CASES: tuple[WasiCase, ...] = (
    # echo: arguments and environment arrive exactly; nothing of the host's
    WasiCase("echo_args_env", "echo", "arguments (with spaces, empty, non-ASCII) and environment, in order",
             args=("a b", "", "c=d", "h\u00e9 \u20ac"), env=(("FOO", "bar=baz"), ("EMPTY", ""), ("UNI", "\u00fc")),
             stdout="arg 0: echo\narg 1: a b\narg 2: \narg 3: c=d\narg 4: h\u00e9 \u20ac\n"
                    "env: FOO=bar=baz\nenv: EMPTY=\nenv: UNI=\u00fc\n".encode()),
    WasiCase("echo_nothing_inherited", "echo", "no argument and no variable given: none seen (not the host's)",
             stdout=b"arg 0: echo\n"),
    WasiCase("echo_program_name", "echo", "argv[0] is the configured program name, not the file's",
             argv0="my program", args=("x",), stdout=b"arg 0: my program\narg 1: x\n"),
    # streams: stdout and stderr captured apart; exit codes
    *(WasiCase(f"streams_exit_{code}", "streams", f"exit({code}) is an exit carrying {code}; both streams captured",
               args=("to stdout", f"to stderr {code}", str(code)), exit=code,
               stdout=b"to stdout", stderr=f"to stderr {code}".encode())
      for code in (0, 1, 7, 255)),
    WasiCase("streams_stdout_only", "streams", "only stdout captured: stderr discarded, not read",
             args=("out\nlines\n", "err", "3"), capture=("stdout",), exit=3, stdout=b"out\nlines\n", stderr=None),
    WasiCase("streams_stderr_only", "streams", "only stderr captured",
             args=("out", "err\n", "4"), capture=("stderr",), exit=4, stdout=None, stderr=b"err\n"),
    WasiCase("streams_discarded", "streams", "nothing captured or inherited: discarded (a leak would "
             "corrupt the driver's protocol stream)", args=("x", "y", "5"), capture=(), exit=5,
             stdout=None, stderr=None),
    # cat: stdin bytes in, the same bytes out
    WasiCase("cat_text", "cat", "stdin bytes come out on stdout", stdin=b"line one\nline two\n",
             stdout=b"line one\nline two\n"),
    WasiCase("cat_empty", "cat", "empty stdin given: empty output", stdin=b"", stdout=b""),
    WasiCase("cat_no_stdin", "cat", "no stdin given: end of file at once (not the host's stdin, which "
             "is the driver's protocol stream)", stdout=b""),
    WasiCase("cat_binary", "cat", "every byte value, more than one read buffer",
             stdin=bytes(range(256)) * 20 + b"\x00", stdout=bytes(range(256)) * 20 + b"\x00"),
    # copy: files between two directories given to the program
    WasiCase("copy_mapped", "copy", "a file copied between two mapped directories",
             maps=MAPPED, args=("/in/a.txt", "/out/b.txt"), stdout=b"copied /in/a.txt to /out/b.txt\n",
             files=(("out/b.txt", b"contents of a\n"),)),
    WasiCase("copy_mapped_binary", "copy", "binary bytes copied exactly",
             maps=MAPPED, args=("/in/bin.dat", "/out/bin.dat"), stdout=b"copied /in/bin.dat to /out/bin.dat\n",
             files=(("out/bin.dat", FIXTURE["in/bin.dat"]),)),
    WasiCase("copy_preopened", "copy", "preopened directories keep their host paths",
             preopens=("{tmp}/in", "{tmp}/out"), args=("{tmp}/in/a.txt", "{tmp}/out/b.txt"),
             stdout=b"copied {tmp}/in/a.txt to {tmp}/out/b.txt\n", files=(("out/b.txt", b"contents of a\n"),)),
    # the sandbox: only what was given
    WasiCase("sandbox_dotdot", "copy", "`..` out of a mapped directory is refused",
             **refused("/in/../secret.txt", "/out/c.txt", "open", NOTCAPABLE, maps=MAPPED)),
    WasiCase("sandbox_symlink", "copy", "a relative symlink out of a mapped directory is refused",
             **refused("/in/escape", "/out/c.txt", "open", NOTCAPABLE, maps=MAPPED)),
    WasiCase("sandbox_absolute_symlink", "copy", "an absolute symlink to a host file is refused",
             **refused("/in/abs", "/out/c.txt", "open", NOTCAPABLE, maps=MAPPED)),
    WasiCase("sandbox_absolute", "copy", "an absolute host path not given is refused",
             **refused("/etc/passwd", "/out/c.txt", "open", NOTCAPABLE, maps=MAPPED)),
    WasiCase("sandbox_host_path", "copy", "the host path of a mapped directory is not given",
             **refused("{tmp}/in/a.txt", "/out/c.txt", "open", NOTCAPABLE, maps=MAPPED)),
    WasiCase("sandbox_create_outside", "copy", "no file is created outside the directories given",
             **refused("/in/a.txt", "/elsewhere.txt", "create", PERM, maps=MAPPED)),
    WasiCase("sandbox_preopen_dotdot", "copy", "`..` out of a preopened directory is refused",
             **refused("{tmp}/in/../secret.txt", "{tmp}/out/c.txt", "open", NOTCAPABLE,
                       preopens=("{tmp}/in", "{tmp}/out"))),
    WasiCase("sandbox_nothing_given", "copy", "no directory given: no file reachable",
             **refused("{tmp}/in/a.txt", "{tmp}/out/c.txt", "open", NOTCAPABLE)),
    # mutate (conformance/wasi/mutate.c): one line per operation, "ok" or why not
    WasiCase("mutate_inside", "mutate", "creating, renaming, appending, removing inside a mapped directory work",
             maps=MAPPED, args=("write", "/out/new.txt", "mkdir", "/out/d", "rename", "/out/new.txt", "/out/d/moved.txt",
                                "append", "/out/d/moved.txt", "read", "/out/d/moved.txt", "mkdir", "/out/empty",
                                "rmdir", "/out/empty", "write", "/out/gone", "rm", "/out/gone",
                                "touch", "/out/d/moved.txt"),
             stdout=b"write /out/new.txt: ok\nmkdir /out/d: ok\nrename /out/new.txt: ok\n"
                    b"append /out/d/moved.txt: ok\nread /out/d/moved.txt: ok\nmkdir /out/empty: ok\n"
                    b"rmdir /out/empty: ok\nwrite /out/gone: ok\nrm /out/gone: ok\ntouch /out/d/moved.txt: ok\n",
             files=(("out/d", "<dir>"), ("out/d/moved.txt", b"written\nwritten\n"))),
    WasiCase("sandbox_mutations", "mutate", "no change out of the mapped directories: by `..`, through a "
             "symlink, at the virtual root; the directories given are the only ones",
             maps=MAPPED, args=("mkdir", "/in/../made", "rename", "/in/a.txt", "/in/../moved.txt",
                                "link", "/in/a.txt", "/in/../linked.txt", "rm", "/in/../secret.txt", "rm", "/in/escape/",
                                "write", "/in/../secret.txt", "write", "/in/escape", "append", "/in/abs",
                                "truncate", "/in/escape", "touch", "/in/abs", "root", "/x.txt", "mkdir", "/new", "dirs"),
             stdout=f"mkdir /in/../made: Permission denied\nrename /in/a.txt: {NOTCAPABLE}\n"
                    f"link /in/a.txt: Invalid argument\nrm /in/../secret.txt: {NOTCAPABLE}\n"
                    f"rm /in/escape/: {NOTCAPABLE}\nwrite /in/../secret.txt: {PERM}\n"
                    f"write /in/escape: {NOTCAPABLE}\nappend /in/abs: {NOTCAPABLE}\n"
                    f"truncate /in/escape: {NOTCAPABLE}\ntouch /in/abs: {NOTCAPABLE}\n"
                    f"root /x.txt: {PERM}\nmkdir /new: Permission denied\n3 /\n4 in\n5 out\n".encode()),
    WasiCase("missing_directory", "echo", "a directory that does not exist is an argument error",
             preopens=("{tmp}/no-such-dir",), error="argument"),
    WasiCase("missing_mapped_directory", "echo", "... mapped too", maps=(("/x", "{tmp}/in/a.txt"),),
             error="argument"),
)

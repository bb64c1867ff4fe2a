"""Seed conformance cases: the smallest end-to-end checks every binding must pass.

Each case instantiates one seed module (``conformance/wat/<module>.wat``,
compiled by :func:`conformance.runner.build_seeds`) and runs its steps in
order against that instance. Values use the protocol's wire encoding (see
``protocol.md``): i32 ``"3"`` is ``Value("i32", "3")``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Value:
    """A typed value in wast2json encoding (unsigned decimal of the bits)."""

    type: str
    value: str

    def to_json(self) -> dict[str, str]:
        return {"type": self.type, "value": self.value}


@dataclass(frozen=True)
class Invoke:
    """Call an export of the case's instance; compare the results bit-exactly.

    ``save_as`` stores the first result's integer value under a name that a
    later step can use (e.g. a pointer for :class:`ReadCString`).
    """

    field: str
    args: tuple[Value, ...] = ()
    expect: tuple[Value, ...] | None = None
    save_as: str | None = None


@dataclass(frozen=True)
class ReadCString:
    """Read a NUL-terminated UTF-8 string from an exported memory.

    ``offset`` is a byte offset, or the name of a value saved by an earlier step.
    """

    memory: str
    offset: int | str
    expect: str


Step = Invoke | ReadCString


@dataclass(frozen=True)
class SeedCase:
    name: str
    module: str  # seed module name: a file conformance/wat/<module>.wat
    steps: tuple[Step, ...]
    doc: str = ""


def i32(n: int) -> Value:
    return Value("i32", str(n & 0xFFFF_FFFF))


SEED_CASES: tuple[SeedCase, ...] = (
    SeedCase(
        name="sum",
        module="simple",
        doc="call an exported wasm function",
        steps=(Invoke("sum", (i32(1), i32(2)), expect=(i32(3),)),),
    ),
    SeedCase(
        name="add1",
        module="import",
        doc="a wasm function calling the host import env.sum written in the driver's language",
        steps=(Invoke("add1", (i32(1), i32(2)), expect=(i32(4),)),),
    ),
    SeedCase(
        name="return_hello",
        module="memory",
        doc="read a C string out of an exported memory through the memory API",
        steps=(
            Invoke("return_hello", (), save_as="ptr"),
            ReadCString("memory", "ptr", expect="Hello, World!"),
        ),
    ),
)

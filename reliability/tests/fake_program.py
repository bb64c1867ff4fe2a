"""A stand-in reliability program for the runner's tests (see reliability/PROTOCOL.md).

FAKE_RELIABILITY selects misbehaviour: `crash_mutant=N` (SIGSEGV on mutant N),
`wrong=CHECK` (one wrong case in CHECK), `crash=CHECK` (abort after one line),
`rss=KIB` (the cycles growth), `stray=CHECK` (a non-JSON line on stdout).
"""

import json
import os
import signal
import sys

MODES = dict(t.partition("=")[::2] for t in filter(None, os.environ.get("FAKE_RELIABILITY", "").split(",")))


def say(**line):
    print(json.dumps(line), flush=True)


def main() -> int:
    check, args = sys.argv[1], sys.argv[2:]
    inputs = os.environ["WASMGEN_RELIABILITY_DIR"]
    if check == "mutants":
        for n in range(int(args[0]), int(args[1])):
            assert os.path.exists(os.path.join(inputs, "mutants", f"{n:06d}.wasm"))
            if MODES.get("crash_mutant") == str(n):
                os.kill(os.getpid(), signal.SIGSEGV)
            say(case="mutants/module", index=n, outcome="typed" if n % 2 else "ok", detail="")
        return 0
    say(case=f"{check}/first", outcome="ok", detail="", **({"rss_kib": int(MODES.get("rss", "100")), "inputs": 10}
                                                         if check in ("cycles", "compile") else {}))
    if MODES.get("crash") == check:
        os.abort()
    if MODES.get("wrong") == check:
        say(case=f"{check}/second", outcome="wrong", detail="returned 0")
    else:
        say(case=f"{check}/second", outcome="typed", detail="Trap: unreachable")
    if check == "threads":
        say(case="threads/skipped", outcome="skip", detail="no threads here")
    if MODES.get("stray") == check:
        print("hello", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

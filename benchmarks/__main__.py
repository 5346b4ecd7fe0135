"""`python -m benchmarks [--full] [--db sqlite|postgresql]`: every scenario, then one table.

This is what `make bench` runs: every benchmark in turn in quick mode (`--full` for the sizes
of the scenarios' definitions), each one's own tables as it goes, and at the end every RESULT
line in one table. Each script still runs alone with the same options. The exit status is
non-zero when any scenario missed its target or a script failed to run.
"""

from __future__ import annotations

import asyncio
import io
import sys
import traceback
from collections.abc import Callable, Coroutine, Sequence
from typing import Any, TextIO

from benchmarks import (
    assignment,
    delivery,
    fanout,
    faults,
    inbox,
    ingest,
    processes,
    reports,
    restart,
    s7e,
    search,
    soak,
    states,
)

SCRIPTS: tuple[tuple[str, Callable[[Sequence[str] | None], Coroutine[Any, Any, bool]]], ...] = (
    ("delivery", delivery.run),
    ("fanout", fanout.run),
    ("states", states.run),
    ("assignment", assignment.run),
    ("inbox", inbox.run),
    ("search", search.run),
    ("ingest", ingest.run),
    ("faults", faults.run),
    ("reports", reports.run),
    ("s7e", s7e.run),
    ("restart", restart.run),
    ("soak", soak.run),
    ("processes", processes.run),
)
# Scripts that run on PostgreSQL alone (several app processes need it, and Redis).
POSTGRESQL_ONLY = frozenset({"processes"})


class Tee(io.TextIOBase):
    """Passes everything through to the terminal and keeps the RESULT lines."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.results: list[str] = []
        self._partial = ""

    def write(self, text: str) -> int:
        self.out.write(text)
        lines = (self._partial + text).split("\n")
        self._partial = lines.pop()
        self.results.extend(line for line in lines if line.startswith("RESULT "))
        return len(text)

    def flush(self) -> None:
        self.out.flush()


def table(rows: Sequence[tuple[str, str]]) -> str:
    """One row per RESULT line: script, scenario, pass, then its figures."""
    parsed = []
    for script, line in rows:
        words = line.split()
        scenario = words[1] if len(words) > 1 else "?"
        passed = next((w.split("=", 1)[1] for w in words if w.startswith("pass=")), "?")
        figures = " ".join(w for w in words[2:] if not w.startswith("pass="))
        parsed.append((scenario, script, passed, figures))
    header = ("scenario", "script", "pass", "figures")
    widths = [max(len(r[i]) for r in (header, *parsed)) for i in range(3)]
    out = []
    for row in (header, tuple("-" * w for w in (*widths, 7)), *parsed):
        out.append(
            "  ".join(c.ljust(w) for c, w in zip(row[:3], widths, strict=True)) + "  " + row[3]
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    full = "--full" in args
    args = [a for a in args if a != "--full"]
    if not full and "--quick" not in args:
        args.append("--quick")
    tee = Tee(sys.stdout)
    rows: list[tuple[str, str]] = []
    failed: list[str] = []
    real_stdout = sys.stdout
    sys.stdout = tee
    try:
        sqlite = "postgresql" not in args
        for name, run in SCRIPTS:
            if sqlite and name in POSTGRESQL_ONLY:
                print(f"\n=== benchmarks.{name}: PostgreSQL only, left out of a SQLite run")
                continue
            print(f"\n=== benchmarks.{name} {' '.join(args)}".rstrip())
            before = len(tee.results)
            try:
                ok: bool = asyncio.run(run(args))
            except (Exception, SystemExit):  # one script's failure must not hide the others
                traceback.print_exc(file=real_stdout)
                ok = False
                tee.results.append(f"RESULT {name} error=did-not-finish pass=false")
            rows.extend((name, line) for line in tee.results[before:])
            if not ok:
                failed.append(name)
    finally:
        sys.stdout = real_stdout
    print(f"\nEvery RESULT ({'full' if full else 'quick'} sizes, {' '.join(args)}):")
    print(table(rows))
    print(f"\nbenchmarks missing a target: {', '.join(failed)}" if failed else "\nall targets met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

"""`python -m benchmarks [--quick] [--db sqlite|postgresql]`: every benchmark in turn.

This is what `make bench` runs. Each script still runs alone with the same options; the exit
status is non-zero when any scenario missed its target.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence

from benchmarks import assignment, delivery, fanout, faults, ingest, reports, s7e

SCRIPTS: tuple[tuple[str, Callable[[Sequence[str] | None], Awaitable[bool]]], ...] = (
    ("delivery", delivery.run),
    ("fanout", fanout.run),
    ("assignment", assignment.run),
    ("ingest", ingest.run),
    ("faults", faults.run),
    ("reports", reports.run),
    ("s7e", s7e.run),
)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    failed = []
    for name, run in SCRIPTS:
        print(f"\n=== benchmarks.{name} {' '.join(args)}".rstrip())
        if not asyncio.run(run(args)):
            failed.append(name)
    print(f"\nbenchmarks missing a target: {', '.join(failed)}" if failed else "\nall targets met")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

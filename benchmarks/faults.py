"""Fault runs F1, F2 and F3 at full length: `python -m benchmarks.faults [--quick] [--db ...]`.

- F1: two app processes under webhook load, one killed with SIGKILL mid-load; what it did not
  acknowledge is redelivered, and a worker started after the leases expire finishes its jobs.
- F2: a private Redis killed for 60 s (5 s with `--quick`) under two app processes with an
  agent socket each; webhooks must stay 2xx and the sockets catch up when Redis returns.
- F3: a private PostgreSQL cluster stopped for 20 s (3 s with `--quick`) and started again
  under load (always PostgreSQL, whatever `--db` says: it is PostgreSQL's fault).

Pass rule for each: every acknowledged inbound message stored exactly once, every stored
message on every subscribed socket exactly once, every outbound send at the provider once.
The scenarios are the fault tests' own (`tests/faults/scenarios.py`), run longer.
Prints one `RESULT F<n> ... pass=<true|false>` line per fault; JSON goes to
`benchmarks/results/F<n>-<db>.json`.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

from benchmarks.common import (
    Workdir,
    _pg_admin,
    migrate,
    new_secret,
    options,
    result_line,
    write_json,
)
from frontdesk.db.engine import Database, create_database
from frontdesk.db.migrate import upgrade_async
from frontdesk.settings import Settings
from tests.faults.harness import PgCluster
from tests.faults.scenarios import Outcome, killed_app, postgres_restart, redis_outage
from tests.faults.stage import Stage, stage

PG_DATABASE = "frontdesk_bench_faults"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"


def _settings(url: str, path: Path) -> Settings:
    return Settings(
        env="development",
        data_dir=path / "data",
        database_url=url,
        secret_key=new_secret(),
        run_jobs_in_server=False,
    )


@contextlib.asynccontextmanager
async def fresh(kind: str) -> AsyncIterator[Stage]:
    """A migrated, empty database (a temporary SQLite file, or its own PostgreSQL database)
    with the fault tests' world on it."""
    path = Path(tempfile.mkdtemp(prefix="frontdesk-faults-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{path / 'faults.db'}"
    else:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = PG_URL
    migrate(Workdir(path=path, database=kind, url=url))
    database = create_database(url)
    try:
        async with stage(_settings(url, path), database) as world:
            yield world
    finally:
        await database.dispose()
        if kind == "postgresql":
            with contextlib.suppress(Exception):
                await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


@contextlib.asynccontextmanager
async def private_cluster() -> AsyncIterator[tuple[Stage, PgCluster]]:
    cluster = PgCluster()
    await asyncio.to_thread(cluster.init)
    await asyncio.to_thread(cluster.start)
    database: Database | None = None
    try:
        await upgrade_async(cluster.url)
        database = create_database(cluster.url)
        scratch = Path(tempfile.mkdtemp(prefix="frontdesk-faults-"))
        try:
            async with stage(_settings(cluster.url, scratch), database) as world:
                yield world, cluster
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    finally:
        if database is not None:
            await database.dispose()
        await asyncio.to_thread(cluster.remove)


async def _f1(kind: str, quick: bool) -> Outcome:
    async with fresh(kind) as world:
        size = 20 if quick else 300
        return await killed_app(world, acks_before=size, acks_after=size)


async def _f2(kind: str, quick: bool) -> Outcome:
    async with fresh(kind) as world:
        return await redis_outage(world, outage=5.0 if quick else 60.0, catch_up=60)


async def _f3(_kind: str, quick: bool) -> Outcome:
    async with private_cluster() as (world, cluster):
        return await postgres_restart(world, cluster, down=3.0 if quick else 20.0)


RUNS: tuple[tuple[str, Callable[[str, bool], Awaitable[Outcome]], dict[str, object]], ...] = (
    ("F1", _f1, {"missing": 0, "duplicates": 0, "jobs_left": 0, "one_send_per_message": True}),
    ("F2", _f2, {"webhooks_during_outage": "all 2xx", "socket_missing": 0, "duplicates": 0}),
    ("F3", _f3, {"2xx_while_down": 0, "recovery_s": "<= 10", "missing": 0, "duplicates": 0}),
)


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "fault runs", argv)
    passed = True
    for fault, scenario, targets in RUNS:
        started = time.monotonic()
        try:
            outcome = await scenario(args.db, args.quick)
        except Exception as exc:  # a fault run that breaks is a failed run, not a crash
            outcome = Outcome(fault, problems=[f"{type(exc).__name__}: {exc}"])
        seconds = round(time.monotonic() - started, 1)
        database = "postgresql" if fault == "F3" else args.db
        print(f"\n{fault} ({database}, {seconds} s)")
        for key, value in outcome.figures.items():
            print(f"  {key:32} {value}")
        for problem in outcome.problems:
            print(f"  PROBLEM: {problem}")
        write_json(
            fault,
            database=database,
            broker="redis" if fault == "F2" else "inprocess",
            quick=args.quick,
            references={},
            figures={**outcome.figures, "seconds": seconds},
            targets=targets,
            passed=outcome.passed,
            notes=outcome.problems,
        )
        flat = {k: v for k, v in outcome.figures.items() if isinstance(v, int | float | str | None)}
        print(result_line(fault, {"db": database, **flat}, outcome.passed))
        passed = passed and outcome.passed
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run()) else 1)


if __name__ == "__main__":
    main()

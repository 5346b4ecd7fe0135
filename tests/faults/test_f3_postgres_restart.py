"""F3: PostgreSQL restarted under load. While it is down the webhook never answers 2xx (Meta
keeps the message and retries); within seconds of its return it acknowledges again, and the
redeliveries, and repeats of what was acknowledged, are stored exactly once.

A cluster of the test's own (initdb into a temporary directory, a free port), so stopping it
disturbs nobody else. PostgreSQL run only."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from frontdesk.db.engine import create_database
from frontdesk.db.migrate import upgrade_async
from frontdesk.settings import Settings
from tests.faults.harness import PgCluster
from tests.faults.scenarios import postgres_restart
from tests.faults.stage import stage


@pytest.fixture
async def cluster() -> AsyncIterator[PgCluster]:
    private = PgCluster()
    await asyncio.to_thread(private.init)
    await asyncio.to_thread(private.start)
    try:
        await upgrade_async(private.url)
        yield private
    finally:
        await asyncio.to_thread(private.remove)


async def test_webhooks_fail_while_postgresql_restarts_and_nothing_is_stored_twice(
    cluster: PgCluster, tmp_path: Path
) -> None:
    settings = Settings(
        env="test",
        data_dir=tmp_path / "data",
        database_url=cluster.url,
        secret_key="fault-secret-key-" + "x" * 32,
        run_jobs_in_server=False,
    )
    database = create_database(cluster.url)
    try:
        async with stage(settings, database) as world:
            outcome = await postgres_restart(world, cluster, down=1.5, acks=5)
    finally:
        await database.dispose()
    print(outcome.figures)
    assert outcome.problems == [], outcome.figures

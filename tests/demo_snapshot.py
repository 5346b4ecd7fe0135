"""The demo, played once per test session and put back in a moment for each test that starts
from it.

Playing the demo runs every conversation of its history through the product's actions, which
takes seconds; several tests need it only as their starting point (the fake providers it
connects, the journeys that sign in to it). `demo_snapshot` plays it once, through `load_demo`,
and keeps every row it wrote; `play_demo` writes those rows back into a test's clean database.
The rows are those `load_demo` writes for the same clock and the same settings, so the test
starts from exactly the state the demo leaves; a test whose clock reads another time gets a real
`load_demo`. `tests/cli/test_demo.py` plays the demo itself on each database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select, text

from frontdesk.core.clock import FrozenClock
from frontdesk.core.mail import LogMailer
from frontdesk.core.models import metadata
from frontdesk.core.runtime import Runtime
from frontdesk.db.engine import Database
from frontdesk.demo import DemoResult, load_demo
from frontdesk.demo.loader import VOLUME_VARIABLE
from frontdesk.settings import Settings
from frontdesk.wiring import build_runtime

# Tables whose integer key comes from a sequence on PostgreSQL: set past the restored rows.
_SEQUENCED = ("event_log", "job")
# Rows that point at event numbers: the demo's rows can be put back only beside none of them.
_CURSORS = ("report_cursor", "report_fact", "sla_cursor")
# Rows the database's own triggers write from other rows (the search index): putting back the
# rows they come from writes them again.
_DERIVED = ("search_document",)


# The share of the demo played by a journey that sets up what it checks itself: it needs the demo's
# organisation, people and numbers (the same at any share), not the weeks of history.
SETTING_ONLY_VOLUME = "0.05"


@dataclass(frozen=True)
class DemoSnapshot:
    now: datetime
    rows: dict[str, list[dict[str, Any]]]
    # What `load_demo` answered when it played the demo (the summary it prints).
    result: DemoResult


async def take_demo_snapshot(database: Database, settings: Settings) -> DemoSnapshot:
    from tests.conftest import _truncate

    await _truncate(database)
    clock = FrozenClock()

    async def publish(events: object) -> None:
        return None

    runtime = build_runtime(
        settings, database=database, clock=clock, mailer=LogMailer(), publisher=publish
    )
    result = await load_demo(runtime)
    assert result.created, result.reason
    rows: dict[str, list[dict[str, Any]]] = {}
    async with database.writer.connect() as conn:
        for table in metadata.sorted_tables:
            found = await conn.execute(select(table))
            rows[table.name] = [dict(row._mapping) for row in found]
    await _truncate(database)
    return DemoSnapshot(now=clock.now(), rows=rows, result=result)


async def play_demo(runtime: Runtime, snapshot: DemoSnapshot) -> DemoResult:
    """The demo in `runtime`'s database: the session's rows when they fit, else played.

    The database may already hold a test's own workspaces (the `live` fixture's): their event
    and job rows move up past the demo's, so the demo's keep the numbers its report and SLA
    cursors point at, and what the tests wrote is still ahead of those cursors, unread, as it
    would be had the demo been played after it."""
    if not await _fits(runtime, snapshot):
        return await load_demo(runtime)
    database = runtime.database
    async with database.writer.begin() as conn:
        for name in _SEQUENCED:
            shift = max((row["id"] for row in snapshot.rows[name]), default=0)
            # In two steps so that no moved row meets another on its way.
            await conn.execute(text(f'UPDATE "{name}" SET id = -(id + {shift})'))
            await conn.execute(text(f'UPDATE "{name}" SET id = -id'))
        for table in metadata.sorted_tables:
            table_rows = snapshot.rows[table.name]
            if table_rows and table.name not in _DERIVED:
                await conn.execute(table.insert(), table_rows)
        if not database.is_sqlite:
            for name in _SEQUENCED:
                await conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f'COALESCE((SELECT max(id) FROM "{name}"), 0) + 1, false)'
                    )
                )
    return snapshot.result


async def _fits(runtime: Runtime, snapshot: DemoSnapshot) -> bool:
    # The rows are the demo at the snapshot's clock; no row holds the public address, and
    # secrets in them are sealed with the suite's one key (tests.conftest.suite_settings).
    if runtime.clock.now() != snapshot.now:
        return False
    async with runtime.database.writer.connect() as conn:
        for name in _CURSORS:
            if (await conn.execute(text(f'SELECT count(*) FROM "{name}"'))).scalar_one():
                return False
    return True


@pytest.fixture(scope="session")
async def demo_snapshot(
    database: Database, tmp_path_factory: pytest.TempPathFactory, database_url: str
) -> DemoSnapshot:
    from tests.conftest import suite_settings

    return await take_demo_snapshot(
        database, suite_settings(tmp_path_factory.mktemp("demo"), database_url)
    )


async def load_demo_setting(runtime: Runtime) -> DemoResult:
    """The demo at `runtime`'s clock with the smallest share of its history (`load_demo` itself,
    through the same actions; only fewer candidates and conversations)."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv(VOLUME_VARIABLE, SETTING_ONLY_VOLUME)
        return await load_demo(runtime)

"""Cost budgets of the hot paths: what a path sends to the database, and how often it commits.

`Cost` counts, on both engines of the test database, every statement (BEGIN and PRAGMA are
plumbing, as in `tests/conftest.py`'s `count_queries`) and every COMMIT. The fake Graph API of
the WhatsApp tests is served here too, so a connected number answers its setup calls.
"""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Callable

import pytest
from sqlalchemy import event

from frontdesk.db.engine import Database
from frontdesk.settings import Settings
from tests.fakes.meta import FakeGraph, serve
from tests.realtime.conftest import live, realtime_settings  # noqa: F401 - the live server

WRITES = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE)\b|^\s*WITH\b.*\b(INSERT|UPDATE|DELETE)\b", re.I | re.S
)


class Cost:
    """Statements and commits of both engines while active (`with cost:`).

    A commit counts when its transaction wrote something (a read session that ends its
    transaction is not a write): `empty_commits` counts the others."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.statements: list[str] = []
        self.commits = 0
        self.empty_commits = 0
        self._dirty: set[int] = set()

    def _statement(self, conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.statements.append(statement)
        if WRITES.match(statement):
            self._dirty.add(id(conn))

    def _commit(self, conn: object) -> None:
        if id(conn) in self._dirty:
            self._dirty.discard(id(conn))
            self.commits += 1
        else:
            self.empty_commits += 1

    def __enter__(self) -> Cost:
        self.statements.clear()
        self.commits = self.empty_commits = 0
        self._dirty.clear()
        engines = {id(e): e for e in (self.database.writer, self.database.reader)}
        self._engines = list(engines.values())
        for engine in self._engines:
            event.listen(engine.sync_engine, "before_cursor_execute", self._statement)
            event.listen(engine.sync_engine, "commit", self._commit)
        return self

    def __exit__(self, *_: object) -> None:
        for engine in self._engines:
            event.remove(engine.sync_engine, "before_cursor_execute", self._statement)
            event.remove(engine.sync_engine, "commit", self._commit)

    @property
    def count(self) -> int:
        return sum(
            1 for s in self.statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))
        )

    def show(self) -> str:
        """The statements, one line each (shown when a budget is exceeded)."""
        return "\n".join(
            " ".join(s.split())[:160]
            for s in self.statements
            if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))
        )


@pytest.fixture
def cost(database: Database) -> Callable[[], Cost]:
    def make() -> Cost:
        return Cost(database)

    return make


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, graph: FakeGraph) -> Settings:
    """The app of these tests calls the fake Graph API."""
    settings.meta_graph_url = graph.graph_url
    return settings


def assert_within(cost: Cost, statements: int, commits: int, what: str) -> None:
    """Assert a measured cost is within its budget; the message lists the statements."""
    print(f"{what}: {cost.count} statements, {cost.commits} commits")  # shown with -s
    print(f"  ({cost.empty_commits} commits of transactions that wrote nothing)")
    if os.environ.get("FRONTDESK_SHOW_STATEMENTS"):  # for whoever makes a path cheaper
        print(cost.show())
    told = f"{what}: {cost.count} statements, {cost.commits} commits"
    told += f" (budget {statements}, {commits})"
    assert cost.count <= statements, f"{told}:\n{cost.show()}"
    assert cost.commits <= commits, f"{told}:\n{cost.show()}"

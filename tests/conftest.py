"""Test harness: a real database (SQLite or PostgreSQL, chosen by FRONTDESK_TEST_DATABASE),
the real ASGI app, and the personas of the conventions.

- `alice` owner, `bob` agent in Support, `carol` agent in Sales, `dave` manager, `vera` viewer
- `erin` a contact on WhatsApp, `frank` a contact on email
- a second workspace, `other`, owned by `oscar`, whose data must never leak
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Generator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event, make_url, text

from frontdesk.app import attach_runtime, build_app
from frontdesk.channels.registry import install_channels
from frontdesk.core.clock import FrozenClock
from frontdesk.core.languages.detection import warm_up
from frontdesk.core.mail import LogMailer
from frontdesk.core.models import metadata
from frontdesk.core.routing.snapshot import invalidate as invalidate_routing_snapshots
from frontdesk.core.runtime import Runtime
from frontdesk.db.engine import Database, create_database
from frontdesk.db.migrate import upgrade_async
from frontdesk.db.uow import StoredEvent
from frontdesk.settings import Settings
from frontdesk.wiring import build_runtime
from tests.world import World, build_world, tables_with_rows

pytest_plugins = ["tests.demo_snapshot"]

TEST_DATABASE = os.environ.get("FRONTDESK_TEST_DATABASE", "sqlite")
# The suite loads the demo many times (in process and through `frontdesk demo`): 30 % of its
# candidates and conversations, played through the same actions, keeps that affordable.
os.environ.setdefault("FRONTDESK_DEMO_VOLUME", "0.3")
# and 15 days of history (the demo's detailed weeks; `make run` plays 60).
os.environ.setdefault("FRONTDESK_DEMO_DAYS", "15")
TEST_SECRET_KEY = "test-secret-key-" + "x" * 32
POSTGRES_URL = os.environ.get(
    "FRONTDESK_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/frontdesk_test"
)


def pytest_report_header() -> str:
    return f"frontdesk database: {TEST_DATABASE}"


# Tests that play the whole demo to connect its fake providers run on one database each (as the
# browser journeys do, docs/decisions/0009): what they check is the providers' side, and the
# demo itself is played on both databases (tests/demo_snapshot.py, checked by
# tests/cli/test_demo.py). Deselected, never skipped.
ONE_DATABASE = {
    "tests/api/test_business_hours.py::test_the_demo_workspaces_keep_office_hours": "sqlite",
    # The command line runs in child processes on a SQLite file of its own, whatever the suite's
    # database: on the PostgreSQL run these would repeat the SQLite run exactly.
    "tests/cli/test_cli.py": "sqlite",
    # ...except the demo command's, which plays a demo and serves it: on the PostgreSQL run,
    # whose suite is the shorter one.
    "tests/cli/test_cli.py::test_the_demo_command_loads_once_then_serves_with_fake_providers": (
        "postgresql"
    ),
    "tests/channels/whatsapp/test_demo_providers.py": "sqlite",
    "tests/channels/telegram/test_profiles.py::"
    "test_the_demo_bot_s_customers_show_their_pictures_unless_they_hide_them": "sqlite",
    "tests/channels/messenger/test_demo_providers.py": "postgresql",
    "tests/channels/telegram/test_demo_providers.py": "postgresql",
    "tests/channels/email/test_demo.py": "sqlite",
    # Several app processes on one database: the production set-up, which needs PostgreSQL
    # (`serve --workers N` refuses SQLite, whose one writer they would only queue on), as the
    # fault tests F1-F3 (tests/faults/conftest.py).
    "tests/realtime/test_two_processes.py": "postgresql",
    "tests/realtime/test_session_end_two_processes.py": "postgresql",
    # A write in flight during a decision: SQLite has one writer, so none ever is there.
    "tests/core/test_routing_presence.py": "postgresql",
}


# A test that uses neither fixture touches no database: it checks the same thing on either run,
# so it runs on the SQLite run alone (the fault tests choose their databases themselves).
DATABASE_FIXTURES = frozenset({"database", "database_url"})


def _only_database(item: pytest.Item, path: str) -> str | None:
    named = ONE_DATABASE.get(item.nodeid.split("[")[0]) or ONE_DATABASE.get(path)
    if named is not None:
        return named
    uses = set(getattr(item, "fixturenames", ()))
    if not DATABASE_FIXTURES & uses and not path.startswith("tests/faults/"):
        return "sqlite"
    return None


# Tests that mostly wait on other processes (Chromium, app processes started and stopped): the
# two database runs go side by side on a machine's cores (`make test-databases`), so in a run of
# one process the PostgreSQL run takes these first and the SQLite run last, and one run's waits
# meet the other run's computing instead of its waits. A split run (`pytest -n`) takes them first
# on both: the browser journeys are one group (below), the longest, so it starts at once.
MOSTLY_WAITING = ("tests/e2e/", "tests/faults/", "tests/processes/")
BROWSER_JOURNEYS = "tests/e2e/"


def _waits(item: pytest.Item) -> bool:
    return item.nodeid.startswith(MOSTLY_WAITING)


def _group(item: pytest.Item) -> str:
    """A split run's unit of work (`--dist loadgroup`): a file's tests stay in one process (its
    module fixtures are made once); every test that starts from the demo shares one, so the demo
    is played once per run; and the browser journeys share one, so a run drives one Chromium at
    a time and each journey keeps a core's worth of its time."""
    if "demo_snapshot" in getattr(item, "fixturenames", ()):
        return "demo"
    if item.nodeid.startswith(BROWSER_JOURNEYS):
        return "browser"
    return item.nodeid.split("::")[0]


def pytest_itemcollected(item: pytest.Item) -> None:
    # Marked as it is collected: a split run's processes read the marks when the items are all
    # collected, before this file's `pytest_collection_modifyitems`, which must run last.
    item.add_marker(pytest.mark.xdist_group(_group(item)))


@pytest.hookimpl(trylast=True)  # after every conftest has deselected its tests
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    kept: list[pytest.Item] = []
    elsewhere: list[pytest.Item] = []
    for item in items:
        path = item.nodeid.split("::")[0]
        database = _only_database(item, path)
        (elsewhere if database not in (None, TEST_DATABASE) else kept).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept
    split = bool(os.environ.get("PYTEST_XDIST_WORKER"))  # a split run's processes collect
    first = TEST_DATABASE == "postgresql" or split
    items.sort(key=lambda item: _waits(item) != first)  # stable: each part keeps its order


def _worker_postgres_url() -> str:
    """The suite's PostgreSQL database, or, for each of several test processes (pytest -n), a
    database of its own beside it (`<name>_gw0`, ...), made when it does not exist yet."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return POSTGRES_URL
    url = make_url(POSTGRES_URL)
    name = f"{url.database}_{worker}"

    async def make() -> None:
        conn = await asyncpg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database="postgres",
        )
        try:
            if not await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
                await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    with ThreadPoolExecutor(1) as thread:  # a fixture of its own loop, beside the suite's
        thread.submit(asyncio.run, make()).result()
    return url.set(database=name).render_as_string(hide_password=False)


def _sendable(text: str) -> str:
    """`text` with any lone surrogate written as an escape: a split run's worker sends each
    report to the main process as UTF-8, which a lone surrogate cannot be."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    # The webhook tests feed the app text no database stores (tests/security/unstorable.py),
    # and the app's log lines, captured into the report, may quote it.
    report: pytest.TestReport = yield
    report.sections = [(title, _sendable(text)) for title, text in report.sections]
    return report


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if TEST_DATABASE == "postgresql":
        return _worker_postgres_url()
    if TEST_DATABASE != "sqlite":
        raise pytest.UsageError("FRONTDESK_TEST_DATABASE must be sqlite or postgresql")
    return f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


async def _reset_postgres(url: str) -> None:
    db = create_database(url)
    async with db.writer.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()


@pytest.fixture(scope="session")
async def database(database_url: str) -> AsyncIterator[Database]:
    if database_url.startswith("postgresql"):
        await _reset_postgres(database_url)
    await upgrade_async(database_url)
    db = create_database(database_url)
    yield db
    await db.dispose()


_SEQUENCES: list[str] = []


async def _truncate(db: Database) -> None:
    """Empty every table between tests, children first; sequences start again at 1.

    On PostgreSQL `DELETE` of the few rows a test wrote costs milliseconds where `TRUNCATE`
    costs a few hundred (it swaps each table's files, and `CASCADE` takes in every table that
    points at one): only the tables with rows are named, on both databases."""
    # This process's routing snapshots describe rows about to go, and the next test's world
    # has the same ids (tests/world.py): a restarted process would start without them.
    invalidate_routing_snapshots()
    tables = [t.name for t in reversed(metadata.sorted_tables)]
    async with db.writer.begin() as conn:
        # One statement finds the few tables a test wrote to: on SQLite, too, a `DELETE` of
        # each empty table would still cost a statement through the writer.
        used = await tables_with_rows(conn)
        for name in tables:
            if name in used:
                await conn.execute(text(f'DELETE FROM "{name}"'))
        if db.is_sqlite:
            return
        if not _SEQUENCES:
            found = await conn.execute(
                text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
            )
            _SEQUENCES.extend(name for (name,) in found)
        for name in _SEQUENCES:
            await conn.execute(text(f"SELECT setval('\"{name}\"', 1, false)"))


@pytest.fixture
async def clean_database(database: Database) -> Database:
    await _truncate(database)
    return database


@pytest.fixture(scope="session", autouse=True)
def channel_specs() -> None:
    """The built-in channel specs, registered as the app and the worker register them when
    they start: tests of core's window or limits, which build no app, see them too."""
    install_channels()


@pytest.fixture(scope="session", autouse=True)
def language_models() -> None:
    """Loaded once before any test, as the app loads them when it starts: a message is then
    always weighed for its language, whatever the order tests run in."""
    warm_up()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@dataclass
class Published:
    """Events handed to the live publisher after commit, in order."""

    events: list[StoredEvent]

    def types(self) -> list[str]:
        return [e.type for e in self.events]


@pytest.fixture
def published() -> Published:
    return Published(events=[])


def suite_settings(directory: Path, database_url: str) -> Settings:
    return Settings(
        env="test",
        data_dir=directory / "data",
        database_url=database_url,
        secret_key=TEST_SECRET_KEY,
        public_url="http://testserver",
        run_jobs_in_server=False,
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return suite_settings(tmp_path, database_url)


@pytest.fixture
def mailer() -> LogMailer:
    return LogMailer()


@pytest.fixture
def runtime(
    settings: Settings,
    clean_database: Database,
    clock: FrozenClock,
    mailer: LogMailer,
    published: Published,
) -> Runtime:
    async def publish(events: object) -> None:
        published.events.extend(events)  # type: ignore[arg-type]

    return build_runtime(
        settings, database=clean_database, clock=clock, mailer=mailer, publisher=publish
    )


@pytest.fixture(scope="session")
def app_routes() -> FastAPI:
    """One app's routes for the whole run: FastAPI prepares each route on an app's first request
    that reaches it, which costs more than most tests; each test gives the app its own runtime."""
    return build_app()


@pytest.fixture(scope="session")
def live_routes() -> FastAPI:
    """The served app's routes (the `live` fixture), prepared once for the run like `app_routes`;
    a test that uses both gets two apps, so they never share a runtime's state."""
    return build_app()


@pytest.fixture
def app(app_routes: FastAPI, settings: Settings, runtime: Runtime) -> FastAPI:
    attach_runtime(app_routes, settings, runtime, run_jobs=False)
    return app_routes


@pytest.fixture
async def anon(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        yield client


@pytest.fixture
async def world(runtime: Runtime, app: object) -> World:
    return await build_world(runtime, app)


@pytest.fixture
def count_queries(database: Database) -> Callable[[], QueryCounter]:
    def make() -> QueryCounter:
        return QueryCounter(database)

    return make


class QueryCounter:
    """Counts SQL statements sent by both engines while active (`with counter:`)."""

    def __init__(self, database: Database) -> None:
        self.database = database
        self.statements: list[str] = []

    def _listen(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.statements.append(statement)

    def __enter__(self) -> QueryCounter:
        self.statements.clear()
        engines = {id(e): e for e in (self.database.writer, self.database.reader)}
        self._engines = list(engines.values())
        for engine in self._engines:
            event.listen(engine.sync_engine, "before_cursor_execute", self._listen)
        return self

    def __exit__(self, *_: object) -> None:
        for engine in self._engines:
            event.remove(engine.sync_engine, "before_cursor_execute", self._listen)

    @property
    def count(self) -> int:
        # BEGIN/COMMIT/PRAGMA are plumbing, not queries.
        return sum(
            1 for s in self.statements if not s.lstrip().upper().startswith(("BEGIN", "PRAGMA"))
        )

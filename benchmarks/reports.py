"""S6 and S7: an agent's inbox and the per-agent report, on a data set written by SQL.

The data set: one workspace, 20 agents in one team, conversations over 31 days with 12
messages each (customer and agent), one in ten still open, written by the database itself
(`INSERT ... SELECT` over `generate_series` on PostgreSQL, a recursive CTE on SQLite):
10,000,000 messages by default, 600,000 with `--quick`. The hourly rollups are built as the
report job's `rebuild_hour` builds them from each conversation's facts (opened, assigned,
accepted, first response, three responses, closed, handle), and the daily tier from them as
the report job builds it (`daily.rebuild_day`); the facts are not stored, the reports read
only the rollups.

R6  `SELECT count(*)` over the messages table (best of five).
S7  the agents report and the overview for the 31 days, as `GET /api/v1/reports/agents` and
    `/overview` compute them (core functions, the HTTP layer left out), median of five,
    divided by R6. Target: <= 0.05 (from pre-aggregates).
R7  p99 of a primary-key SELECT at 16 concurrent clients.
S6  an agent's inbox (`list_conversations`, view "mine", open, 25 a page, with the last
    message preview) at 16 concurrent clients: p99 divided by R7 (target <= 10), and the
    statements one page sends for 5, 25 and 100 conversations a page (target: the same).

`python -m benchmarks.reports [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import statistics
import sys
import tempfile
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, insert, select, text

from benchmarks.common import (
    Workdir,
    _pg_admin,
    bench_database,
    migrate,
    now,
    options,
    percentile,
    result_line,
    write_json,
)
from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.conversations.queries import ConversationFilter, list_conversations
from frontdesk.core.models import metadata as _all_tables  # noqa: F401 - every table mapped
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.daily import rebuild_day
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.engine import Database, create_database
from frontdesk.db.ids import new_id

TARGET = 0.05
PG_URL_BASE = "postgresql+asyncpg://postgres@127.0.0.1:5432"
PG_REPORTS = "frontdesk_bench_reports"
CLIENTS = 16
S6_TARGET = 10.0
DAYS = 31
AGENTS = 20
MESSAGES_PER_CONVERSATION = 12
OPEN_EVERY = 10  # one conversation in ten is still open (the agents' inboxes)
END = datetime(2026, 2, 1, tzinfo=UTC)
START = END - timedelta(days=DAYS)
# Prefixes of the generated ids: (prefix, n) gives the same id in SQL and in Python.
CONVERSATION, MESSAGE, AGENT = 1, 2, 3


def gen_id(prefix: int, n: int) -> uuid.UUID:
    return uuid.UUID(f"{prefix:016x}{n:016x}")


def _sql(postgres: bool) -> dict[str, str]:
    """The dialect's spelling of an id (prefix, n), a moment (seconds after START) and a series."""
    if postgres:
        return {
            "id": "(lpad(to_hex({p}), 16, '0') || lpad(to_hex({n}), 16, '0'))::uuid",
            "at": "(timestamptz '" + START.isoformat() + "' + ({s}) * interval '1 second')",
            "series": "SELECT {cols} FROM generate_series({first}, {last}) AS s(i)",
        }
    return {
        "id": "printf('%016x%016x', {p}, {n})",
        "at": "(strftime('%Y-%m-%d %H:%M:%S', "
        + str(int(START.timestamp()))
        + " + CAST(({s}) AS INTEGER), 'unixepoch') || '.000000')",
        "series": "WITH RECURSIVE s(i) AS (SELECT {first} UNION ALL SELECT i + 1 FROM s"
        " WHERE i < {last}) SELECT {cols} FROM s",
    }


async def _generate(db: Database, ids: dict[str, uuid.UUID], conversations: int) -> None:
    """Conversations and their messages, written by the database itself (INSERT ... SELECT)."""
    postgres = not db.is_sqlite
    sql = _sql(postgres)
    step = DAYS * 86_400 / conversations
    hexed = {k: (f"'{v}'" if postgres else f"'{v.hex}'") for k, v in ids.items()}

    def at(seconds: str) -> str:
        return sql["at"].format(s=seconds)

    conv = {
        "id": sql["id"].format(p=CONVERSATION, n="i"),
        "workspace_id": hexed["workspace"],
        "channel_id": hexed["channel"],
        "contact_id": hexed["contact"],
        "status": f"CASE WHEN i % {OPEN_EVERY} = 0 THEN 'open' ELSE 'closed' END",
        "team_id": hexed["team"],
        "assignee_id": sql["id"].format(p=AGENT, n=f"i % {AGENTS}"),
        "priority": "1",
        "opened_at": at(f"i * {step}"),
        "closed_at": at(f"i * {step} + 3600"),
        "last_activity_at": at(f"i * {step} + 2640"),
        "last_message_preview": "'hello'",
        "version": "1",
        "created_at": at(f"i * {step}"),
    }
    per = MESSAGES_PER_CONVERSATION
    msg = {
        "id": sql["id"].format(p=MESSAGE, n="i"),
        "workspace_id": hexed["workspace"],
        "conversation_id": sql["id"].format(p=CONVERSATION, n=f"i / {per}"),
        "channel_id": hexed["channel"],
        "direction": "CASE WHEN i % 2 = 0 THEN 'inbound' ELSE 'outbound' END",
        "sender_type": "CASE WHEN i % 2 = 0 THEN 'contact' ELSE 'agent' END",
        "sender_user_id": "CASE WHEN i % 2 = 0 THEN NULL ELSE "
        + sql["id"].format(p=AGENT, n=f"(i / {per}) % {AGENTS}")
        + " END",
        "kind": "'text'",
        "body": "'hello'",
        "attachments": "'[]'",
        "mentions": "'[]'",
        "version": "1",
        "created_at": at(f"(i / {per}) * {step} + (i % {per}) * 240"),
        "updated_at": at(f"(i / {per}) * {step}"),
    }
    for table, columns, count in (
        ("conversation", conv, conversations),
        ("message", msg, conversations * per),
    ):
        names = ", ".join(f'"{c}"' for c in columns)
        for first in range(0, count, 1_000_000):  # a million rows a statement
            last = min(count, first + 1_000_000) - 1
            cols = ", ".join(columns.values())
            body = sql["series"].format(cols=cols, first=first, last=last)
            async with db.write_session() as s:
                await s.execute(text(f"INSERT INTO {table} ({names}) {body}"))
                await s.commit()
    if postgres:
        async with db.write_session() as s:
            await s.execute(text("ANALYZE message"))
            await s.commit()
        # As autovacuum leaves a table after a bulk insert (PostgreSQL 13+ vacuums on inserts):
        # its visibility map set, so the open conversations are counted from their index alone.
        # The messages are left as written: R6 reads them as the reference.
        async with db.writer.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("VACUUM ANALYZE conversation"))


def _rollups(
    workspace_id: uuid.UUID, team_id: uuid.UUID, channel_id: uuid.UUID, conversations: int
) -> list[dict[str, Any]]:
    """The hourly rollups the report job would write for these conversations' facts (opened,
    assigned, accepted, first response, three responses, closed, handle), built cell by cell
    as `rebuild_hour` builds them; the facts themselves are not stored (the report reads only
    the rollups)."""
    rng = random.Random(7)
    step = DAYS * 86_400 / conversations
    cells: dict[tuple[datetime, str, uuid.UUID | None], list[Any]] = {}
    for n in range(conversations):
        opened = START + timedelta(seconds=n * step)
        agent = gen_id(AGENT, n % AGENTS)
        first = rng.uniform(20, 900)
        facts: list[tuple[str, float | None, float]] = [
            ("opened", None, 0),
            ("assigned", None, 30),
            ("accepted", None, first),
            ("first_response", first, first),
            ("response", first, first),
            ("response", rng.uniform(20, 600), 1_800),
            ("response", rng.uniform(20, 600), 2_400),
            ("closed", 3_600.0, 3_600),
            ("handle", 3_570.0, 3_600),
        ]
        for metric, seconds, offset in facts:
            moment = opened + timedelta(seconds=offset)
            hour = moment.replace(minute=0, second=0, microsecond=0)
            cell = cells.setdefault(
                (hour, metric, None if metric == "opened" else agent), [0, 0.0, Digest()]
            )
            cell[0] += 1
            if seconds is not None:
                cell[1] += seconds
                cell[2].add(seconds)
    return [
        {
            "id": new_id(),
            "workspace_id": workspace_id,
            "hour": hour,
            "metric": metric,
            "detail": None,
            "team_id": team_id,
            "agent_id": agent,
            "channel_id": channel_id,
            "count": count,
            "sum_seconds": total,
            "sum_business_seconds": total,
            "digest": digest.to_json() if digest.count else None,
            "business_digest": digest.to_json() if digest.count else None,
        }
        for (hour, metric, agent), (count, total, digest) in cells.items()
    ]


async def seed(db: Database, conversations: int) -> tuple[uuid.UUID, uuid.UUID]:
    """The workspace, its agents and team (ORM), conversations and messages (SQL), rollups."""
    async with db.write_session() as s:
        org = Organisation(name="Bench", created_at=START)
        s.add(org)
        await s.flush()
        ws = Workspace(
            organisation_id=org.id,
            name="Bench",
            slug="bench",
            timezone="UTC",
            settings={},
            created_at=START,
        )
        s.add(ws)
        await s.flush()
        team = Team(workspace_id=ws.id, name="Support", description="", created_at=START)
        channel = Channel(
            workspace_id=ws.id,
            type="webchat",
            name="Chat",
            settings={},
            is_active=True,
            created_at=START,
            updated_at=START,
        )
        contact = Contact(workspace_id=ws.id, name="Customer", created_at=START, updated_at=START)
        s.add_all([team, channel, contact])
        await s.flush()
        for i in range(AGENTS):
            user = User(
                id=gen_id(AGENT, i),
                email=f"agent{i}@bench.test",
                name=f"Agent {i:02}",
                password_hash="!",  # noqa: S106 - nobody signs in here
                language="en",
                is_active=True,
                created_at=START,
            )
            s.add(user)
            await s.flush()
            s.add(Membership(workspace_id=ws.id, user_id=user.id, role="agent", created_at=START))
            s.add(
                TeamMember(workspace_id=ws.id, team_id=team.id, user_id=user.id, created_at=START)
            )
        await s.commit()
        ids = {"workspace": ws.id, "team": team.id, "channel": channel.id, "contact": contact.id}
    await _generate(db, ids, conversations)
    rows = _rollups(ws.id, team.id, channel.id, conversations)
    async with db.write_session() as s:
        for i in range(0, len(rows), 2_000):
            await s.execute(insert(ReportRollup), rows[i : i + 2_000])
        await s.commit()
    # The daily tier, built from the hourly rows as the report job builds it (one day at a time).
    for day in range(DAYS + 1):
        async with db.write_session() as s:
            await rebuild_day(s, ws.id, START + timedelta(days=day))
            await s.commit()
    if not db.is_sqlite:  # the statistics autovacuum would have gathered by the time of a report
        async with db.write_session() as s:
            await s.execute(text("ANALYZE report_rollup"))
            await s.execute(text("ANALYZE report_daily_rollup"))
            await s.commit()
    return ws.id, team.id


async def best_and_median(run: Callable[[], Awaitable[Any]], times: int = 5) -> tuple[float, float]:
    spent = []
    for _ in range(times):
        t0 = now()
        await run()
        spent.append(now() - t0)
    return min(spent), statistics.median(spent)


@contextlib.asynccontextmanager
async def reports_database(kind: str) -> AsyncIterator[str]:
    """A fresh, migrated database: a temp SQLite file, or `frontdesk_bench_reports` on
    PostgreSQL (its own name: the other benchmarks' database may be in use beside it)."""
    if kind == "sqlite":
        async with bench_database(kind) as work:
            yield work.url
        return
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-reports-"))
    work = Workdir(path=path, database=kind, url=f"{PG_URL_BASE}/{PG_REPORTS}")
    await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_REPORTS}" WITH (FORCE)')
    await _pg_admin(f'CREATE DATABASE "{PG_REPORTS}"')
    try:
        migrate(work)
        yield work.url
    finally:
        with contextlib.suppress(Exception):
            await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_REPORTS}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def _p99_concurrent(run: Callable[[int], Awaitable[Any]], clients: int, each: int) -> float:
    """p99 of `run(client)` over `clients` concurrent loops of `each` calls, in seconds."""
    spent: list[float] = []

    async def loop(client: int) -> None:
        for _ in range(each):
            t0 = now()
            await run(client)
            spent.append(now() - t0)

    await asyncio.gather(*(loop(c) for c in range(clients)))
    return percentile(spent, 99)


def _statements(db: Database) -> list[str]:
    """Every statement the database is sent from now on (appended as they go)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    for engine in {db.reader, db.writer}:
        event.listen(engine.sync_engine, "before_cursor_execute", count)
    return seen


async def measure(args: Any) -> dict[str, Any]:
    conversations = (600_000 if args.quick else 10_000_000) // MESSAGES_PER_CONVERSATION
    async with reports_database(args.db) as url:
        db = create_database(url)
        try:
            t0 = now()
            workspace_id, team_id = await seed(db, conversations)
            seeded = now() - t0
            async with db.read_session() as s:
                messages = int(await s.scalar(select(func.count()).select_from(Message)) or 0)
            period = resolve_period(
                "custom", "UTC", END, start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)
            )

            async def count() -> None:
                async with db.read_session() as s:
                    await s.scalar(select(func.count()).select_from(Message))

            async def agents() -> None:
                async with db.read_session() as s:
                    await get_agent_report(
                        s, workspace_id, period, Filters(), END, with_average=True
                    )

            async def overview() -> None:
                async with db.read_session() as s:
                    await get_overview(s, workspace_id, period, Filters(), "day")

            r6, _ = await best_and_median(count)
            _, agents_s = await best_and_median(agents)
            _, overview_s = await best_and_median(overview)

            rng = random.Random(11)

            async def by_key(_: int) -> None:
                async with db.read_session() as s:
                    wanted = gen_id(CONVERSATION, rng.randrange(conversations))
                    await s.scalar(select(Conversation.id).where(Conversation.id == wanted))

            def actor(client: int) -> Actor:
                return Actor(
                    workspace_id=workspace_id,
                    role="agent",
                    user_id=gen_id(AGENT, client % AGENTS),
                    team_ids=frozenset({team_id}),
                )

            async def inbox(client: int, limit: int = 25) -> None:
                async with db.read_session() as s:
                    await list_conversations(
                        s,
                        actor(client),
                        ConversationFilter(view="mine", statuses=["open"]),
                        limit=limit,
                        cursor=None,
                    )

            await _p99_concurrent(by_key, CLIENTS, 20)  # warm the pools
            r7 = await _p99_concurrent(by_key, CLIENTS, 50 if args.quick else 200)
            s6 = await _p99_concurrent(inbox, CLIENTS, 20 if args.quick else 50)
            seen = _statements(db)
            per_request = []
            for limit in (5, 25, 100):
                before = len(seen)
                await inbox(0, limit)
                per_request.append(len(seen) - before)
        finally:
            await db.dispose()
    return {
        "conversations": conversations,
        "messages": messages,
        "seed_s": round(seeded, 1),
        "R6_ms": round(r6 * 1000, 2),
        "agents_ms": round(agents_s * 1000, 2),
        "overview_ms": round(overview_s * 1000, 2),
        "agents_vs_R6": round(agents_s / r6, 4),
        "overview_vs_R6": round(overview_s / r6, 4),
        "R7_p99_ms": round(r7 * 1000, 2),
        "inbox_p99_ms": round(s6 * 1000, 2),
        "inbox_vs_R7": round(s6 / r7, 2),
        "queries_per_page": "/".join(str(n) for n in per_request),
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    figures = await measure(args)
    s7 = figures["agents_vs_R6"] <= TARGET
    s6 = (
        figures["inbox_vs_R7"] <= S6_TARGET
        and len(set(figures["queries_per_page"].split("/"))) == 1
    )
    for key, value in figures.items():
        print(f"{key:>16}  {value}")
    common = {"database": args.db, "broker": "inprocess", "quick": args.quick}
    for scenario, passed, refs, targets in (
        (
            "S7",
            s7,
            {"R6_ms": figures["R6_ms"]},
            {"agents_vs_R6": f"<= {TARGET}"},
        ),
        (
            "S6",
            s6,
            {"R7_p99_ms": figures["R7_p99_ms"]},
            {"inbox_vs_R7": f"<= {S6_TARGET}", "queries_per_page": "the same for 5, 25, 100"},
        ),
    ):
        path = write_json(
            scenario,
            **common,
            references=refs,
            figures=figures,
            targets=targets,
            passed=passed,
            notes=[
                "conversations and messages written by INSERT ... SELECT; rollups built as "
                "rebuild_hour builds them from the facts (the read path is measured)"
            ],
        )
        print(f"written {path.relative_to(path.parents[2])}")
    print(result_line("S6", {k: figures[k] for k in ("inbox_vs_R7", "queries_per_page")}, s6))
    print(
        result_line(
            "S7",
            {k: figures[k] for k in ("agents_vs_R6", "overview_vs_R6", "agents_ms", "R6_ms")},
            s7,
        )
    )
    return s6 and s7


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

"""S7: the per-agent report (FRT and resolution, one workspace, 31 days) against reference R6.

R6  `SELECT count(*)` over the messages table of the data set (best of five), measured first.
S7  the agents report and the overview for the 31 days, as `GET /api/v1/reports/agents` and
    `/overview` compute them (core queries over the hourly rollups, the HTTP layer left out),
    median of five runs each, divided by R6. Target: ≤ 0.05 (from pre-aggregates).

The data set: one workspace, 20 agents in one team, conversations spread over 31 days, each
with its messages (customer and agent, for R6) and the facts the report job would write for it
(opened, assigned, accepted, first response, three responses, closed, handle), inserted directly
— this measures the read path, not the writing of facts — then rolled up hour by hour with the
job's own `rebuild_hour`. `--quick`: 3,000 conversations (36,000 messages); default 30,000
(360,000 messages), far below the 10M messages of the scenario: the rollups do not grow with
the messages, the count does, so the ratio printed here is pessimistic for larger data.

`python -m benchmarks.reports [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import random
import statistics
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from benchmarks.common import bench_database, now, options, result_line, write_json
from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.models import metadata as _all_tables  # noqa: F401 - every table mapped
from frontdesk.core.reports.agent_report import get_agent_report
from frontdesk.core.reports.models import ReportFact
from frontdesk.core.reports.overview import get_overview
from frontdesk.core.reports.periods import resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.reports.rollups import rebuild_hour
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.engine import Database, create_database
from frontdesk.db.ids import new_id

TARGET = 0.05
DAYS = 31
AGENTS = 20
MESSAGES_PER_CONVERSATION = 12
END = datetime(2026, 2, 1, tzinfo=UTC)


async def seed(db: Database, conversations: int) -> uuid.UUID:
    rng = random.Random(7)
    start = END - timedelta(days=DAYS)
    async with db.write_session() as s:
        org = Organisation(name="Bench", created_at=start)
        s.add(org)
        await s.flush()
        ws = Workspace(
            organisation_id=org.id,
            name="Bench",
            slug="bench",
            timezone="UTC",
            settings={},
            created_at=start,
        )
        s.add(ws)
        await s.flush()
        team = Team(workspace_id=ws.id, name="Support", description="", created_at=start)
        channel = Channel(
            workspace_id=ws.id,
            type="webchat",
            name="Chat",
            settings={},
            is_active=True,
            created_at=start,
            updated_at=start,
        )
        contact = Contact(workspace_id=ws.id, name="Customer", created_at=start, updated_at=start)
        s.add_all([team, channel, contact])
        await s.flush()
        agents = []
        for i in range(AGENTS):
            user = User(
                email=f"agent{i}@bench.test",
                name=f"Agent {i:02}",
                password_hash="!",  # noqa: S106 - nobody signs in here
                language="en",
                is_active=True,
                created_at=start,
            )
            s.add(user)
            await s.flush()
            s.add(Membership(workspace_id=ws.id, user_id=user.id, role="agent", created_at=start))
            s.add(
                TeamMember(workspace_id=ws.id, team_id=team.id, user_id=user.id, created_at=start)
            )
            agents.append(user.id)
        await s.flush()
        conv_rows, message_rows, fact_rows = [], [], []
        for n in range(conversations):
            opened = start + timedelta(seconds=rng.uniform(0, DAYS * 86_400 - 7_200))
            agent = agents[n % AGENTS]
            cid = new_id()
            conv_rows.append(
                {
                    "id": cid,
                    "workspace_id": ws.id,
                    "channel_id": channel.id,
                    "contact_id": contact.id,
                    "status": "closed",
                    "team_id": team.id,
                    "assignee_id": agent,
                    "priority": 1,
                    "opened_at": opened,
                    "closed_at": opened + timedelta(hours=1),
                    "last_activity_at": opened,
                    "last_message_preview": "",
                    "version": 1,
                    "created_at": opened,
                }
            )
            for m in range(MESSAGES_PER_CONVERSATION):
                inbound = m % 2 == 0
                message_rows.append(
                    {
                        "id": new_id(),
                        "workspace_id": ws.id,
                        "conversation_id": cid,
                        "channel_id": channel.id,
                        "direction": "inbound" if inbound else "outbound",
                        "sender_type": "contact" if inbound else "agent",
                        "sender_user_id": None if inbound else agent,
                        "kind": "text",
                        "body": "hello",
                        "attachments": [],
                        "mentions": [],
                        "version": 1,
                        "created_at": opened + timedelta(minutes=m * 4),
                        "updated_at": opened,
                    }
                )
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
            for k, (metric, seconds, offset) in enumerate(facts):
                fact_rows.append(
                    {
                        "id": new_id(),
                        "workspace_id": ws.id,
                        "key": f"{cid}:{k}",
                        "metric": metric,
                        "conversation_id": cid,
                        "segment": 1,
                        "team_id": team.id,
                        "agent_id": None if metric == "opened" else agent,
                        "channel_id": channel.id,
                        "at": opened + timedelta(seconds=offset),
                        "seconds": seconds,
                        "business_seconds": seconds,
                    }
                )
        for table, rows in (
            (Conversation, conv_rows),
            (Message, message_rows),
            (ReportFact, fact_rows),
        ):
            for i in range(0, len(rows), 2_000):
                await s.execute(insert(table), rows[i : i + 2_000])
        await s.commit()
    hour = start
    while hour < END + timedelta(hours=2):
        async with db.write_session() as s:
            await rebuild_hour(s, ws.id, hour)
            await s.commit()
        hour += timedelta(hours=1)
    return ws.id


async def best_and_median(run: Callable[[], Awaitable[Any]], times: int = 5) -> tuple[float, float]:
    spent = []
    for _ in range(times):
        t0 = now()
        await run()
        spent.append(now() - t0)
    return min(spent), statistics.median(spent)


async def measure(args: Any) -> dict[str, Any]:
    conversations = 3_000 if args.quick else 30_000
    async with bench_database(args.db) as work:
        db = create_database(work.url)
        try:
            t0 = now()
            workspace_id = await seed(db, conversations)
            seeded = now() - t0
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
        finally:
            await db.dispose()
    return {
        "conversations": conversations,
        "messages": conversations * MESSAGES_PER_CONVERSATION,
        "seed_s": round(seeded, 1),
        "R6_ms": round(r6 * 1000, 2),
        "agents_ms": round(agents_s * 1000, 2),
        "overview_ms": round(overview_s * 1000, 2),
        "agents_vs_R6": round(agents_s / r6, 3),
        "overview_vs_R6": round(overview_s / r6, 3),
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    figures = await measure(args)
    passed = figures["agents_vs_R6"] <= TARGET
    for key, value in figures.items():
        print(f"{key:>16}  {value}")
    path = write_json(
        "S7",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"R6_ms": figures["R6_ms"]},
        figures=figures,
        targets={"agents_vs_R6": f"<= {TARGET}"},
        passed=passed,
        notes=[
            "facts inserted directly (the read path is measured), rollups built by rebuild_hour"
        ],
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print(
        result_line(
            "S7",
            {k: figures[k] for k in ("agents_vs_R6", "overview_vs_R6", "agents_ms", "R6_ms")},
            passed,
        )
    )
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

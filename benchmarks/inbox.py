"""S6: an agent's inbox (25 conversations with their last message) on a 1M-message tenant.

The data set: one workspace, 20 agents in one team, conversations over 31 days with 12
messages each, one in ten still open, written by the database itself (`INSERT ... SELECT`,
the generator of benchmarks/reports.py): 1,000,000 messages, 200,000 with `--quick`. The
agents sign in with a real session.

R7      p99 of a primary-key SELECT on the conversations at 16 concurrent clients.
S6      the inbox list (`list_conversations`, view "mine", open, 25 a page, last message
        preview) at 16 concurrent clients: p99 divided by R7 (target <= 10); and the
        statements one page sends for 5, 25 and 100 conversations a page (target: the same).
S6/http the same list through the running server (`GET /api/v1/conversations?view=mine&
        status=open&limit=25`, each agent with its session cookie), 16 concurrent clients:
        p99, and divided by R7 (shown, not a target: it adds HTTP and the session check).

`python -m benchmarks.inbox [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import random
import sys
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import event, func, select

from benchmarks.common import (
    new_secret,
    now,
    options,
    percentile,
    print_table,
    result_line,
    write_json,
)
from benchmarks.own_database import own_database, start_app
from benchmarks.reports import (
    AGENT,
    AGENTS,
    CONVERSATION,
    MESSAGES_PER_CONVERSATION,
    START,
    _generate,
    gen_id,
)
from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.conversations.queries import ConversationFilter, list_conversations
from frontdesk.core.models import metadata as _all_tables  # noqa: F401 - every table mapped
from frontdesk.core.security import hash_token, new_token
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.engine import Database, create_database

CLIENTS = 16


def agent_of(client: int) -> int:
    """The generator leaves conversation i open when i % 10 == 0 and assigns it to agent
    i % 20: agents 0 and 10 have every open conversation, so the clients sign in as those."""
    return (10 * client) % AGENTS


TARGET = 10.0
PAGE = 25


async def seed(db: Database, conversations: int) -> tuple[uuid.UUID, uuid.UUID, list[str]]:
    """The workspace, its agents (each with a session) and team; conversations and messages."""
    at = datetime.now(UTC)
    tokens: list[str] = []
    async with db.write_session() as s:
        org = Organisation(name="Bench", created_at=START)
        s.add(org)
        await s.flush()
        ws = Workspace(
            organisation_id=org.id,
            name="Bench",
            slug="bench-inbox",
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
                password_hash="!",  # noqa: S106 - they sign in with the session below
                language="en",
                is_active=True,
                created_at=START,
            )
            s.add(user)
            await s.flush()
            token = new_token()
            tokens.append(token)
            s.add_all(
                [
                    Membership(workspace_id=ws.id, user_id=user.id, role="agent", created_at=START),
                    TeamMember(
                        workspace_id=ws.id, team_id=team.id, user_id=user.id, created_at=START
                    ),
                    AuthSession(
                        token_hash=hash_token(token),
                        csrf_token=new_token(),
                        user_id=user.id,
                        workspace_id=ws.id,
                        created_at=at,
                        last_seen_at=at,
                        expires_at=at + timedelta(days=1),
                    ),
                ]
            )
        await s.commit()
        ids = {"workspace": ws.id, "team": team.id, "channel": channel.id, "contact": contact.id}
    await _generate(db, ids, conversations)
    return ws.id, team.id, tokens


async def p99_concurrent(run: Callable[[int], Awaitable[Any]], clients: int, each: int) -> float:
    """p99 of `run(client)` over `clients` concurrent loops of `each` calls, in seconds."""
    spent: list[float] = []

    async def loop(client: int) -> None:
        for _ in range(each):
            t0 = now()
            await run(client)
            spent.append(now() - t0)

    await asyncio.gather(*(loop(c) for c in range(clients)))
    return percentile(spent, 99)


def statements(db: Database) -> list[str]:
    """Every statement the database is sent from now on (appended as they go)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    for engine in {db.reader, db.writer}:
        event.listen(engine.sync_engine, "before_cursor_execute", count)
    return seen


async def measure(args: Any) -> dict[str, Any]:
    conversations = (200_000 if args.quick else 1_000_000) // MESSAGES_PER_CONVERSATION
    each = 20 if args.quick else 50
    async with own_database(args.db, "inbox") as work:
        db = create_database(work.url)
        try:
            t0 = now()
            workspace_id, team_id, tokens = await seed(db, conversations)
            seeded = now() - t0
            async with db.read_session() as s:
                messages = int(await s.scalar(select(func.count()).select_from(Message)) or 0)
            rng = random.Random(11)

            async def by_key(_: int) -> None:
                async with db.read_session() as s:
                    wanted = gen_id(CONVERSATION, rng.randrange(conversations))
                    await s.scalar(select(Conversation.id).where(Conversation.id == wanted))

            def actor(client: int) -> Actor:
                return Actor(
                    workspace_id=workspace_id,
                    role="agent",
                    user_id=gen_id(AGENT, agent_of(client)),
                    team_ids=frozenset({team_id}),
                )

            async def inbox(client: int, limit: int = PAGE) -> int:
                async with db.read_session() as s:
                    page = await list_conversations(
                        s,
                        actor(client),
                        ConversationFilter(view="mine", statuses=["open"]),
                        limit=limit,
                        cursor=None,
                    )
                return len(page.items)

            await p99_concurrent(by_key, CLIENTS, 20)  # warm the pools
            r7 = await p99_concurrent(by_key, CLIENTS, 50 if args.quick else 200)
            rows = await inbox(0)
            s6 = await p99_concurrent(inbox, CLIENTS, each)
            seen = statements(db)
            per_request = []
            for limit in (5, 25, 100):
                before = len(seen)
                await inbox(0, limit)
                per_request.append(len(seen) - before)
        finally:
            await db.dispose()
        server = await start_app(work, new_secret())
        try:
            limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
            async with httpx.AsyncClient(base_url=server.url, timeout=30, limits=limits) as http:
                failures: list[str] = []

                async def page(client: int) -> None:
                    r = await http.get(
                        "/api/v1/conversations",
                        params={"view": "mine", "status": "open", "limit": PAGE},
                        headers={"Cookie": f"frontdesk_session={tokens[agent_of(client)]}"},
                    )
                    if r.status_code != 200 or len(r.json()["items"]) != rows:
                        failures.append(f"{r.status_code}: {r.text[:200]}")

                await p99_concurrent(page, CLIENTS, 3)  # warm up
                http_p99 = await p99_concurrent(page, CLIENTS, each)
        finally:
            await server.stop()
    return {
        "conversations": conversations,
        "messages": messages,
        "seed_s": round(seeded, 1),
        "rows_per_page": rows,
        "R7_p99_ms": round(r7 * 1000, 2),
        "inbox_p99_ms": round(s6 * 1000, 2),
        "inbox_vs_R7": round(s6 / r7, 2),
        "queries_per_page": "/".join(str(n) for n in per_request),
        "http_p99_ms": round(http_p99 * 1000, 2),
        "http_vs_R7": round(http_p99 / r7, 2),
        "http_failures": len(failures),
        "http_failure_sample": failures[:1],
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    figures = await measure(args)
    constant = len(set(figures["queries_per_page"].split("/"))) == 1
    fast = figures["inbox_vs_R7"] <= TARGET
    passed = fast and constant and figures["rows_per_page"] == PAGE and not figures["http_failures"]
    r7 = figures["R7_p99_ms"]
    print_table(
        f"S6 ({args.db}, {figures['messages']:,} messages, {CLIENTS} concurrent clients"
        f"{', quick' if args.quick else ''}; reference R7, not R5)",
        [
            ("inbox_p99_ms", figures["inbox_p99_ms"], r7, figures["inbox_vs_R7"], "<= 10", fast),
            ("queries 5/25/100 a page", figures["queries_per_page"], "", "", "equal", constant),
            ("http_p99_ms", figures["http_p99_ms"], r7, figures["http_vs_R7"], "", ""),
            (
                "rows_per_page",
                figures["rows_per_page"],
                "",
                "",
                PAGE,
                figures["rows_per_page"] == PAGE,
            ),
            ("http_failures", figures["http_failures"], "", "", 0, not figures["http_failures"]),
            ("seed_s", figures["seed_s"], "", "", "", ""),
        ],
    )
    if figures["http_failure_sample"]:
        print(f"  first failed page: {figures['http_failure_sample'][0]}")
    path = write_json(
        "S6",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"R7_p99_ms": r7},
        figures=figures,
        targets={"inbox_vs_R7": f"<= {TARGET}", "queries_per_page": "the same for 5, 25, 100"},
        passed=passed,
        notes=["conversations and messages written by INSERT ... SELECT (benchmarks/reports.py)"],
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print()
    keys = ("messages", "inbox_vs_R7", "queries_per_page", "http_vs_R7")
    print(result_line("S6", {k: figures[k] for k in keys}, passed))
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

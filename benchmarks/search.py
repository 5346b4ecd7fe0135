"""S11: full-text search over a 1M-message tenant (`GET /api/v1/search`'s query, in process).

The data set: one workspace, conversations over 31 days with 12 messages each, written by
the database itself (`INSERT ... SELECT`, the ids and times of benchmarks/reports.py) with
bodies of 8 words drawn from a 1,600-word vocabulary (accented words among them), so a word
is in about 5,000 messages and two words together in a few. The search index fills through
its triggers as the rows go in, as in real use. 1,000,000 messages; 200,000 with `--quick`;
`--messages N` for any other size (SQLite at 1M takes a while to write).

R7      p99 of a primary-key SELECT on the conversations at 16 concurrent clients.
S11     `core.search.queries.search` as a manager (sees everything), 20 hits a page, 16
        concurrent clients: two-word searches typed without accents (a handful of hits), and
        one-word searches (thousands of hits, every one ranked): p99 of each divided by R7
        (reported, no target yet).

`python -m benchmarks.search [--quick] [--db sqlite|postgresql] [--messages N]`
"""

from __future__ import annotations

import asyncio
import random
import sys
import unicodedata
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, text

from benchmarks.common import now, options, print_table, result_line, write_json
from benchmarks.inbox import CLIENTS, p99_concurrent
from benchmarks.own_database import own_database
from benchmarks.reports import (
    CONVERSATION,
    DAYS,
    MESSAGE,
    MESSAGES_PER_CONVERSATION,
    START,
    _sql,
    gen_id,
)
from frontdesk.core.actor import Actor
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.search.models import SearchDocument
from frontdesk.core.search.queries import SearchFilter, search
from frontdesk.core.workspaces.models import Organisation, Team, Workspace
from frontdesk.db.engine import Database, create_database

SYLLABLES = (
    "ca", "lo", "mi", "ne", "pa", "ri", "su", "to", "va", "ze", "bo", "du", "fe", "gi", "ha",
    "ju", "ke", "la", "mo", "nu", "não", "tiế", "việ", "đú", "ção", "mã", "bé", "xô", "ly", "qu",
    "ro", "se", "ti", "um", "vi", "wa", "xe", "yo", "zu", "ân",
)  # fmt: skip
WORDS = [a + b for a in SYLLABLES for b in SYLLABLES]
WORDS_PER_MESSAGE = 8
# Word k of message i is WORDS[(i * FACTORS[k]) % MODULI[k] % len(WORDS)]: primes past any
# message count, so no two messages share their words by construction.
FACTORS = (7919, 104729, 1299709, 611953, 746773, 882377, 1020379, 1159523)
MODULI = (15485863, 179424673, 32452843, 49979687, 86028121, 104395301, 122949829, 141650939)
PAGE = 20


def word_at(i: int, k: int) -> str:
    return WORDS[(i * FACTORS[k]) % MODULI[k] % len(WORDS)]


def unaccented(word: str) -> str:
    folded = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return folded.replace("đ", "d")


async def write_messages(db: Database, ids: dict[str, uuid.UUID], conversations: int) -> None:
    """The conversations and their messages, each body 8 words of the vocabulary."""
    postgres = not db.is_sqlite
    sql = _sql(postgres)
    hexed = {k: (f"'{v}'" if postgres else f"'{v.hex}'") for k, v in ids.items()}
    step = DAYS * 86_400 / conversations
    async with db.write_session() as s:
        await s.execute(text("CREATE TABLE bench_word (n INTEGER PRIMARY KEY, w TEXT NOT NULL)"))
        await s.execute(
            text("INSERT INTO bench_word (n, w) VALUES (:n, :w)"),
            [{"n": n, "w": w} for n, w in enumerate(WORDS)],
        )
        await s.commit()
    words = " || ' ' || ".join(
        f"(SELECT w FROM bench_word WHERE n = CAST(i AS BIGINT) * {f} % {m} % {len(WORDS)})"
        for f, m in zip(FACTORS, MODULI, strict=True)
    )
    per = MESSAGES_PER_CONVERSATION
    at = sql["at"]
    conv = {
        "id": sql["id"].format(p=CONVERSATION, n="i"),
        "workspace_id": hexed["workspace"],
        "channel_id": hexed["channel"],
        "contact_id": hexed["contact"],
        "status": "'closed'",
        "team_id": hexed["team"],
        "priority": "1",
        "opened_at": at.format(s=f"i * {step}"),
        "last_activity_at": at.format(s=f"i * {step}"),
        "last_message_preview": "''",
        "version": "1",
        "created_at": at.format(s=f"i * {step}"),
    }
    msg = {
        "id": sql["id"].format(p=MESSAGE, n="i"),
        "workspace_id": hexed["workspace"],
        "conversation_id": sql["id"].format(p=CONVERSATION, n=f"i / {per}"),
        "channel_id": hexed["channel"],
        "direction": "'inbound'",
        "sender_type": "'contact'",
        "kind": "'text'",
        "body": words,
        "attachments": "'[]'",
        "mentions": "'[]'",
        "version": "1",
        "created_at": at.format(s=f"(i / {per}) * {step} + (i % {per}) * 240"),
        "updated_at": at.format(s=f"(i / {per}) * {step}"),
    }
    chunk = 100_000
    for table, columns, count in (
        ("conversation", conv, conversations),
        ("message", msg, conversations * per),
    ):
        names = ", ".join(f'"{c}"' for c in columns)
        for first in range(0, count, chunk):
            last = min(count, first + chunk) - 1
            body = sql["series"].format(cols=", ".join(columns.values()), first=first, last=last)
            async with db.write_session() as s:
                await s.execute(text(f"INSERT INTO {table} ({names}) {body}"))
                await s.commit()
    async with db.write_session() as s:
        for table in ("conversation", "message", "search_document"):
            await s.execute(text(f"ANALYZE {table}"))
        await s.commit()


async def seed_workspace(db: Database) -> dict[str, uuid.UUID]:
    """The workspace with one team, one channel and one contact."""
    async with db.write_session() as s:
        org = Organisation(name="Bench", created_at=START)
        s.add(org)
        await s.flush()
        ws = Workspace(
            organisation_id=org.id,
            name="Bench",
            slug="bench-search",
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
        await s.commit()
        return {"workspace": ws.id, "team": team.id, "channel": channel.id, "contact": contact.id}


def messages_wanted(argv: list[str], quick: bool) -> int:
    if "--messages" in argv:
        at = argv.index("--messages")
        count = int(argv[at + 1])
        del argv[at : at + 2]
        return count
    return 200_000 if quick else 1_000_000


async def measure(args: Any, wanted: int) -> dict[str, Any]:
    conversations = max(1, wanted // MESSAGES_PER_CONVERSATION)
    each = 20 if args.quick else 50
    async with own_database(args.db, "search") as work:
        db = create_database(work.url)
        try:
            t0 = now()
            ids = await seed_workspace(db)
            workspace_id = ids["workspace"]
            await write_messages(db, ids, conversations)
            seeded = now() - t0
            async with db.read_session() as s:
                messages = int(await s.scalar(select(func.count()).select_from(Message)) or 0)
                documents = int(
                    await s.scalar(select(func.count()).select_from(SearchDocument)) or 0
                )
            rng = random.Random(11)
            manager = Actor(workspace_id=workspace_id, role="manager")

            async def by_key(_: int) -> None:
                async with db.read_session() as s:
                    wanted_id = gen_id(CONVERSATION, rng.randrange(conversations))
                    await s.scalar(select(Conversation.id).where(Conversation.id == wanted_id))

            hits: dict[str, list[int]] = {"two": [], "one": []}

            def two_words() -> str:
                i = rng.randrange(messages)
                return f"{unaccented(word_at(i, 0))} {unaccented(word_at(i, 3))}"

            async def searching(kind: str) -> float:
                async def one(_: int) -> None:
                    q = two_words() if kind == "two" else unaccented(rng.choice(WORDS))
                    async with db.read_session() as s:
                        page = await search(s, manager, q, SearchFilter(), limit=PAGE)
                    hits[kind].append(len(page.items))

                return await p99_concurrent(one, CLIENTS, each)

            await p99_concurrent(by_key, CLIENTS, 20)  # warm the pools
            r7 = await p99_concurrent(by_key, CLIENTS, 50 if args.quick else 200)
            two = await searching("two")
            one = await searching("one")
        finally:
            await db.dispose()
    return {
        "messages": messages,
        "documents": documents,
        "seed_s": round(seeded, 1),
        "R7_p99_ms": round(r7 * 1000, 2),
        "two_words_p99_ms": round(two * 1000, 2),
        "two_words_vs_R7": round(two / r7, 2),
        "two_words_found": round(sum(hits["two"]) / len(hits["two"]), 1),
        "one_word_p99_ms": round(one * 1000, 2),
        "one_word_vs_R7": round(one / r7, 2),
        "one_word_found": round(sum(hits["one"]) / len(hits["one"]), 1),
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    rest = list(sys.argv[1:] if argv is None else argv)
    quick = "--quick" in rest
    wanted = messages_wanted(rest, quick)
    args = options(__doc__ or "", rest)
    figures = await measure(args, wanted)
    # Every search found what it looked for: each two-word search names a message's words.
    passed = figures["two_words_found"] >= 1 and figures["documents"] >= figures["messages"]
    r7 = figures["R7_p99_ms"]
    print_table(
        f"S11 ({args.db}, {figures['messages']:,} messages, {CLIENTS} concurrent clients"
        f"{', quick' if args.quick else ''}; reference R7)",
        [
            (
                "two_words_p99_ms",
                figures["two_words_p99_ms"],
                r7,
                figures["two_words_vs_R7"],
                "",
                "",
            ),
            ("one_word_p99_ms", figures["one_word_p99_ms"], r7, figures["one_word_vs_R7"], "", ""),
            (
                "two_words_found (avg, page of 20)",
                figures["two_words_found"],
                "",
                "",
                ">= 1",
                passed,
            ),
            ("one_word_found (avg, page of 20)", figures["one_word_found"], "", "", "", ""),
            ("documents indexed", figures["documents"], "", "", "", ""),
            ("seed_s", figures["seed_s"], "", "", "", ""),
        ],
    )
    path = write_json(
        "S11",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"R7_p99_ms": r7},
        figures=figures,
        targets={"two_words_vs_R7": "reported", "one_word_vs_R7": "reported"},
        passed=passed,
        notes=["messages written by INSERT ... SELECT; the index filled by its triggers"],
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print()
    keys = ("messages", "two_words_vs_R7", "one_word_vs_R7")
    print(result_line("S11", {k: figures[k] for k in keys}, passed))
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

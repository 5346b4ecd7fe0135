"""S1, S1c: signed WhatsApp webhooks into a real server, against reference R3.

R3   the SQL the inbound path runs for one message (channel lookup, identity, dedupe lookup,
     conversation upsert, message insert, two event inserts, job insert), raw asyncpg or
     aiosqlite, no HTTP, at the same concurrency as S1: messages/s at saturation.
S1   WhatsApp-shaped webhooks (the recorded fixtures, unique wamids, several contacts, two
     numbers, a valid X-Hub-Signature-256 over the raw body) POSTed to the server on loopback
     by CONCURRENCY senders back to back: acknowledged messages/s, divided by R3.
S1c  the same server at a fixed 320 requests/s (messages, status callbacks and a few
     redeliveries) for a bounded time: acknowledgement p50 / p99, timed from each request's
     scheduled start, so a server that falls behind is charged for the queue it builds.

S1-twilio  signed Twilio SMS forms (X-Twilio-Signature, unique MessageSids) POSTed to the same
     server by CONCURRENCY senders for a third of S1's time, then one forged request (403,
     nothing stored): acknowledged messages/s, divided by R3.

S1-email  raw mails POSTed with the channel's secret to the email forwarding route for a third
     of S1's time (divided by R3), then mails waiting in a local IMAP mailbox read by the mailbox
     watcher (benchmarks/ingest_email.py).

Afterwards every acknowledged message is counted in the database by provider id: each must be
there exactly once.

`python -m benchmarks.ingest [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import (
    PG_ADMIN_DSN,
    ROOT,
    Server,
    Workdir,
    free_port,
    latency_ms,
    migrate,
    new_secret,
    now,
    options,
    own_cpu_seconds,
    print_table,
    result_line,
    server_env,
    write_json,
)
from benchmarks.ingest_email import (
    IMAP_MAILS,
    measure_forwarding,
    measure_imap,
    report_email,
    seed_email,
    stored_mail,
)
from benchmarks.world import seed_people
from frontdesk.channels.whatsapp.signature import HEADER, sign
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox
from frontdesk.db.engine import create_database
from frontdesk.db.ids import new_id

PG_DATABASE = "frontdesk_bench_ingest"
CONCURRENCY = 16
RATE = 320.0
REDELIVERY_EVERY = 20  # in S1c, one request in 20 repeats an earlier message, as Meta does
REQUEST_TIMEOUT = 30.0
S1C_CONNECTIONS = 256
TARGETS: dict[str, dict[str, float]] = {
    "S1": {"ratio_to_R3": 0.5},
    "S1c": {"p50_ms": 50.0, "p99_ms": 250.0},
}
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "whatsapp"
# Kinds with no file to fetch: a media message would make the server call the Graph API.
MESSAGE_FIXTURES = (
    "text_message",
    "reply_text_with_context",
    "interactive_button_reply",
    "location_message",
    "contacts_message",
    "text_message",
)
STATUS_FIXTURES = ("status_sent", "status_delivered", "status_read")


@dataclass(frozen=True)
class Sizes:
    contacts: int  # per site, spread over its two numbers
    r3_seconds: float
    s1_seconds: float
    s1c_seconds: float
    grace_seconds: float  # S1c: how long past its end a request may still take
    max_requests: int = 200_000


FULL = Sizes(contacts=400, r3_seconds=20.0, s1_seconds=30.0, s1c_seconds=60.0, grace_seconds=30.0)
QUICK = Sizes(contacts=40, r3_seconds=4.0, s1_seconds=6.0, s1c_seconds=5.0, grace_seconds=5.0)


# --- database and people -------------------------------------------------------------------


@contextlib.asynccontextmanager
async def ingest_database(kind: str) -> AsyncIterator[Workdir]:
    """A fresh, migrated database: a temp SQLite file, or `frontdesk_bench_ingest`."""
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-ingest-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{path / 'bench.db'}"
    else:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"
    work = Workdir(path=path, database=kind, url=url)
    try:
        migrate(work)
        yield work
    finally:
        if kind == "postgresql":
            with contextlib.suppress(Exception):
                await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@dataclass(frozen=True)
class Number:
    number_id: str
    display: str
    app_secret: str
    channel_id: uuid.UUID


@dataclass(frozen=True)
class Customer:
    wa_id: str
    user_id: str
    name: str
    number: Number


@dataclass
class Site:
    """A workspace with two connected WhatsApp numbers and the customers who write to them."""

    label: str
    workspace_id: uuid.UUID
    team_id: uuid.UUID
    numbers: list[Number]
    customers: list[Customer]


async def seed_site(url: str, label: str, secret_key: str, customers: int) -> Site:
    world = await seed_people(url, label, supervisors=["owner"], team_sizes=[2])
    box, at, prefix = SecretBox(secret_key), datetime.now(UTC), str(len(label) + 1)
    numbers = [
        Number(
            number_id=f"10{prefix}{k}{secrets.randbelow(10**9):09d}",
            display=f"+1 555 01{k}{prefix}",
            app_secret=secrets.token_hex(16),
            channel_id=new_id(),
        )
        for k in range(2)
    ]
    db = create_database(url)
    try:
        async with db.write_session() as s:
            for k, number in enumerate(numbers):
                s.add(
                    Channel(
                        id=number.channel_id,
                        workspace_id=world.workspace_id,
                        type="whatsapp",
                        name=f"{label} number {k + 1}",
                        settings={
                            "phone_number_id": number.number_id,
                            "business_account_id": f"waba-{number.number_id}",
                            "display_phone_number": number.display,
                        },
                        secrets_encrypted=box.seal(
                            {
                                "access_token": "EAAG" + secrets.token_hex(20),
                                "app_secret": number.app_secret,
                            }
                        ),
                        team_id=world.teams[0],
                        is_active=True,
                        created_at=at,
                        updated_at=at,
                    )
                )
            await s.commit()
    finally:
        await db.dispose()
    people = [
        Customer(
            wa_id=f"55{prefix}{i:09d}",
            user_id=f"BR.{secrets.randbelow(10**18):018d}",
            name=f"Customer {label} {i}",
            number=numbers[i % len(numbers)],
        )
        for i in range(customers)
    ]
    return Site(label, world.workspace_id, world.teams[0], numbers, people)


# --- webhook bodies ------------------------------------------------------------------------


def _fixture(name: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_bytes())
    return value


@dataclass(frozen=True)
class Webhook:
    wamid: str
    body: bytes
    signature: str
    is_message: bool


@dataclass
class Bodies:
    """Realistic bodies from the recorded fixtures: a fresh wamid each, signed per number."""

    site: Site
    tag: str
    messages: list[dict[str, Any]] = field(default_factory=list)
    statuses: list[dict[str, Any]] = field(default_factory=list)
    counter: itertools.count[int] = field(default_factory=itertools.count)

    def __post_init__(self) -> None:
        self.messages = [_fixture(n) for n in MESSAGE_FIXTURES]
        self.statuses = [_fixture(n) for n in STATUS_FIXTURES]

    def _value(self, template: dict[str, Any], who: Customer) -> tuple[dict[str, Any], Any]:
        body = copy.deepcopy(template)
        body["entry"][0]["id"] = f"waba-{who.number.number_id}"
        value = body["entry"][0]["changes"][0]["value"]
        value["metadata"] = {
            "display_phone_number": who.number.display,
            "phone_number_id": who.number.number_id,
        }
        value["contacts"] = [
            {"profile": {"name": who.name}, "wa_id": who.wa_id, "user_id": who.user_id}
        ]
        return body, value

    def _signed(self, body: dict[str, Any], who: Customer, wamid: str, message: bool) -> Webhook:
        raw = json.dumps(body, separators=(",", ":"), ensure_ascii=True).encode()
        return Webhook(wamid, raw, sign(raw, who.number.app_secret), message)

    def message(self, customer: int | None = None) -> Webhook:
        n = next(self.counter)
        who = self.site.customers[(n if customer is None else customer) % len(self.site.customers)]
        body, value = self._value(self.messages[n % len(self.messages)], who)
        wamid = f"wamid.HBgN{self.tag}{n:09d}{secrets.token_hex(8).upper()}"
        msg = value["messages"][0]
        msg.update({"from": who.wa_id, "id": wamid, "timestamp": str(int(time.time()))})
        if "context" in msg and "id" in msg["context"]:
            msg["context"]["id"] = f"wamid.HBgN{self.tag}{max(0, n - 3):09d}"
        if msg.get("type") == "text" and "context" not in msg:
            msg["text"]["body"] = f"Hello, this is {who.name}: where is my order {n}?"
        return self._signed(body, who, wamid, True)

    def status(self) -> Webhook:
        """A delivery report for a reply (its wamid unknown here: the report is parked)."""
        n = next(self.counter)
        who = self.site.customers[n % len(self.site.customers)]
        body, value = self._value(self.statuses[n % len(self.statuses)], who)
        value.pop("contacts", None)
        wamid = f"wamid.HBgOUT{self.tag}{n:09d}"
        status = value["statuses"][0]
        status.update({"id": wamid, "recipient_id": who.wa_id, "timestamp": str(int(time.time()))})
        return self._signed(body, who, wamid, False)


# --- R3: the inbound SQL, no HTTP ----------------------------------------------------------


class Sql:
    """Statements and values for one database: `?` placeholders, converted for asyncpg."""

    def __init__(self, kind: str) -> None:
        self.pg = kind == "postgresql"

    def q(self, sql: str) -> str:
        if not self.pg:
            return sql
        parts = sql.split("?")
        return parts[0] + "".join(f"${i}{p}" for i, p in enumerate(parts[1:], start=1))

    def uid(self, value: uuid.UUID | None) -> Any:
        if value is None:
            return None
        return value if self.pg else value.hex

    def ts(self, value: datetime) -> Any:
        return value if self.pg else value.replace(tzinfo=None).isoformat(" ", "microseconds")

    def flag(self, value: bool) -> Any:
        return value if self.pg else int(value)


class Conn:
    """One connection, raw asyncpg or aiosqlite, with the few calls R3 needs."""

    def __init__(self, sql: Sql, raw: Any) -> None:
        self.sql, self.raw = sql, raw

    @classmethod
    async def open(cls, kind: str, work: Workdir) -> Conn:
        if kind == "postgresql":
            import asyncpg

            dsn = work.url.replace("postgresql+asyncpg://", "postgresql://")
            return cls(Sql(kind), await asyncpg.connect(dsn, timeout=10))
        import aiosqlite

        raw = await aiosqlite.connect(work.url.split(":///", 1)[1], isolation_level=None)
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
            await raw.execute(f"PRAGMA {pragma}")
        await raw.execute("PRAGMA busy_timeout=30000")
        return cls(Sql(kind), raw)

    async def close(self) -> None:
        await self.raw.close()

    async def row(self, statement: str, *args: Any) -> Any:
        if self.sql.pg:
            return await self.raw.fetchrow(self.sql.q(statement), *args)
        async with self.raw.execute(statement, args) as cursor:
            return await cursor.fetchone()

    async def rows(self, statement: str, *args: Any) -> list[Any]:
        if self.sql.pg:
            return list(await self.raw.fetch(self.sql.q(statement), *args))
        async with self.raw.execute(statement, args) as cursor:
            return list(await cursor.fetchall())

    async def run(self, statement: str, *args: Any) -> None:
        if self.sql.pg:
            await self.raw.execute(self.sql.q(statement), *args)
        else:
            await self.raw.execute(statement, args)

    async def begin(self) -> None:
        await self.run("BEGIN" if self.sql.pg else "BEGIN IMMEDIATE")

    async def commit(self) -> None:
        await self.run("COMMIT")

    async def rollback(self) -> None:
        await self.run("ROLLBACK")


CHANNELS_SQL = (
    "SELECT id, workspace_id, type, name, settings, secrets_encrypted, team_id, is_active, "
    "created_at, updated_at FROM channel WHERE workspace_id = ? AND type = ? AND is_active = ?"
)
IDENTITY_SQL = (
    "SELECT id, contact_id, provider_id, secondary_id, profile_name, extra FROM contact_identity "
    "WHERE channel_id = ? AND (provider_id IN (?, ?) OR secondary_id IN (?, ?))"
)
CONTACT_SQL = "SELECT id, workspace_id, name, phone, version FROM contact WHERE id = ?"
INSERT_CONTACT = (
    "INSERT INTO contact (id, workspace_id, name, email, phone, language, avatar_url, "
    "lifecycle_stage, owner_id, notes, merged_into_id, version, created_at, updated_at) "
    "VALUES (?, ?, ?, NULL, ?, NULL, NULL, NULL, NULL, '', NULL, 1, ?, ?)"
)
INSERT_IDENTITY = (
    "INSERT INTO contact_identity (id, workspace_id, contact_id, channel_id, provider_id, "
    "secondary_id, profile_name, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
DEDUPE_SQL = (
    "SELECT message.id, conversation.id FROM message JOIN conversation "
    "ON conversation.id = message.conversation_id "
    "WHERE message.channel_id = ? AND message.provider_message_id = ?"
)
OPEN_CONVERSATION_SQL = (
    "SELECT id, status, assignee_id, queued_at, waiting_since, version FROM conversation "
    "WHERE workspace_id = ? AND channel_id = ? AND contact_id = ? AND status != 'closed' "
    "ORDER BY created_at DESC LIMIT 1"
)
INSERT_CONVERSATION = (
    "INSERT INTO conversation (id, workspace_id, channel_id, contact_id, status, team_id, "
    "priority, opened_at, last_activity_at, last_message_preview, version, created_at) "
    "VALUES (?, ?, ?, ?, 'open', ?, 1, ?, ?, '', 0, ?)"
)
QUOTED_SQL = "SELECT id FROM message WHERE channel_id = ? AND provider_message_id = ?"
INSERT_MESSAGE = (
    "INSERT INTO message (id, workspace_id, conversation_id, channel_id, direction, sender_type, "
    "sender_user_id, kind, body, attachments, mentions, client_message_id, provider_message_id, "
    "status, reply_to_provider_id, reply_to_message_id, payload, raw, edited_at, deleted_at, "
    "version, created_at, updated_at) VALUES (?, ?, ?, ?, 'inbound', 'contact', NULL, 'text', ?, "
    "'[]', '[]', NULL, ?, 'received', ?, ?, NULL, ?, NULL, NULL, 1, ?, ?)"
)
UPDATE_CONVERSATION = (
    "UPDATE conversation SET waiting_since = ?, last_inbound_at = ?, last_activity_at = ?, "
    "last_message_preview = ?, version = ? WHERE id = ?"
)
CONVERSATION_SQL = (
    "SELECT id, workspace_id, channel_id, contact_id, status, assignee_id, team_id, priority, "
    "waiting_since, last_activity_at, last_message_preview, version FROM conversation "
    "WHERE id = ? AND workspace_id = ?"
)
TAGS_SQL = (
    "SELECT conversation_tag.conversation_id, tag.id, tag.name FROM conversation_tag "
    "JOIN tag ON tag.id = conversation_tag.tag_id WHERE conversation_tag.workspace_id = ? "
    "AND tag.workspace_id = ? AND conversation_tag.conversation_id IN (?) "
    "ORDER BY lower(tag.name), tag.id"
)
INSERT_EVENT = (
    "INSERT INTO event_log (workspace_id, type, audience, payload, created_at) "
    "VALUES (?, ?, ?, ?, ?) RETURNING id"
)
INSERT_JOB = (
    "INSERT INTO job (workspace_id, kind, payload, status, run_at, attempts, max_attempts, "
    "lease_until, locked_by, last_error, created_at, updated_at) "
    "VALUES (?, 'routing_route', ?, 'pending', ?, 0, 8, NULL, NULL, NULL, ?, ?)"
)


def _event_payloads(
    site: Site, conversation_id: uuid.UUID, message_id: uuid.UUID, who: Customer, body: str
) -> tuple[str, str]:
    """Events the size of the app's: the conversation as the inbox shows it, and the message."""
    conversation: dict[str, Any] = {
        "id": str(conversation_id),
        "status": "open",
        "channel": {"id": str(who.number.channel_id), "type": "whatsapp", "name": "WhatsApp"},
        "contact": {"id": str(uuid.uuid4()), "name": who.name, "phone": "+" + who.wa_id},
        "team": {"id": str(site.team_id), "name": "Team 0"},
        "assignee": None,
        "priority": 1,
        "tags": [],
        "last_message_preview": body,
        "waiting_since": datetime.now(UTC).isoformat(),
        "last_activity_at": datetime.now(UTC).isoformat(),
        "version": 2,
    }
    message = {
        "id": str(message_id),
        "conversation_id": str(conversation_id),
        "direction": "inbound",
        "sender_type": "contact",
        "kind": "text",
        "body": body,
        "attachments": [],
        "status": "received",
        "created_at": datetime.now(UTC).isoformat(),
        "version": 1,
    }
    return (
        json.dumps({"conversation": conversation, "change": {"inbound": True}}),
        json.dumps({"message": message, "conversation": conversation}),
    )


async def inbound_sql(conn: Conn, site: Site, who: Customer, wamid: str, raw: str) -> bool:
    """One inbound text message, as the webhook records it; False when already stored."""
    s, at = conn.sql, datetime.now(UTC)
    ws, ch = s.uid(site.workspace_id), s.uid(who.number.channel_id)
    await conn.rows(CHANNELS_SQL, ws, "whatsapp", s.flag(True))  # read before the transaction
    await conn.begin()
    try:
        ids = (who.wa_id, who.user_id, who.wa_id, who.user_id)
        identity = await conn.row(IDENTITY_SQL, ch, *ids)
        if identity is None:
            contact_id = new_id()
            name, phone = who.name, "+" + who.wa_id
            await conn.run(INSERT_CONTACT, s.uid(contact_id), ws, name, phone, s.ts(at), s.ts(at))
            await conn.run(
                INSERT_IDENTITY,
                *(s.uid(new_id()), ws, s.uid(contact_id), ch, who.wa_id, who.user_id, name),
                *("{}", s.ts(at)),
            )
            contact = s.uid(contact_id)
        else:
            contact = identity[1]
            await conn.row(CONTACT_SQL, contact)
        if await conn.row(DEDUPE_SQL, ch, wamid) is not None:
            await conn.rollback()
            return False
        conv = await conn.row(OPEN_CONVERSATION_SQL, ws, ch, contact)
        if conv is None:
            conv_id, version = s.uid(new_id()), 0
            team = s.uid(site.team_id)
            await conn.run(INSERT_CONVERSATION, conv_id, ws, ch, contact, team, *[s.ts(at)] * 3)
        else:
            conv_id, version = conv[0], conv[5]
        await conn.row(QUOTED_SQL, ch, wamid + "-quoted")
        message_id, body = new_id(), f"Hello, this is {who.name}: where is my order?"
        await conn.run(
            INSERT_MESSAGE,
            *(s.uid(message_id), ws, conv_id, ch, body, wamid, None, None, raw),
            *(s.ts(at), s.ts(at)),
        )
        await conn.run(UPDATE_CONVERSATION, *[s.ts(at)] * 3, body, version + 1, conv_id)
        await conn.row(CONVERSATION_SQL, conv_id, ws)
        await conn.rows(TAGS_SQL, ws, ws, conv_id)
        conversation_event, message_event = _event_payloads(
            site, uuid.UUID(str(conv_id)), message_id, who, body
        )
        audience = json.dumps([f"ws:{site.workspace_id}:supervisors", f"team:{site.team_id}"])
        for kind, payload in (
            ("conversation.updated", conversation_event),
            ("message.created", message_event),
        ):
            await conn.row(INSERT_EVENT, ws, kind, audience, payload, s.ts(at))
        job = json.dumps({"workspace_id": str(site.workspace_id), "conversation_id": str(conv_id)})
        await conn.run(INSERT_JOB, ws, job, s.ts(at), s.ts(at), s.ts(at))
        await conn.commit()
    except BaseException:
        with contextlib.suppress(Exception):
            await conn.rollback()
        raise
    return True


@dataclass
class Rate:
    done: int = 0
    errors: int = 0
    seconds: float = 0.0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0
    error_samples: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.done / self.seconds if self.seconds else 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(text[:300])


async def saturate(
    workers: int, seconds: float, limit: int, one: Callable[[int], Awaitable[bool]]
) -> Rate:
    """`workers` loops calling `one` back to back until `seconds` or `limit` calls."""
    rate, counter = Rate(), itertools.count()
    start, cpu0 = now(), own_cpu_seconds()
    deadline = start + seconds

    async def worker(k: int) -> None:
        while now() < deadline and next(counter) < limit:
            try:
                if await one(k):
                    rate.done += 1
            except Exception as exc:
                rate.error(f"{type(exc).__name__}: {exc}")

    await asyncio.gather(*(worker(k) for k in range(workers)))
    rate.seconds = now() - start
    rate.client_cpu_s = own_cpu_seconds() - cpu0
    return rate


async def measure_r3(kind: str, work: Workdir, site: Site, sizes: Sizes) -> Rate:
    conns = [await Conn.open(kind, work) for _ in range(CONCURRENCY)]
    bodies = Bodies(site, "R3")
    try:
        # Warm up: every customer's contact, identity and conversation, as S1 does.
        for i in range(len(site.customers)):
            hook = bodies.message(i)
            await inbound_sql(conns[0], site, site.customers[i], hook.wamid, hook.body.decode())

        async def one(k: int) -> bool:
            n = next(bodies.counter)
            who = site.customers[n % len(site.customers)]
            wamid = f"wamid.HBgNR3{n:09d}{secrets.token_hex(8).upper()}"
            raw = json.dumps({"from": who.wa_id, "id": wamid, "type": "text"})
            return await inbound_sql(conns[k], site, who, wamid, raw)

        return await saturate(CONCURRENCY, sizes.r3_seconds, sizes.max_requests, one)
    finally:
        for conn in conns:
            await conn.close()


# --- S1 and S1c: the server ----------------------------------------------------------------


async def start_frontdesk(work: Workdir, secret: str) -> Server:
    """Exactly `frontdesk serve` (one worker, jobs in-process) on a loopback port.

    The Graph API address points at a closed loopback port: nothing the server might send
    leaves the machine (the bodies carry no media, so nothing should be sent at all).
    """
    port = free_port()
    env = server_env(work, port=port, secret=secret, redis_url=None)
    env["FRONTDESK_META_GRAPH_URL"] = f"http://127.0.0.1:{free_port()}/v25.0"
    log_path = work.path / f"frontdesk-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220, S603 - our own interpreter and module
        [sys.executable, "-m", "frontdesk", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(name="frontdesk", port=port, process=process, log_path=log_path, _log=log)
    try:
        await server.wait_ready()
    except BaseException:
        await server.stop()
        raise
    return server


@dataclass
class Ledger:
    """What the server acknowledged, by wamid, and how the rest answered."""

    acked: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)

    async def post(self, http: httpx.AsyncClient, url: str, hook: Webhook) -> bool:
        headers = {"Content-Type": "application/json", HEADER: hook.signature}
        response = await http.post(url, content=hook.body, headers=headers)
        self.statuses[response.status_code] += 1
        if response.status_code != 200:
            raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")
        if hook.is_message:
            self.acked.add(hook.wamid)
        return True


def _client(connections: int) -> httpx.AsyncClient:
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    return httpx.AsyncClient(limits=limits, timeout=REQUEST_TIMEOUT)


async def measure_s1(server: Server, site: Site, sizes: Sizes, ledger: Ledger) -> Rate:
    url = f"{server.url}/webhooks/whatsapp/{site.workspace_id}"
    bodies = Bodies(site, "S1")
    async with _client(CONCURRENCY) as http:
        warm = [bodies.message(i) for i in range(len(site.customers))]
        for start in range(0, len(warm), 4):  # distinct customers, a few at a time
            await asyncio.gather(*(ledger.post(http, url, h) for h in warm[start : start + 4]))
        cpu0 = server.cpu()

        async def one(_: int) -> bool:
            return await ledger.post(http, url, bodies.message())

        rate = await saturate(CONCURRENCY, sizes.s1_seconds, sizes.max_requests, one)
        rate.server_cpu_s = server.cpu() - cpu0
        return rate


@dataclass
class Fixed:
    latencies: list[float] = field(default_factory=list)
    sent: int = 0
    messages: int = 0
    statuses: int = 0
    redeliveries: int = 0
    errors: int = 0
    timeouts: int = 0
    offered_seconds: float = 0.0  # from the first request sent to the last
    seconds: float = 0.0
    server_cpu_s: float = 0.0
    error_samples: list[str] = field(default_factory=list)


async def measure_s1c(server: Server, site: Site, sizes: Sizes, ledger: Ledger) -> Fixed:
    """Open loop at RATE requests/s; each request timed from its scheduled start."""
    url = f"{server.url}/webhooks/whatsapp/{site.workspace_id}"
    bodies, fixed = Bodies(site, "S1c"), Fixed()
    total = min(int(RATE * sizes.s1c_seconds), sizes.max_requests)
    earlier: list[Webhook] = []

    cutoff = now() + sizes.s1c_seconds + sizes.grace_seconds
    # Requests past the connection pool wait here (O(1) per wake-up), not in the pool's queue,
    # which is scanned on every release and would make the load generator the bottleneck.
    in_flight = asyncio.Semaphore(S1C_CONNECTIONS)

    async def bounded(hook: Webhook) -> None:
        async with in_flight:
            await ledger.post(http, url, hook)

    async def one(hook: Webhook, at: float) -> None:
        try:
            await asyncio.wait_for(bounded(hook), max(0.0, cutoff - now()))
            fixed.latencies.append(now() - at)
        except TimeoutError:
            # Still unanswered when the run ends: counted at what it waited so far (a bound).
            fixed.timeouts += 1
            fixed.latencies.append(now() - at)
        except Exception as exc:
            fixed.errors += 1
            if len(fixed.error_samples) < 5:
                fixed.error_samples.append(f"{type(exc).__name__}: {exc}"[:300])

    async with _client(S1C_CONNECTIONS) as http:
        cpu0, start, tasks = server.cpu(), now(), []
        for i in range(total):
            at = start + i / RATE
            if (delay := at - now()) > 0:
                await asyncio.sleep(delay)
            if i % REDELIVERY_EVERY == REDELIVERY_EVERY - 1 and earlier:
                hook = earlier[secrets.randbelow(len(earlier))]
                fixed.redeliveries += 1
            elif i % 2 == 0:
                hook = bodies.message()
                earlier.append(hook)
                fixed.messages += 1
            else:
                hook = bodies.status()
                fixed.statuses += 1
            tasks.append(asyncio.create_task(one(hook, at)))
        fixed.offered_seconds = now() - start
        await asyncio.gather(*tasks)
        fixed.seconds = now() - start
        fixed.server_cpu_s = server.cpu() - cpu0
        fixed.sent = total
    return fixed


@dataclass
class Faults:
    """F4 / F5 at the server under test: what each bad delivery was answered."""

    answers: dict[str, int] = field(default_factory=dict)
    expected: dict[str, tuple[int, ...]] = field(default_factory=dict)
    never_stored: list[str] = field(default_factory=list)  # wamids that must not exist
    once: list[str] = field(default_factory=list)  # wamids delivered many times, kept once

    stored_forged: int = 0  # filled in from the database afterwards
    kept: list[int] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        wrong = [k for k, v in self.answers.items() if v not in self.expected[k]]
        if self.stored_forged:
            wrong.append("forged_or_unsigned_stored")
        if self.kept != [1] * len(self.once):
            wrong.append("redelivered_not_kept_once")
        return wrong


async def fault_checks(server: Server, site: Site, ledger: Ledger) -> Faults:
    """Bad signatures, broken bodies, oversize, unknown shapes and redeliveries (F4, F5)."""
    url = f"{server.url}/webhooks/whatsapp/{site.workspace_id}"
    bodies, faults = Bodies(site, "F"), Faults()
    secret = site.numbers[0].app_secret

    async def answer(name: str, body: bytes, signature: str | None, *ok: int) -> None:
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers[HEADER] = signature
        response = await http.post(url, content=body, headers=headers)
        faults.answers[name], faults.expected[name] = response.status_code, ok

    async with _client(32) as http:
        forged = bodies.message(0)
        faults.never_stored.append(forged.wamid)
        await answer("bad_signature", forged.body, sign(forged.body, "not-the-app-secret"), 401)
        unsigned = bodies.message(1)
        faults.never_stored.append(unsigned.wamid)
        await answer("missing_signature", unsigned.body, None, 401)
        truncated = bodies.message(2).body[:-7]
        await answer("truncated_json", truncated, sign(truncated, secret), 400)
        invalid = (
            b'{"object":"whatsapp_business_account","entry":[{"id":"'
            + bytes([0xFF, 0xFE])
            + b'"}]}'
        )
        await answer("invalid_utf8", invalid, sign(invalid, secret), 400)
        wrong = json.dumps({"object": "whatsapp_business_account", "entry": "nope"}).encode()
        await answer("wrong_types", wrong, sign(wrong, secret), 200)
        unknown = json.dumps({"object": "page", "entry": [{"id": "1", "time": 1}]}).encode()
        await answer("unknown_shape", unknown, sign(unknown, secret), 200)
        huge = b'{"object":"whatsapp_business_account","pad":"' + b"x" * (4 << 20) + b'"}'
        await answer("oversize_4mb", huge, sign(huge, secret), 413)
        again = bodies.message(3)
        faults.once.append(again.wamid)
        for attempt in range(3):  # sequential redeliveries
            await ledger.post(http, url, again)
            faults.answers[f"redelivery_{attempt}"], faults.expected[f"redelivery_{attempt}"] = (
                200,
                (200,),
            )
        burst = bodies.message(4)
        faults.once.append(burst.wamid)
        results = await asyncio.gather(
            *(ledger.post(http, url, burst) for _ in range(20)), return_exceptions=True
        )
        faults.answers["concurrent_x20_ok"] = sum(1 for r in results if r is True)
        faults.expected["concurrent_x20_ok"] = (20,)
    return faults


async def stored_counts(
    kind: str, work: Workdir, site: Site
) -> tuple[Counter[str], int, dict[str, int]]:
    """How many inbound messages each provider id has on the site's numbers, and how many
    messages went the other way (greetings, queue notices: never sent, the Graph API is off),
    and the jobs the webhooks left behind, by kind."""
    conn = await Conn.open(kind, work)
    try:
        s, counts, outbound = conn.sql, Counter[str](), 0
        for number in site.numbers:
            rows = await conn.rows(
                "SELECT provider_message_id, count(*) FROM message WHERE channel_id = ? "
                "AND direction = 'inbound' GROUP BY provider_message_id",
                s.uid(number.channel_id),
            )
            for provider_id, n in rows:
                counts[str(provider_id)] += int(n)
            row = await conn.row(
                "SELECT count(*) FROM message WHERE channel_id = ? AND direction != 'inbound'",
                s.uid(number.channel_id),
            )
            outbound += int(row[0])
        jobs = await conn.rows(
            "SELECT kind, count(*) FROM job WHERE workspace_id = ? GROUP BY kind ORDER BY kind",
            s.uid(site.workspace_id),
        )
        return counts, outbound, {str(k): int(n) for k, n in jobs}
    finally:
        await conn.close()


@dataclass
class ExactlyOnce:
    acked: int
    missing: int
    duplicates: int

    @property
    def ok(self) -> bool:
        return self.acked > 0 and self.missing == 0 and self.duplicates == 0


def exactly_once(acked: set[str], counts: Counter[str]) -> ExactlyOnce:
    missing = sum(1 for wamid in acked if counts[wamid] == 0)
    duplicates = sum(1 for n in counts.values() if n > 1)
    return ExactlyOnce(len(acked), missing, duplicates)


# --- report --------------------------------------------------------------------------------


def _ms(seconds: float, count: int) -> float | None:
    return round(seconds * 1000 / count, 3) if count else None


def report(  # noqa: PLR0917 - the run's measurements, once each
    args: Any,
    r3: Rate,
    s1: Rate,
    s1c: Fixed,
    once: ExactlyOnce,
    ledger: Ledger,
    outbound: int,
    jobs: dict[str, int],
    faults: Faults,
) -> bool:
    ratio = round(s1.per_second / r3.per_second, 3) if r3.per_second else 0.0
    lat = latency_ms(s1c.latencies)
    references = {
        "R3": {
            "messages_per_s": round(r3.per_second, 1),
            "messages": r3.done,
            "errors": r3.errors,
            "concurrency": CONCURRENCY,
            "cpu_ms_per_message": _ms(r3.client_cpu_s, r3.done),
        }
    }
    s1_ok = ratio >= TARGETS["S1"]["ratio_to_R3"] and not s1.errors
    s1c_ok = (
        lat["p50_ms"] <= TARGETS["S1c"]["p50_ms"]
        and lat["p99_ms"] <= TARGETS["S1c"]["p99_ms"]
        and not s1c.errors
        and not s1c.timeouts
    )
    answered = dict(sorted(ledger.statuses.items()))
    s1_figures = {
        "messages_per_s": round(s1.per_second, 1),
        "ratio_to_R3": ratio,
        "messages": s1.done,
        "errors": s1.errors,
        "server_cpu_ms_per_request": _ms(s1.server_cpu_s, s1.done),
        "client_cpu_ms_per_request": _ms(s1.client_cpu_s, s1.done),
        "concurrency": CONCURRENCY,
        "acked_messages": once.acked,
        "missing": once.missing,
        "duplicates": once.duplicates,
        "outbound_messages": outbound,
        "jobs_by_kind": jobs,
        "fault_answers": faults.answers,
        "fault_checks_failed": faults.failed,
        "http_statuses": answered,
    }
    s1c_figures = {
        **lat,
        "rate_per_s": RATE,
        "offered_per_s": round(s1c.sent / s1c.offered_seconds, 1) if s1c.offered_seconds else 0.0,
        "answered_200_per_s": round(
            (len(s1c.latencies) - s1c.timeouts) / s1c.seconds if s1c.seconds else 0.0, 1
        ),
        "requests": s1c.sent,
        "messages": s1c.messages,
        "status_callbacks": s1c.statuses,
        "redeliveries": s1c.redeliveries,
        "errors": s1c.errors,
        "unanswered_at_end": s1c.timeouts,
        "server_cpu_ms_per_request": _ms(s1c.server_cpu_s, s1c.sent),
    }
    title = f"S1 / S1c ({args.db}, {'quick' if args.quick else 'full'})"
    rows: list[Sequence[object]] = [
        ("S1 messages/s", s1_figures["messages_per_s"], r3.per_second, ratio, ">= 0.5", s1_ok),
        ("S1c p50_ms", lat["p50_ms"], "", "", "<= 50", lat["p50_ms"] <= 50),
        ("S1c p99_ms", lat["p99_ms"], "", "", "<= 250", lat["p99_ms"] <= 250),
        ("S1c max_ms", lat["max_ms"], "", "", "", ""),
        (
            "acked/missing/dup",
            f"{once.acked}/{once.missing}/{once.duplicates}",
            "",
            "",
            "n/0/0",
            once.ok,
        ),
        ("S1 server cpu ms/req", s1_figures["server_cpu_ms_per_request"], "", "", "", ""),
        ("S1 errors / S1c errors", f"{s1.errors}/{s1c.errors}", "", "", "0/0", ""),
        ("S1c unanswered at end", s1c.timeouts, "", "", "0", ""),
        ("outbound messages", outbound, "", "", "", ""),
        ("jobs left by kind", jobs, "", "", "", ""),
        ("F4/F5 answers", faults.answers, "", "", "", ""),
        ("F4/F5 failed", faults.failed or "none", "", "", "none", not faults.failed),
        ("HTTP statuses", answered, "", "", "", ""),
    ]
    print_table(title.replace("R5", "R3"), rows)
    notes = [
        f"R3 and S1 run {CONCURRENCY} concurrent senders; R3 adds a routing job per message",
        "S1c: every other request is a status callback for a reply (its wamid unknown, so the "
        f"report is parked), one in {REDELIVERY_EVERY} repeats an earlier message",
        "the load generator runs in the same process as R3 and shares the machine's cores",
        *r3.error_samples,
        *s1.error_samples,
        *s1c.error_samples,
    ]
    for scenario, figures, ok in (("S1", s1_figures, s1_ok), ("S1c", s1c_figures, s1c_ok)):
        path = write_json(
            scenario,
            database=args.db,
            broker="inprocess",
            quick=args.quick,
            references=references,
            figures=figures,
            targets=TARGETS[scenario],
            passed=ok and once.ok,
            notes=notes,
        )
        print(f"written {path.relative_to(path.parents[2])}")
    passed = s1_ok and s1c_ok and once.ok and not faults.failed
    line = {
        "db": args.db,
        "S1_per_s": s1_figures["messages_per_s"],
        "R3_per_s": round(r3.per_second, 1),
        "ratio_to_R3": ratio,
        "S1c_p50_ms": lat["p50_ms"],
        "S1c_p99_ms": lat["p99_ms"],
        "acked": once.acked,
        "missing": once.missing,
        "duplicates": once.duplicates,
        "faults_ok": "false" if faults.failed else "true",
    }
    print()
    print(result_line("S1", line, passed))
    return passed


# --- Twilio: signed SMS forms into the same server --------------------------------------------


@dataclass
class TwilioSms:
    """An SMS channel on a Twilio account in the S1 workspace."""

    channel_id: uuid.UUID
    workspace_id: uuid.UUID
    account_sid: str
    auth_token: str
    number: str = "+15005550006"


async def seed_twilio(url: str, site: Site, secret_key: str) -> TwilioSms:
    sms = TwilioSms(
        new_id(), site.workspace_id, "AC" + secrets.token_hex(16), secrets.token_hex(16)
    )
    at, db = datetime.now(UTC), create_database(url)
    try:
        async with db.write_session() as s:
            s.add(
                Channel(
                    id=sms.channel_id,
                    workspace_id=site.workspace_id,
                    type="sms",
                    name="Twilio SMS",
                    settings={
                        "provider": "twilio",
                        "account_sid": sms.account_sid,
                        "phone_number": sms.number,
                    },
                    secrets_encrypted=SecretBox(secret_key).seal({"auth_token": sms.auth_token}),
                    team_id=site.team_id,
                    is_active=True,
                    created_at=at,
                    updated_at=at,
                )
            )
            await s.commit()
    finally:
        await db.dispose()
    return sms


@dataclass
class TwilioRun:
    rate: Rate
    acked: set[str] = field(default_factory=set)
    forged_answer: int = 0
    forged_sid: str = ""
    stored: Counter[str] = field(default_factory=Counter)

    @property
    def ok(self) -> bool:
        once = all(self.stored[sid] == 1 for sid in self.acked)
        return (
            once
            and not self.rate.errors
            and self.forged_answer == 403
            and not self.stored[self.forged_sid]
        )


def _twilio_form(sms: TwilioSms, sid: str, customer: int) -> list[tuple[str, str]]:
    return [
        ("ToCountry", "US"),
        ("SmsMessageSid", sid),
        ("NumMedia", "0"),
        ("SmsSid", sid),
        ("SmsStatus", "received"),
        ("Body", f"Is the job still open? ({sid[-6:]})"),
        ("To", sms.number),
        ("NumSegments", "1"),
        ("MessageSid", sid),
        ("AccountSid", sms.account_sid),
        ("From", f"+1555{customer:07d}"),
        ("ApiVersion", "2010-04-01"),
    ]


async def measure_twilio(server: Server, sms: TwilioSms, sizes: Sizes, customers: int) -> TwilioRun:
    """Signed Twilio SMS webhooks (X-Twilio-Signature over the URL and the sorted form) at
    CONCURRENCY senders for a third of S1's time, then one forged request."""
    from frontdesk.channels.twilio.signature import HEADER as TWILIO_HEADER
    from frontdesk.channels.twilio.signature import sign as twilio_sign

    url = f"{server.url}/webhooks/twilio/{sms.workspace_id}/{sms.channel_id}"
    run = TwilioRun(Rate())
    counter = itertools.count()

    async def post(http: httpx.AsyncClient, form: list[tuple[str, str]], signature: str) -> int:
        headers = {TWILIO_HEADER: signature, "Content-Type": "application/x-www-form-urlencoded"}
        response = await http.post(url, data=dict(form), headers=headers)
        return response.status_code

    async with _client(CONCURRENCY) as http:

        async def one(_: int) -> bool:
            k = next(counter)
            sid = f"SM{uuid.uuid4().hex}"
            form = _twilio_form(sms, sid, k % customers)
            code = await post(http, form, twilio_sign(sms.auth_token, url, form))
            if code != 200:
                raise RuntimeError(f"HTTP {code}")
            run.acked.add(sid)
            return True

        cpu0 = server.cpu()
        run.rate = await saturate(CONCURRENCY, sizes.s1_seconds / 3, sizes.max_requests, one)
        run.rate.server_cpu_s = server.cpu() - cpu0
        run.forged_sid = f"SM{uuid.uuid4().hex}"
        forged = _twilio_form(sms, run.forged_sid, 1)
        run.forged_answer = await post(http, forged, twilio_sign("not-the-token", url, forged))
    return run


async def twilio_stored(url: str, sms: TwilioSms) -> Counter[str]:
    from sqlalchemy import func, select

    from frontdesk.core.conversations.models import Message

    db = create_database(url)
    try:
        async with db.read_session() as s:
            rows = await s.execute(
                select(Message.provider_message_id, func.count())
                .where(Message.channel_id == sms.channel_id)
                .group_by(Message.provider_message_id)
            )
            return Counter({str(sid): int(n) for sid, n in rows.all()})
    finally:
        await db.dispose()


def report_twilio(args: Any, r3: Rate, run: TwilioRun) -> bool:
    ratio = round(run.rate.per_second / r3.per_second, 3) if r3.per_second else 0.0
    missing = sum(1 for sid in run.acked if run.stored[sid] == 0)
    duplicates = sum(1 for sid in run.acked if run.stored[sid] > 1)
    line = {
        "db": args.db,
        "twilio_per_s": round(run.rate.per_second, 1),
        "R3_per_s": round(r3.per_second, 1),
        "ratio_to_R3": ratio,
        "acked": len(run.acked),
        "missing": missing,
        "duplicates": duplicates,
        "errors": run.rate.errors,
        "forged_answer": run.forged_answer,
        "forged_stored": run.stored[run.forged_sid],
        "server_cpu_ms_per_request": _ms(run.rate.server_cpu_s, run.rate.done),
    }
    for sample in run.rate.error_samples:
        print(f"twilio: {sample}")
    print(result_line("S1-twilio", line, run.ok))
    return run.ok


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    secret = new_secret()
    async with ingest_database(args.db) as work:
        r3_site = await seed_site(work.url, "R3", secret, sizes.contacts)
        s1_site = await seed_site(work.url, "S1", secret, sizes.contacts)
        sms = await seed_twilio(work.url, s1_site, secret)
        mailbox = await seed_email(work.url, s1_site.workspace_id, s1_site.team_id, secret)
        r3 = await measure_r3(args.db, work, r3_site, sizes)
        print(f"R3 ({args.db}): {r3.per_second:.1f} messages/s, {r3.errors} errors")
        server = await start_frontdesk(work, secret)
        ledger = Ledger()
        try:
            s1 = await measure_s1(server, s1_site, sizes, ledger)
            print(f"S1 ({args.db}): {s1.per_second:.1f} messages/s, {s1.errors} errors")
            s1c = await measure_s1c(server, s1_site, sizes, ledger)
            print(f"S1c ({args.db}): {len(s1c.latencies)} answers in {s1c.seconds:.1f} s")
            faults = await fault_checks(server, s1_site, ledger)
            twilio = await measure_twilio(server, sms, sizes, sizes.contacts)
            email = await measure_forwarding(
                server, mailbox, sizes.s1_seconds / 3, sizes.max_requests, sys.modules[__name__]
            )
        finally:
            await server.stop()
        counts, outbound, jobs = await stored_counts(args.db, work, s1_site)
        once = exactly_once(ledger.acked, counts)
        faults.stored_forged = sum(counts[w] for w in faults.never_stored)
        faults.kept = [counts[w] for w in faults.once]
        passed = report(args, r3, s1, s1c, once, ledger, outbound, jobs, faults)
        twilio.stored = await twilio_stored(work.url, sms)
        mails = IMAP_MAILS["quick" if args.quick else "full"]
        await measure_imap(work.url, secret, mailbox, work.path / "data", mails=mails, run=email)
        email.stored = await stored_mail(work.url, mailbox)
        email_ok = report_email(args.db, r3.per_second, email, _ms)
        return report_twilio(args, r3, twilio) and passed and email_ok


def main() -> None:
    ok = asyncio.run(run(sys.argv[1:]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

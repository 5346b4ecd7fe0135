"""Broadcasts through the API and the fake WhatsApp Cloud API: a segment evaluated once
(opted-out contacts and contacts without a number skipped), template variables from contact
fields, the 24-hour rule for free text, a schedule in a time zone, pacing through the send
budget, pause / resume / cancel, counts from delivery receipts and replies, and refusals."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import (
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.sendbudget import LocalSendBudget
from frontdesk.core.tags.models import ContactTag, Tag
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.db.outbox import EventLogEntry
from frontdesk.settings import Settings
from tests.channels.whatsapp.conftest import WhatsApp, connect, run_jobs
from tests.conftest import World
from tests.factories import Factory
from tests.fakes.meta import FakeGraph, serve, status_webhook, text_webhook

API = "/api/v1/broadcasts"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph()
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, graph: FakeGraph) -> Settings:
    settings.meta_graph_url = graph.graph_url
    return settings


@pytest.fixture
async def whatsapp(world: World, graph: FakeGraph, runtime: Runtime) -> WhatsApp:
    """A connected number whose budget runs on the test's clock."""
    clock = runtime.clock
    runtime.send_budget = LocalSendBudget(lambda: clock.now().timestamp())
    return await connect(world, graph)


async def audience(runtime: Runtime, wa: WhatsApp, count: int, **extra: Any) -> dict[str, Any]:
    """`count` contacts with a number on the channel, tagged `vip`, their city set; plus one
    tagged contact who opted out, one without a number, and one not tagged."""
    ws = wa.world.acme.workspace
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        f = Factory(s, now)
        channel = await s.get_one(Channel, wa.channel_id)
        channel.settings = {**channel.settings, **extra}
        vip = Tag(workspace_id=ws.id, name="vip", color="red", is_outcome=False, created_at=now)
        city = CustomFieldDefinition(
            workspace_id=ws.id, key="city", label="City", field_type="text", created_at=now
        )
        s.add_all([vip, city])
        await s.flush()
        people = {}
        for n in range(count):
            people[f"p{n}"] = await f.contact(
                ws, f"Ana Maria {n}", channel=channel, provider_id=f"55119000000{n:02d}"
            )
        people["stopped"] = await f.contact(ws, "Stopped", channel=channel, provider_id="5511777")
        people["nowhere"] = await f.contact(ws, "No Number")
        untagged = await f.contact(ws, "Untagged", channel=channel, provider_id="5511888")
        for contact in people.values():
            s.add(
                ContactTag(workspace_id=ws.id, contact_id=contact.id, tag_id=vip.id, created_at=now)
            )
        s.add(
            ContactFieldValue(
                workspace_id=ws.id,
                contact_id=people["p0"].id,
                field_id=city.id,
                value="Recife",
                updated_at=now,
            )
        )
        await s.flush()
        identity = await s.scalar(
            select(ContactIdentity).where(ContactIdentity.provider_id == "5511777")
        )
        assert identity is not None
        identity.extra = {"opted_out": {"at": now.isoformat(), "keyword": "STOP"}}
        template = wa.graph.add_template(
            wa.number.business_account_id, "promo", "Hi {{1}}, news from {{2}}!"
        )
        row = MessageTemplate(
            workspace_id=ws.id,
            channel_id=wa.channel_id,
            provider_template_id=template["id"],
            name="promo",
            language="en_US",
            category="MARKETING",
            status="APPROVED",
            components=template["components"],
            synced_at=now,
        )
        s.add(row)
        await s.commit()
        return {"tag": str(vip.id), "template": str(row.id), "people": people, "untagged": untagged}


def promo(wa: WhatsApp, found: dict[str, Any], **over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Spring promo",
        "channel_id": str(wa.channel_id),
        "segment": {"tag_ids": [found["tag"]]},
        "content": {
            "kind": "template",
            "template_id": found["template"],
            "variables": [
                {"source": "first_name"},
                {"source": "field", "value": "city", "fallback": "us"},
            ],
        },
    }
    return {**body, **over}


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def test_a_template_to_a_tag_is_counted_from_receipts_and_replies(
    runtime: Runtime, world: World, whatsapp: WhatsApp
) -> None:
    found = await audience(runtime, whatsapp, 2)
    async with world.client("dave") as dave:
        preview = await ok(
            await dave.post(
                f"{API}/preview",
                json={
                    "channel_id": str(whatsapp.channel_id),
                    "segment": {"tag_ids": [found["tag"]]},
                },
            )
        )
        assert preview == {
            "matching": 4,
            "reachable": 2,
            "skipped": {"no_identity": 1, "opted_out": 1},
        }
        made = await ok(await dave.post(API, json=promo(whatsapp, found)), 201)
        assert made["status"] == "draft"
        started = await ok(await dave.post(f"{API}/{made['id']}/start"))
        assert started["status"] == "sending"
        await run_jobs(runtime, rounds=10)
        sent = sorted(
            (m["to"], [p["text"] for p in m["template"]["components"][0]["parameters"]])
            for m in whatsapp.graph.sent
        )
        assert sent == [
            ("5511900000000", ["Ana", "Recife"]),
            ("5511900000001", ["Ana", "us"]),
        ]
        one = await ok(await dave.get(f"{API}/{made['id']}"))
        assert one["status"] == "done"
        assert one["counts"] | {} == {
            "recipients": 4,
            "pending": 0,
            "sent": 2,
            "delivered": 0,
            "read": 0,
            "replied": 0,
            "failed": 0,
            "skipped": 2,
            "cancelled": 0,
        }
        first, second = sorted(whatsapp.graph.sent, key=lambda m: str(m["to"]))
        for status in ("delivered", "read"):
            body = status_webhook(whatsapp.number, first["_wamid"], status, first["to"])
            assert (await whatsapp.post(body)).status_code == 200
        failed = status_webhook(
            whatsapp.number,
            second["_wamid"],
            "failed",
            second["to"],
            error=(131026, "Undeliverable"),
        )
        assert (await whatsapp.post(failed)).status_code == 200
        runtime.clock.advance(minutes=5)  # type: ignore[attr-defined]
        reply = text_webhook(whatsapp.number, first["to"], "Ana", "Count me in!")
        assert (await whatsapp.post(reply)).status_code == 200
        await run_jobs(runtime)
        counts = (await ok(await dave.get(f"{API}/{made['id']}")))["counts"]
        assert (counts["delivered"], counts["read"], counts["replied"], counts["failed"]) == (
            1,
            1,
            1,
            1,
        )
        failures = await ok(await dave.get(f"{API}/{made['id']}/recipients?status=failed"))
        assert [f["message_status"] for f in failures] == ["failed"]
        assert "131026" in str(failures[0]["error"])
        skipped = await ok(await dave.get(f"{API}/{made['id']}/recipients?status=skipped"))
        assert sorted(r["reason"] for r in skipped) == ["no_identity", "opted_out"]
    # The reply is in the conversation the broadcast wrote to: the inbox has it, open.
    async with runtime.database.read_session() as db:
        conv = await db.scalar(
            select(Conversation).where(Conversation.contact_id == found["people"]["p0"].id)
        )
        assert conv is not None
        assert conv.status == "open"
        bodies = list(
            await db.scalars(
                select(Message.body)
                .where(Message.conversation_id == conv.id)
                .order_by(Message.created_at, Message.id)
            )
        )
        assert bodies[:2] == ["Hi Ana, news from Recife!", "Count me in!"]
        changes = list(
            await db.scalars(
                select(EventLogEntry.payload["change"].as_string())
                .where(EventLogEntry.type == "broadcast.changed")
                .order_by(EventLogEntry.id)
            )
        )
        assert changes == ["created", "started", "done"]
        audited = await db.scalar(
            select(func.count()).where(AuditLogEntry.action.like("broadcast.%"))
        )
        assert audited == 2


async def test_free_text_on_whatsapp_goes_only_to_who_wrote_within_a_day(
    runtime: Runtime, world: World, whatsapp: WhatsApp
) -> None:
    found = await audience(runtime, whatsapp, 2)
    reply = text_webhook(whatsapp.number, "5511900000001", "Ana", "Hello?")
    assert (await whatsapp.post(reply)).status_code == 200
    text = {"kind": "text", "body": "We are open on Sunday"}
    async with world.client("alice") as alice:
        made = await ok(await alice.post(API, json=promo(whatsapp, found, content=text)), 201)
        await ok(await alice.post(f"{API}/{made['id']}/start"))
        await run_jobs(runtime, rounds=10)
        skipped = await ok(await alice.get(f"{API}/{made['id']}/recipients?status=skipped"))
    assert sorted(r["reason"] for r in skipped) == ["no_identity", "opted_out", "outside_window"]
    news = [m["to"] for m in whatsapp.graph.sent if "Sunday" in str(m.get("text"))]
    assert news == ["5511900000001"]


async def test_a_schedule_in_a_time_zone_starts_at_its_instant(
    runtime: Runtime, world: World, whatsapp: WhatsApp, clock: FrozenClock
) -> None:
    found = await audience(runtime, whatsapp, 1)
    # The clock is 2026-01-05 09:00 UTC; 18:00 in São Paulo (UTC-3) is 21:00 UTC.
    later = promo(whatsapp, found, send_at="2026-01-05T18:00:00", time_zone="America/Sao_Paulo")
    async with world.client("dave") as dave:
        made = await ok(await dave.post(API, json=later), 201)
        assert made["send_at"].startswith("2026-01-05T21:00:00")
        assert (await ok(await dave.post(f"{API}/{made['id']}/start")))["status"] == "scheduled"
        await run_jobs(runtime)
        assert whatsapp.graph.sent == []
        clock.advance(hours=11, minutes=59)
        await run_jobs(runtime)
        assert whatsapp.graph.sent == []
        clock.advance(minutes=1)
        await run_jobs(runtime, rounds=10)
        assert len(whatsapp.graph.sent) == 1
        assert (await ok(await dave.get(f"{API}/{made['id']}")))["status"] == "done"


async def test_a_draft_s_name_and_schedule_are_edited_until_it_starts(
    runtime: Runtime, world: World, whatsapp: WhatsApp, clock: FrozenClock
) -> None:
    found = await audience(runtime, whatsapp, 1)
    async with world.client("dave") as dave:
        made = await ok(await dave.post(API, json=promo(whatsapp, found)), 201)
        url = f"{API}/{made['id']}"
        assert made["send_at"] is None
        # Scheduled in its own zone: 18:00 in Ho Chi Minh City (UTC+7) is 11:00 UTC.
        edited = await ok(
            await dave.patch(
                url,
                json={
                    "name": "Evening news",
                    "send_at": "2026-01-05T18:00:00",
                    "time_zone": "Asia/Ho_Chi_Minh",
                },
            )
        )
        assert edited["name"] == "Evening news"
        assert edited["send_at"].startswith("2026-01-05T11:00:00")
        assert edited["time_zone"] == "Asia/Ho_Chi_Minh"
        # A new local time keeps the draft's zone; leaving it out of a change keeps it.
        moved = await ok(await dave.patch(url, json={"send_at": "2026-01-05T19:30:00"}))
        assert moved["send_at"].startswith("2026-01-05T12:30:00")
        kept = await ok(await dave.patch(url, json={"name": "Late news"}))
        assert (kept["name"], kept["send_at"]) == ("Late news", moved["send_at"])
        # A time already past is refused, and the draft is as it was.
        past = await dave.patch(url, json={"name": "Gone", "send_at": "2026-01-05T08:00:00"})
        assert past.status_code == 422, past.text
        assert (await ok(await dave.get(url)))["name"] == "Late news"
        # Null: sent when started again.
        cleared = await ok(await dave.patch(url, json={"send_at": None}))
        assert (cleared["send_at"], cleared["time_zone"]) == (None, None)
        # Without a zone of its own, a local time needs one.
        zoneless = await dave.patch(url, json={"send_at": "2026-01-05T11:00:00"})
        assert zoneless.status_code == 422, zoneless.text
        await ok(await dave.patch(url, json={"send_at": "2026-01-05T11:00:00", "time_zone": "UTC"}))
        assert (await ok(await dave.post(f"{url}/start")))["status"] == "scheduled"
        assert (await dave.patch(url, json={"name": "Too late"})).status_code == 409
    clock.advance(hours=3)
    await run_jobs(runtime, rounds=10)
    assert len(whatsapp.graph.sent) == 1


async def test_sends_are_paced_under_the_number_s_limit(
    runtime: Runtime, world: World, whatsapp: WhatsApp, clock: FrozenClock
) -> None:
    """4 messages a second on the number: broadcasts take half, 2 a second; 6 recipients go
    out over three seconds of the clock, never more than 2 in one."""
    found = await audience(runtime, whatsapp, 6, messages_per_second=4)
    async with world.client("dave") as dave:
        made = await ok(await dave.post(API, json=promo(whatsapp, found)), 201)
        await ok(await dave.post(f"{API}/{made['id']}/start"))
        per_second = []
        for _ in range(4):
            before = len(whatsapp.graph.sent)
            await run_jobs(runtime, rounds=10)
            per_second.append(len(whatsapp.graph.sent) - before)
            clock.advance(seconds=1)
        assert per_second == [2, 2, 2, 0]
        assert (await ok(await dave.get(f"{API}/{made['id']}")))["status"] == "done"


async def test_pause_resume_and_cancel(
    runtime: Runtime, world: World, whatsapp: WhatsApp, clock: FrozenClock
) -> None:
    found = await audience(runtime, whatsapp, 4, messages_per_second=2)  # one a second
    async with world.client("dave") as dave:
        made = await ok(await dave.post(API, json=promo(whatsapp, found)), 201)
        url = f"{API}/{made['id']}"
        await ok(await dave.post(f"{url}/start"))
        await run_jobs(runtime)
        assert len(whatsapp.graph.sent) == 1
        assert (await ok(await dave.post(f"{url}/pause")))["status"] == "paused"
        clock.advance(seconds=5)
        await run_jobs(runtime)
        assert len(whatsapp.graph.sent) == 1
        await ok(await dave.post(f"{url}/resume"))
        await run_jobs(runtime)
        assert len(whatsapp.graph.sent) == 2
        cancelled = await ok(await dave.post(f"{url}/cancel"))
        assert cancelled["status"] == "cancelled"
        assert cancelled["counts"]["cancelled"] == 2
        clock.advance(seconds=5)
        await run_jobs(runtime)
        assert len(whatsapp.graph.sent) == 2
        refused = await dave.post(f"{url}/resume")
        assert refused.status_code == 409, refused.text


async def test_refusals_write_nothing(runtime: Runtime, world: World, whatsapp: WhatsApp) -> None:
    found = await audience(runtime, whatsapp, 1)
    async with world.client("dave") as dave:
        made = await ok(await dave.post(API, json=promo(whatsapp, found)), 201)
        bad = [
            promo(whatsapp, found, content={**promo(whatsapp, found)["content"], "variables": []}),
            promo(whatsapp, found, channel_id=str(world.other.channels["whatsapp"].id)),
            promo(whatsapp, found, segment={"tag_ids": [str(uuid.uuid4())]}),
            promo(whatsapp, found, send_at="2026-01-01T08:00:00", time_zone="UTC"),
            promo(whatsapp, found, send_at="2026-03-01T08:00:00", time_zone="Mars/Base"),
            promo(whatsapp, found, content={"kind": "text", "body": ""}),
        ]
        for body in bad:
            answer = await dave.post(API, json=body)
            assert answer.status_code in (400, 422), (body, answer.text)
        assert (await dave.post(f"{API}/{made['id']}/pause")).status_code == 409
    async with world.client("bob") as bob:
        assert (await bob.get(API)).status_code == 403
        assert (await bob.post(API, json=promo(whatsapp, found))).status_code == 403
    async with world.client("oscar") as oscar:
        assert await ok(await oscar.get(API)) == []
        assert (await oscar.get(f"{API}/{made['id']}")).status_code == 404
        assert (await oscar.post(f"{API}/{made['id']}/start")).status_code == 404
    async with runtime.database.read_session() as db:
        assert (
            await db.scalar(
                select(func.count())
                .select_from(Message)
                .where(Message.channel_id == whatsapp.channel_id)
            )
            == 0
        )
    async with world.client("dave") as dave:
        assert len(await ok(await dave.get(API))) == 1

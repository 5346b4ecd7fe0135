"""The inbound path kept cheap without losing a guarantee: the conversation in the events is the
one the API reads, a burst of messages asks routing once, redeliveries change nothing, and a
channel changed where no event tells this process still takes effect."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select, update

from frontdesk.api.webhooks.channels import WebhookChannels
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.routing.ledger import ROUTE_JOB
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.channels.whatsapp.conftest import WhatsApp, messages_of, run_jobs
from tests.conftest import Published
from tests.fakes.meta import sign, text_webhook

CUSTOMER = "972500000001"


async def _post_text(whatsapp: WhatsApp, text: str, **kw: Any) -> dict[str, Any]:
    body = text_webhook(whatsapp.number, CUSTOMER, "Dana", text, **kw)
    response = await whatsapp.post(body)
    assert response.status_code == 200, response.text
    return body


async def _conversation_id(runtime: Runtime, whatsapp: WhatsApp) -> uuid.UUID:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(Conversation.id).where(Conversation.channel_id == whatsapp.channel_id)
        )
    assert found is not None
    return found


async def _route_jobs(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        found = await db.scalar(select(func.count()).where(Job.kind == ROUTE_JOB))
    return int(found or 0)


async def test_the_conversation_in_the_events_is_the_one_the_api_reads(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    world = whatsapp.world
    await _post_text(whatsapp, "first")
    conversation_id = await _conversation_id(runtime, whatsapp)
    url = f"/api/v1/conversations/{conversation_id}"
    async with world.client("dave") as dave:
        tag = await dave.post("/api/v1/tags", json={"name": "Hired", "color": "#15803d"})
        assert tag.status_code == 201, tag.text
        tagged = await dave.put(f"{url}/tags", json={"tag_ids": [tag.json()["id"]]})
        assert tagged.status_code == 200, tagged.text
        assigned = await dave.post(
            f"{url}/assign", json={"assignee_id": str(world.acme.members["bob"].id)}
        )
        assert assigned.status_code == 200, assigned.text
    published.events.clear()

    await _post_text(whatsapp, "second one")

    assert published.types() == ["conversation.updated", "message.created"]
    async with runtime.database.read_session() as db:
        stored = (await get_conversation(db, world.acme.id, conversation_id)).model_dump(
            mode="json"
        )
    updated, created = (e.payload for e in published.events)
    assert updated["conversation"] == stored
    assert created["conversation"] == stored
    assert stored["tags"][0]["name"] == "Hired"
    assert stored["assignee"]["id"] == str(world.acme.members["bob"].id)
    assert stored["team"]["name"] == "Support"
    assert stored["last_message_preview"] == "second one"
    assert created["message"]["body"] == "second one"


async def test_a_new_conversation_s_event_is_the_one_the_api_reads(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    published.events.clear()
    await _post_text(whatsapp, "hello")
    conversation_id = await _conversation_id(runtime, whatsapp)
    async with runtime.database.read_session() as db:
        stored = await get_conversation(db, whatsapp.workspace_id, conversation_id)
    created = next(e for e in published.events if e.type == "conversation.created")
    assert created.payload["conversation"] == stored.model_dump(mode="json")
    assert stored.version == 1


async def test_a_burst_of_messages_asks_routing_once(whatsapp: WhatsApp, runtime: Runtime) -> None:
    for text in ("one", "two", "three"):
        await _post_text(whatsapp, text)
    assert len(await messages_of(runtime, whatsapp.channel_id)) == 3
    assert await _route_jobs(runtime) == 1

    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        conv = await db.get_one(Conversation, await _conversation_id(runtime, whatsapp))
    assert conv.assignee_id is not None or conv.queued_at is not None  # routing ran
    await _post_text(whatsapp, "four")
    assert await _route_jobs(runtime) == 0  # routed already: nothing more to ask


async def test_routing_is_asked_again_once_its_job_has_run(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    await _post_text(whatsapp, "one")
    await run_jobs(runtime)
    conversation_id = await _conversation_id(runtime, whatsapp)
    async with runtime.uow() as uow:  # back to nobody's and out of the queue
        await uow.session.execute(
            update(Conversation)
            .where(Conversation.id == conversation_id)
            .values(assignee_id=None, queued_at=None)
        )
        await uow.session.commit()
    await _post_text(whatsapp, "two")
    assert await _route_jobs(runtime) == 1


async def test_a_redelivery_after_its_conversation_closed_opens_nothing(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    body = await _post_text(whatsapp, "hello")
    async with runtime.uow() as uow:
        await uow.session.execute(
            update(Conversation)
            .where(Conversation.channel_id == whatsapp.channel_id)
            .values(status=ConversationStatus.CLOSED)
        )
        await uow.session.commit()
    published.events.clear()
    again = await whatsapp.post(body)
    assert again.status_code == 200
    assert published.types() == []
    async with runtime.database.read_session() as db:
        conversations = await db.scalar(
            select(func.count()).where(Conversation.channel_id == whatsapp.channel_id)
        )
    assert conversations == 1
    assert len(await messages_of(runtime, whatsapp.channel_id)) == 1


async def test_a_secret_changed_elsewhere_verifies_at_once(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    await _post_text(whatsapp, "before")  # the channels are in memory now
    async with runtime.uow() as uow:  # another process seals a new app secret
        channel = await uow.session.get_one(Channel, whatsapp.channel_id)
        channel.secrets_encrypted = runtime.secrets.seal(
            {"access_token": whatsapp.number.access_token, "app_secret": "rotated-secret"}
        )
        await uow.session.commit()
    body = text_webhook(whatsapp.number, CUSTOMER, "Dana", "after")
    assert (await whatsapp.post(body, secret="rotated-secret")).status_code == 200
    old = text_webhook(whatsapp.number, CUSTOMER, "Dana", "old secret")
    assert (await whatsapp.post(old)).status_code == 401
    assert sorted(m.body for m in await messages_of(runtime, whatsapp.channel_id)) == [
        "after",
        "before",
    ]


async def test_a_channel_switched_off_elsewhere_stops_receiving_within_the_ttl(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    now = [0.0]
    whatsapp.world.app.state.webhook_channels = WebhookChannels(  # type: ignore[attr-defined]
        ttl_seconds=5.0, clock=lambda: now[0]
    )
    await _post_text(whatsapp, "before")
    async with runtime.uow() as uow:  # another process switches the channel off
        await uow.session.execute(
            update(Channel).where(Channel.id == whatsapp.channel_id).values(is_active=False)
        )
        await uow.session.commit()
    now[0] = 5.0
    late = text_webhook(whatsapp.number, CUSTOMER, "Dana", "too late")
    assert (await whatsapp.post(late)).status_code == 401
    assert [m.body for m in await messages_of(runtime, whatsapp.channel_id)] == ["before"]


async def test_a_channel_changed_through_this_process_takes_effect_at_once(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    await _post_text(whatsapp, "before")
    async with whatsapp.world.client("alice") as alice:
        changed = await alice.patch(
            f"/api/v1/channels/{whatsapp.channel_id}",
            json={"secrets": {"app_secret": "new-secret"}},
        )
    assert changed.status_code == 200, changed.text
    old = text_webhook(whatsapp.number, CUSTOMER, "Dana", "old secret")
    assert (await whatsapp.post(old)).status_code == 401
    raw = b'{"object":"whatsapp_business_account","entry":[]}'
    assert (await whatsapp.post(raw, signature=sign(raw, "new-secret"))).status_code == 200
    assert [m.body for m in await messages_of(runtime, whatsapp.channel_id)] == ["before"]

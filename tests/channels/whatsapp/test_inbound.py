"""Customers writing in on WhatsApp: every recorded payload shape, through the real webhook."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.channels.whatsapp.conftest import WhatsApp, count, messages_of
from tests.conftest import Published
from tests.fakes.meta import fixture, fixture_bytes, message_webhook, text_webhook

# fixture → (kind, body, what its payload must hold)
SHAPES: dict[str, tuple[str, str, dict[str, Any]]] = {
    "text_message": ("text", "Body Text", {}),
    "image_message": (
        "media",
        "",
        {
            "media": [
                {
                    "kind": "image",
                    "provider_media_id": "65463453",
                    "content_type": "image/jpeg",
                    "name": None,
                    "size": None,
                    "sha256": "4654+8g=",
                    "url": None,
                    "status": "pending",
                }
            ]
        },
    ),
    "video_message": ("media", "caption", {"details": {"forwarded": True}}),
    "document_message": ("media", "caption", {"details": {"forwarded": True}}),
    "voice_audio_message": ("media", "", {}),
    "sticker_message": ("media", "", {}),
    "location_message": (
        "location",
        "Facebook HQ",
        {
            "location": {
                "latitude": 37.4611978,
                "longitude": -122.2164385,
                "name": "Facebook HQ",
                "address": "1 Hacker Way, Menlo Park, CA 94025",
                "url": "https://maps.google.com/?cid=2000000000000000000",
            },
            "details": {"forwarded": True},
        },
    ),
    "contacts_message": ("contacts", "Chandler Bing, Monica, Rachel Green", {}),
    "reply_text_with_context": ("text", "replied text", {}),
    "unsupported_message_with_errors": ("unsupported", "", {}),
    "order_message": ("unsupported", "", {"provider_type": "order"}),
    "interactive_button_reply": (
        "interactive_reply",
        "title",
        {
            "choice": {"id": "callback_data", "title": "title", "description": None},
            "provider_type": "interactive",
        },
    ),
    "interactive_list_reply": (
        "interactive_reply",
        "title",
        {"choice": {"id": "callback_data", "title": "title", "description": "description"}},
    ),
    "template_button_reply": (
        "postback",
        "title",
        {"choice": {"id": "callback_data", "title": "title", "description": None}},
    ),
    "referral_message": ("text", "BODY", {}),
}


def _subset(expected: dict[str, Any], actual: dict[str, Any] | None) -> bool:
    return all((actual or {}).get(k) == v for k, v in expected.items())


@pytest.mark.parametrize("name", sorted(SHAPES))
async def test_every_recorded_shape_becomes_one_message_of_its_kind(
    whatsapp: WhatsApp, runtime: Runtime, name: str
) -> None:
    kind, body, payload = SHAPES[name]
    response = await whatsapp.post(fixture_bytes(name))
    assert response.status_code == 200, response.text
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert (message.kind, message.body, message.direction) == (kind, body, "inbound")
    assert _subset(payload, message.payload), message.payload
    # The provider's own payload is kept as received.
    raw = fixture(name)["entry"][0]["changes"][0]["value"]["messages"][0]
    assert message.raw == raw
    assert message.provider_message_id == raw["id"]
    assert await count(runtime, QuarantinedPayload) == 0


async def test_a_first_message_creates_the_contact_and_a_conversation_in_the_channel_team(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    published.events.clear()
    response = await whatsapp.post(fixture_bytes("text_message"))
    assert response.status_code == 200
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == whatsapp.channel_id)
        )
        assert identity is not None
        contact = await db.get_one(Contact, identity.contact_id)
        conv = await db.scalar(
            select(Conversation).where(Conversation.channel_id == whatsapp.channel_id)
        )
        jobs = list(await db.scalars(select(Job.kind)))
    assert (identity.provider_id, identity.profile_name) == ("972987654321", "Test Name")
    assert (contact.name, contact.phone) == ("Test Name", "+972987654321")
    assert conv is not None
    assert conv.team_id == whatsapp.world.acme.teams["support"].id
    assert conv.last_message_preview == "Body Text"
    assert conv.last_inbound_at == runtime.clock.now()
    assert "routing_route" in jobs  # routing picks the new conversation up
    assert published.types() == ["contact.created", "conversation.created", "message.created"]


async def test_the_window_opens_with_the_customer_s_message(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    await whatsapp.post(fixture_bytes("text_message"))
    [message] = await messages_of(runtime, whatsapp.channel_id)
    async with whatsapp.world.client("alice") as alice:
        read = (await alice.get(f"/api/v1/conversations/{message.conversation_id}")).json()
    assert read["window_expires_at"] is not None
    expires = datetime.fromisoformat(read["window_expires_at"])
    assert expires == runtime.clock.now() + timedelta(hours=24)


async def test_a_customer_known_by_phone_then_by_user_id_alone_stays_one_contact(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    # The first message carries both ids; a later one only the business-scoped user id.
    assert (await whatsapp.post(fixture_bytes("interactive_button_reply"))).status_code == 200
    later = message_webhook(
        whatsapp.number,
        "972987654321",
        "Test Name",
        {"type": "text", "text": {"body": "it's me again"}},
        wamid="wamid.username-only",
    )
    sent = later["entry"][0]["changes"][0]["value"]
    sent["contacts"] = [{"profile": {"name": "Test Name"}, "user_id": "US.13491208655302741918"}]
    sent["messages"][0].pop("from")
    sent["messages"][0]["from_user_id"] = "US.13491208655302741918"
    assert (await whatsapp.post(later)).status_code == 200
    first, second = await messages_of(runtime, whatsapp.channel_id)
    assert first.conversation_id == second.conversation_id
    async with runtime.database.read_session() as db:
        identities = list(
            await db.scalars(
                select(ContactIdentity).where(ContactIdentity.channel_id == whatsapp.channel_id)
            )
        )
    assert [(i.provider_id, i.secondary_id) for i in identities] == [
        ("972987654321", "US.13491208655302741918")
    ]
    assert identities[0].extra == {"parent_user_id": "US.ENT.11815799212886844830"}


async def test_a_customer_with_only_a_user_id_can_be_answered_by_it(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    body = message_webhook(
        whatsapp.number, "x", "Anon", {"type": "text", "text": {"body": "hi"}}, wamid="wamid.u1"
    )
    value = body["entry"][0]["changes"][0]["value"]
    value["contacts"] = [{"profile": {"name": "Anon"}, "user_id": "BR.1502576394655843"}]
    value["messages"][0].pop("from")
    value["messages"][0]["from_user_id"] = "BR.1502576394655843"
    assert (await whatsapp.post(body)).status_code == 200
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == whatsapp.channel_id)
        )
        assert identity is not None
        contact = await db.get_one(Contact, identity.contact_id)
    assert (identity.provider_id, identity.secondary_id) == ("BR.1502576394655843", None)
    assert (contact.name, contact.phone) == ("Anon", None)


async def test_a_quoted_reply_points_at_the_message_it_quotes(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    first = text_webhook(whatsapp.number, "972987654321", "Erin", "one", wamid="wamid.first")
    quoting = message_webhook(
        whatsapp.number,
        "972987654321",
        "Erin",
        {"type": "text", "text": {"body": "two"}, "context": {"id": "wamid.first"}},
        wamid="wamid.second",
    )
    await whatsapp.post(first)
    await whatsapp.post(quoting)
    one, two = await messages_of(runtime, whatsapp.channel_id)
    assert (two.reply_to_provider_id, two.reply_to_message_id) == ("wamid.first", one.id)
    async with whatsapp.world.client("bob") as bob:
        page = (await bob.get(f"/api/v1/conversations/{two.conversation_id}/messages")).json()
    assert page["items"][0]["reply_to_message_id"] == str(one.id)


async def test_reactions_show_on_their_message_and_can_be_taken_back(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    await whatsapp.post(
        text_webhook(whatsapp.number, "972987654321", "Test Name", "hello", wamid="wamid.yzxyzx=")
    )
    published.events.clear()
    assert (await whatsapp.post(fixture_bytes("reaction_message"))).status_code == 200
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert [(r["by"], r["emoji"]) for r in message.reactions or []] == [("contact", "😮")]
    assert published.types() == ["message.updated"]
    # The same reaction again changes nothing and tells nobody.
    await whatsapp.post(fixture_bytes("reaction_message"))
    assert published.types() == ["message.updated"]
    removal = fixture("unreaction_message")
    removal["entry"][0]["changes"][0]["value"]["messages"][0]["timestamp"] = "1697044999"
    await whatsapp.post(removal)
    async with whatsapp.world.client("bob") as bob:
        page = (await bob.get(f"/api/v1/conversations/{message.conversation_id}/messages")).json()
    assert page["items"][0]["reactions"] == []
    assert len(await messages_of(runtime, whatsapp.channel_id)) == 1


async def test_edits_change_the_text_and_keep_the_first(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    await whatsapp.post(
        text_webhook(whatsapp.number, "972987654321", "Test Name", "hello", wamid="wamid.zzzzzz")
    )
    assert (await whatsapp.post(fixture_bytes("edit_text_message"))).status_code == 200
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert message.body == "Text was edited"
    assert message.payload == {"original_body": "hello"}
    assert message.edited_at is not None


async def test_a_deleted_message_is_shown_as_deleted(whatsapp: WhatsApp, runtime: Runtime) -> None:
    body = fixture("revoke_message")
    value = body["entry"][0]["changes"][0]["value"]
    value["metadata"]["phone_number_id"] = whatsapp.number.phone_number_id
    value["messages"][0]["from"] = "972987654321"
    value["messages"][0]["revoke"]["original_message_id"] = "wamid.original"
    await whatsapp.post(
        text_webhook(whatsapp.number, "972987654321", "Test Name", "oops", wamid="wamid.original")
    )
    assert (await whatsapp.post(body)).status_code == 200
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert message.deleted_at is not None
    assert message.body == "oops"


async def test_one_post_with_many_entries_changes_messages_and_statuses_records_them_all(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    a = text_webhook(whatsapp.number, "111", "Ana", "first", wamid="wamid.a1")
    b = text_webhook(whatsapp.number, "222", "Bia", "second", wamid="wamid.b1")
    value_a = a["entry"][0]["changes"][0]["value"]
    value_a["messages"].append(
        {
            "from": "111",
            "id": "wamid.a2",
            "timestamp": "1700000001",
            "type": "text",
            "text": {"body": "third"},
        }
    )
    a["entry"][0]["changes"].append(b["entry"][0]["changes"][0])
    a["entry"].append(
        text_webhook(whatsapp.number, "333", "Caio", "fourth", wamid="wamid.c1")["entry"][0]
    )
    response = await whatsapp.post(a)
    assert response.status_code == 200
    assert response.json()["recorded"] == 4
    bodies = sorted(m.body for m in await messages_of(runtime, whatsapp.channel_id))
    assert bodies == ["first", "fourth", "second", "third"]
    async with runtime.database.read_session() as db:
        conversations = list(
            await db.scalars(
                select(Conversation).where(Conversation.channel_id == whatsapp.channel_id)
            )
        )
    assert len(conversations) == 3


async def test_an_authentic_body_of_an_unknown_shape_is_kept_raw_and_answered_200(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    shapes: list[dict[str, Any]] = [
        {"object": "whatsapp_business_account", "entry": "not a list"},
        {"object": "page", "entry": []},
        {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "1",
                    "changes": [
                        {
                            "field": "account_update",
                            "value": {"phone_number": whatsapp.number.phone_number_id},
                        }
                    ],
                }
            ],
        },
    ]
    for body in shapes:
        response = await whatsapp.post(body)
        assert response.status_code == 200, response.text
    assert await count(runtime, QuarantinedPayload) == 3
    assert await messages_of(runtime, whatsapp.channel_id) == []


async def test_value_errors_and_a_message_without_content_are_both_kept(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    response = await whatsapp.post(fixture_bytes("interactive_with_error"))
    assert response.status_code == 200
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert (message.kind, message.payload) == ("unsupported", {"provider_type": "interactive"})
    async with runtime.database.read_session() as db:
        kept = list(await db.scalars(select(QuarantinedPayload)))
    assert [k.reason for k in kept] == ["errors reported by WhatsApp"]
    assert kept[0].channel_id == whatsapp.channel_id
    assert kept[0].payload["errors"][0]["code"] == 131000


async def test_a_number_not_connected_here_is_ignored_with_200(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    body = fixture("text_message")
    body["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999000999"
    contacts = await count(runtime, Contact)
    response = await whatsapp.post(body)
    assert response.status_code == 200
    assert response.json()["ignored_numbers"] == ["999000999"]
    assert await messages_of(runtime, whatsapp.channel_id) == []
    assert await count(runtime, Contact) == contacts

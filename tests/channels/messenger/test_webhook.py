"""The Messenger webhook: the handshake, signatures (F4: nothing stored without one),
malformed bodies (F5: no 5xx), redeliveries, and every event type mapped to the common records."""

from __future__ import annotations

import asyncio
import io

import pytest
from PIL import Image
from sqlalchemy import select

from frontdesk.channels.messenger.inbound import derived_id
from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.channels.messenger.conftest import (
    PAGE_ID,
    PSID,
    MetaChannel,
    count,
    messages_of,
    run_jobs,
)
from tests.fakes.messenger import fixture, messaging_webhook, sign, text_event

STORED = (Message, Contact, ContactIdentity, Conversation, QuarantinedPayload, EventLogEntry, Job)


async def _stored(runtime: Runtime) -> dict[str, int]:
    return {model.__name__: await count(runtime, model) for model in STORED}


def _recorded_fixture() -> dict[str, object]:
    """The recorded entry (jovo-framework), wrapped in the body Meta posts."""
    return {"object": "page", "entry": [fixture("text_message_entry")]}


async def _inbound(messenger: MetaChannel) -> list[Message]:
    return [
        m
        for m in await messages_of(messenger.runtime, messenger.channel_id)
        if m.direction == "inbound"
    ]


async def test_the_handshake_echoes_the_challenge_for_the_workspace_s_token(
    messenger: MetaChannel,
) -> None:
    async with messenger.world.client("alice") as alice:
        setup = (await alice.get(f"/api/v1/channels/{messenger.channel_id}/messenger")).json()
    assert setup["webhook_url"].endswith(f"/webhooks/messenger/{messenger.workspace_id}")
    assert (setup["has_access_token"], setup["has_app_secret"]) == (True, True)
    shown = str(setup)
    assert messenger.page.access_token not in shown
    assert messenger.page.app_secret not in shown
    token = setup["verify_token"]
    async with messenger.client() as meta:
        ok = await meta.get(
            messenger.url,
            params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "42"},
        )
        wrong = await meta.get(
            messenger.url,
            params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        )
        whatsapp_door = await meta.get(
            f"/webhooks/whatsapp/{messenger.workspace_id}",
            params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1"},
        )
    assert (ok.status_code, ok.text) == (200, "42")
    assert (wrong.status_code, whatsapp_door.status_code) == (403, 403)


@pytest.mark.parametrize("signature", ["", "sha256=", "sha256=" + "0" * 64, "sha1=abc"])
async def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_stored(
    messenger: MetaChannel, runtime: Runtime, signature: str
) -> None:
    before = await _stored(runtime)
    answer = await messenger.post(_recorded_fixture(), signature=signature)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "unauthenticated"
    assert await _stored(runtime) == before


async def test_a_body_signed_with_another_app_s_secret_is_refused(
    messenger: MetaChannel, runtime: Runtime
) -> None:
    before = await _stored(runtime)
    raw = b'{"object":"page","entry":[]}'
    answer = await messenger.post(raw, signature=sign(raw, "not-the-app-secret"))
    assert answer.status_code == 401
    assert await _stored(runtime) == before


async def test_the_recorded_text_message_becomes_a_conversation_with_the_psid_contact(
    messenger: MetaChannel, runtime: Runtime
) -> None:
    answer = await messenger.post(_recorded_fixture())
    assert answer.status_code == 200, answer.text
    [message] = await _inbound(messenger)
    assert (message.kind, message.body) == ("text", "Test")
    assert message.provider_message_id.startswith("DJgE9qDcJs11")
    assert message.raw is not None
    assert message.raw["sender"]["id"] == PSID
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == messenger.channel_id)
        )
    assert identity is not None
    assert identity.provider_id == PSID


async def test_redeliveries_even_concurrent_ones_store_one_message(
    messenger: MetaChannel, runtime: Runtime
) -> None:
    body = _recorded_fixture()
    answers = await asyncio.gather(*(messenger.post(body) for _ in range(4)))
    assert [a.status_code for a in answers] == [200] * 4
    assert len(await _inbound(messenger)) == 1
    events = await count(runtime, EventLogEntry)
    assert (await messenger.post(body)).status_code == 200
    assert await count(runtime, EventLogEntry) == events


@pytest.mark.parametrize(
    "raw",
    [b"not json", b"\xff\xfe{}", b'{"object":"page","entry":'],
)
async def test_undecodable_bodies_are_a_400_and_store_nothing(
    messenger: MetaChannel, runtime: Runtime, raw: bytes
) -> None:
    before = await _stored(runtime)
    answer = await messenger.post(raw)
    assert answer.status_code == 400
    assert await _stored(runtime) == before


async def test_authentic_bodies_of_odd_shapes_are_set_aside_with_a_200(
    messenger: MetaChannel, runtime: Runtime
) -> None:
    odd = [
        [1, 2, 3],
        {"object": "page", "entry": "nope"},
        {"object": "user", "entry": []},
        {"object": "page", "entry": [{"id": PAGE_ID, "messaging": [{"sender": 5}]}]},
        {"object": "page", "entry": [{"id": PAGE_ID, "time": 1}]},
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "messaging": [
                        {
                            "sender": {"id": PSID},
                            "recipient": {"id": PAGE_ID},
                            "message": {"mid": "m" * 500, "text": "long id"},
                        }
                    ],
                }
            ],
        },
        {
            "object": "page",
            "entry": [
                {
                    "id": PAGE_ID,
                    "messaging": [
                        {
                            "sender": {"id": PSID},
                            "recipient": {"id": PAGE_ID},
                            "optin": {"ref": "x"},
                        }
                    ],
                }
            ],
        },
    ]
    for body in odd:
        answer = await messenger.post(body)  # type: ignore[arg-type]
        assert answer.status_code == 200, (body, answer.text)
    assert await count(runtime, QuarantinedPayload) == len(odd)
    assert await _inbound(messenger) == []


async def test_an_event_with_unexpected_types_is_kept_raw_as_unsupported(
    messenger: MetaChannel,
) -> None:
    event = {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": "soon",
        "message": {"mid": "m_odd", "text": {"rich": True}},
    }
    assert (await messenger.post(messaging_webhook(messenger.page, event))).status_code == 200
    [message] = await _inbound(messenger)
    assert message.kind == "unsupported"
    assert message.raw is not None
    assert message.raw["timestamp"] == "soon"


async def test_an_entry_for_a_page_not_connected_is_ignored(messenger: MetaChannel) -> None:
    body = _recorded_fixture()
    body["entry"][0]["id"] = "999"  # type: ignore[index]
    answer = await messenger.post(body)
    assert answer.status_code == 200
    assert answer.json()["ignored_accounts"] == ["999"]
    assert await _inbound(messenger) == []


def _event(**content: object) -> dict[str, object]:
    return {
        "sender": {"id": PSID},
        "recipient": {"id": PAGE_ID},
        "timestamp": 1_767_600_000_000,
        **content,
    }


async def test_every_event_type_maps_to_its_record(messenger: MetaChannel) -> None:
    page = messenger.page
    first = text_event(page, PSID, "Do you have size 42?", mid="m_first")
    body = messaging_webhook(
        page,
        first,
        _event(message={"mid": "m_qr", "text": "Red", "quick_reply": {"payload": "COLOUR_RED"}}),
        _event(postback={"mid": "m_pb", "title": "Talk to agent", "payload": "AGENT"}),
        _event(postback={"title": "Get Started", "payload": "GET_STARTED"}),
        _event(message={"mid": "m_reply", "text": "yes", "reply_to": {"mid": "m_first"}}),
        _event(reaction={"mid": "m_first", "action": "react", "reaction": "love", "emoji": "❤️"}),
        _event(
            message={
                "mid": "m_echo",
                "is_echo": True,
                "app_id": 1517776481860111,
                "text": "from the Page",
            },
            sender={"id": PAGE_ID},
            recipient={"id": PSID},
        ),
        _event(
            message={
                "mid": "m_loc",
                "attachments": [
                    {"type": "location", "payload": {"coordinates": {"lat": -23.5, "long": -46.6}}}
                ],
            }
        ),
        _event(message={"mid": "m_tpl", "attachments": [{"type": "template", "payload": {}}]}),
    )
    answer = await messenger.post(body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["echoes"] == 1
    by_id = {m.provider_message_id: m for m in await _inbound(messenger)}
    assert set(by_id) == {
        "m_first",
        "m_qr",
        "m_pb",
        derived_id("postback", PSID, 1_767_600_000_000, "GET_STARTED"),
        "m_reply",
        "m_loc",
        "m_tpl",
    }
    assert (by_id["m_qr"].kind, by_id["m_qr"].body) == ("interactive_reply", "Red")
    assert (by_id["m_qr"].payload or {})["choice"]["id"] == "COLOUR_RED"
    assert (by_id["m_pb"].kind, (by_id["m_pb"].payload or {})["choice"]["id"]) == (
        "postback",
        "AGENT",
    )
    assert by_id["m_reply"].reply_to_message_id == by_id["m_first"].id
    assert by_id["m_first"].reactions
    assert by_id["m_first"].reactions[0]["emoji"] == "❤️"
    assert (by_id["m_loc"].payload or {})["location"]["latitude"] == -23.5
    assert by_id["m_tpl"].kind == "unsupported"
    # Taking the reaction back.
    unreact = _event(reaction={"mid": "m_first", "action": "unreact", "reaction": "love"})
    unreact["timestamp"] = 1_767_600_060_000
    assert (await messenger.post(messaging_webhook(page, unreact))).status_code == 200
    [first_again] = [m for m in await _inbound(messenger) if m.provider_message_id == "m_first"]
    assert not [r for r in first_again.reactions or [] if r.get("emoji")]


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(picture, format="PNG")
    return picture.getvalue()


async def test_an_attachment_is_fetched_from_its_url_into_the_message(
    messenger: MetaChannel, runtime: Runtime
) -> None:
    data = _png()
    url = messenger.graph.cdn_url(data, "image/png")
    event = _event(
        message={"mid": "m_img", "attachments": [{"type": "image", "payload": {"url": url}}]}
    )
    assert (await messenger.post(messaging_webhook(messenger.page, event))).status_code == 200
    await run_jobs(runtime)
    [message] = [m for m in await _inbound(messenger) if m.kind == "media"]
    [attachment] = message.attachments
    assert (attachment["content_type"], attachment["size"]) == ("image/png", len(data))
    assert (message.payload or {})["media"][0]["status"] == "stored"
    fetch = next(r for r in messenger.graph.requests if r.path.startswith("/cdn/"))
    assert "authorization" not in fetch.headers  # the CDN link is signed: no token sent

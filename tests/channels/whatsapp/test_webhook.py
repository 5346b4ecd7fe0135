"""The webhook's doors: the handshake, signatures, sizes, malformed bodies and redeliveries
(F4 and F5 of the benchmarks: nothing stored without a valid signature, no 5xx, one message
however often or however concurrently Meta delivers it)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.settings import Settings
from tests.channels.whatsapp.conftest import WhatsApp, connect, count, messages_of
from tests.conftest import Published, World
from tests.fakes.meta import FakeGraph, fixture, fixture_bytes, sign, text_webhook

STORED = (Message, Contact, ContactIdentity, Conversation, QuarantinedPayload, EventLogEntry, Job)


async def _stored(runtime: Runtime) -> dict[str, int]:
    return {model.__name__: await count(runtime, model) for model in STORED}


async def _verify_token(whatsapp: WhatsApp) -> str:
    async with whatsapp.world.client("alice") as alice:
        setup = await alice.get(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp")
    assert setup.status_code == 200
    return str(setup.json()["verify_token"])


async def test_the_handshake_echoes_the_challenge_for_the_workspace_s_token(
    whatsapp: WhatsApp,
) -> None:
    token = await _verify_token(whatsapp)
    async with whatsapp.client() as meta:
        ok = await meta.get(
            whatsapp.url,
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": token,
                "hub.challenge": "1158201444",
            },
        )
        wrong = await meta.get(
            whatsapp.url,
            params={"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"},
        )
        not_subscribe = await meta.get(
            whatsapp.url,
            params={"hub.mode": "unsubscribe", "hub.verify_token": token, "hub.challenge": "1"},
        )
        other_workspace = await meta.get(
            f"/webhooks/whatsapp/{whatsapp.world.other.id}",
            params={"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1"},
        )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert ok.headers["content-type"].startswith("text/plain")
    assert [wrong.status_code, not_subscribe.status_code, other_workspace.status_code] == [403] * 3


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "sha256=",
        "sha1=0123456789abcdef0123456789abcdef01234567",
        "sha256=" + "0" * 64,
        "sha256=not-hex",
    ],
)
async def test_a_missing_or_wrong_signature_is_refused_and_nothing_is_stored(
    whatsapp: WhatsApp, runtime: Runtime, signature: str
) -> None:
    before = await _stored(runtime)
    response = await whatsapp.post(fixture_bytes("text_message"), signature=signature)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert await _stored(runtime) == before


async def test_a_body_signed_with_another_secret_or_tampered_with_is_refused(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    before = await _stored(runtime)
    raw = fixture_bytes("text_message")
    assert (await whatsapp.post(raw, secret="another-app-secret")).status_code == 401
    tampered = raw.replace(b"Body Text", b"Bodx Text")
    assert (
        await whatsapp.post(tampered, signature=sign(raw, whatsapp.number.app_secret))
    ).status_code == 401
    # The signature is over the bytes as sent: re-serialising them breaks it.
    reserialised = json.dumps(json.loads(raw)).encode()
    assert (
        await whatsapp.post(reserialised, signature=sign(raw, whatsapp.number.app_secret))
    ).status_code == 401
    assert await _stored(runtime) == before


async def test_the_reference_test_vector_verifies() -> None:
    body = b'{"object":"whatsapp_business_account","entry":[]}'
    assert sign(body, "test_app_secret") == (
        "sha256=dec6a680679a968e7e0319355b23599cbfc54502c0784668e9618baa0c633756"
    )


async def test_non_ascii_is_signed_over_the_escaped_bytes_meta_sends(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    body = text_webhook(whatsapp.number, "5511", "João", "Olá, tudo bem? 😀", wamid="wamid.u")
    raw = json.dumps(body, separators=(",", ":")).encode()  # \u00e3, \ud83d\ude00 as Meta does
    assert b"\\u00e3" in raw
    assert (await whatsapp.post(raw)).status_code == 200
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert message.body == "Olá, tudo bem? 😀"


async def test_an_oversized_body_is_refused_with_413(
    whatsapp: WhatsApp, runtime: Runtime, settings: Settings
) -> None:
    settings.webhook_max_bytes = 4096
    before = await _stored(runtime)
    big = text_webhook(whatsapp.number, "5511", "Big", "x" * 5000, wamid="wamid.big")
    response = await whatsapp.post(big)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert await _stored(runtime) == before


async def test_the_default_limit_takes_meta_s_largest_payload_and_no_more(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    near = text_webhook(whatsapp.number, "5511", "Big", "x" * (3 * 1024 * 1024 - 4000))
    assert (await whatsapp.post(near)).status_code == 200
    past = text_webhook(whatsapp.number, "5511", "Big", "x" * (3 * 1024 * 1024 + 10))
    assert (await whatsapp.post(past)).status_code == 413


@pytest.mark.parametrize(
    "raw",
    [
        b'{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[',  # truncated
        b"\xff\xfe{not utf-8}",
        b'{"object": "whatsapp_business_account", "entry": [}',
        b"",
    ],
    ids=["truncated", "invalid-utf8", "malformed", "empty"],
)
async def test_authentic_but_unreadable_bodies_answer_400_and_store_nothing(
    whatsapp: WhatsApp, runtime: Runtime, raw: bytes
) -> None:
    before = await _stored(runtime)
    response = await whatsapp.post(raw)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"
    assert await _stored(runtime) == before


async def test_wrong_types_inside_a_message_keep_it_raw_as_unsupported(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    body = fixture("text_message")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["text"] = "a string where an object belongs"
    message["timestamp"] = {"not": "a timestamp"}
    response = await whatsapp.post(body)
    assert response.status_code == 200
    [stored] = await messages_of(runtime, whatsapp.channel_id)
    assert stored.kind == "unsupported"
    assert stored.raw == message


async def test_the_same_post_twice_in_a_row_is_one_message_and_one_event(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    raw = fixture_bytes("text_message")
    first = await whatsapp.post(raw)
    events = len(published.events)
    jobs = await count(runtime, Job)
    second = await whatsapp.post(raw)
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(await messages_of(runtime, whatsapp.channel_id)) == 1
    assert len(published.events) == events  # no second frame
    assert await count(runtime, Job) == jobs  # no second routing


async def test_the_same_post_delivered_concurrently_is_one_message(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    raw = fixture_bytes("document_message")
    responses = await asyncio.gather(*(whatsapp.post(raw) for _ in range(12)))
    assert [r.status_code for r in responses] == [200] * 12
    [message] = await messages_of(runtime, whatsapp.channel_id)
    assert await count(runtime, ContactIdentity) == 3 + 1  # the world's three, and this sender
    created = [e for e in published.events if e.type == "message.created"]
    assert len(created) == 1
    async with runtime.database.read_session() as db:
        fetches = list(await db.scalars(select(Job).where(Job.kind == "fetch_inbound_media")))
        routes = list(await db.scalars(select(Job).where(Job.kind == "routing_route")))
    assert len(fetches) == 1
    assert fetches[0].payload == {"message_id": str(message.id), "index": 0}
    assert len(routes) == 1


async def test_a_workspace_without_whatsapp_refuses_every_post(
    world: World, runtime: Runtime
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as meta:
        raw = fixture_bytes("text_message")
        response = await meta.post(
            f"/webhooks/whatsapp/{world.other.id}",
            content=raw,
            headers={"X-Hub-Signature-256": sign(raw, "anything")},
        )
    assert response.status_code == 401


async def test_several_numbers_share_the_workspace_s_webhook_and_keep_to_their_channels(
    world: World, graph: FakeGraph, runtime: Runtime
) -> None:
    careers = await connect(world, graph, "1122334455667", name="Careers", app_secret="shared")
    stores = await connect(world, graph, "2233445566778", name="Stores", app_secret="shared")
    body = text_webhook(careers.number, "5511", "Ana", "to careers", wamid="wamid.c")
    other = text_webhook(stores.number, "5511", "Ana", "to stores", wamid="wamid.s")
    body["entry"].append(other["entry"][0])
    assert (await careers.post(body)).status_code == 200
    assert [m.body for m in await messages_of(runtime, careers.channel_id)] == ["to careers"]
    assert [m.body for m in await messages_of(runtime, stores.channel_id)] == ["to stores"]
    # The same customer on two numbers: one identity per channel, two conversations.
    assert await count(runtime, ContactIdentity) == 3 + 2


async def test_a_body_signed_by_one_app_cannot_speak_for_another_app_s_number(
    world: World, graph: FakeGraph, runtime: Runtime
) -> None:
    mine = await connect(world, graph, "1122334455667", name="Mine", app_secret="app-one")
    theirs = await connect(world, graph, "2233445566778", name="Theirs", app_secret="app-two")
    body = text_webhook(mine.number, "5511", "Ana", "mine", wamid="wamid.m")
    body["entry"].append(
        text_webhook(theirs.number, "5511", "Ana", "forged", wamid="wamid.f")["entry"][0]
    )
    response = await mine.post(body)  # signed with app-one's secret
    assert response.status_code == 200
    assert response.json()["ignored_numbers"] == ["2233445566778"]
    assert [m.body for m in await messages_of(runtime, mine.channel_id)] == ["mine"]
    assert await messages_of(runtime, theirs.channel_id) == []


async def test_an_inactive_channel_receives_nothing(whatsapp: WhatsApp, runtime: Runtime) -> None:
    async with whatsapp.world.client("alice") as alice:
        changed = await alice.patch(
            f"/api/v1/channels/{whatsapp.channel_id}", json={"is_active": False}
        )
    assert changed.status_code == 200
    assert (await whatsapp.post(fixture_bytes("text_message"))).status_code == 401
    assert await messages_of(runtime, whatsapp.channel_id) == []

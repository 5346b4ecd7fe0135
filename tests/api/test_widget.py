"""The visitor's API: sessions, identity, history, sending, read receipts and isolation."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.conftest import Published, World
from tests.factories import Factory

W = "/api/widget/v1"


async def webchat(runtime: Runtime, world: World, **settings: Any) -> Channel:
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Careers site", **settings
        )
        channel.team_id = world.acme.teams["support"].id
        await s.commit()
    return channel


@pytest.fixture
async def visitor(world: World) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as client:
        yield client


async def start(client: httpx.AsyncClient, channel: Channel, **body: Any) -> dict[str, Any]:
    r = await client.post(f"{W}/channels/{channel.id}/sessions", json=body)
    assert r.status_code == 200, r.text
    client.headers["X-Visitor-Token"] = r.json()["visitor_token"]
    return dict(r.json())


async def test_config_is_public_and_has_no_secrets(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world, primary_color="#0f766e", greeting={"en": "Hello!"})
    r = await visitor.get(f"{W}/channels/{channel.id}/config")
    assert r.status_code == 200
    body = r.json()
    assert body["primary_color"] == "#0f766e"
    assert body["greeting"]["en"] == "Hello!"
    assert set(body["greeting"]) >= {"en", "pt-BR", "vi"}
    whatsapp = await visitor.get(f"{W}/channels/{world.acme.channels['whatsapp'].id}/config")
    assert whatsapp.status_code == 404


async def test_config_says_when_the_team_is_closed_and_what_wait_to_expect(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient, clock: FrozenClock
) -> None:
    channel = await webchat(runtime, world)
    url = f"{W}/channels/{channel.id}/config"
    # No business hours: open; nobody in Support is online, so no promise about the wait.
    nobody = (await visitor.get(url)).json()["availability"]
    assert nobody == {"open_now": True, "next_opening": None, "expected_wait_seconds": None}
    async with world.client("bob") as bob:
        assert (await bob.put("/api/v1/me/state", json={"state": "online"})).status_code == 200
    free = (await visitor.get(url)).json()["availability"]
    assert free == {"open_now": True, "next_opening": None, "expected_wait_seconds": 0.0}
    # Monday 5 January 2026, 09:00 UTC is 06:00 in São Paulo: closed until 08:00 (11:00 UTC).
    hours = {
        "timezone": "America/Sao_Paulo",
        "periods": [{"weekday": "monday", "start": "08:00", "end": "18:00"}],
    }
    async with world.client("alice") as alice:
        assert (await alice.put("/api/v1/business-hours", json=hours)).status_code == 200
    closed = (await visitor.get(url)).json()["availability"]
    assert closed == {
        "open_now": False,
        "next_opening": "2026-01-05T11:00:00Z",
        "expected_wait_seconds": None,
    }
    clock.advance(hours=2, minutes=30)
    assert (await visitor.get(url)).json()["availability"]["open_now"] is True


async def test_a_visitor_writes_and_the_conversation_lands_in_the_channel_team(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient, published: Published
) -> None:
    channel = await webchat(runtime, world)
    session = await start(visitor, channel, name="Nina", email="nina@example.com", locale="pt-BR")
    assert session["conversation_id"] is None
    r = await visitor.post(f"{W}/messages", json={"body": "Olá!", "client_message_id": "v-1"})
    assert r.status_code == 201
    message = r.json()
    assert message["author"] == "visitor"
    async with runtime.database.read_session() as db:
        conv = await db.scalar(select(Conversation).where(Conversation.channel_id == channel.id))
        contact = await db.get_one(Contact, uuid.UUID(session["contact_id"]))
        jobs = list(await db.scalars(select(Job.kind)))
    assert conv is not None
    assert conv.team_id == world.acme.teams["support"].id
    assert conv.waiting_since is not None
    assert conv.last_message_preview == "Olá!"
    assert (contact.name, contact.email, contact.language) == ("Nina", "nina@example.com", "pt-BR")
    # Nothing to deliver (the event log is the webchat transport); routing decides in a job.
    assert jobs == ["routing_route"]
    assert published.types() == [
        "contact.created",  # when the session began
        "conversation.created",
        "message.created",
        "visitor.message_created",
    ]
    assert published.events[0].payload["name"] == "Nina"
    created = published.events[1]
    assert f"team:{world.acme.teams['support'].id}" in created.audience
    assert published.events[3].audience == (f"visitor:{contact.id}",)


async def test_resending_the_same_message_stores_it_once(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    first = await visitor.post(f"{W}/messages", json={"body": "hi", "client_message_id": "same"})
    again = await visitor.post(f"{W}/messages", json={"body": "hi", "client_message_id": "same"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    async with runtime.database.read_session() as db:
        count = await db.scalar(
            select(func.count()).select_from(Message).where(Message.channel_id == channel.id)
        )
    assert count == 1


def _tampered(token: str) -> str:
    """The token with its last character changed: always different (a fixed suffix is not)."""
    return token[:-1] + ("B" if token[-1] == "A" else "A")


async def test_the_visitor_token_brings_the_same_visitor_back(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    first = await start(visitor, channel)
    await visitor.post(f"{W}/messages", json={"body": "hello", "client_message_id": "a"})
    again = await start(visitor, channel, visitor_token=first["visitor_token"])
    assert again["contact_id"] == first["contact_id"]
    assert again["conversation_id"] is not None
    tampered = await visitor.post(
        f"{W}/channels/{channel.id}/sessions",
        json={"visitor_token": _tampered(first["visitor_token"])},
    )
    assert tampered.json()["contact_id"] != first["contact_id"]  # a stranger, not an error


async def test_a_signed_in_customer_is_recognised_on_every_device(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    async with world.client("alice") as alice:
        r = await alice.patch(
            f"/api/v1/channels/{channel.id}", json={"secrets": {"identity_secret": "s3cret"}}
        )
        assert r.status_code == 200, r.text
    good = hmac.new(b"s3cret", b"customer-42", hashlib.sha256).hexdigest()
    laptop = await start(visitor, channel, user_id="customer-42", user_hash=good)
    visitor.headers.pop("X-Visitor-Token")
    phone = await start(visitor, channel, user_id="customer-42", user_hash=good)
    assert laptop["contact_id"] == phone["contact_id"]
    forged = await visitor.post(
        f"{W}/channels/{channel.id}/sessions", json={"user_id": "customer-42", "user_hash": "00"}
    )
    assert forged.status_code == 401
    async with runtime.database.read_session() as db:
        identities = await db.scalar(
            select(func.count())
            .select_from(ContactIdentity)
            .where(ContactIdentity.channel_id == channel.id)
        )
    assert identities == 1


async def test_pre_chat_email_and_allowed_origins(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(
        runtime,
        world,
        pre_chat_require_email=True,
        allowed_origins=["https://careers.acme.example"],
    )
    url = f"{W}/channels/{channel.id}/sessions"
    good_origin = {"Origin": "https://careers.acme.example"}
    no_email = await visitor.post(url, json={"name": "Ana"}, headers=good_origin)
    foreign = await visitor.post(
        url, json={"email": "a@example.com"}, headers={"Origin": "https://evil.example"}
    )
    ok = await visitor.post(url, json={"email": "a@example.com"}, headers=good_origin)
    assert no_email.status_code == 422
    assert no_email.json()["error"]["details"]["field"] == "email"
    assert foreign.status_code == 403
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == "https://careers.acme.example"
    preflight = await visitor.options(
        url,
        headers={**good_origin, "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status_code == 204
    assert "x-visitor-token" in preflight.headers["access-control-allow-headers"]


async def test_history_shows_replies_but_never_notes(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    await visitor.post(f"{W}/messages", json={"body": "question", "client_message_id": "q"})
    conv_id = (await visitor.get(f"{W}/messages")).json()["items"][0]["conversation_id"]
    async with world.client("bob") as bob:
        await bob.post(f"/api/v1/conversations/{conv_id}/notes", json={"body": "internal only"})
        reply = await bob.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"body": "answer", "client_message_id": "r1"},
        )
    assert reply.json()["status"] == "sent"  # the log is the transport: no provider job
    history = (await visitor.get(f"{W}/messages")).json()
    assert [m["body"] for m in history["items"]] == ["answer", "question"]
    assert history["items"][0]["agent"]["name"] == "Bob"
    assert "email" not in str(history["items"][0]["agent"])


async def test_read_receipts_move_replies_to_read(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient, published: Published
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    await visitor.post(f"{W}/messages", json={"body": "hi", "client_message_id": "q"})
    conv_id = (await visitor.get(f"{W}/messages")).json()["items"][0]["conversation_id"]
    async with world.client("bob") as bob:
        r1 = await bob.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"body": "one", "client_message_id": "1"},
        )
        r2 = await bob.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"body": "two", "client_message_id": "2"},
        )
        agent_read = await bob.post(f"/api/v1/conversations/{conv_id}/read")
    assert agent_read.json() == {"marked_read": 1}
    seen = await visitor.post(f"{W}/read", json={"message_id": r2.json()["id"]})
    assert seen.status_code == 204
    async with runtime.database.read_session() as db:
        statuses = {
            str(m.id): m.status
            for m in await db.scalars(
                select(Message).where(Message.conversation_id == uuid.UUID(conv_id))
            )
        }
    assert statuses[r1.json()["id"]] == "read"
    assert statuses[r2.json()["id"]] == "read"
    assert "visitor.message_updated" in published.types()


async def test_a_visitor_never_reaches_another_visitor_s_conversation(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    await visitor.post(f"{W}/messages", json={"body": "mine", "client_message_id": "m"})
    async with world.client("bob") as bob:
        conv_id = (await visitor.get(f"{W}/messages")).json()["items"][0]["conversation_id"]
        reply = await bob.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"body": "for A", "client_message_id": "x"},
        )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as other:
        await start(other, channel)
        history = (await other.get(f"{W}/messages")).json()
        steal = await other.post(f"{W}/read", json={"message_id": reply.json()["id"]})
        no_token = await other.get(f"{W}/messages", headers={"X-Visitor-Token": ""})
    assert history["items"] == []
    assert steal.status_code == 404
    assert no_token.status_code == 401


async def test_sending_too_fast_is_rate_limited(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    codes = [
        (
            await visitor.post(f"{W}/messages", json={"body": "x", "client_message_id": f"f{i}"})
        ).status_code
        for i in range(25)
    ]
    assert codes.count(201) == 20
    assert codes[-1] == 429


def png() -> bytes:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (640, 480), (15, 118, 110)).save(buffer, format="PNG")
    return buffer.getvalue()


async def test_a_visitor_sends_a_photo_the_agent_can_open(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    up = await visitor.post(f"{W}/attachments", files={"file": ("cv.png", png(), "image/png")})
    assert up.status_code == 201, up.text
    attachment = up.json()
    sent = await visitor.post(
        f"{W}/messages",
        json={"body": "", "client_message_id": "photo", "attachment_ids": [attachment["id"]]},
    )
    assert sent.status_code == 201, sent.text
    shown = sent.json()["attachments"][0]
    assert shown["name"] == "cv.png"
    assert shown["thumbnail_url"]
    image = await visitor.get(shown["url"])
    assert image.status_code == 200
    assert image.content == png()
    conv_id = sent.json()["conversation_id"]
    async with world.client("bob") as bob:
        history = (await bob.get(f"/api/v1/conversations/{conv_id}/messages")).json()
        opened = await bob.get(f"/api/v1/attachments/{attachment['id']}")
    assert history["items"][0]["kind"] == "media"
    assert history["items"][0]["attachments"][0]["url"].startswith("http://testserver/")
    assert opened.status_code == 200


async def test_a_visitor_cannot_send_someone_else_s_file(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    up = await visitor.post(f"{W}/attachments", files={"file": ("a.png", png(), "image/png")})
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as other:
        await start(other, channel)
        r = await other.post(
            f"{W}/messages",
            json={"body": "look", "client_message_id": "x", "attachment_ids": [up.json()["id"]]},
        )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "attachment_ids"


async def _agent_replies_with_a_picture(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient, channel: Channel
) -> tuple[str, str]:
    """Bob uploads and sets a picture, then answers the visitor: (picture id, conversation id)."""
    await start(visitor, channel)
    await visitor.post(f"{W}/messages", json={"body": "hello", "client_message_id": "h"})
    conv_id = (await visitor.get(f"{W}/messages")).json()["items"][0]["conversation_id"]
    async with world.client("bob") as bob:
        up = await bob.post("/api/v1/attachments", files={"file": ("me.png", png(), "image/png")})
        picture = up.json()["id"]
        me = await bob.patch(
            "/api/v1/me", json={"avatar_url": f"/api/v1/attachments/{picture}/thumbnail"}
        )
        assert me.status_code == 200, me.text
        await bob.post(
            f"/api/v1/conversations/{conv_id}/assign",
            json={"assignee_id": str(world.acme.members["bob"].id)},
        )
        reply = await bob.post(
            f"/api/v1/conversations/{conv_id}/messages",
            json={"body": "hi, Bob here", "client_message_id": "r"},
        )
        assert reply.status_code == 201, reply.text
    return picture, conv_id


async def test_the_widget_loads_the_agent_s_picture_without_a_member_session(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    picture, _conv = await _agent_replies_with_a_picture(world, runtime, visitor, channel)
    history = (await visitor.get(f"{W}/messages")).json()
    url = history["items"][0]["agent"]["avatar_url"]
    assert url == f"{W}/channels/{channel.id}/pictures/{picture}"
    async with runtime.database.read_session() as s:
        event = await s.scalar(
            select(EventLogEntry)
            .where(EventLogEntry.type == "visitor.message_created")
            .order_by(EventLogEntry.id.desc())
        )
    assert event is not None
    assert event.payload["message"]["agent"]["avatar_url"] == url
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as stranger:  # a customer's page: no member session, no visitor token
        loaded = await stranger.get(url)
    assert loaded.status_code == 200, loaded.text
    assert loaded.headers["content-type"] == "image/webp"
    assert loaded.headers["cross-origin-resource-policy"] == "cross-origin"
    assert loaded.content[:4] == b"RIFF"


async def test_the_widget_s_picture_route_serves_no_other_file(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    picture, conv_id = await _agent_replies_with_a_picture(world, runtime, visitor, channel)
    sent = await visitor.post(f"{W}/attachments", files={"file": ("cv.png", png(), "image/png")})
    async with world.client("bob") as bob:
        photo = await bob.post(
            "/api/v1/attachments",
            files={"file": ("doc.png", png(), "image/png")},
            data={"conversation_id": conv_id},
        )
        other_pic = await bob.post("/api/v1/attachments", files={"file": ("x.png", png())})
    async with runtime.database.write_session() as s:
        other_channel = await Factory(s, runtime.clock.now()).channel(
            world.other.workspace, "webchat", "Other site"
        )
        await s.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as stranger:
        refused = [
            await stranger.get(f"{W}/channels/{channel.id}/pictures/{other}")
            for other in (
                uuid.uuid4(),
                sent.json()["id"],  # a visitor's file
                photo.json()["id"],  # an agent's image in a conversation
                other_pic.json()["id"],  # an agent's picture that is not their picture now
            )
        ]
        # Bob is no member of the other workspace: its channel does not serve his picture.
        refused.append(await stranger.get(f"{W}/channels/{other_channel.id}/pictures/{picture}"))
        refused.append(await stranger.get(f"{W}/channels/{uuid.uuid4()}/pictures/{picture}"))
        async with world.client("bob") as bob:
            await bob.patch("/api/v1/me", json={"avatar_url": None})
        removed = await stranger.get(f"{W}/channels/{channel.id}/pictures/{picture}")
    for answer in [*refused, removed]:
        assert answer.status_code == 404, answer.request.url
        assert answer.json()["error"]["code"] == "not_found"
    history = (await visitor.get(f"{W}/messages")).json()
    assert history["items"][0]["agent"]["avatar_url"] is None


async def test_an_outside_picture_left_from_before_never_reaches_the_widget(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await _agent_replies_with_a_picture(world, runtime, visitor, channel)
    async with runtime.database.write_session() as s:
        bob = await s.get_one(User, world.acme.members["bob"].id)
        bob.avatar_url = "https://tracker.example/pixel.png"  # stored before pictures were checked
        await s.commit()
    history = (await visitor.get(f"{W}/messages")).json()
    assert history["items"][0]["agent"]["avatar_url"] is None
    assert history["agent"]["avatar_url"] is None

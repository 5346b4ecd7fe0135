"""Instagram Messaging: Messenger's adapter with the Instagram flavour — its own webhook door
and verify token, IGSID senders routed by the account id, seen events by mid, unsent messages,
replies through the account's Send API, and the same window with the HUMAN_AGENT tag."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings
from tests.channels.messenger.conftest import MetaChannel, connect, count, messages_of, run_jobs
from tests.channels.messenger.test_outbound import message, reply, sent_bodies
from tests.conftest import World
from tests.fakes.messenger import FakeGraph, messaging_webhook, serve, sign, text_event

IG_ID = "17841405822304914"
IGSID = "1254459154682919"


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
async def instagram(world: World, graph: FakeGraph) -> MetaChannel:
    return await connect(world, graph, IG_ID, kind="instagram")


def _event(**content: Any) -> dict[str, Any]:
    return {
        "sender": {"id": IGSID},
        "recipient": {"id": IG_ID},
        "timestamp": 1_767_600_000_000,
        **content,
    }


async def _inbound(channel: MetaChannel) -> list[Message]:
    rows = await messages_of(channel.runtime, channel.channel_id)
    return [m for m in rows if m.direction == "inbound"]


async def test_its_own_door_and_verify_token(instagram: MetaChannel, runtime: Runtime) -> None:
    async with instagram.world.client("alice") as alice:
        setup = (await alice.get(f"/api/v1/channels/{instagram.channel_id}/instagram")).json()
        not_messenger = await alice.get(f"/api/v1/channels/{instagram.channel_id}/messenger")
    assert setup["webhook_url"].endswith(f"/webhooks/instagram/{instagram.workspace_id}")
    assert setup["verify_token"].startswith("fd-ig-")
    assert "messaging_seen" in setup["subscribe_fields"]
    assert not_messenger.status_code == 404
    async with instagram.client() as meta:
        ok = await meta.get(
            instagram.url,
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": setup["verify_token"],
                "hub.challenge": "7",
            },
        )
        on_messenger = await meta.get(
            f"/webhooks/messenger/{instagram.workspace_id}",
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": setup["verify_token"],
                "hub.challenge": "7",
            },
        )
    assert (ok.status_code, ok.text) == (200, "7")
    assert on_messenger.status_code == 403
    # A body signed for Instagram is not accepted at Messenger's door, and stores nothing.
    raw = b'{"object":"instagram","entry":[]}'
    async with instagram.client() as meta:
        wrong_door = await meta.post(
            f"/webhooks/messenger/{instagram.workspace_id}",
            content=raw,
            headers={"X-Hub-Signature-256": sign(raw, instagram.page.app_secret)},
        )
    assert wrong_door.status_code == 401
    unsigned = await instagram.post(raw, signature="sha256=" + "0" * 64)
    assert unsigned.status_code == 401
    assert await count(runtime, QuarantinedPayload) == 0


async def test_messages_seen_unsend_and_page_objects(
    instagram: MetaChannel, runtime: Runtime
) -> None:
    page = instagram.page
    body = messaging_webhook(
        page,
        _event(message={"mid": "aWdf_1", "text": "Hi, is this available?"}),
        _event(
            message={
                "mid": "aWdf_2",
                "text": "Love this",
                "reply_to": {"story": {"url": "https://lookaside.test/s", "id": "st1"}},
            }
        ),
        _event(message={"mid": "aWdf_3", "is_unsupported": True}),
        _event(message={"mid": "aWdf_4", "text": "Thanks!", "is_echo": True}),
    )
    for _ in range(2):
        assert (await instagram.post(body)).status_code == 200
    by_id = {m.provider_message_id: m for m in await _inbound(instagram)}
    assert set(by_id) == {"aWdf_1", "aWdf_2", "aWdf_3"}
    assert by_id["aWdf_1"].body == "Hi, is this available?"
    assert (by_id["aWdf_2"].payload or {})["details"]["story_reply"]["id"] == "st1"
    assert by_id["aWdf_3"].kind == "unsupported"
    unsent = _event(message={"mid": "aWdf_1", "is_deleted": True})
    assert (await instagram.post(messaging_webhook(page, unsent))).status_code == 200
    deleted = {m.provider_message_id: m for m in await _inbound(instagram)}["aWdf_1"]
    assert deleted.deleted_at is not None
    # A Messenger body at Instagram's door is set aside, not recorded.
    wrong = {"object": "page", "entry": [{"id": IG_ID, "messaging": []}]}
    assert (await instagram.post(wrong)).status_code == 200
    assert await count(runtime, QuarantinedPayload) == 1


async def test_replies_seen_and_the_human_agent_tag(
    instagram: MetaChannel, runtime: Runtime, clock: FrozenClock
) -> None:
    instagram_psid = IGSID
    event = text_event(
        instagram.page, instagram_psid, "Hello", timestamp=int(clock.now().timestamp() * 1000)
    )
    assert (await instagram.post(messaging_webhook(instagram.page, event))).status_code == 200
    await run_jobs(runtime)
    instagram.graph.send_api_sent.clear()
    [first] = await _inbound(instagram)
    conversation = str(first.conversation_id)
    sent = await reply(instagram, conversation, body="Yes, it is!")
    assert sent.status_code == 201
    await run_jobs(runtime)
    [body] = sent_bodies(instagram)
    assert body == {
        "recipient": {"id": IGSID},
        "messaging_type": "RESPONSE",
        "message": {"text": "Yes, it is!"},
    }
    mid = instagram.graph.send_api_sent[0]["_mid"]
    seen = _event(read={"mid": mid})
    assert (await instagram.post(messaging_webhook(instagram.page, seen))).status_code == 200
    assert (await message(runtime, sent.json()["id"])).status == "read"
    clock.advance(days=2)
    late = await reply(instagram, conversation, body="Following up")
    assert late.status_code == 201
    too_long = await reply(instagram, conversation, body="x" * 1001)
    await run_jobs(runtime)
    assert sent_bodies(instagram)[1]["tag"] == "HUMAN_AGENT"
    failed = await message(runtime, too_long.json()["id"])
    assert failed.status == "failed"
    clock.advance(days=6)
    assert (await reply(instagram, conversation, body="too late")).status_code == 409

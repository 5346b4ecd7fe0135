"""CSAT on Messenger: quick replies, answered by a tapped quick reply without reopening; past the
standard 24-hour window (still inside the 7-day human-agent one) the survey is not sent, since
it is an automatic message and no agent's reply."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.runtime import Runtime
from tests.channels.messenger import conftest as messenger_tests
from tests.channels.messenger.conftest import PSID, MetaChannel, run_jobs
from tests.conftest import World
from tests.fakes.messenger import messaging_webhook, text_event
from tests.fakes.meta import FakeGraph

graph, settings, messenger = (
    messenger_tests.graph,
    messenger_tests.settings,
    messenger_tests.messenger,
)


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


async def writes(channel: MetaChannel, clock: FrozenClock, **message: object) -> None:
    event = text_event(channel.page, PSID, "x", timestamp=_ms(clock.now()))
    event["message"] = {"mid": "m_" + uuid.uuid4().hex, **message}
    assert (await channel.post(messaging_webhook(channel.page, event))).status_code == 200


async def closed_by_bob(channel: MetaChannel, world: World, clock: FrozenClock) -> Conversation:
    await writes(channel, clock, text="Hi! Is the warehouse job still open?")
    async with channel.runtime.database.read_session() as db:
        conv = await db.scalar(
            select(Conversation).where(Conversation.channel_id == channel.channel_id)
        )
    assert conv is not None
    async with world.client("alice") as alice:
        r = await alice.put("/api/v1/csat/settings", json={"enabled": True})
        assert r.status_code == 200, r.text
        r = await alice.post(
            f"/api/v1/conversations/{conv.id}/assign",
            json={"assignee_id": str(world.acme.members["bob"].id)},
        )
        assert r.status_code == 200, r.text
    return conv


async def test_quick_replies_ask_and_a_tap_answers(
    messenger: MetaChannel, world: World, runtime: Runtime, clock: FrozenClock, graph: FakeGraph
) -> None:
    conv = await closed_by_bob(messenger, world, clock)
    async with world.client("bob") as bob:
        assert (
            await bob.post(f"/api/v1/conversations/{conv.id}/close", json={})
        ).status_code == 200
    graph.send_api_sent.clear()
    await run_jobs(runtime)
    [sent] = [s for s in graph.send_api_sent if "quick_replies" in s.get("message", {})]
    quick = sent["message"]["quick_replies"]
    assert [q["payload"] for q in quick] == ["csat:5", "csat:4", "csat:3", "csat:2", "csat:1"]
    assert all(len(q["title"]) <= 20 for q in quick)

    await writes(messenger, clock, text="4 - Good", quick_reply={"payload": "csat:4"})
    async with runtime.database.read_session() as db:
        answer = await db.scalar(select(CsatResponse))
        status = await db.scalar(select(Conversation.status).where(Conversation.id == conv.id))
    assert answer is not None
    assert (answer.rating, status) == (4, "closed")


async def test_past_the_standard_window_no_survey_goes(
    messenger: MetaChannel, world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    conv = await closed_by_bob(messenger, world, clock)
    clock.advance(hours=25)  # the human-agent tag would still let Bob answer; not a survey
    async with world.client("bob") as bob:
        assert (
            await bob.post(f"/api/v1/conversations/{conv.id}/close", json={})
        ).status_code == 200
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(CsatResponse)) is None

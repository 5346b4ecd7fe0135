"""Conversation events for an integrator that asked for them: an assignment and a close reach
the fake integrator as signed callbacks, once each, and show in the delivery log."""

from __future__ import annotations

from frontdesk.core.channels.api_callbacks import backoff_seconds
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.api_channel import ensure_api_channel_chain
from tests.channels.api_channel.conftest import Connected, messages_of, run_jobs
from tests.conftest import World


async def test_assigned_and_closed_conversations_are_told_to_an_integrator_that_asked(
    connected: Connected, runtime: Runtime, world: World, clock: FrozenClock
) -> None:
    assert connected.created["conversation_events"] is False
    async with world.client("alice") as alice:
        r = await alice.put(
            f"/api/v1/channels/{connected.channel_id}/api/callback",
            json={"callback_url": connected.fake.callback_url, "conversation_events": True},
        )
    assert r.status_code == 200, r.text
    assert r.json()["conversation_events"] is True
    assert await ensure_api_channel_chain(runtime)
    assert not await ensure_api_channel_chain(runtime)  # one chain only

    posted = await connected.post(
        {"customer": {"external_id": "cand-9", "name": "Tom Baker"}, "text": "Hi"}, "k-9"
    )
    assert posted.status_code == 201, posted.text
    [inbound] = await messages_of(runtime, connected.channel_id)
    bob = world.acme.members["bob"]
    async with world.client("alice") as alice:
        assigned = await alice.post(
            f"/api/v1/conversations/{inbound.conversation_id}/assign",
            json={"assignee_id": str(bob.id)},
        )
        assert assigned.status_code == 200, assigned.text
        closed = await alice.post(f"/api/v1/conversations/{inbound.conversation_id}/close", json={})
        assert closed.status_code == 200, closed.text
    # The close's first attempt fails: it is retried after the backoff.
    connected.fake.script_for["conversation.closed"] = [503]
    await run_jobs(runtime, rounds=10)
    [failed] = [c for c in connected.fake.received if c.answered == 503]
    assert failed.payload["type"] == "conversation.closed"
    clock.advance(seconds=backoff_seconds(1))
    await run_jobs(runtime, rounds=10)
    await run_jobs(runtime, rounds=10)  # a second pass finds nothing more to tell

    events = [c for c in connected.fake.received if c.payload["type"].startswith("conversation.")]
    delivered = [c for c in events if c.answered == 200]
    types = [c.payload["type"] for c in delivered]
    assert types.count("conversation.closed") == 1
    assert "conversation.assigned" in types
    assert len(delivered) == len({c.headers["webhook-id"] for c in delivered})  # told once
    assert failed.headers["webhook-id"] in {c.headers["webhook-id"] for c in delivered}
    for callback in events:
        assert callback.verified
        data = callback.payload["data"]
        assert data["conversation_id"] == str(inbound.conversation_id)
        assert data["customer"] == {"external_id": "cand-9"}
    [close] = [c for c in delivered if c.payload["type"] == "conversation.closed"]
    assert close.payload["data"]["status"] == "closed"
    async with world.client("alice") as alice:
        log = (await alice.get(f"/api/v1/channels/{connected.channel_id}/api/deliveries")).json()
    told = [e for e in log if e["event_type"] == "conversation.closed"]
    assert [(e["status"], e["message_id"], e["attempts"]) for e in told] == [("delivered", None, 2)]

    # A receiver that refuses an event (410) fails it at once; "retry now" sends it again.
    connected.fake.script_for["conversation.assigned"] = [410]
    carol = world.acme.members["carol"]
    async with world.client("alice") as alice:
        reopened = await alice.post(f"/api/v1/conversations/{inbound.conversation_id}/reopen")
        assert reopened.status_code == 200, reopened.text
        again = await alice.post(
            f"/api/v1/conversations/{inbound.conversation_id}/assign",
            json={"assignee_id": str(carol.id)},
        )
        assert again.status_code == 200, again.text
    clock.advance(seconds=3)  # the chain's next read is due
    await run_jobs(runtime, rounds=10)
    assert connected.fake.received[-1].answered == 410
    async with world.client("alice") as alice:
        log = (await alice.get(f"/api/v1/channels/{connected.channel_id}/api/deliveries")).json()
        [refused] = [e for e in log if e["status"] == "failed"]
        assert refused["event_type"] == "conversation.assigned"
        assert refused["last_status_code"] == 410
        retried = await alice.post(
            f"/api/v1/channels/{connected.channel_id}/api/deliveries/{refused['id']}/retry"
        )
    assert retried.status_code == 200, retried.text
    await run_jobs(runtime, rounds=10)
    last = connected.fake.received[-1]
    assert (last.answered, last.headers["webhook-id"]) == (200, refused["webhook_id"])
    assert last.payload["data"]["assignee_id"] == str(carol.id)

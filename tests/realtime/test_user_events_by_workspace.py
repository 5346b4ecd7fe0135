"""An event meant for one user reaches only that user's sockets in the event's workspace.

A person can belong to several workspaces and have a tab open in each; what happens in one
(their read marker moving, a mention, an assignment) must not appear on a socket opened for
another.
"""

from __future__ import annotations

from frontdesk.core.runtime import Runtime
from tests.factories import Factory
from tests.realtime.conftest import Live, settle


async def test_a_user_s_own_events_stay_in_their_workspace(live: Live, runtime: Runtime) -> None:
    bob = live.world.persona("bob")
    async with runtime.database.write_session() as s:
        await Factory(s, runtime.clock.now()).member(live.world.other.workspace, bob.user, "agent")
        await s.commit()
    at_acme = await live.socket("bob")
    at_other = await live.socket("bob", workspace_id=live.world.other.id)
    for sock in (at_acme, at_other):
        await sock.wait_for(lambda s: bool(s.of_type("hello")))
    assert at_other.frames[0]["workspace_id"] == str(live.world.other.id)

    conversation = live.world.acme.conversations["erin_support"]
    async with live.world.client("bob") as client:
        r = await client.post(f"/api/v1/conversations/{conversation.id}/read", json={})
        assert r.status_code == 200, r.text
    async with live.world.client("alice") as alice:
        r = await alice.post(
            f"/api/v1/conversations/{conversation.id}/notes",
            json={"body": "@Bob please look", "mention_user_ids": [str(bob.id)]},
        )
        assert r.status_code in (200, 201), r.text

    await at_acme.wait_for(lambda s: bool(s.events("read_cursor.moved")))
    await at_acme.wait_for(lambda s: bool(s.events("notification.created")))
    await settle(at_acme, at_other)
    leaked = [f["type"] for f in at_other.events() if f["type"] != "presence"]
    assert leaked == []
    await at_acme.close()
    await at_other.close()

"""A client viewer's socket hears its client's conversations and never a note or another's.

Vera, a viewer limited to the Support team, keeps a socket open while an agent replies in a
Support conversation, writes a note there, and Sales and team-less conversations change. Only
the Support reply (and its conversation's changes) may arrive; then, moved to the Sales team's
scope by an owner, her open socket follows the new scope at once.
"""

from __future__ import annotations

import json

from tests.realtime.conftest import Live, settle

NOTE = "Internal: the candidate's salary expectation is too high"
OUTCOME = "Closed: reference check pending"


async def _send(live: Live, who: str, path: str, body: dict[str, object]) -> None:
    async with live.world.client(who) as client:
        response = await client.post(path, json=body)
        assert response.status_code == 201, response.text


async def test_a_client_viewer_hears_only_its_client_and_no_note(live: Live) -> None:
    acme = live.world.acme
    vera = live.world.persona("vera")
    support, sales = acme.teams["support"], acme.teams["sales"]
    async with live.world.client("alice") as alice:
        scoped = await alice.patch(
            f"/api/v1/members/{vera.id}", json={"client_scope": {"team_ids": [str(support.id)]}}
        )
        assert scoped.status_code == 200, scoped.text
    sock = await live.socket("vera")
    watcher = await live.socket("alice")
    for s in (sock, watcher):
        await s.wait_for(lambda s: bool(s.of_type("hello")))

    a, b = acme.conversations["erin_support"], acme.conversations["erin_sales"]
    loose = acme.conversations["frank_unassigned"]
    base = "/api/v1/conversations"
    await _send(live, "bob", f"{base}/{a.id}/notes", {"body": NOTE})
    await _send(
        live, "carol", f"{base}/{b.id}/messages", {"body": "Sales B", "client_message_id": "b"}
    )
    await _send(
        live, "alice", f"{base}/{loose.id}/messages", {"body": "No team", "client_message_id": "c"}
    )
    await _send(
        live, "bob", f"{base}/{a.id}/messages", {"body": "Support A", "client_message_id": "a"}
    )

    async with live.world.client("bob") as bob:
        closed = await bob.post(f"{base}/{a.id}/close", json={"note": OUTCOME})
        assert closed.status_code == 200, closed.text

    # The owner sees all four messages and the outcome's note; Vera only the Support reply and
    # the close, without the note.
    await watcher.wait_for(lambda s: len(s.events("message.created")) == 4)
    await watcher.wait_for(lambda s: bool(s.events("conversation.closed")))
    assert OUTCOME in json.dumps(watcher.events("conversation.closed"))
    await sock.wait_for(lambda s: bool(s.events("conversation.closed")))
    await settle(sock, watcher)
    heard = json.dumps(sock.events())
    assert OUTCOME not in heard
    assert [f["data"]["message"]["body"] for f in sock.events("message.created")] == ["Support A"]
    assert NOTE not in heard
    for absent in (str(b.id), str(loose.id), str(sales.id), "Sales B", "No team", "@acme.test"):
        assert absent not in heard, absent
    assert {f["data"]["conversation"]["id"] for f in sock.events("conversation.updated")} == {
        str(a.id)
    }

    # Moved to Sales: her open socket now hears Sales and no longer Support.
    async with live.world.client("alice") as alice:
        moved = await alice.patch(
            f"/api/v1/members/{vera.id}", json={"client_scope": {"team_ids": [str(sales.id)]}}
        )
        assert moved.status_code == 200, moved.text
    async with live.world.client("bob") as bob:
        reopened = await bob.post(f"{base}/{a.id}/reopen", json={})
        assert reopened.status_code == 200, reopened.text
    await settle(sock)
    before = len(sock.events("message.created"))
    await _send(
        live, "bob", f"{base}/{a.id}/messages", {"body": "Support again", "client_message_id": "a2"}
    )
    await _send(
        live, "carol", f"{base}/{b.id}/messages", {"body": "Sales again", "client_message_id": "b2"}
    )
    await sock.wait_for(lambda s: len(s.events("message.created")) > before)
    await settle(sock)
    later = [f["data"]["message"]["body"] for f in sock.events("message.created")[before:]]
    assert later == ["Sales again"]
    await sock.close()
    await watcher.close()

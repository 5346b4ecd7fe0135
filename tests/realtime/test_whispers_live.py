"""The realtime stream never carries a whisper to anyone but its readers, live or on catch-up,
and a supervisor monitoring a conversation sends no "viewing" to the agent.

Carol works in Support (she sees the conversation and its notes) and leads Sales; Vera is a
viewer (she hears the supervisors' key). Dave, a manager, whispers to Bob, the assignee, then
writes a plain note: the note reaches everyone, the whisper only Bob and the owner and manager.
"""

from __future__ import annotations

from typing import Any

from tests.realtime.conftest import Live, Socket

WHISPER = "Offer the Friday slot"
NOTE = "Checked the file"


def bodies(sock: Socket) -> list[str]:
    return [f["data"]["message"]["body"] for f in sock.events("message.created")]


def has_note(sock: Socket) -> bool:
    return NOTE in bodies(sock)


async def post(live: Live, who: str, path: str, body: dict[str, Any] | None = None) -> Any:
    async with live.world.client(who) as client:
        r = await client.post(path, json=body)
        assert r.status_code in (200, 201), r.text
        return r.json()


async def test_a_whisper_reaches_its_readers_only(live: Live) -> None:
    acme = live.world.acme
    conv = acme.conversations["erin_support"]
    async with live.world.client("alice") as alice:
        members = [str(acme.members[n].id) for n in ("bob", "carol")]
        r = await alice.put(
            f"/api/v1/teams/{acme.teams['support'].id}/members", json={"user_ids": members}
        )
        assert r.status_code == 200, r.text
        r = await alice.put(
            f"/api/v1/teams/{acme.teams['sales'].id}/members/{acme.members['carol'].id}/supervisor",
            json={"is_supervisor": True},
        )
        assert r.status_code == 200, r.text
    socks = {name: await live.socket(name) for name in ("alice", "bob", "carol", "vera")}
    for s in socks.values():
        await s.wait_for(lambda s: bool(s.of_type("hello")))
    base = f"/api/v1/conversations/{conv.id}"
    await post(live, "dave", f"{base}/whispers", {"body": WHISPER})
    await post(live, "dave", f"{base}/notes", {"body": NOTE})
    for s in socks.values():
        await s.wait_for(has_note)
    assert bodies(socks["bob"]) == [WHISPER, NOTE]
    assert bodies(socks["alice"]) == [WHISPER, NOTE]
    assert bodies(socks["carol"]) == [NOTE]
    assert bodies(socks["vera"]) == [NOTE]
    # Nothing else about it either: no frame of any kind names the whisper's text.
    for name in ("carol", "vera"):
        assert WHISPER not in str(socks[name].frames), name
    # Catching up from the start replays the same: still no whisper for Carol.
    for s in socks.values():
        await s.close()
    again = await live.socket("carol", cursor=0)
    await again.wait_for(has_note)
    assert WHISPER not in str(again.frames)
    await again.close()


async def test_monitoring_sends_no_viewing_to_the_agent(live: Live) -> None:
    conv = live.world.acme.conversations["erin_support"]
    bob = await live.socket("bob")
    await bob.wait_for(lambda s: bool(s.of_type("hello")))
    await post(live, "dave", f"/api/v1/conversations/{conv.id}/monitor")
    # A whisper afterwards is the marker: everything before it has reached Bob's socket.
    await post(live, "dave", f"/api/v1/conversations/{conv.id}/whispers", {"body": WHISPER})
    await bob.wait_for(lambda s: WHISPER in bodies(s))
    assert bob.of_type("viewing") == []
    # The same manager opening it normally is seen (the app's viewing signal), as a control.
    dave = await live.socket("dave")
    await dave.wait_for(lambda s: bool(s.of_type("hello")))
    await dave.send({"type": "viewing", "conversation_id": str(conv.id)})
    await bob.wait_for(lambda s: bool(s.of_type("viewing")))
    await dave.close()
    await bob.close()

"""The agent socket: who receives what, catch-up after a gap, resync, and signals."""

from __future__ import annotations

import asyncio
import json

import pytest
from sqlalchemy import delete
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.factories import Factory
from tests.realtime.conftest import Live, Socket, settle

PERSONAS = ("alice", "bob", "carol", "dave", "vera", "oscar", "olive")


async def open_all(live: Live) -> dict[str, Socket]:
    sockets = {name: await live.socket(name) for name in PERSONAS}
    for sock in sockets.values():
        await sock.wait_for(lambda s: bool(s.of_type("hello")))
    return sockets


async def close_all(sockets: dict[str, Socket]) -> None:
    for sock in sockets.values():
        await sock.close()


def receivers(sockets: dict[str, Socket], kind: str) -> set[str]:
    return {name for name, s in sockets.items() if s.events(kind)}


async def test_hello_then_live_events(live: Live) -> None:
    bob = await live.socket("bob")
    await bob.wait_for(lambda s: bool(s.of_type("hello")))
    hello = bob.frames[0]
    assert hello["type"] == "hello"
    assert hello["user_id"] == str(live.world.persona("bob").id)
    assert hello["workspace_id"] == str(live.world.acme.id)
    conversation = live.world.acme.conversations["erin_support"]
    async with live.world.client("bob") as client:
        r = await client.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": "On my way", "client_message_id": "live-1"},
        )
    await bob.wait_for(lambda s: bool(s.events("message.created")))
    frame = bob.events("message.created")[0]
    assert frame["id"] > hello["cursor"]
    assert frame["data"]["message"]["id"] == r.json()["id"]
    assert frame["data"]["conversation"]["id"] == str(conversation.id)
    assert set(frame) == {"id", "type", "at", "data"}
    await bob.close()


async def test_unauthenticated_and_cross_site_sockets_are_refused(live: Live) -> None:
    with pytest.raises(InvalidStatus):
        await connect(live.ws_url)
    bob = live.world.persona("bob")
    with pytest.raises(InvalidStatus):
        await connect(
            live.ws_url,
            additional_headers={
                "Cookie": f"frontdesk_session={bob.session_token}",
                "Origin": "https://evil.example",
            },
        )
    with pytest.raises(InvalidStatus):
        await connect(
            f"{live.ws_url}?cursor=yesterday",
            additional_headers={"Cookie": f"frontdesk_session={bob.session_token}"},
        )


async def test_the_other_workspace_cannot_listen_to_acme(live: Live) -> None:
    oscar = live.world.persona("oscar")
    with pytest.raises(InvalidStatus):
        await connect(
            f"{live.ws_url}?workspace_id={live.world.acme.id}",
            additional_headers={"Cookie": f"frontdesk_session={oscar.session_token}"},
        )


async def test_a_reply_reaches_exactly_those_who_may_see_it(live: Live) -> None:
    sockets = await open_all(live)
    conversation = live.world.acme.conversations["erin_support"]  # team Support, assigned bob
    async with live.world.client("bob") as bob:
        await bob.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": "Hello Erin", "client_message_id": "aud-1"},
        )
    await settle(*sockets.values())
    assert receivers(sockets, "message.created") == {"alice", "bob", "dave", "vera"}
    await close_all(sockets)


async def test_a_teamless_conversation_reaches_every_agent_of_the_workspace(live: Live) -> None:
    sockets = await open_all(live)
    conversation = live.world.acme.conversations["frank_unassigned"]
    carol = live.world.persona("carol")
    async with live.world.client("alice") as alice:
        await alice.post(
            f"/api/v1/conversations/{conversation.id}/assign",
            json={"assignee_id": str(carol.id)},
        )
    await settle(*sockets.values())
    assert receivers(sockets, "conversation.assigned") == {"alice", "bob", "carol", "dave", "vera"}
    await close_all(sockets)


async def test_a_transfer_reaches_both_teams_and_the_previous_assignee(live: Live) -> None:
    sockets = await open_all(live)
    conversation = live.world.acme.conversations["erin_support"]
    sales = live.world.acme.teams["sales"]
    async with live.world.client("dave") as dave:
        await dave.post(
            f"/api/v1/conversations/{conversation.id}/transfer", json={"team_id": str(sales.id)}
        )
        await settle(*sockets.values())
        assert receivers(sockets, "conversation.transferred") == {
            "alice",
            "bob",
            "carol",
            "dave",
            "vera",
        }
        # Now it is Sales' and nobody's: bob is no longer told about it.
        await dave.patch(f"/api/v1/conversations/{conversation.id}", json={"priority": "high"})
    await settle(*sockets.values())
    assert receivers(sockets, "conversation.updated") == {"alice", "carol", "dave", "vera"}
    await close_all(sockets)


async def test_a_mention_reaches_the_mentioned_member(live: Live) -> None:
    sockets = await open_all(live)
    conversation = live.world.acme.conversations["erin_support"]
    carol = live.world.persona("carol")
    async with live.world.client("bob") as bob:
        await bob.post(
            f"/api/v1/conversations/{conversation.id}/notes",
            json={"body": "@Carol do you know Erin?", "mention_user_ids": [str(carol.id)]},
        )
    await settle(*sockets.values())
    assert receivers(sockets, "message.created") == {"alice", "bob", "carol", "dave", "vera"}
    assert receivers(sockets, "conversation.updated") == {"alice", "bob", "dave", "vera"}
    await close_all(sockets)


async def test_catch_up_from_a_cursor_replays_exactly_what_was_missed(live: Live) -> None:
    conversation = live.world.acme.conversations["erin_support"]
    first = await live.socket("bob")
    await first.wait_for(lambda s: bool(s.of_type("hello")))
    async with live.world.client("bob") as bob:
        await bob.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": "before the gap", "client_message_id": "gap-0"},
        )
        await first.wait_for(lambda s: len(s.events()) == 2)
        cursor = first.events()[-1]["id"]
        await first.close()
        for i in range(3):  # while bob is offline
            await bob.post(
                f"/api/v1/conversations/{conversation.id}/messages",
                json={"body": f"missed {i}", "client_message_id": f"gap-{i + 1}"},
            )
    back = await live.socket("bob", cursor=cursor)
    await back.wait_for(lambda s: bool(s.of_type("ready")))
    replayed = back.events()
    bodies = [f["data"]["message"]["body"] for f in replayed if f["type"] == "message.created"]
    assert bodies == ["missed 0", "missed 1", "missed 2"]
    ids = [f["id"] for f in replayed]
    assert ids == sorted(ids)
    assert len(ids) == len(set(ids))
    assert min(ids) > cursor
    assert back.of_type("ready")[0]["cursor"] == max(ids)
    await back.close()


async def test_a_cursor_older_than_the_log_asks_for_a_resync(live: Live, runtime: Runtime) -> None:
    conversation = live.world.acme.conversations["erin_support"]
    async with live.world.client("bob") as bob:
        for i in range(3):
            await bob.post(
                f"/api/v1/conversations/{conversation.id}/messages",
                json={"body": f"old {i}", "client_message_id": f"old-{i}"},
            )
    async with runtime.database.write_session() as s:
        # Retention pruned the oldest events.
        oldest = (await s.scalars(EventLogEntry.__table__.select().order_by("id").limit(2))).all()
        await s.execute(delete(EventLogEntry).where(EventLogEntry.id.in_(oldest)))
        await s.commit()
    sock = await live.socket("bob", cursor=0)
    await sock.wait_for(lambda s: bool(s.of_type("resync")))
    assert sock.events() == []
    ahead = await live.socket("bob", cursor=10**9)
    await ahead.wait_for(lambda s: bool(s.of_type("resync")))
    await sock.close()
    await ahead.close()


async def test_typing_reaches_those_who_see_the_conversation_but_not_the_typist(
    live: Live,
) -> None:
    sockets = await open_all(live)
    conversation = live.world.acme.conversations["erin_support"]
    await sockets["bob"].send(
        {"type": "typing", "conversation_id": str(conversation.id), "active": True}
    )
    await settle(*sockets.values())
    assert {n for n, s in sockets.items() if s.of_type("typing")} == {"alice", "dave", "vera"}
    typing = sockets["alice"].of_type("typing")[0]
    assert typing["data"] == {
        "conversation_id": str(conversation.id),
        "user_id": str(live.world.persona("bob").id),
        "active": True,
    }
    # Carol may not see it: her signal goes nowhere and she is told so.
    await sockets["carol"].send({"type": "viewing", "conversation_id": str(conversation.id)})
    await settle(*sockets.values())
    assert not any(s.of_type("viewing") for s in sockets.values())
    assert sockets["carol"].of_type("error")
    await close_all(sockets)


async def test_presence_goes_to_supervisors_and_teammates(live: Live) -> None:
    watchers = {name: await live.socket(name) for name in ("alice", "carol", "oscar")}
    for s in watchers.values():
        await s.wait_for(lambda x: bool(x.of_type("hello")))
    bob = await live.socket("bob")
    await settle(*watchers.values(), bob)
    seen = {n for n, s in watchers.items() if s.of_type("presence")}
    assert seen == {"alice"}  # carol is not in Support; oscar is elsewhere
    assert watchers["alice"].of_type("presence")[-1]["data"]["online"] is True
    await bob.close()
    await settle(*watchers.values())
    assert watchers["alice"].of_type("presence")[-1]["data"]["online"] is False
    for s in watchers.values():
        await s.close()


async def test_joining_a_team_widens_what_a_live_socket_receives(live: Live) -> None:
    sockets = await open_all(live)
    sales = live.world.acme.teams["sales"]
    bob = live.world.persona("bob")
    async with live.world.client("alice") as alice:
        added = await alice.post(f"/api/v1/teams/{sales.id}/members", json={"user_id": str(bob.id)})
        assert added.status_code in (200, 201), added.text
        await settle(*sockets.values())
        await alice.patch(
            f"/api/v1/conversations/{live.world.acme.conversations['erin_sales'].id}",
            json={"priority": "urgent"},
        )
    await settle(*sockets.values())
    assert "bob" in receivers(sockets, "conversation.updated")
    await close_all(sockets)


async def test_disabling_a_member_closes_their_sockets_at_once(live: Live) -> None:
    bob_socket = await live.socket("bob")
    alice_socket = await live.socket("alice")
    await bob_socket.wait_for(lambda s: bool(s.of_type("hello")))
    async with live.world.client("alice") as alice:
        r = await alice.post(f"/api/v1/members/{live.world.persona('bob').id}/disable")
        assert r.status_code == 200, r.text
    await asyncio.wait_for(bob_socket._task, 5)  # type: ignore[arg-type]
    assert bob_socket.closed_code == 4401
    assert alice_socket.closed_code is None
    await alice_socket.close()


async def test_ping_pong_and_bad_frames(live: Live) -> None:
    sock = await live.socket("bob")
    await sock.send({"type": "ping"})
    await sock.ws.send("not json")
    await sock.send({"type": "dance"})
    await sock.wait_for(lambda s: len(s.of_type("error")) == 2 and bool(s.of_type("pong")))
    await sock.close()


async def test_an_integration_listens_with_an_api_token(live: Live, runtime: Runtime) -> None:

    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(
            live.world.acme.workspace, "manager"
        )
        await s.commit()
    ws = await connect(live.ws_url, additional_headers={"Authorization": f"Bearer {token}"})
    hello = json.loads(await ws.recv())
    assert hello["type"] == "hello"
    assert hello["workspace_id"] == str(live.world.acme.id)
    assert hello["role"] == "manager"
    await ws.close()
    with pytest.raises(InvalidStatus):
        await connect(live.ws_url, additional_headers={"Authorization": "Bearer fd_not_a_token"})

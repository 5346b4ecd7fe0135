"""F10 on sockets: every frame an agent or a visitor may send, and every way to subscribe,
tried with ids of another workspace. Nothing of the other workspace reaches the sender, nothing
from the sender reaches the other workspace's sockets, and nothing is written there."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from frontdesk.core.models import metadata
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World
from tests.factories import Factory
from tests.realtime.conftest import Live, Socket, live, realtime_settings, settle

__all__ = ["live", "realtime_settings"]  # the realtime tests' live server

ACME = ("alice", "bob", "carol", "dave", "vera")
OTHER = ("oscar", "olive")


async def other_workspace_rows(runtime: Runtime, workspace_id: uuid.UUID) -> dict[str, Any]:
    """Every row of every workspace-scoped table that belongs to the workspace, as text."""
    rows: dict[str, Any] = {}
    async with runtime.database.read_session() as db:
        for table in metadata.sorted_tables:
            column = table.c.get("workspace_id") if table.name != "workspace" else table.c.id
            if column is None:
                continue
            found = (await db.execute(select(table).where(column == workspace_id))).all()
            rows[table.name] = sorted(repr(tuple(r)) for r in found)
    return rows


def leaks(sockets: dict[str, Socket], world: World) -> dict[str, list[str]]:
    """Frames carrying an id of a workspace the socket does not belong to (every socket is
    acme's but those named after the other workspace's members)."""
    theirs = {
        "acme": {str(world.other.id), str(world.other.conversations["olga"].id)}
        | {str(world.other.teams["desk"].id), str(world.other.contacts["olga"].id)},
        "other": {str(world.acme.id), str(world.acme.conversations["erin_support"].id)}
        | {str(world.acme.teams["support"].id), str(world.acme.contacts["erin"].id)},
    }
    found: dict[str, list[str]] = {}
    for name, sock in sockets.items():
        forbidden = theirs["other" if name in OTHER else "acme"]
        bad = [json.dumps(f) for f in sock.frames if any(i in json.dumps(f) for i in forbidden)]
        if bad:
            found[name] = bad
    return found


async def oscar_writes(world: World, client_id: str = "f10-o") -> None:
    """Activity in the other workspace: a reply in Olga's conversation."""
    conversation = world.other.conversations["olga"]
    async with world.client("oscar") as oscar:
        r = await oscar.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": "Private to the other workspace", "client_message_id": client_id},
        )
    assert r.status_code == 201, r.text


async def test_agent_frames_with_another_workspace_s_ids_reach_and_write_nothing(
    live: Live, runtime: Runtime
) -> None:
    world = live.world
    sockets = {name: await live.socket(name) for name in ACME + OTHER}
    for sock in sockets.values():
        await sock.wait_for(lambda s: bool(s.of_type("hello")))
    await settle(*sockets.values())
    before = await other_workspace_rows(runtime, world.other.id)
    events_before = len(await _events(runtime, world.other.id))

    theirs = world.other.conversations["olga"]
    ours = world.acme.conversations["erin_support"]
    foreign = {
        "workspace_id": str(world.other.id),
        "team_id": str(world.other.teams["desk"].id),
        "user_id": str(world.persona("olive").id),
    }
    frames: list[dict[str, Any]] = [
        {"type": "typing", "conversation_id": str(theirs.id), "active": True},
        {"type": "viewing", "conversation_id": str(theirs.id), "active": True},
        {"type": "viewing", "conversation_id": str(theirs.id), "active": False},
        {"type": "typing", "conversation_id": str(theirs.id), "active": False},
        # An own conversation, dressed with the other workspace's ids: those are ignored.
        {"type": "typing", "conversation_id": str(ours.id), "active": True, **foreign},
        {"type": "viewing", "conversation_id": str(ours.id), "active": True, **foreign},
        {"type": "activity", **foreign},
        {"type": "ping", **foreign, "conversation_id": str(theirs.id)},
        {"type": "subscribe", **foreign, "conversation_id": str(theirs.id)},
        {"type": "read", "message_id": str(uuid.uuid4()), **foreign},
    ]
    for sender in ("alice", "bob"):  # an owner (supervisor keys) and an agent (team keys)
        for frame in frames:
            await sockets[sender].send(frame)
    await settle(*sockets.values(), quiet=0.3)

    for sender in ("alice", "bob"):
        errors = [f["message"] for f in sockets[sender].of_type("error")]
        # typing/viewing on their conversation (4), the unknown kinds (subscribe, read)
        assert errors.count("conversation not found") == 4, errors
        assert len(errors) == 6, errors
        assert sockets[sender].of_type("pong")
    for name in OTHER:
        kinds = [f["type"] for f in sockets[name].frames]
        assert set(kinds) <= {"hello", "presence"}, (name, kinds)
    # Acme's own audience did hear the signals about acme's conversation, and nobody else.
    assert sockets["dave"].of_type("typing")
    assert sockets["dave"].of_type("viewing")
    assert leaks(sockets, world) == {}
    assert await other_workspace_rows(runtime, world.other.id) == before
    assert len(await _events(runtime, world.other.id)) == events_before
    for sock in sockets.values():
        await sock.close()


async def _events(runtime: Runtime, workspace_id: uuid.UUID) -> list[EventLogEntry]:
    async with runtime.database.read_session() as db:
        return list(
            await db.scalars(
                select(EventLogEntry).where(EventLogEntry.workspace_id == workspace_id)
            )
        )


async def test_no_subscription_reaches_another_workspace(live: Live, runtime: Runtime) -> None:
    world = live.world
    await oscar_writes(world)  # in the log before anyone connects
    bob, oscar = world.persona("bob"), world.persona("oscar")
    for who, there in ((bob, world.other.id), (oscar, world.acme.id)):
        with pytest.raises(InvalidStatus):
            await connect(
                f"{live.ws_url}?workspace_id={there}",
                additional_headers={"Cookie": f"frontdesk_session={who.session_token}"},
            )
    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()

    # Replays from the start of the log, live listeners, and an integration asking for the
    # other workspace by id: each sees its own workspace only.
    sockets = {name: await live.socket(name, cursor=0) for name in ACME + OTHER}
    integration = await connect(
        f"{live.ws_url}?cursor=0&workspace_id={world.other.id}",
        additional_headers={"Authorization": f"Bearer {token}"},
    )
    sockets["integration"] = Socket("integration", integration)
    sockets["integration"].start()
    for sock in sockets.values():
        await sock.wait_for(lambda s: bool(s.of_type("ready")))
    assert sockets["integration"].of_type("hello")[0]["workspace_id"] == str(world.acme.id)
    assert sockets["oscar"].events("message.created"), "the other workspace replays its own"
    await oscar_writes(world, "f10-o2")
    async with world.client("bob") as client:
        r = await client.post(
            f"/api/v1/conversations/{world.acme.conversations['erin_support'].id}/messages",
            json={"body": "Acme only", "client_message_id": "f10-a"},
        )
        assert r.status_code == 201
    await sockets["dave"].wait_for(lambda s: bool(s.events("message.created")))
    await sockets["olive"].wait_for(lambda s: len(s.events("message.created")) >= 2)
    await settle(*sockets.values())
    assert leaks(sockets, world) == {}
    for sock in sockets.values():
        await sock.close()


async def test_a_visitor_cannot_mark_another_workspace_s_message_read(
    live: Live, runtime: Runtime
) -> None:
    world = live.world
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Careers site"
        )
        await s.commit()
    async with httpx.AsyncClient(base_url=live.http_url) as client:
        r = await client.post(f"/api/widget/v1/channels/{channel.id}/sessions", json={})
        assert r.status_code == 200, r.text
        token = r.json()["visitor_token"]
    await oscar_writes(world)
    before = await other_workspace_rows(runtime, world.other.id)
    their_messages = [
        row for row in before["message"] if str(world.other.conversations["olga"].id) in row
    ]
    assert their_messages
    visitor = Socket(
        "visitor", await connect(f"ws://{live.host}/api/widget/v1/socket?token={token}")
    )
    visitor.start()
    olive = await live.socket("olive")
    await visitor.wait_for(lambda s: bool(s.of_type("hello")))
    async with runtime.database.read_session() as db:
        ids = [
            str(m)
            for m in await db.scalars(
                select(metadata.tables["message"].c.id).where(
                    metadata.tables["message"].c.workspace_id == world.other.id
                )
            )
        ]
    for message_id in ids:
        await visitor.send({"type": "read", "message_id": message_id})
        await visitor.send({"type": "typing", "active": True, "conversation_id": message_id})
    await visitor.send(
        {"type": "viewing", "conversation_id": str(world.other.conversations["olga"].id)}
    )
    await settle(visitor, olive, quiet=0.3)
    assert await other_workspace_rows(runtime, world.other.id) == before
    assert [f["type"] for f in olive.frames] == ["hello"]
    assert leaks({"alice": visitor}, world) == {}
    await visitor.close()
    await olive.close()

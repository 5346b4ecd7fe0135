"""Whispers: a supervisor's note that only the conversation's assignee and its team's
supervisors read. The customer (provider sends, the webchat widget), the other agents (REST and
the event log the sockets read), viewers and a lead of another team never see it."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.api.test_widget import start, webchat
from tests.conftest import Published, World

W = "/api/widget/v1"


def conv_id(world: World, name: str = "erin_support") -> str:
    return str(world.acme.conversations[name].id)


async def leads(world: World) -> None:
    """Carol joins Support as an agent and leads Sales."""
    alice = world.client("alice")
    support, sales = world.acme.teams["support"].id, world.acme.teams["sales"].id
    members = [str(world.acme.members[n].id) for n in ("bob", "carol")]
    r = await alice.put(f"/api/v1/teams/{support}/members", json={"user_ids": members})
    assert r.status_code == 200, r.text
    carol = world.acme.members["carol"].id
    r = await alice.put(
        f"/api/v1/teams/{sales}/members/{carol}/supervisor", json={"is_supervisor": True}
    )
    assert r.status_code == 200, r.text
    assert [(m["name"], m["is_supervisor"]) for m in r.json()["members"]] == [("Carol", True)]


async def bodies(client: httpx.AsyncClient, conversation_id: str) -> list[str]:
    r = await client.get(f"/api/v1/conversations/{conversation_id}/messages")
    assert r.status_code == 200, r.text
    return [m["body"] for m in r.json()["items"]]


async def whisper(client: httpx.AsyncClient, conversation_id: str, body: str) -> httpx.Response:
    return await client.post(
        f"/api/v1/conversations/{conversation_id}/whispers", json={"body": body}
    )


async def test_only_the_assignee_and_supervisors_read_a_whisper(
    world: World, runtime: Runtime, published: Published
) -> None:
    await leads(world)
    published.events.clear()
    r = await whisper(world.client("dave"), conv_id(world), "Offer the Friday slot")
    assert r.status_code == 201, r.text
    assert (r.json()["kind"], r.json()["is_whisper"]) == ("note", True)
    # A plain note, as a control: every agent of the team reads it.
    r = await world.client("dave").post(
        f"/api/v1/conversations/{conv_id(world)}/notes", json={"body": "Checked the file"}
    )
    assert r.status_code == 201, r.text
    for name in ("bob", "alice", "dave"):  # the assignee, the owner, the manager
        assert "Offer the Friday slot" in await bodies(world.client(name), conv_id(world)), name
    for name in ("carol", "vera"):  # another Support agent (a lead of Sales), a viewer
        seen = await bodies(world.client(name), conv_id(world))
        assert "Checked the file" in seen, name
        assert "Offer the Friday slot" not in seen, name
    # Live: the whisper's frame names only its readers, never a team, the workspace or the
    # supervisors' key (which viewers hear).
    frames = [e for e in published.events if e.type == "message.created"]
    whispered = [e for e in frames if e.payload["message"]["is_whisper"]]
    assert len(whispered) == 1
    m = world.acme.members
    assert set(whispered[0].audience) == {
        f"user:{m['bob'].id}",
        f"user:{m['alice'].id}",
        f"user:{m['dave'].id}",
    }
    # The conversation itself did not move for it: no conversation.updated went out.
    assert published.types().count("conversation.updated") == 1  # the plain note's
    async with runtime.database.read_session() as db:
        audit = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "conversation.whispered")
        )
        assert audit is not None
        assert audit.actor_user_id == m["dave"].id
        assert audit.target_id == conv_id(world)


async def test_the_assignee_at_reading_time_reads_it(world: World) -> None:
    await whisper(world.client("alice"), conv_id(world), "Careful: VIP")
    assert "Careful: VIP" in await bodies(world.client("bob"), conv_id(world))
    r = await world.client("alice").post(
        f"/api/v1/conversations/{conv_id(world)}/assign",
        json={"assignee_id": str(world.acme.members["dave"].id)},
    )
    assert r.status_code == 200, r.text
    assert "Careful: VIP" not in await bodies(world.client("bob"), conv_id(world))


async def test_a_team_lead_whispers_on_their_team_only(world: World) -> None:
    await leads(world)
    carol = world.client("carol")
    r = await whisper(carol, conv_id(world, "erin_sales"), "Ask about the notice period")
    assert r.status_code == 201, r.text
    assert "Ask about the notice period" in await bodies(carol, conv_id(world, "erin_sales"))
    # Support is not hers to supervise, though she works in it.
    r = await whisper(carol, conv_id(world), "Not mine")
    assert r.status_code == 403, r.text
    assert "Not mine" not in await bodies(world.client("alice"), conv_id(world))


async def test_a_whisper_never_reaches_a_provider(world: World, runtime: Runtime) -> None:
    r = await whisper(world.client("dave"), conv_id(world), "Nothing to send")
    assert r.status_code == 201, r.text
    async with runtime.database.read_session() as db:
        jobs = await db.scalar(
            select(func.count()).select_from(Job).where(Job.kind == "deliver_message")
        )
        conv = await db.get_one(Conversation, world.acme.conversations["erin_support"].id)
    assert jobs == 0
    assert conv.last_message_preview != "Nothing to send"


async def visitor_event_count(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        count = await db.scalar(
            select(func.count())
            .select_from(EventLogEntry)
            .where(EventLogEntry.type.like("visitor.%"))
        )
    return int(count or 0)


async def test_a_webchat_visitor_never_sees_a_whisper(world: World, runtime: Runtime) -> None:
    channel = await webchat(runtime, world)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        await start(visitor, channel, name="Nina")
        r = await visitor.post(f"{W}/messages", json={"body": "Hi", "client_message_id": "v-1"})
        assert r.status_code == 201, r.text
        async with runtime.database.read_session() as db:
            conv = await db.scalar(
                select(Conversation.id).where(Conversation.channel_id == channel.id)
            )
        before = await visitor_event_count(runtime)
        r = await whisper(world.client("dave"), str(conv), "Visitor seems lost")
        assert r.status_code == 201, r.text
        history = (await visitor.get(f"{W}/messages")).json()["items"]
    assert [m["body"] for m in history] == ["Hi"]
    assert await visitor_event_count(runtime) == before


@pytest.mark.parametrize(
    ("name", "body", "status"),
    [
        ("bob", {"body": "x"}, 403),  # the assignee, an agent, does not whisper
        ("vera", {"body": "x"}, 403),  # nor a viewer
        ("oscar", {"body": "x"}, 404),  # another workspace sees nothing
        ("dave", {"body": ""}, 422),
        ("dave", {"body": "   "}, 422),
        ("dave", {"body": "x" * 4097}, 422),
        ("dave", {}, 422),
        ("dave", {"body": "x", "client_message_id": "not valid!"}, 422),
    ],
)
async def test_who_may_whisper_and_bad_input(
    world: World, runtime: Runtime, name: str, body: dict[str, Any], status: int
) -> None:
    r = await world.client(name).post(f"/api/v1/conversations/{conv_id(world)}/whispers", json=body)
    assert r.status_code == status, r.text
    async with runtime.database.read_session() as db:
        written = await db.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.action == "conversation.whispered")
        )
    assert written == 0


async def test_a_repeated_whisper_is_written_once(world: World) -> None:
    dave = world.client("dave")
    url = f"/api/v1/conversations/{conv_id(world)}/whispers"
    first = await dave.post(url, json={"body": "Once", "client_message_id": "w-1"})
    again = await dave.post(url, json={"body": "Once", "client_message_id": "w-1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert (await bodies(dave, conv_id(world))).count("Once") == 1


async def test_a_client_id_taken_by_a_whisper_is_refused_for_a_note_and_back(
    world: World,
) -> None:
    dave = world.client("dave")
    conversation = conv_id(world)
    whisper = await dave.post(
        f"/api/v1/conversations/{conversation}/whispers",
        json={"body": "Mind the salary", "client_message_id": "same-1"},
    )
    note = await dave.post(
        f"/api/v1/conversations/{conversation}/notes",
        json={"body": "Checked", "client_message_id": "same-1"},
    )
    assert (whisper.status_code, note.status_code) == (201, 409)
    assert note.json()["error"]["code"] == "conflict"
    noted = await dave.post(
        f"/api/v1/conversations/{conversation}/notes",
        json={"body": "Checked", "client_message_id": "same-2"},
    )
    whispered = await dave.post(
        f"/api/v1/conversations/{conversation}/whispers",
        json={"body": "Mind the salary", "client_message_id": "same-2"},
    )
    assert (noted.status_code, whispered.status_code) == (201, 409)
    assert (await bodies(dave, conversation)).count("Checked") == 1

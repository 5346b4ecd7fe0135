"""An agent raises a hand on a conversation; the supervisors are notified and the wallboard lists
it; a manager takes over in one action (the conversation becomes theirs, a note to the agent, a
message to the customer) and the hand is answered; all of it evented and audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.conversations.models import Message, MessageKind
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World


def erin(world: World) -> str:
    return str(world.acme.conversations["erin_support"].id)


async def test_a_raised_hand_reaches_the_supervisors_and_the_wallboard(world: World) -> None:
    bob, dave = world.client("bob"), world.client("dave")
    r = await bob.post(f"/api/v1/conversations/{erin(world)}/help", json={"note": "Angry customer"})
    assert r.status_code == 204, r.text
    # Raising it again while it is up changes nothing.
    assert (await bob.post(f"/api/v1/conversations/{erin(world)}/help", json={})).status_code == 204
    seen = (await dave.get(f"/api/v1/conversations/{erin(world)}/help")).json()
    assert (seen["raised_by_id"], seen["note"]) == (
        str(world.acme.members["bob"].id),
        "Angry customer",
    )
    hands = (await dave.get("/api/v1/wallboard")).json()["raised_hands"]
    assert [(h["conversation_id"], h["raised_by_name"], h["note"]) for h in hands] == [
        (erin(world), "Bob", "Angry customer")
    ]
    for supervisor in ("alice", "dave"):
        items = (await world.client(supervisor).get("/api/v1/notifications")).json()["items"]
        assert [(n["kind"], n["conversation"]["id"]) for n in items] == [("help", erin(world))]
    assert (await bob.get("/api/v1/notifications")).json()["items"] == []
    # Bob lowers it himself.
    assert (await bob.delete(f"/api/v1/conversations/{erin(world)}/help")).status_code == 204
    assert (await dave.get("/api/v1/wallboard")).json()["raised_hands"] == []
    assert (await bob.get(f"/api/v1/conversations/{erin(world)}/help")).json() is None


async def test_a_manager_takes_over_with_a_note_and_a_message(
    world: World, runtime: Runtime
) -> None:
    bob, dave = world.client("bob"), world.client("dave")
    await bob.post(f"/api/v1/conversations/{erin(world)}/help", json={})
    r = await dave.post(
        f"/api/v1/conversations/{erin(world)}/take-over",
        json={"note": "@Bob I have this one", "message": "Hello Erin, I am Dave, the manager."},
    )
    assert r.status_code == 200, r.text
    assert r.json()["assignee"]["name"] == "Dave"
    assert (await dave.get("/api/v1/wallboard")).json()["raised_hands"] == []
    async with runtime.database.read_session() as db:
        messages = list(
            await db.scalars(
                select(Message)
                .where(Message.conversation_id == world.acme.conversations["erin_support"].id)
                .order_by(Message.created_at, Message.id)
            )
        )
        kinds = [
            (m.kind, m.body) for m in messages if m.sender_user_id == world.acme.members["dave"].id
        ]
        assert (MessageKind.NOTE, "@Bob I have this one") in kinds
        assert any(body == "Hello Erin, I am Dave, the manager." for _, body in kinds)
        audit = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "conversation.taken_over")
        )
        assert audit is not None
        assert audit.details["previous_assignee_id"] == str(world.acme.members["bob"].id)
        events = list(
            await db.scalars(
                select(EventLogEntry.type).where(
                    EventLogEntry.type.in_(
                        ("conversation.help_raised", "conversation.help_lowered")
                    )
                )
            )
        )
        assert sorted(events) == ["conversation.help_lowered", "conversation.help_raised"]
    # Bob hears of it in his bell: the note mentions him.
    bell = (await bob.get("/api/v1/notifications")).json()["items"]
    assert [n["kind"] for n in bell] == ["mention"]


@pytest.mark.parametrize(
    ("name", "route", "body", "status"),
    [
        ("bob", "take-over", {}, 403),  # agents do not take over
        ("vera", "take-over", {}, 403),  # viewers neither
        ("vera", "help", {}, 403),  # nor raise hands
        ("oscar", "take-over", {}, 404),  # another workspace sees nothing
        ("oscar", "help", {}, 404),
        ("carol", "help", {}, 404),  # Sales does not see Support's conversation
        ("bob", "help", {"note": "x" * 501}, 422),
        ("dave", "take-over", {"note": 5}, 422),
    ],
)
async def test_who_may_raise_and_take_over(
    world: World, name: str, route: str, body: dict[str, Any], status: int
) -> None:
    r = await world.client(name).post(f"/api/v1/conversations/{erin(world)}/{route}", json=body)
    assert r.status_code == status, r.text
    assert (await world.client("dave").get("/api/v1/wallboard")).json()["raised_hands"] == []
    after = (await world.client("alice").get(f"/api/v1/conversations/{erin(world)}")).json()
    assert after["assignee"]["name"] == "Bob"


async def test_a_supervisor_lowers_an_agent_s_hand(world: World) -> None:
    await world.client("bob").post(f"/api/v1/conversations/{erin(world)}/help", json={})
    r = await world.client("alice").delete(f"/api/v1/conversations/{erin(world)}/help")
    assert r.status_code == 204, r.text
    assert (await world.client("dave").get("/api/v1/wallboard")).json()["raised_hands"] == []


async def test_a_closed_conversation_takes_no_hand(world: World) -> None:
    await world.client("alice").post(f"/api/v1/conversations/{erin(world)}/close", json={})
    r = await world.client("bob").post(f"/api/v1/conversations/{erin(world)}/help", json={})
    assert r.status_code == 409, r.text
    r = await world.client("dave").post(f"/api/v1/conversations/{erin(world)}/take-over", json={})
    assert r.status_code == 409, r.text

"""The "assigned" automatic message when a person (or an API integration) assigns a
conversation: taking it, assigning it to someone, transferring it to another agent."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update

from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from tests.conftest import Published, World
from tests.factories import Factory

API = "/api/v1/conversations"
CAROL_ASSIGNED = "Hi Erin! You're now chatting with Carol; we usually reply within 5 minutes."


def conv_id(world: World, name: str) -> str:
    return str(world.acme.conversations[name].id)


async def automatic(runtime: Runtime, conversation_id: str) -> list[Message]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message)
            .where(
                Message.conversation_id == uuid.UUID(conversation_id),
                Message.sender_type == "system",
            )
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def delivery_jobs(runtime: Runtime) -> list[dict[str, Any]]:
    async with runtime.database.read_session() as db:
        return [
            j.payload for j in await db.scalars(select(Job).where(Job.kind == "deliver_message"))
        ]


async def set_team_routing(world: World, team: str, settings: dict[str, Any]) -> None:
    async with world.client("alice") as alice:
        r = await alice.put(f"/api/v1/teams/{world.acme.teams[team].id}/routing", json=settings)
    assert r.status_code == 200, r.text


async def test_an_agent_taking_a_conversation_tells_the_customer_who_they_are_talking_to(
    world: World, runtime: Runtime, published: Published
) -> None:
    carol = world.persona("carol")
    cid = conv_id(world, "erin_sales")
    async with world.client("carol") as client:
        r = await client.post(f"{API}/{cid}/assign", json={"assignee_id": str(carol.id)})
    assert r.status_code == 200, r.text

    told = await automatic(runtime, cid)
    assert [m.body for m in told] == [CAROL_ASSIGNED]
    message = told[0]
    assert message.direction == "outbound"
    assert message.status == "pending"
    assert message.sender_user_id is None
    assert message.client_message_id.startswith("auto:assigned:")
    # Delivered like a reply: a job on the conversation's channel (email here).
    assert {"message_id": str(message.id)} in await delivery_jobs(runtime)

    assert published.types() == ["conversation.assigned", "conversation.updated", "message.created"]
    created = published.events[-1]
    assert created.payload["message"]["id"] == str(message.id)
    assert created.payload["message"]["sender_type"] == "system"
    assert f"user:{carol.id}" in created.audience
    async with runtime.database.read_session() as db:
        logged = [
            e.payload["message"]["id"]
            for e in await db.scalars(
                select(EventLogEntry).where(EventLogEntry.type == "message.created")
            )
        ]
        stored = await db.get_one(Conversation, uuid.UUID(cid))
    assert logged == [str(message.id)]
    # The answer is the conversation as it is after the message, not one version behind.
    assert r.json()["version"] == stored.version == 3
    assert r.json()["assignee"]["id"] == str(carol.id)
    # An automatic message is not a reply: the customer is still waiting for a person.
    assert stored.first_response_at is None
    assert stored.waiting_since is not None


async def test_a_manager_transferring_to_another_agent_names_the_new_agent(
    world: World, runtime: Runtime
) -> None:
    cid = conv_id(world, "erin_support")  # Bob's, on WhatsApp
    carol, sales = world.persona("carol"), world.acme.teams["sales"]
    async with world.client("dave") as dave:
        r = await dave.post(
            f"{API}/{cid}/transfer", json={"team_id": str(sales.id), "assignee_id": str(carol.id)}
        )
    assert r.status_code == 200, r.text
    assert r.json()["assignee"]["id"] == str(carol.id)
    told = await automatic(runtime, cid)
    assert [m.body for m in told] == [CAROL_ASSIGNED]
    assert {"message_id": str(told[0].id)} in await delivery_jobs(runtime)


async def test_an_api_integration_assigning_is_heard_by_the_customer(
    world: World, runtime: Runtime
) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    cid = conv_id(world, "erin_sales")
    async with world.bearer(raw) as client:
        r = await client.post(
            f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("carol").id)}
        )
    assert r.status_code == 200, r.text
    assert [m.body for m in await automatic(runtime, cid)] == [CAROL_ASSIGNED]


async def test_the_message_uses_the_team_wording_and_the_contact_language(
    world: World, runtime: Runtime
) -> None:
    await set_team_routing(
        world,
        "sales",
        {"messages": {"assigned": {"templates": {"en": "Hi, {{agent_name}} from {{team_name}}."}}}},
    )
    carol, sales = world.persona("carol"), world.acme.teams["sales"]
    async with world.client("alice") as alice:
        r = await alice.post(
            f"{API}/{conv_id(world, 'erin_sales')}/assign", json={"assignee_id": str(carol.id)}
        )
        assert r.status_code == 200, r.text
        async with runtime.database.write_session() as s:
            await s.execute(
                update(Contact)
                .where(Contact.id == world.acme.contacts["erin"].id)
                .values(language="pt-BR")
            )
            await s.commit()
        r = await alice.post(
            f"{API}/{conv_id(world, 'erin_support')}/transfer",
            json={"team_id": str(sales.id), "assignee_id": str(carol.id)},
        )
        assert r.status_code == 200, r.text
    assert [m.body for m in await automatic(runtime, conv_id(world, "erin_sales"))] == [
        "Hi, Carol from Sales."
    ]
    # No Portuguese wording set for the team: the default Portuguese text.
    assert [m.body for m in await automatic(runtime, conv_id(world, "erin_support"))] == [
        "Olá, Erin! Agora você está falando com Carol; costumamos responder em até 5 minutos."
    ]


async def test_nothing_is_sent_when_the_team_turned_the_message_off(
    world: World, runtime: Runtime
) -> None:
    await set_team_routing(world, "sales", {"messages": {"assigned": {"enabled": False}}})
    cid = conv_id(world, "erin_sales")
    async with world.client("carol") as carol:
        r = await carol.post(
            f"{API}/{cid}/assign", json={"assignee_id": str(world.persona("carol").id)}
        )
    assert r.status_code == 200, r.text
    assert r.json()["assignee"]["id"] == str(world.persona("carol").id)
    assert await automatic(runtime, cid) == []
    assert await delivery_jobs(runtime) == []


async def test_unassigning_or_keeping_the_same_assignee_sends_nothing(
    world: World, runtime: Runtime, published: Published
) -> None:
    cid = conv_id(world, "erin_support")  # Bob's
    bob, sales = world.persona("bob"), world.acme.teams["sales"]
    async with world.client("dave") as dave:
        same = await dave.post(f"{API}/{cid}/assign", json={"assignee_id": str(bob.id)})
        assert same.status_code == 200, same.text
        assert same.json()["version"] == 1
        # A transfer that keeps Bob moves the team but Bob is still the one talking.
        kept = await dave.post(
            f"{API}/{cid}/transfer", json={"team_id": str(sales.id), "assignee_id": str(bob.id)}
        )
        assert kept.status_code == 200, kept.text
        unassigned = await dave.post(f"{API}/{cid}/unassign")
        assert unassigned.status_code == 200, unassigned.text
    assert await automatic(runtime, cid) == []
    assert "message.created" not in published.types()


async def test_nothing_is_sent_outside_the_window_or_on_a_disabled_channel(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    clock.advance(hours=25)  # Erin wrote more than 24 hours ago
    carol = world.persona("carol")
    whatsapp, email = conv_id(world, "erin_support"), conv_id(world, "erin_sales")
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/{whatsapp}/assign", json={"assignee_id": str(carol.id)})
        assert r.status_code == 200, r.text
        # Email has no window: the customer still hears who took it.
        r = await alice.post(f"{API}/{email}/assign", json={"assignee_id": str(carol.id)})
        assert r.status_code == 200, r.text
        async with runtime.database.write_session() as s:
            await s.execute(
                update(Conversation)
                .where(Conversation.id == uuid.UUID(whatsapp))
                .values(last_inbound_at=clock.now())
            )
            await s.commit()
        r = await alice.patch(
            f"/api/v1/channels/{world.acme.channels['whatsapp'].id}", json={"is_active": False}
        )
        assert r.status_code == 200, r.text
        r = await alice.post(
            f"{API}/{whatsapp}/assign", json={"assignee_id": str(world.persona("bob").id)}
        )
        assert r.status_code == 200, r.text
    assert await automatic(runtime, whatsapp) == []
    assert [m.body for m in await automatic(runtime, email)] == [CAROL_ASSIGNED]


async def test_a_conversation_without_a_team_sends_nothing(world: World, runtime: Runtime) -> None:
    # No team, no routing settings: nothing says whether or how to word the message.
    bob = world.persona("bob")
    cid = conv_id(world, "frank_unassigned")
    async with world.client("bob") as client:
        r = await client.post(f"{API}/{cid}/assign", json={"assignee_id": str(bob.id)})
    assert r.status_code == 200, r.text
    assert await automatic(runtime, cid) == []

"""Reply buttons and lists sent through the API: the shapes each channel accepts, and every
refusal naming its field, before anything is written."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.conftest import World
from tests.factories import Factory

API = "/api/v1/conversations"


def buttons(*titles: str) -> dict[str, Any]:
    return {
        "type": "buttons",
        "buttons": [{"id": f"b{i}", "title": title} for i, title in enumerate(titles)],
    }


def rows(*titles: str, description: str | None = None) -> list[dict[str, Any]]:
    return [
        {"id": f"r{i}", "title": title, **({"description": description} if description else {})}
        for i, title in enumerate(titles)
    ]


def a_list(*titles: str, label: str = "See slots", **row: Any) -> dict[str, Any]:
    return {
        "type": "list",
        "button_label": label,
        "sections": [{"title": "This week", "rows": rows(*titles, **row)}],
    }


def reply(interactive: dict[str, Any], body: str = "When can you come in?") -> dict[str, Any]:
    return {"body": body, "client_message_id": uuid.uuid4().hex, "interactive": interactive}


async def conversation_on(runtime: Runtime, world: World, channel_type: str) -> uuid.UUID:
    """A customer's open conversation on a new channel of this type."""
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        ws = world.acme.workspace
        channel = await f.channel(ws, channel_type, f"Careers {channel_type}")
        contact = await f.contact(ws, "Gabi", channel=channel, provider_id=f"{channel_type}-77")
        conv = await f.conversation(ws, channel, contact, team=world.acme.teams["support"])
        await s.commit()
        return conv.id


async def written(runtime: Runtime) -> tuple[int, int]:
    """How many messages and jobs the database holds."""
    async with runtime.database.read_session() as db:
        messages = await db.scalar(select(func.count()).select_from(Message))
        jobs = await db.scalar(select(func.count()).select_from(Job))
    return int(messages or 0), int(jobs or 0)


async def send(world: World, conversation_id: uuid.UUID, payload: dict[str, Any]) -> Any:
    async with world.client("alice") as alice:
        return await alice.post(f"{API}/{conversation_id}/messages", json=payload)


async def test_whatsapp_takes_three_reply_buttons_and_queues_their_delivery(
    world: World, runtime: Runtime
) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    r = await send(world, conv_id, reply(buttons("Monday 10:00", "Tuesday 14:00", "Other day")))
    assert r.status_code == 201, r.text
    message = r.json()
    assert message["kind"] == "interactive"
    assert message["body"] == "When can you come in?"
    assert message["payload"]["interactive"] == {
        "type": "buttons",
        "buttons": [
            {"id": "b0", "title": "Monday 10:00"},
            {"id": "b1", "title": "Tuesday 14:00"},
            {"id": "b2", "title": "Other day"},
        ],
        "sections": [],
    }
    async with runtime.database.read_session() as db:
        job = await db.scalar(select(Job).where(Job.kind == "deliver_message"))
    assert job is not None
    assert job.payload == {"message_id": message["id"]}


async def test_whatsapp_takes_a_list_at_its_limits(world: World, runtime: Runtime) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    titles = [f"Slot {i} " + "x" * (24 - len(f"Slot {i} ")) for i in range(10)]
    interactive = a_list(*titles, label="L" * 20, description="d" * 72)
    interactive["sections"][0]["title"] = "S" * 24
    r = await send(world, conv_id, reply(interactive, body="b" * 1024))
    assert r.status_code == 201, r.text
    sent = r.json()["payload"]["interactive"]
    assert sent["button_label"] == "L" * 20
    assert [row["title"] for row in sent["sections"][0]["rows"]] == titles
    assert sent["sections"][0]["rows"][9]["description"] == "d" * 72


async def test_a_list_may_have_several_named_sections(world: World, runtime: Runtime) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    interactive = {
        "type": "list",
        "button_label": "Openings",
        "sections": [
            {"title": "Drivers", "rows": [{"id": "d1", "title": "Night driver"}]},
            {"title": "Kitchen", "rows": [{"id": "k1", "title": "Line cook"}]},
        ],
    }
    r = await send(world, conv_id, reply(interactive, body="Which one?"))
    assert r.status_code == 201, r.text
    titles = [s["title"] for s in r.json()["payload"]["interactive"]["sections"]]
    assert titles == ["Drivers", "Kitchen"]


@pytest.mark.parametrize("channel_type", ["telegram", "messenger", "instagram"])
async def test_telegram_messenger_and_instagram_take_buttons_and_lists(
    world: World, runtime: Runtime, channel_type: str
) -> None:
    conv_id = await conversation_on(runtime, world, channel_type)
    first = await send(world, conv_id, reply(buttons("Yes", "No")))
    second = await send(world, conv_id, reply(a_list("Morning", "Afternoon")))
    assert (first.status_code, second.status_code) == (201, 201), (first.text, second.text)
    assert first.json()["kind"] == second.json()["kind"] == "interactive"
    assert second.json()["payload"]["interactive"]["sections"][0]["rows"][1]["title"] == (
        "Afternoon"
    )


@pytest.mark.parametrize("channel_type", ["email", "webchat", "sms"])
async def test_channels_without_buttons_refuse_them_and_write_nothing(
    world: World, runtime: Runtime, channel_type: str
) -> None:
    conv_id = await conversation_on(runtime, world, channel_type)
    before = await written(runtime)
    r = await send(world, conv_id, reply(buttons("Yes", "No")))
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"]["field"] == "interactive"
    assert channel_type in error["message"]
    assert await written(runtime) == before
    # The same words as plain text are fine.
    plain = await send(world, conv_id, {"body": "Yes or no?", "client_message_id": "plain-1"})
    assert plain.status_code == 201, plain.text


LONG_21 = "A title of 21 chars.."
REFUSALS: list[tuple[str, dict[str, Any], str, str]] = [
    ("four buttons", reply(buttons("A", "B", "C", "D")), "interactive.buttons", "at most 3"),
    ("no button", reply(buttons()), "interactive.buttons", "at least one"),
    ("long button", reply(buttons("Yes", LONG_21)), "interactive.buttons.1.title", "20"),
    ("blank button", reply(buttons("Yes", "   ")), "interactive.buttons.1.title", "at least 1"),
    ("same titles", reply(buttons("Yes", "yes ")), "interactive.buttons.1.title", "same title"),
    ("same ids", reply({**buttons("Yes", "No"), "buttons": [
        {"id": "x", "title": "Yes"}, {"id": "x", "title": "No"}]}), "interactive", "own id"),
    ("no body", reply(buttons("Yes"), body="  "), "body", "message above"),
    ("long body", reply(buttons("Yes"), body="b" * 1025), "body", "1024"),
    ("eleven rows", reply(a_list(*[f"Row {i}" for i in range(11)])), "interactive.sections",
     "at most 10"),
    ("no rows", reply({"type": "list", "button_label": "Pick", "sections": []}),
     "interactive.sections", "at least one"),
    ("long row", reply(a_list("Fine", "R" * 25)), "interactive.sections.0.rows.1.title", "24"),
    ("long description", reply(a_list("Fine", description="d" * 73)),
     "interactive.sections.0.rows.0.description", "72"),
    ("no label", reply(a_list("Fine", label=" ")), "interactive.button_label", "name the button"),
    ("long label", reply(a_list("Fine", label="L" * 21)), "interactive.button_label", "20"),
    ("long section", reply({**a_list("Fine"), "sections": [
        {"title": "S" * 25, "rows": rows("Fine")}]}), "interactive.sections.0.title", "24"),
    ("unnamed section", reply({**a_list("Fine"), "sections": [
        {"title": "One", "rows": rows("A")}, {"rows": [{"id": "b", "title": "B"}]}]}),
     "interactive.sections.1.title", "name each section"),
    ("same rows", reply(a_list("Morning", "MORNING")), "interactive.sections.0.rows.1.title",
     "same title"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("payload", "field", "says"),
    [pytest.param(p, f, s, id=name) for name, p, f, s in REFUSALS],
)
async def test_whatsapp_refuses_what_it_cannot_send_naming_the_field(
    world: World, runtime: Runtime, payload: dict[str, Any], field: str, says: str
) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    before = await written(runtime)
    r = await send(world, conv_id, payload)
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == "invalid"
    assert error["details"]["field"] == field
    assert says in error["message"]
    assert await written(runtime) == before


@pytest.mark.parametrize("channel_type", ["messenger", "instagram"])
async def test_quick_reply_titles_are_shorter_on_messenger_and_instagram(
    world: World, runtime: Runtime, channel_type: str
) -> None:
    conv_id = await conversation_on(runtime, world, channel_type)
    before = await written(runtime)
    r = await send(world, conv_id, reply(a_list("Fine", LONG_21)))
    assert r.status_code == 422, r.text
    assert r.json()["error"]["details"] == {
        "field": "interactive.sections.0.rows.1.title",
        "max_length": 20,
    }
    assert await written(runtime) == before
    # The same row fits a WhatsApp list.
    whatsapp = world.acme.conversations["erin_support"].id
    assert (await send(world, whatsapp, reply(a_list("Fine", LONG_21)))).status_code == 201


async def test_instagram_keeps_the_body_within_its_1000_characters(
    world: World, runtime: Runtime
) -> None:
    conv_id = await conversation_on(runtime, world, "instagram")
    r = await send(world, conv_id, reply(buttons("Yes"), body="b" * 1001))
    assert r.status_code == 422
    assert r.json()["error"]["details"] == {"field": "body", "max_length": 1000}
    ok = await send(world, conv_id, reply(buttons("Yes"), body="b" * 1000))
    assert ok.status_code == 201, ok.text


async def test_telegram_takes_a_body_longer_than_whatsapp_s(world: World, runtime: Runtime) -> None:
    conv_id = await conversation_on(runtime, world, "telegram")
    r = await send(world, conv_id, reply(buttons("Yes"), body="b" * 3000))
    assert r.status_code == 201, r.text


async def test_buttons_cannot_carry_files_nor_go_with_a_template(
    world: World, runtime: Runtime
) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    before = await written(runtime)
    payload = {**reply(buttons("Yes")), "template": {"template_id": str(uuid.uuid4())}}
    r = await send(world, conv_id, payload)
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "template"
    assert await written(runtime) == before


async def test_an_agent_of_another_workspace_cannot_send_buttons_here(
    world: World, runtime: Runtime
) -> None:
    conv_id = world.acme.conversations["erin_support"].id
    before = await written(runtime)
    async with world.client("oscar") as oscar:
        r = await oscar.post(f"{API}/{conv_id}/messages", json=reply(buttons("Yes")))
    assert r.status_code == 404
    assert await written(runtime) == before


async def test_only_whatsapp_needs_a_title_on_each_of_several_sections(
    world: World, runtime: Runtime
) -> None:
    interactive = {
        "type": "list",
        "button_label": "Openings",
        "sections": [{"rows": rows("Night driver")}, {"rows": [{"id": "k", "title": "Cook"}]}],
    }
    telegram = await conversation_on(runtime, world, "telegram")
    assert (await send(world, telegram, reply(interactive))).status_code == 201
    whatsapp = world.acme.conversations["erin_support"].id
    refused = await send(world, whatsapp, reply(interactive))
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "interactive.sections.0.title"

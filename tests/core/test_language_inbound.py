"""A customer's language learnt from their WhatsApp messages, before routing writes to them;
an agent's correction stands; an unsure language falls back to the workspace's default."""

from __future__ import annotations

import uuid

import httpx
from sqlalchemy import select

from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message, SenderType
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp import conftest as whatsapp_tests
from tests.channels.whatsapp.conftest import WhatsApp, run_jobs
from tests.conftest import Published, World
from tests.fakes.meta import text_webhook

# The WhatsApp tests' fixtures: a fake Graph API and a number connected to acme.
graph, settings, whatsapp = whatsapp_tests.graph, whatsapp_tests.settings, whatsapp_tests.whatsapp

CUSTOMER = "5511987654321"


async def writes(whatsapp: WhatsApp, text: str, wa_id: str = CUSTOMER) -> None:
    response = await whatsapp.post(text_webhook(whatsapp.number, wa_id, "Ana Souza", text))
    assert response.status_code == 200, response.text


async def contact_of(runtime: Runtime, whatsapp: WhatsApp, wa_id: str = CUSTOMER) -> Contact:
    async with runtime.database.read_session() as db:
        contact = await db.scalar(
            select(Contact)
            .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
            .where(
                ContactIdentity.channel_id == whatsapp.channel_id,
                ContactIdentity.provider_id == wa_id,
            )
        )
        assert contact is not None
        return contact


async def automatic_messages(runtime: Runtime, contact_id: uuid.UUID) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(Message.body)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.sender_type == SenderType.SYSTEM, Conversation.contact_id == contact_id)
            .order_by(Message.created_at, Message.id)
        )
        return list(rows)


async def bob_online(world: World) -> None:
    async with world.client("bob") as bob:
        r = await bob.put("/api/v1/me/state", json={"state": "online"})
        assert r.status_code == 200, r.text


async def test_the_first_message_s_language_is_the_assigned_message_s(
    whatsapp: WhatsApp, world: World, runtime: Runtime, published: Published
) -> None:
    await bob_online(world)
    published.events.clear()
    await writes(whatsapp, "oi, tudo bem?")
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_source) == ("pt-BR", "detected")
    # The contact panel hears of it at once.
    assert published.types().count("contact.updated") == 1
    await run_jobs(runtime)
    told = await automatic_messages(runtime, contact.id)
    assert told == [
        "Olá, Ana! Agora você está falando com Bob; costumamos responder em até 5 minutos."
    ], told


async def test_an_unsure_first_message_uses_the_workspace_default_then_evidence_builds(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    async with world.client("alice") as alice:
        r = await alice.patch("/api/v1/workspaces/current", json={"default_language": "vi"})
        assert r.status_code == 200, r.text
    await bob_online(world)
    await writes(whatsapp, "ok")
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_source) == (None, None)
    await run_jobs(runtime)
    assert (await automatic_messages(runtime, contact.id))[0].startswith(
        "Chào Ana! Bạn đang trò chuyện với Bob"
    )
    # Short messages add up: two more and the language is plain.
    await writes(whatsapp, "cảm ơn")
    await writes(whatsapp, "tôi đã gửi rồi")
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_source) == ("vi", "detected")


async def test_an_agent_s_correction_is_never_overwritten_by_detection(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    await writes(whatsapp, "tenho interesse na vaga de atendente")
    contact = await contact_of(runtime, whatsapp)
    assert contact.language == "pt-BR"
    async with world.client("bob") as bob:
        r = await bob.patch(f"/api/v1/contacts/{contact.id}", json={"language": "es"})
        assert r.status_code == 200, r.text
        assert (r.json()["language"], r.json()["language_source"]) == ("es", "agent")
    await writes(whatsapp, "quero me candidatar, já mandei o currículo ontem à noite")
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_source) == ("es", "agent")
    # Cleared by an agent: detection decides again from the next messages.
    async with world.client("bob") as bob:
        r = await bob.patch(f"/api/v1/contacts/{contact.id}", json={"language": None})
        assert (r.json()["language"], r.json()["language_source"]) == (None, None)
    await writes(whatsapp, "obrigado, aguardo o retorno")
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_source) == ("pt-BR", "detected")


async def test_a_tapped_button_s_title_is_not_the_customer_s_language(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    body = text_webhook(whatsapp.number, CUSTOMER, "Ana Souza", "x")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message.update(
        {
            "type": "interactive",
            "interactive": {
                "type": "button_reply",
                "button_reply": {"id": "apply", "title": "I want to apply for this job"},
            },
        }
    )
    assert (await whatsapp.post(body)).status_code == 200
    contact = await contact_of(runtime, whatsapp)
    assert (contact.language, contact.language_evidence) == (None, None)


async def test_a_team_routing_by_language_gives_the_customer_a_speaker_and_says_why(
    whatsapp: WhatsApp, world: World, runtime: Runtime
) -> None:
    support = world.acme.teams["support"].id
    bob_id, carol_id = world.persona("bob").id, world.persona("carol").id
    async with world.client("alice") as alice:
        r = await alice.put(
            f"/api/v1/teams/{support}/members",
            json={"user_ids": [str(bob_id), str(carol_id)]},
        )
        assert r.status_code == 200, r.text
        r = await alice.put(f"/api/v1/teams/{support}/routing", json={"route_by_language": True})
        assert r.status_code == 200, r.text
        assert r.json()["settings"]["route_by_language"] is True
        for user_id, spoken in ((bob_id, ["en", "pt-BR"]), (carol_id, ["vi"])):
            r = await alice.patch(f"/api/v1/members/{user_id}", json={"languages": spoken})
            assert r.status_code == 200, r.text
    # Neither was ever assigned, so round robin alone picks Bob (ties go to the smaller id).
    for name in ("bob", "carol"):
        async with world.client(name) as client:
            r = await client.put("/api/v1/me/state", json={"state": "online"})
            assert r.status_code == 200, r.text
    await writes(whatsapp, "tôi muốn ứng tuyển vị trí nhân viên")
    await run_jobs(runtime)
    contact = await contact_of(runtime, whatsapp)
    async with runtime.database.read_session() as db:
        conv = await db.scalar(select(Conversation).where(Conversation.contact_id == contact.id))
        assert conv is not None
    assert conv.assignee_id == carol_id
    async with world.client("alice") as alice:
        history = (await alice.get(f"/api/v1/conversations/{conv.id}/assignments")).json()
    rows = {c["name"]: c for c in history[-1]["candidates"]}
    assert (rows["Carol"]["reason"], rows["Carol"]["speaks_language"]) == ("chosen", True)
    assert rows["Bob"]["language"] == "vi"
    assert (rows["Bob"]["speaks_language"], rows["Bob"]["reason"]) == (
        False,
        "does_not_speak_language",
    )
    assert (await automatic_messages(runtime, contact.id))[0].startswith(
        "Chào Ana! Bạn đang trò chuyện với Carol"
    )


async def start_chat(world: World, visitor: httpx.AsyncClient, locale: str) -> str:
    """A website chat for Support; the visitor opens a session in `locale`. Returns its id."""
    async with world.client("alice") as alice:
        created = await alice.post(
            "/api/v1/channels",
            json={
                "type": "webchat",
                "name": "Site",
                "team_id": str(world.acme.teams["support"].id),
            },
        )
        assert created.status_code == 201, created.text
    channel_id = str(created.json()["id"])
    r = await visitor.post(
        f"/api/widget/v1/channels/{channel_id}/sessions", json={"name": "Visitor", "locale": locale}
    )
    assert r.status_code == 200, r.text
    visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
    return channel_id


async def chat_contact(runtime: Runtime, channel_id: str) -> Contact:
    async with runtime.database.read_session() as db:
        contact = await db.scalar(
            select(Contact)
            .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
            .where(ContactIdentity.channel_id == uuid.UUID(channel_id))
        )
        assert contact is not None
        return contact


async def test_the_widget_s_language_is_a_hint_the_customer_s_words_overrule(
    world: World, runtime: Runtime
) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        channel_id = await start_chat(world, visitor, "en-US")
        contact = await chat_contact(runtime, channel_id)
        assert (contact.language, contact.language_source) == ("en", "provider")
        r = await visitor.post(
            "/api/widget/v1/messages",
            json={"body": "ok", "client_message_id": uuid.uuid4().hex},
        )
        assert r.status_code == 201, r.text
        assert (await chat_contact(runtime, channel_id)).language_source == "provider"
        r = await visitor.post(
            "/api/widget/v1/messages",
            json={
                "body": "tenho interesse na vaga de atendente",
                "client_message_id": uuid.uuid4().hex,
            },
        )
        assert r.status_code == 201, r.text
    contact = await chat_contact(runtime, channel_id)
    assert (contact.language, contact.language_source) == ("pt-BR", "detected")

"""Similar conversations and suggested replies, with the real model on a small set."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.embeddings import embed_conversations
from tests.api.test_canned_responses import add_canned
from tests.conftest import World
from tests.factories import Factory, Tenant

SETTINGS = "/api/v1/similarity/settings"

# Each anchor with its paraphrase (asked another way) and a distractor of the same language.
TOPICS = {
    "en": (
        "I was charged twice for my order",
        "Why did my card get billed two times for one purchase?",
        "Do you have this shoe in size 42?",
    ),
    "pt": (
        "Meu pacote ainda não chegou",
        "A encomenda que pedi ainda não foi entregue",
        "Quero cancelar minha assinatura",
    ),
    "vi": (
        "Làm sao để đặt lại mật khẩu?",
        "Tôi quên mật khẩu đăng nhập, đổi thế nào?",
        "Giờ mở cửa của cửa hàng là mấy giờ?",
    ),
}


async def add_conversations(
    runtime: Runtime,
    tenant: Tenant,
    bodies: list[str],
    *,
    team: str | None = None,
    channel: str = "whatsapp",
) -> list[Conversation]:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        made = [
            await f.conversation(
                tenant.workspace,
                tenant.channels[channel],
                next(iter(tenant.contacts.values())),
                team=tenant.teams[team] if team else None,
                body=body,
            )
            for body in bodies
        ]
        await s.commit()
    return made


async def enable(world: World) -> dict[str, Any]:
    async with world.client("alice") as alice:
        r = await alice.put(SETTINGS, json={"is_enabled": True})
    assert r.status_code == 200, r.text
    return dict(r.json())


async def run_job(runtime: Runtime) -> None:
    await embed_conversations(runtime, {"once": True})


async def test_the_feature_is_off_until_a_manager_turns_it_on(
    world: World, runtime: Runtime
) -> None:
    conversation = world.acme.conversations["frank_unassigned"].id
    async with world.client("alice") as alice, world.client("bob") as bob:
        assert (await alice.get(SETTINGS)).json()["is_enabled"] is False
        for path in ("similar", "suggested-replies"):
            r = await alice.get(f"/api/v1/conversations/{conversation}/{path}")
            assert r.status_code == 409
            assert "turned off" in r.json()["error"]["message"]
        assert (await bob.put(SETTINGS, json={"is_enabled": True})).status_code == 403
        assert (await alice.put(SETTINGS, json={"is_enabled": "maybe"})).status_code == 422
    read = await enable(world)
    assert read["is_enabled"] is True
    assert read["model"] == "multilingual-e5-small-q4"
    assert (read["conversations_total"], read["conversations_ready"]) == (3, 0)
    async with runtime.database.read_session() as db:
        actions = list(await db.scalars(select(AuditLogEntry.action)))
    assert actions == ["similarity.settings_updated"]


async def test_a_paraphrase_ranks_first_in_each_language(world: World, runtime: Runtime) -> None:
    await enable(world)
    bodies = [text for topic in TOPICS.values() for text in topic]
    made = await add_conversations(runtime, world.acme, bodies)
    await run_job(runtime)
    async with world.client("alice") as alice:
        settings = (await alice.get(SETTINGS)).json()
        assert settings["conversations_ready"] == settings["conversations_total"] == 12
        for i in range(len(TOPICS)):
            anchor, paraphrase = made[3 * i], made[3 * i + 1]
            r = await alice.get(f"/api/v1/conversations/{anchor.id}/similar")
            assert r.status_code == 200, r.text
            items = r.json()["items"]
            assert items[0]["conversation_id"] == str(paraphrase.id), (bodies[3 * i], items)
            assert items[0]["contact_name"] == "Erin"
            assert all(item["conversation_id"] != str(anchor.id) for item in items)


async def test_suggested_replies_answer_the_last_customer_message(
    world: World, runtime: Runtime
) -> None:
    await enable(world)
    ws = world.acme.id
    await add_canned(runtime, ws, "hours", "Abrimos de segunda a sexta, das 9h às 18h.", "Horário")
    password = await add_canned(
        runtime, ws, "password", "Para trocar a senha, toque em 'Esqueci minha senha'.", "Senha"
    )
    await add_canned(runtime, ws, "refund", "O reembolso aparece na fatura em até 7 dias.")
    (conversation,) = await add_conversations(
        runtime, world.acme, ["Esqueci minha senha e não consigo entrar no aplicativo"]
    )
    async with world.client("bob") as bob:
        r = await bob.get(f"/api/v1/conversations/{conversation.id}/suggested-replies")
        assert r.json() == {"is_ready": False, "items": []}
        await run_job(runtime)
        r = await bob.get(f"/api/v1/conversations/{conversation.id}/suggested-replies")
    assert r.status_code == 200, r.text
    first = r.json()["items"][0]
    assert first["canned_response"]["id"] == str(password.id)
    assert 0 < first["score"] <= 1


async def test_only_conversations_the_caller_may_see_are_offered(
    world: World, runtime: Runtime
) -> None:
    await enable(world)
    anchor, _ = await add_conversations(runtime, world.acme, list(TOPICS["en"][:1]) * 2)
    (hidden,) = await add_conversations(runtime, world.acme, [TOPICS["en"][1]], team="sales")
    (elsewhere,) = await add_conversations(runtime, world.other, [TOPICS["en"][1]])
    async with world.client("oscar") as oscar:
        await oscar.put(SETTINGS, json={"is_enabled": True})
        assert (await oscar.get(f"/api/v1/conversations/{anchor.id}/similar")).status_code == 404
        r = await oscar.get(f"/api/v1/conversations/{elsewhere.id}/similar")
        assert r.status_code == 200
    await run_job(runtime)
    async with world.client("oscar") as oscar:
        seen_by_other = (await oscar.get(f"/api/v1/conversations/{elsewhere.id}/similar")).json()
    assert seen_by_other["is_ready"] is True
    assert seen_by_other["items"] == []
    async with world.client("bob") as bob, world.client("alice") as alice:
        by_bob = (await bob.get(f"/api/v1/conversations/{anchor.id}/similar")).json()["items"]
        by_alice = (await alice.get(f"/api/v1/conversations/{anchor.id}/similar")).json()
    assert str(hidden.id) in [item["conversation_id"] for item in by_alice["items"]]
    assert str(hidden.id) not in [item["conversation_id"] for item in by_bob]
    assert str(elsewhere.id) not in [item["conversation_id"] for item in by_alice["items"]]

"""Customers' messages posted in by an integrator: token, idempotency key, bad input, set-up."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from frontdesk.channels.api_channel.outbound import ALLOW_PRIVATE_ENV
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from tests.channels.api_channel.conftest import Connected, messages_of
from tests.conftest import Published, World

BODY = {
    "customer": {"external_id": "cand-881", "name": "Renata Lima", "email": "renata@example.com"},
    "text": "Olá, me candidatei pelo portal. Quando recebo retorno?",
    "metadata": {"application_id": 4412, "source": "portal"},
}


async def count(runtime: Runtime, model: type) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_a_posted_message_opens_a_conversation_once_per_idempotency_key(
    connected: Connected, runtime: Runtime, world: World, published: Published
) -> None:
    assert connected.created["inbound_token"].startswith("fdch_")
    assert connected.created["signing_secret"].startswith("whsec_")
    assert connected.created["inbound_url"].endswith(
        f"/api/channels/v1/{connected.channel_id}/messages"
    )
    # The credentials are never read back, and never in events or the audit log.
    async with world.client("alice") as alice:
        info = (await alice.get(f"/api/v1/channels/{connected.channel_id}/api")).json()
    assert info["has_inbound_token"]
    assert info["has_signing_secret"]
    assert "inbound_token" not in info
    assert "signing_secret" not in info
    assert connected.token not in str([e.payload for e in published.events])

    # Wrong or missing token: 401, and nothing is stored.
    wrong = await connected.post(BODY, "key-1", token="fdch_not-the-token")
    assert wrong.status_code == 401
    assert wrong.json()["error"]["code"] == "unauthenticated"
    async with connected.client() as http:
        bare = await http.post(
            f"/api/channels/v1/{connected.channel_id}/messages",
            json=BODY,
            headers={"Idempotency-Key": "key-1"},
        )
    assert bare.status_code == 401
    # Bad input: a clear 4xx in the error shape, nothing stored.
    no_key = await connected.post(BODY, None)
    assert no_key.status_code == 400
    assert "Idempotency-Key" in no_key.json()["error"]["message"]
    empty = await connected.post({**BODY, "text": " "}, "key-1")
    assert empty.status_code == 422
    assert empty.json()["error"]["code"] == "invalid"
    no_customer = await connected.post({"text": "hi"}, "key-1")
    assert no_customer.status_code == 422
    assert no_customer.json()["error"]["details"]["field"] == "customer"
    bad_url = await connected.post({**BODY, "attachments": [{"url": "ftp://x/cv.pdf"}]}, "key-1")
    assert bad_url.status_code == 422
    async with connected.client() as http:
        not_json = await http.post(
            f"/api/channels/v1/{connected.channel_id}/messages",
            content=b"{not json",
            headers={"Authorization": f"Bearer {connected.token}", "Idempotency-Key": "k"},
        )
    assert not_json.status_code == 400
    async with connected.client() as http:
        unknown = await http.post(
            f"/api/channels/v1/{uuid.uuid4()}/messages",
            json=BODY,
            headers={"Authorization": f"Bearer {connected.token}", "Idempotency-Key": "k"},
        )
    assert unknown.status_code == 404
    assert await messages_of(runtime, connected.channel_id) == []
    contacts_before = await count(runtime, Contact)

    first = await connected.post(BODY, "key-1")
    assert first.status_code == 201, first.text
    again = await connected.post(BODY, "key-1")
    assert again.status_code == 200
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == {**first.json(), "duplicate": True}
    assert first.json()["duplicate"] is False
    # The same key for another message is the integrator's mistake, not a retry: refused.
    reused = await connected.post({**BODY, "text": "Outra coisa"}, "key-1")
    assert reused.status_code == 409
    assert reused.json()["error"]["details"]["message_id"] == first.json()["message_id"]
    # The body's message_id serves as the key without the header.
    second = {**BODY, "text": "Outra pergunta", "message_id": "m-2"}
    by_id = await connected.post(second, None)
    assert by_id.status_code == 201
    assert (await connected.post(second, None)).json()["duplicate"]

    [one, two] = await messages_of(runtime, connected.channel_id)
    assert str(one.id) == first.json()["message_id"]
    assert one.body == BODY["text"]
    assert one.provider_message_id == "in:key-1"
    assert (one.payload or {})["details"]["metadata"] == BODY["metadata"]
    assert two.body == "Outra pergunta"
    assert one.conversation_id == two.conversation_id
    async with runtime.database.read_session() as db:
        conversation = await db.get_one(Conversation, one.conversation_id)
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == connected.channel_id)
        )
        assert identity is not None
        contact = await db.get_one(Contact, identity.contact_id)
    assert str(conversation.id) == first.json()["conversation_id"]
    assert conversation.team_id == world.acme.teams["support"].id
    assert conversation.workspace_id == world.acme.workspace.id
    assert identity.provider_id == "cand-881"
    assert contact.name == "Renata Lima"
    assert contact.email == "renata@example.com"
    assert await count(runtime, Contact) == contacts_before + 1
    assert "message.created" in published.types()

    # A deactivated channel takes nothing more; a rotated token replaces the old one at once.
    async with world.client("alice") as alice:
        r = await alice.post(
            f"/api/v1/channels/{connected.channel_id}/api/rotate",
            json={"credential": "inbound_token"},
        )
    assert r.status_code == 200, r.text
    new_token = r.json()["inbound_token"]
    assert r.json()["signing_secret"] is None
    assert (await connected.post(BODY, "key-3")).status_code == 401
    assert (await connected.post(BODY, "key-3", token=new_token)).status_code == 201
    async with runtime.database.read_session() as db:
        actions = list(
            await db.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.created_at))
        )
    assert actions.count("channel.updated") == 1


async def test_setting_up_refuses_private_callback_urls_and_other_roles(
    world: World, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    body = {"name": "Portal", "callback_url": "http://127.0.0.1:9/callbacks"}
    async with world.client("alice") as alice:
        refused = await alice.post("/api/v1/channels/api", json=body)
        not_http = await alice.post(
            "/api/v1/channels/api", json={**body, "callback_url": "file:///etc/passwd"}
        )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["field"] == "callback_url"
    assert "private or local" in refused.json()["error"]["message"]
    assert not_http.status_code == 422
    async with world.client("bob") as bob:
        agent = await bob.post("/api/v1/channels/api", json=body)
    assert agent.status_code == 403
    async with runtime.database.read_session() as db:
        found = await db.scalar(select(Channel.id).where(Channel.type == "api"))
    assert found is None

"""Connecting WhatsApp numbers through the API: credentials kept secret, the values to paste in
Meta's console, a connection test against the provider, and one channel per number."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp.conftest import NUMBER_ID, WhatsApp, connect, run_jobs
from tests.conftest import Published, World
from tests.fakes.meta import FakeGraph


async def test_credentials_are_encrypted_and_never_returned(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    token, secret = whatsapp.number.access_token, whatsapp.number.app_secret
    async with whatsapp.world.client("alice") as alice:
        one = await alice.get(f"/api/v1/channels/{whatsapp.channel_id}")
        every = await alice.get("/api/v1/channels")
        setup = await alice.get(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp")
    for response in (one, every, setup):
        assert response.status_code == 200
        assert token not in response.text
        assert secret not in response.text
    assert one.json()["has_secrets"] is True
    assert one.json()["settings"]["phone_number_id"] == NUMBER_ID
    async with runtime.database.read_session() as db:
        channel = await db.get_one(Channel, whatsapp.channel_id)
        audit = list(await db.scalars(select(AuditLogEntry)))
    assert channel.secrets_encrypted is not None
    assert token not in channel.secrets_encrypted
    assert runtime.secrets.open(channel.secrets_encrypted)["access_token"] == token
    for row in audit:
        assert token not in json.dumps(row.details, default=str)
    for event in published.events:
        assert token not in json.dumps(event.payload)
        assert secret not in json.dumps(event.payload)


async def test_the_setup_tells_what_to_paste_in_meta_s_console(
    whatsapp: WhatsApp, world: World
) -> None:
    async with world.client("alice") as alice:
        setup = (await alice.get(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp")).json()
    assert setup["webhook_url"] == f"http://testserver/webhooks/whatsapp/{world.acme.id}"
    assert setup["subscribe_fields"] == ["messages"]
    assert (setup["has_access_token"], setup["has_app_secret"]) == (True, True)
    async with whatsapp.client() as meta:
        handshake = await meta.get(
            setup["webhook_url"].removeprefix("http://testserver"),
            params={
                "hub.mode": "subscribe",
                "hub.verify_token": setup["verify_token"],
                "hub.challenge": "42",
            },
        )
    assert handshake.text == "42"


async def test_set_up_is_for_owners_and_managers_templates_for_every_member(
    whatsapp: WhatsApp, world: World
) -> None:
    base = f"/api/v1/channels/{whatsapp.channel_id}"
    async with world.client("bob") as bob:
        assert (await bob.get(f"{base}/whatsapp")).status_code == 403
        assert (await bob.post(f"{base}/whatsapp/test")).status_code == 403
        assert (await bob.post(f"{base}/whatsapp/templates/sync")).status_code == 403
        assert (await bob.get(f"{base}/templates")).status_code == 200
    async with world.client("dave") as dave:
        assert (await dave.get(f"{base}/whatsapp")).status_code == 200
    async with world.client("oscar") as oscar:
        assert (await oscar.get(f"{base}/whatsapp")).status_code == 404
    email = world.acme.channels["email"].id
    async with world.client("alice") as alice:
        assert (await alice.get(f"/api/v1/channels/{email}/whatsapp")).status_code == 404


async def test_test_connection_asks_meta_about_the_number(whatsapp: WhatsApp, world: World) -> None:
    url = f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/test"
    async with world.client("alice") as alice:
        ok = await alice.post(url)
        assert ok.json() == {
            "ok": True,
            "display_phone_number": "+1 555 0100",
            "verified_name": "Frontdesk Demo",
            "quality_rating": "GREEN",
            "error": None,
        }
        changed = await alice.patch(
            f"/api/v1/channels/{whatsapp.channel_id}",
            json={"secrets": {"access_token": "EAAG-expired", "app_secret": "x"}},
        )
        assert changed.status_code == 200
        refused = await alice.post(url)
    assert refused.status_code == 200
    assert refused.json()["ok"] is False
    assert refused.json()["error"]["code"] == "190"
    asked = [r for r in whatsapp.graph.requests if r.path.endswith(f"/{NUMBER_ID}")]
    assert [r.headers["authorization"] for r in asked] == [
        f"Bearer {whatsapp.number.access_token}",
        "Bearer EAAG-expired",
    ]


async def test_a_connection_that_meta_cannot_answer_says_so(
    whatsapp: WhatsApp, world: World
) -> None:
    whatsapp.graph.fail_next("unavailable", path_contains=f"/{NUMBER_ID}")
    async with world.client("alice") as alice:
        result = (await alice.post(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/test")).json()
    assert result["ok"] is False
    assert result["error"]["code"] == "131016"


async def test_template_sync_reports_meta_s_refusal_as_502(
    whatsapp: WhatsApp, world: World
) -> None:
    async with world.client("alice") as alice:
        await alice.patch(
            f"/api/v1/channels/{whatsapp.channel_id}",
            json={"secrets": {"access_token": "wrong", "app_secret": "x"}},
        )
        refused = await alice.post(
            f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/templates/sync"
        )
    assert refused.status_code == 502
    assert refused.json()["error"]["details"] == {"code": "190"}


async def test_each_number_is_one_channel_and_cannot_be_connected_twice(
    world: World, graph: FakeGraph
) -> None:
    await connect(world, graph, NUMBER_ID)
    await connect(world, graph, "2233445566778", name="Stores")
    async with world.client("alice") as alice:
        again = await alice.post(
            "/api/v1/channels",
            json={"type": "whatsapp", "name": "Twice", "settings": {"phone_number_id": NUMBER_ID}},
        )
        listed = await alice.get("/api/v1/channels", params={"type": "whatsapp"})
    assert again.status_code == 409
    assert again.json()["error"]["details"]["field"] == "settings.phone_number_id"
    numbers = sorted(c["settings"].get("phone_number_id", "") for c in listed.json())
    assert numbers == ["", NUMBER_ID, "2233445566778"]  # with the world's unconnected one
    # Another workspace may connect the same number to its own inbox.
    async with world.client("oscar") as oscar:
        theirs = await oscar.post(
            "/api/v1/channels",
            json={"type": "whatsapp", "name": "Same", "settings": {"phone_number_id": NUMBER_ID}},
        )
    assert theirs.status_code == 201


async def test_a_reply_on_a_number_without_credentials_fails_with_a_clear_reason(
    world: World, runtime: Runtime
) -> None:
    conversation = world.acme.conversations["erin_support"]
    async with world.client("bob") as bob:
        sent = await bob.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            json={"body": "hello", "client_message_id": uuid.uuid4().hex},
        )
    assert sent.status_code == 201
    await run_jobs(runtime)
    async with world.client("bob") as bob:
        page = (await bob.get(f"/api/v1/conversations/{conversation.id}/messages")).json()
    reply = next(m for m in page["items"] if m["id"] == sent.json()["id"])
    assert reply["status"] == "failed"
    assert reply["error"]["code"] == "channel_not_connected"

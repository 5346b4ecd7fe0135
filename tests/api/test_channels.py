"""The channels API: listing, connecting, configuring and deleting channels.

Credentials are write-only: they must never come back in a response, an event or the audit
log, and the database holds them only as ciphertext.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import SecretBox
from frontdesk.db.outbox import EventLogEntry
from frontdesk.settings import Settings
from tests.conftest import Published, QueryCounter, World
from tests.factories import Factory

API = "/api/v1/channels"
ACCESS_TOKEN = "EAAG-very-secret-access-token-123"
APP_SECRET = "app-secret-456-do-not-leak"


def whatsapp_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "whatsapp",
        "name": "Sales WhatsApp",
        "settings": {"phone_number_id": "1055", "display_phone_number": "+60 12-345 6789"},
        "secrets": {"access_token": ACCESS_TOKEN, "app_secret": APP_SECRET},
    }
    body.update(overrides)
    return body


async def db_channel(runtime: Runtime, channel_id: str | uuid.UUID) -> Channel | None:
    async with runtime.database.read_session() as db:
        return await db.get(Channel, uuid.UUID(str(channel_id)))


async def channel_count(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(Channel)) or 0)


async def audit_rows(runtime: Runtime, workspace_id: uuid.UUID) -> list[AuditLogEntry]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry)
            .where(AuditLogEntry.workspace_id == workspace_id)
            .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
        )
        return list(rows)


async def test_every_member_lists_channels_without_credentials(
    world: World, runtime: Runtime
) -> None:
    async with world.client("alice") as alice:
        await alice.patch(
            f"{API}/{world.acme.channels['whatsapp'].id}",
            json={"secrets": {"access_token": ACCESS_TOKEN}},
        )
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            r = await client.get(API)
        assert r.status_code == 200, name
        assert ACCESS_TOKEN not in r.text
        channels = {c["name"]: c for c in r.json()}
        assert set(channels) == {"Careers WhatsApp", "Support mail"}
        assert channels["Careers WhatsApp"]["has_secrets"] is True
        assert channels["Support mail"]["has_secrets"] is False
        assert "secrets_encrypted" not in channels["Careers WhatsApp"]
    async with world.client("bob") as bob:
        only_email = await bob.get(API, params={"type": "email"})
    assert [c["name"] for c in only_email.json()] == ["Support mail"]


async def test_channel_list_runs_the_same_queries_whatever_the_number_of_channels(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    counter: QueryCounter
    async with world.client("alice") as alice:
        with count_queries() as counter:
            few = await alice.get(API)
        few_count = counter.count
        async with runtime.database.write_session() as s:
            f = Factory(s, runtime.clock.now())
            for i in range(18):
                await f.channel(world.acme.workspace, "webchat", f"Widget {i:02d}")
            await s.commit()
        with count_queries() as counter:
            many = await alice.get(API)
        many_count = counter.count
    assert (len(few.json()), len(many.json())) == (2, 20)
    assert few_count == many_count


async def test_read_one_channel_and_not_another_workspaces(world: World) -> None:
    async with world.client("bob") as bob:
        own = await bob.get(f"{API}/{world.acme.channels['email'].id}")
        other = await bob.get(f"{API}/{world.other.channels['whatsapp'].id}")
    assert own.status_code == 200
    assert own.json()["type"] == "email"
    assert other.status_code == 404


async def test_admin_connects_a_channel_with_sealed_credentials(
    world: World, runtime: Runtime, published: Published, settings: Settings
) -> None:
    support = world.acme.teams["support"]
    async with world.client("alice") as alice:
        r = await alice.post(API, json=whatsapp_body(team_id=str(support.id)))
        read = await alice.get(f"{API}/{r.json()['id']}")
        listed = await alice.get(API)
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["type"] == "whatsapp"
    assert body["settings"] == {
        "phone_number_id": "1055",
        "display_phone_number": "+60 12-345 6789",
    }
    assert body["has_secrets"] is True
    assert body["team_id"] == str(support.id)
    assert body["is_active"] is True
    for response in (r, read, listed):
        assert ACCESS_TOKEN not in response.text
        assert APP_SECRET not in response.text
    channel = await db_channel(runtime, body["id"])
    assert channel is not None
    assert channel.workspace_id == world.acme.id
    assert channel.secrets_encrypted is not None
    assert ACCESS_TOKEN not in channel.secrets_encrypted
    # A box built from the configured key opens the column back to what was sent.
    assert SecretBox(settings.secret_key).open(channel.secrets_encrypted) == {
        "access_token": ACCESS_TOKEN,
        "app_secret": APP_SECRET,
    }
    assert published.types() == ["channel.changed"]
    assert published.events[0].payload["change"] == "created"
    assert published.events[0].payload["has_secrets"] is True
    audit = await audit_rows(runtime, world.acme.id)
    assert [a.action for a in audit] == ["channel.created"]
    assert audit[0].details["secret_names"] == ["access_token", "app_secret"]


async def test_credentials_never_reach_events_or_the_audit_log(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("alice") as alice:
        created = await alice.post(API, json=whatsapp_body())
        channel_id = created.json()["id"]
        updated = await alice.patch(
            f"{API}/{channel_id}",
            json={"name": "Renamed", "secrets": {"access_token": ACCESS_TOKEN + "-rotated"}},
        )
        deleted = await alice.delete(f"{API}/{channel_id}")
    assert (created.status_code, updated.status_code, deleted.status_code) == (201, 200, 204)
    assert [e.payload["change"] for e in published.events] == ["created", "updated", "deleted"]
    async with runtime.database.read_session() as db:
        logged = [e.payload for e in await db.scalars(select(EventLogEntry))]
        audited = [(a.action, a.details) for a in await db.scalars(select(AuditLogEntry))]
    dumped = json.dumps([e.payload for e in published.events]) + json.dumps(logged)
    dumped += json.dumps(audited)
    assert len(audited) == 3
    assert ACCESS_TOKEN not in dumped
    assert APP_SECRET not in dumped
    assert "secrets_encrypted" not in dumped


async def test_agents_and_viewers_cannot_manage_channels(
    world: World, runtime: Runtime, published: Published
) -> None:
    email = world.acme.channels["email"]
    before = await channel_count(runtime)
    for name in ("bob", "vera"):
        async with world.client(name) as client:
            create = await client.post(API, json=whatsapp_body())
            update = await client.patch(f"{API}/{email.id}", json={"name": "Mine"})
            delete = await client.delete(f"{API}/{email.id}")
        assert [create.status_code, update.status_code, delete.status_code] == [403] * 3, name
    channel = await db_channel(runtime, email.id)
    assert channel is not None
    assert channel.name == "Support mail"
    assert await channel_count(runtime) == before
    assert published.events == []


async def test_create_validates_type_settings_secrets_and_team(
    world: World, runtime: Runtime, published: Published
) -> None:
    before = await channel_count(runtime)
    cases = {
        "type": whatsapp_body(type="pigeon"),
        "name": whatsapp_body(name=""),
        "settings.phone_number_id": whatsapp_body(settings={"phone_number_id": 1055}),
        "settings.access_token": whatsapp_body(settings={"access_token": ACCESS_TOKEN}),
        "team_id": whatsapp_body(team_id=str(world.other.teams["desk"].id)),
    }
    async with world.client("alice") as alice:
        for field, body in cases.items():
            r = await alice.post(API, json=body)
            assert r.status_code == 422, field
            assert r.json()["error"]["details"]["field"] == field
            assert ACCESS_TOKEN not in r.text
        bad_secret = await alice.post(API, json=whatsapp_body(secrets={"Access Token": "x"}))
        bad_port = await alice.post(
            API, json={"type": "email", "name": "Mail", "settings": {"imap_port": True}}
        )
    assert bad_secret.status_code == 422
    assert bad_secret.json()["error"]["details"]["field"].startswith("secrets")
    assert bad_port.json()["error"]["details"]["field"] == "settings.imap_port"
    assert await channel_count(runtime) == before
    assert published.events == []


async def test_update_merges_settings_and_replaces_secrets(
    world: World, runtime: Runtime, published: Published, settings: Settings
) -> None:
    sales = world.acme.teams["sales"]
    async with world.client("dave") as dave:
        created = (await dave.post(API, json=whatsapp_body())).json()
        url = f"{API}/{created['id']}"
        r = await dave.patch(
            url,
            json={
                "settings": {"display_phone_number": None, "business_account_id": "77"},
                "secrets": {"access_token": "fresh-token"},
                "team_id": str(sales.id),
                "is_active": False,
            },
        )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["settings"] == {"phone_number_id": "1055", "business_account_id": "77"}
    assert body["team_id"] == str(sales.id)
    assert body["is_active"] is False
    assert "fresh-token" not in r.text
    channel = await db_channel(runtime, created["id"])
    assert channel is not None
    assert channel.secrets_encrypted is not None
    assert SecretBox(settings.secret_key).open(channel.secrets_encrypted) == {
        "access_token": "fresh-token"
    }
    assert published.types() == ["channel.changed", "channel.changed"]
    audit = (await audit_rows(runtime, world.acme.id))[-1]
    assert audit.action == "channel.updated"
    assert audit.details["settings_changed"] == ["business_account_id", "display_phone_number"]
    assert audit.details["secret_names"] == ["access_token"]
    assert audit.details["team_id"] == str(sales.id)


async def test_update_can_clear_secrets_and_team(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        created = (
            await alice.post(API, json=whatsapp_body(team_id=str(world.acme.teams["sales"].id)))
        ).json()
        r = await alice.patch(f"{API}/{created['id']}", json={"secrets": {}, "team_id": None})
    assert r.json()["has_secrets"] is False
    assert r.json()["team_id"] is None
    channel = await db_channel(runtime, created["id"])
    assert channel is not None
    assert channel.secrets_encrypted is None
    assert channel.team_id is None


async def test_update_refuses_another_workspaces_team(
    world: World, runtime: Runtime, published: Published
) -> None:
    email = world.acme.channels["email"]
    async with world.client("alice") as alice:
        r = await alice.patch(
            f"{API}/{email.id}",
            json={"name": "Changed", "team_id": str(world.other.teams["desk"].id)},
        )
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "team_id"
    channel = await db_channel(runtime, email.id)
    assert channel is not None
    assert (channel.name, channel.team_id) == ("Support mail", None)
    assert published.events == []


async def test_a_channel_with_conversations_is_deactivated_not_deleted(
    world: World, runtime: Runtime, published: Published
) -> None:
    email = world.acme.channels["email"]
    async with world.client("alice") as alice:
        refused = await alice.delete(f"{API}/{email.id}")
        deactivated = await alice.patch(f"{API}/{email.id}", json={"is_active": False})
    assert refused.status_code == 409
    assert refused.json()["error"]["details"]["conversation_count"] == 2
    assert deactivated.json()["is_active"] is False
    channel = await db_channel(runtime, email.id)
    assert channel is not None
    assert channel.is_active is False
    assert [e.payload["change"] for e in published.events] == ["updated"]


async def test_admin_deletes_an_unused_channel(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with world.client("alice") as alice:
        created = (await alice.post(API, json={"type": "telegram", "name": "Bot"})).json()
        r = await alice.delete(f"{API}/{created['id']}")
        gone = await alice.get(f"{API}/{created['id']}")
    assert r.status_code == 204
    assert gone.status_code == 404
    assert await db_channel(runtime, created["id"]) is None
    assert published.events[-1].type == "channel.changed"
    assert published.events[-1].payload["change"] == "deleted"
    assert (await audit_rows(runtime, world.acme.id))[-1].action == "channel.deleted"


async def test_other_workspace_cannot_touch_acme_channels(
    world: World, runtime: Runtime, published: Published
) -> None:
    whatsapp = world.acme.channels["whatsapp"]
    async with world.client("oscar") as oscar:
        read = await oscar.get(f"{API}/{whatsapp.id}")
        update = await oscar.patch(f"{API}/{whatsapp.id}", json={"name": "Mine"})
        delete = await oscar.delete(f"{API}/{whatsapp.id}")
        attach = await oscar.post(
            API, json=whatsapp_body(team_id=str(world.acme.teams["support"].id))
        )
        listed = await oscar.get(API)
    assert [read.status_code, update.status_code, delete.status_code] == [404] * 3
    assert attach.status_code == 422
    assert attach.json()["error"]["details"]["field"] == "team_id"
    assert [c["name"] for c in listed.json()] == ["Other WhatsApp"]
    channel = await db_channel(runtime, whatsapp.id)
    assert channel is not None
    assert channel.name == "Careers WhatsApp"
    assert published.events == []


async def test_channels_show_their_latest_activity(world: World, runtime: Runtime) -> None:
    whatsapp = world.acme.channels["whatsapp"]
    async with runtime.database.read_session() as db:
        latest = await db.scalar(
            select(func.max(Conversation.last_activity_at)).where(
                Conversation.channel_id == whatsapp.id
            )
        )
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        await f.channel(world.acme.workspace, "webchat", "Quiet widget")
        await s.commit()
    async with world.client("bob") as bob:
        listed = await bob.get(API)
        one = await bob.get(f"{API}/{whatsapp.id}")
    by_name = {c["name"]: c for c in listed.json()}
    assert latest is not None
    assert by_name["Careers WhatsApp"]["last_activity_at"] == latest.isoformat().replace(
        "+00:00", "Z"
    )
    assert one.json()["last_activity_at"] == by_name["Careers WhatsApp"]["last_activity_at"]
    assert by_name["Quiet widget"]["last_activity_at"] is None

"""The webhook subscription and team chat hook API: owners and managers only, a secret shown
once and rotated, refusals that write nothing, the delivery log's filters, audit entries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from frontdesk.core.webhooks.catalogue import ALLOW_PRIVATE_ENV
from frontdesk.core.webhooks.models import TeamChatHook, WebhookSubscription
from tests.conftest import World

API = "/api/v1/webhook-subscriptions"
HOOKS = "/api/v1/team-chat-hooks"
URL = "http://127.0.0.1:9/hooks"


async def count(runtime: Runtime, model: type) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_managers_make_rotate_and_remove_subscriptions_agents_cannot(
    runtime: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    dave, bob, vera = world.client("dave"), world.client("bob"), world.client("vera")
    body = {"url": URL, "description": "CRM", "event_types": ["message.created", "contact.created"]}
    for member in (bob, vera):
        assert (await member.post(API, json=body)).status_code == 403
        assert (await member.get(API)).status_code == 403
    r = await dave.post(API, json=body)
    assert r.status_code == 201, r.text
    created = r.json()
    sub_id, secret = created["subscription"]["id"], created["secret"]
    assert created["subscription"]["event_types"] == ["contact.created", "message.created"]
    read = (await dave.get(f"{API}/{sub_id}")).json()
    assert "secret" not in read
    assert secret not in str((await dave.get(API)).json())
    assert (await bob.get(f"{API}/{sub_id}")).status_code == 403

    rotated = (await dave.post(f"{API}/{sub_id}/rotate-secret")).json()
    assert rotated["secret"].startswith("whsec_")
    assert rotated["secret"] != secret
    changed = await dave.patch(f"{API}/{sub_id}", json={"is_enabled": False})
    assert (changed.json()["is_enabled"], changed.json()["disabled_reason"]) == (
        False,
        "turned_off",
    )
    pinged = await dave.post(f"{API}/{sub_id}/ping")
    assert (pinged.status_code, pinged.json()["event_type"]) == (202, "webhook.ping")
    log = await dave.get(f"{API}/{sub_id}/deliveries", params={"event_type": "webhook.ping"})
    assert [d["id"] for d in log.json()["items"]] == [pinged.json()["id"]]
    assert (await dave.get(f"{API}/{sub_id}/deliveries", params={"status": "failed"})).json()[
        "items"
    ] == []
    assert (await dave.delete(f"{API}/{sub_id}")).status_code == 204
    assert (await dave.get(f"{API}/{sub_id}")).status_code == 404
    async with runtime.database.read_session() as db:
        actions = list(
            await db.scalars(
                select(AuditLogEntry.action)
                .where(AuditLogEntry.target_type == "webhook_subscription")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        )
    assert actions == [
        "webhook_subscription.created",
        "webhook_subscription.secret_rotated",
        "webhook_subscription.updated",
        "webhook_subscription.pinged",
        "webhook_subscription.deleted",
    ]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://crm.example/hooks"}, "url"),
        ({"url": "not a url"}, "url"),
        ({"url": URL, "event_types": ["message.created", "no.such_event"]}, "event_types"),
        ({"url": URL, "description": "x" * 201}, "description"),
        ({"url": "http://127.0.0.1:9/hooks"}, "url"),  # loopback, not allowed by the setting
        ({"url": "http://10.1.2.3/hooks"}, "url"),
    ],
)
async def test_bad_subscriptions_are_refused_and_nothing_is_written(
    runtime: Runtime,
    world: World,
    body: dict[str, object],
    field: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    r = await world.client("alice").post(API, json=body)
    assert r.status_code == 422, r.text
    assert field in r.text
    assert await count(runtime, WebhookSubscription) == 0


async def test_team_chat_hooks_keep_their_url_secret_and_refuse_another_teams(
    runtime: Runtime, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    alice = world.client("alice")
    url = "http://127.0.0.1:9/services/T000/B000/XXXXsecretXXXX"
    body = {"name": "#support", "url": url, "escalations": ["help_raised"]}
    other_team = {**body, "team_id": str(world.other.teams["desk"].id)}
    r = await alice.post(HOOKS, json=other_team)
    assert (r.status_code, r.json()["error"]["details"]["field"]) == (422, "team_id")
    assert (await alice.post(HOOKS, json={**body, "escalations": []})).status_code == 422
    assert (await world.client("carol").post(HOOKS, json=body)).status_code == 403
    assert await count(runtime, TeamChatHook) == 0
    made = (await alice.post(HOOKS, json=body)).json()
    assert made["url_hint"] == "http://127.0.0.1/…XXXX"
    assert "secret" not in str((await alice.get(HOOKS)).json())
    patched = await alice.patch(
        f"{HOOKS}/{made['id']}", json={"escalations": ["sla_breached", "team_mentioned"]}
    )
    assert patched.json()["escalations"] == ["sla_breached", "team_mentioned"]
    assert (await alice.delete(f"{HOOKS}/{made['id']}")).status_code == 204
    assert await count(runtime, TeamChatHook) == 0

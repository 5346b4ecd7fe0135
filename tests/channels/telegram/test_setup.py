"""Connecting a bot: getMe tests the token, setWebhook registers this server with a secret."""

from __future__ import annotations

import json
import uuid

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.channels.telegram.conftest import Telegram
from tests.conftest import World

API = "/api/v1/channels/telegram"


async def telegram_channels(runtime: Runtime) -> list[Channel]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(Channel).where(Channel.type == "telegram")))


async def test_connecting_tests_the_token_and_registers_the_webhook_with_a_secret(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot(username="acme_jobs_bot")
    support = world.acme.teams["support"]
    async with world.client("alice") as alice:
        r = await alice.post(
            API, json={"name": "Jobs bot", "bot_token": bot.token, "team_id": str(support.id)}
        )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["type"] == "telegram"
    assert body["settings"] == {"bot_username": "acme_jobs_bot", "bot_id": bot.id}
    assert body["has_secrets"] is True
    assert body["team_id"] == str(support.id)
    assert bot.token not in r.text

    assert [c.method for c in telegram.fake.calls] == ["getMe", "setWebhook"]
    assert bot.webhook_url == f"http://testserver/webhooks/telegram/{body['id']}"
    assert bot.secret_token
    assert len(bot.secret_token) >= 32
    assert set(bot.allowed_updates) == {
        "message",
        "edited_message",
        "callback_query",
        "message_reaction",
    }
    [channel] = await telegram_channels(runtime)
    assert channel.secrets_encrypted
    assert bot.token not in channel.secrets_encrypted
    assert runtime.secrets.open(channel.secrets_encrypted) == {
        "bot_token": bot.token,
        "webhook_secret": bot.secret_token,
    }


async def test_the_token_and_the_webhook_secret_appear_nowhere_but_sealed(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot()
    async with world.client("alice") as alice:
        created = await alice.post(API, json={"name": "Jobs bot", "bot_token": bot.token})
        listed = await alice.get("/api/v1/channels")
        one = await alice.get(f"/api/v1/channels/{created.json()['id']}")
    assert bot.secret_token
    for response in (created, listed, one):
        assert bot.token not in response.text
        assert bot.secret_token not in response.text
    async with runtime.database.read_session() as db:
        events = [json.dumps(e.payload) for e in await db.scalars(select(EventLogEntry))]
        audit = [json.dumps(a.details) for a in await db.scalars(select(AuditLogEntry))]
    assert events
    assert audit
    for text in events + audit:
        assert bot.token not in text
        assert bot.secret_token not in text


async def test_a_token_telegram_refuses_is_reported_with_telegram_s_words_and_nothing_kept(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    unknown = "123456:" + "A" * 35  # well-formed, but no such bot
    async with world.client("alice") as alice:
        r = await alice.post(API, json={"name": "Jobs bot", "bot_token": unknown})
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["details"]["field"] == "bot_token"
    assert "401: Unauthorized" in error["message"]
    assert unknown not in r.text
    assert await telegram_channels(runtime) == []


async def test_a_malformed_token_is_refused_before_telegram_is_called(
    world: World, telegram: Telegram
) -> None:
    async with world.client("alice") as alice:
        r = await alice.post(API, json={"name": "Jobs bot", "bot_token": "not a token"})
    assert r.status_code == 422
    assert r.json()["error"]["details"]["field"] == "bot_token"
    assert telegram.fake.calls == []


async def test_a_refused_webhook_keeps_no_channel_and_says_why(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot()
    telegram.fake.require_https = True  # as the real Bot API: http://testserver is refused
    async with world.client("alice") as alice:
        r = await alice.post(API, json={"name": "Jobs bot", "bot_token": bot.token})
    assert r.status_code == 422
    assert "An HTTPS URL must be provided for webhook" in r.json()["error"]["message"]
    assert await telegram_channels(runtime) == []
    assert bot.webhook_url == ""


async def test_one_bot_cannot_be_connected_twice(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot()
    async with world.client("alice") as alice:
        first = await alice.post(API, json={"name": "Jobs bot", "bot_token": bot.token})
        webhook = bot.webhook_url
        second = await alice.post(API, json={"name": "Again", "bot_token": bot.token})
    assert first.status_code == 201
    assert second.status_code == 409
    assert bot.webhook_url == webhook  # the first channel keeps its updates
    assert len(await telegram_channels(runtime)) == 1


async def test_only_owners_and_managers_connect_bots(world: World, telegram: Telegram) -> None:
    bot = telegram.fake.add_bot()
    async with world.client("bob") as bob:
        r = await bob.post(API, json={"name": "Jobs bot", "bot_token": bot.token})
    assert r.status_code == 403
    assert telegram.fake.calls == []


async def test_a_team_of_another_workspace_is_refused_before_telegram_is_called(
    world: World, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot()
    async with world.client("oscar") as oscar:
        r = await oscar.post(
            API,
            json={
                "name": "Jobs bot",
                "bot_token": bot.token,
                "team_id": str(world.acme.teams["support"].id),
            },
        )
    assert r.status_code == 422
    assert telegram.fake.calls == []


async def test_reconnecting_rotates_the_secret_and_can_replace_the_token(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot(username="old_bot")
    async with world.client("alice") as alice:
        created = (await alice.post(API, json={"name": "Jobs", "bot_token": bot.token})).json()
        first_secret = bot.secret_token
        again = await alice.post(f"/api/v1/channels/{created['id']}/telegram/webhook", json={})
        assert again.status_code == 200, again.text
        assert bot.secret_token not in (None, first_secret)

        # The token was revoked in BotFather: the same bot, a new token.
        telegram.fake.bots.pop(bot.token)
        new_token = f"{bot.id}:" + "B" * 35
        telegram.fake.bots[new_token] = bot
        bot.token = new_token
        moved = await alice.post(
            f"/api/v1/channels/{created['id']}/telegram/webhook", json={"bot_token": new_token}
        )
    assert moved.status_code == 200, moved.text
    [channel] = await telegram_channels(runtime)
    assert channel.secrets_encrypted
    stored = runtime.secrets.open(channel.secrets_encrypted)
    assert stored == {"bot_token": new_token, "webhook_secret": bot.secret_token}


async def test_reconnecting_another_workspace_s_channel_is_not_found(
    world: World, telegram: Telegram
) -> None:
    async with world.client("oscar") as oscar:
        r = await oscar.post(
            f"/api/v1/channels/{world.acme.channels['whatsapp'].id}/telegram/webhook", json={}
        )
        missing = await oscar.post(f"/api/v1/channels/{uuid.uuid4()}/telegram/webhook", json={})
    assert r.status_code == 404
    assert missing.status_code == 404
    assert telegram.fake.calls == []


async def test_the_audit_log_names_the_credentials_but_never_their_values(
    world: World, runtime: Runtime, telegram: Telegram
) -> None:
    bot = telegram.fake.add_bot()
    async with world.client("alice") as alice:
        await alice.post(API, json={"name": "Jobs bot", "bot_token": bot.token})
    async with runtime.database.read_session() as db:
        count = await db.scalar(
            select(func.count()).where(AuditLogEntry.action == "channel.created")
        )
        entry = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "channel.created")
        )
    assert count == 1
    assert entry is not None
    assert entry.details["secret_names"] == ["bot_token", "webhook_secret"]

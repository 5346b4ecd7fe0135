"""Deleting a Telegram channel deletes its bot's webhook, so Telegram stops posting here; a
Bot API that fails or points elsewhere never keeps the channel."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from tests.channels.telegram.conftest import Connected, Telegram
from tests.conftest import World


async def _exists(runtime: Runtime, connected: Connected) -> bool:
    async with runtime.database.read_session() as db:
        found = await db.scalar(select(Channel.id).where(Channel.id == connected.channel_id))
    return found is not None


async def _delete(world: World, connected: Connected, name: str = "alice") -> int:
    async with world.client(name) as client:
        response = await client.delete(f"/api/v1/channels/{connected.channel_id}")
    return response.status_code


async def test_deleting_the_channel_deletes_the_bots_webhook(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    assert connected.bot.webhook_url.endswith(f"/webhooks/telegram/{connected.channel_id}")
    assert await _delete(world, connected) == 204
    assert not await _exists(runtime, connected)
    [deleted] = connected.fake.calls_of("deleteWebhook")
    assert deleted.token == connected.bot.token
    assert deleted.params["drop_pending_updates"] is False
    assert connected.bot.webhook_url == ""
    assert connected.bot.secret_token is None


async def test_a_failing_bot_api_still_lets_the_channel_be_deleted(
    world: World, runtime: Runtime, connected: Connected, caplog: pytest.LogCaptureFixture
) -> None:
    connected.fake.fail("deleteWebhook", 500, "Internal Server Error")
    with caplog.at_level(logging.WARNING, logger="frontdesk.channels.removal"):
        assert await _delete(world, connected) == 204
    assert not await _exists(runtime, connected)
    assert [c.token for c in connected.fake.calls_of("deleteWebhook")] == [connected.bot.token]
    assert connected.bot.webhook_url  # Telegram still has it: the failure was only logged
    assert "could not be told" in caplog.text
    assert connected.bot.token not in caplog.text


async def test_an_unreachable_bot_api_still_lets_the_channel_be_deleted(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    runtime.provider_urls["telegram"] = "http://127.0.0.1:9"  # nothing listens there
    assert await _delete(world, connected) == 204
    assert not await _exists(runtime, connected)


async def test_a_webhook_since_pointed_elsewhere_is_left_alone(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    connected.bot.webhook_url = "https://elsewhere.example/telegram"
    assert await _delete(world, connected) == 204
    assert not await _exists(runtime, connected)
    assert [c.method for c in connected.fake.calls] == ["getWebhookInfo"]
    assert connected.bot.webhook_url == "https://elsewhere.example/telegram"


async def test_only_admins_delete_and_only_in_their_workspace(
    world: World, runtime: Runtime, connected: Connected, telegram: Telegram
) -> None:
    assert await _delete(world, connected, "bob") == 403  # an agent
    assert await _delete(world, connected, "oscar") == 404  # another workspace's owner
    assert await _exists(runtime, connected)
    assert telegram.fake.calls_of("deleteWebhook") == []
    assert connected.bot.webhook_url


async def test_a_channel_with_conversations_is_kept_and_keeps_its_webhook(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    update = connected.fake.text_update(4242, "Hi!", "Ana")
    assert (await connected.post(update)).status_code == 200
    assert await _delete(world, connected) == 409
    assert await _exists(runtime, connected)
    assert connected.fake.calls_of("deleteWebhook") == []

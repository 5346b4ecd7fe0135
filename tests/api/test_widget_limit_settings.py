"""The widget's rate limits come from the settings (FRONTDESK_WIDGET_*), not from the code."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings
from tests.api.test_widget import W, start, visitor, webchat
from tests.conftest import World, suite_settings

__all__ = ["visitor"]  # the fixture, shared with the widget's own tests


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return suite_settings(tmp_path, database_url).model_copy(
        update={"widget_messages_per_visitor": 3, "widget_sessions_per_ip": 2}
    )


async def test_the_limits_are_the_settings_own(
    world: World, runtime: Runtime, visitor: httpx.AsyncClient
) -> None:
    channel = await webchat(runtime, world)
    await start(visitor, channel)
    codes = [
        (
            await visitor.post(f"{W}/messages", json={"body": "x", "client_message_id": f"m{i}"})
        ).status_code
        for i in range(5)
    ]
    assert codes == [201, 201, 201, 429, 429]
    refused = await visitor.post(f"{W}/messages", json={"body": "x", "client_message_id": "m9"})
    assert refused.status_code == 429
    assert refused.json()["error"]["code"], refused.text
    async with runtime.database.read_session() as db:
        stored = select(func.count()).where(Message.channel_id == channel.id)
        assert await db.scalar(stored) == 3
    # Sessions per address: the first start above was one of two.
    second = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={})
    third = await visitor.post(f"{W}/channels/{channel.id}/sessions", json={})
    assert (second.status_code, third.status_code) == (200, 429)
    assert Settings().widget_messages_per_visitor == 20  # the default stays the old limit

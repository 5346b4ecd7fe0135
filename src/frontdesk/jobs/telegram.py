"""Telegram jobs: answering a button press, so the customer's app stops its spinner."""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.channels.outbound import PermanentProviderError, RateLimitedByProvider
from frontdesk.channels.telegram.client import BotApi, TelegramApiError, TelegramUnreachable
from frontdesk.channels.telegram.inbound import ANSWER_CALLBACK_JOB
from frontdesk.channels.telegram.outbound import provider_error
from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.registry import PermanentJobError, RetryJobLater

__all__ = ["ANSWER_CALLBACK_JOB", "answer_callback_query"]


async def answer_callback_query(runtime: Runtime, payload: dict[str, Any]) -> None:
    async with runtime.database.read_session() as db:
        channel = await db.get(Channel, uuid.UUID(payload["channel_id"]))
    if channel is None or not channel.secrets_encrypted:
        raise PermanentJobError("the Telegram channel is gone")
    token = runtime.secrets.open(channel.secrets_encrypted).get("bot_token")
    if not isinstance(token, str) or not token:
        raise PermanentJobError("the Telegram channel has no bot token")
    api = BotApi.for_urls(token, runtime.provider_urls)
    try:
        await api.answer_callback_query(str(payload["callback_query_id"]))
    except (TelegramApiError, TelegramUnreachable) as exc:
        error = provider_error(exc)
        if isinstance(error, RateLimitedByProvider):
            raise RetryJobLater(error.retry_after, error.message) from None
        if isinstance(error, PermanentProviderError):
            # Most often "query is too old": the press can no longer be answered.
            raise PermanentJobError(str(error)) from None
        raise error from None

"""Conversation jobs: waking snoozed conversations when their time comes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from frontdesk.core.conversations.actions import wake_conversation
from frontdesk.core.runtime import Runtime


async def wake_snoozed_conversation(runtime: Runtime, payload: dict[str, Any]) -> None:
    async with runtime.uow() as uow:
        woke = await wake_conversation(
            uow,
            uuid.UUID(payload["workspace_id"]),
            uuid.UUID(payload["conversation_id"]),
            datetime.fromisoformat(payload["snoozed_until"]),
        )
        if woke:
            await uow.commit()

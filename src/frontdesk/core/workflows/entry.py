"""Whether a workspace's new conversations may be taken by a bot: routing holds a new
conversation back for a moment when a workflow that starts on a conversation opening or a
message is active, so the dispatcher (every couple of seconds) gets it before an agent does."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.workflows.models import Workflow, WorkflowStatus

BOT_ENTRY_TRIGGERS = ("conversation_opened", "message_received")
# Longer than the dispatcher's period: routing decides only once the bot could have taken it.
HOLD_NEW_CONVERSATION = timedelta(seconds=10)


async def bot_may_take(session: AsyncSession, workspace_id: uuid.UUID) -> bool:
    found = await session.scalar(
        select(Workflow.id)
        .where(
            Workflow.workspace_id == workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type.in_(BOT_ENTRY_TRIGGERS),
        )
        .limit(1)
    )
    return found is not None

"""Whether a bot may take a new conversation: routing holds it back for a moment when an active
workflow would start on it (one that starts on a conversation opening, or on a message that
this first message matches), so the dispatcher (every couple of seconds) gets it before an
agent does. A conversation no workflow would take is routed at once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.workflows.matching import message_matches
from frontdesk.core.workflows.models import Workflow, WorkflowStatus, WorkflowVersion

BOT_ENTRY_TRIGGERS = ("conversation_opened", "message_received")
# Longer than the dispatcher's period: routing decides only once the bot could have taken it.
HOLD_NEW_CONVERSATION = timedelta(seconds=10)


async def bot_may_take(session: AsyncSession, workspace_id: uuid.UUID, first_text: str) -> bool:
    """True when an active workflow would start on a new conversation whose first message is
    `first_text` (its published trigger, as the dispatcher will read it)."""
    rows = await session.execute(
        select(Workflow.trigger_type, WorkflowVersion.definition)
        .join(WorkflowVersion, WorkflowVersion.id == Workflow.published_version_id)
        .where(
            Workflow.workspace_id == workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.trigger_type.in_(BOT_ENTRY_TRIGGERS),
        )
    )
    for trigger_type, definition in rows:
        if trigger_type == "conversation_opened":
            return True
        trigger = definition.get("trigger") if isinstance(definition, dict) else None
        config = trigger.get("config") if isinstance(trigger, dict) else None
        if message_matches(config if isinstance(config, dict) else {}, first_text):
            return True
    return False

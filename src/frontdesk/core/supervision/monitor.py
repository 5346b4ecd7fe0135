"""Silent monitoring: a supervisor reads a conversation live without showing as "viewing".

The app sends no viewing signal while monitoring; the server's part is to allow it only to
the conversation's supervisors and to record who monitored what, and when, in the audit log.
"""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.conversations.schemas import ConversationRead
from frontdesk.core.supervision.rights import require_supervision
from frontdesk.db.uow import UnitOfWork


async def monitor_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation
) -> ConversationRead:
    """Start monitoring (owners, managers, the team's leads; not agents nor viewers)."""
    await require_supervision(uow.session, actor, conv)
    record_audit(
        uow,
        actor,
        "conversation.monitored",
        "conversation",
        conv.id,
        assignee_id=str(conv.assignee_id) if conv.assignee_id else None,
        team_id=str(conv.team_id) if conv.team_id else None,
    )
    return await get_conversation(uow.session, conv.workspace_id, conv.id)

"""Active work on a conversation: the handle time the reports count.

The app measures the time a member actively works a conversation (it is on screen and they
are writing a reply, or have just sent one) and reports it in short spans. Each span is an
event, `conversation.worked`, which the report job turns into facts: the member's worked time,
and at the close the conversation's handle time (the sum of its segment's spans).
"""

from __future__ import annotations

from datetime import timedelta

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import get_conversation
from frontdesk.core.errors import Invalid
from frontdesk.core.events import ConversationWorked, user_key
from frontdesk.db.uow import UnitOfWork

# The app reports at least once a minute; a longer span is refused rather than trusted.
MAX_SPAN_SECONDS = 300


async def record_work(uow: UnitOfWork, actor: Actor, conv: Conversation, seconds: float) -> None:
    """Record that the calling member worked `conv` for the `seconds` that end now."""
    actor.require_writer()
    if actor.user_id is None:
        raise Invalid("only members work conversations", field="seconds")
    if not 0 < seconds <= MAX_SPAN_SECONDS:
        raise Invalid(f"a span is 0 to {MAX_SPAN_SECONDS} seconds", field="seconds")
    now = uow.now()
    read = await get_conversation(uow.session, conv.workspace_id, conv.id)
    uow.emit(
        ConversationWorked(
            workspace_id=conv.workspace_id,
            # Only the member's own devices: nobody else needs a frame for it.
            audience=(user_key(actor.user_id),),
            data={
                "conversation": read.model_dump(mode="json"),
                "change": {
                    "user_id": str(actor.user_id),
                    "seconds": seconds,
                    "started_at": (now - timedelta(seconds=seconds)).isoformat(),
                },
            },
        )
    )

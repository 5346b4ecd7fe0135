"""Reading a conversation's surveys."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.csat.schemas import CsatResponseRead, response_read


async def conversation_surveys(db: AsyncSession, conv: Conversation) -> list[CsatResponseRead]:
    """Every survey sent in the conversation (one per close that sent one), oldest first."""
    rows = await db.scalars(
        select(CsatResponse)
        .where(
            CsatResponse.workspace_id == conv.workspace_id,
            CsatResponse.conversation_id == conv.id,
        )
        .order_by(CsatResponse.segment)
    )
    return [response_read(r) for r in rows]

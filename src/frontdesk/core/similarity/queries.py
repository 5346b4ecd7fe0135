"""Similar conversations and suggested replies, ranked in Python with numpy.

Candidates are read from the database for the caller's workspace and, for conversations, only
those the caller may see (`visible_to`); the cosine similarity of float32 vectors is one matrix
product. At contact-centre scale this is fast enough: `MAX_CANDIDATES` most recent conversations
are compared (about 15 MB of vectors at the limit, some tens of milliseconds of numpy); beyond
that a vector index in the database would be the next step.
"""

from __future__ import annotations

import uuid

import numpy as np
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.canned.queries import canned_response_read
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import visible_to
from frontdesk.core.similarity.encoder import MODEL_NAME, from_bytes, matrix
from frontdesk.core.similarity.models import CannedResponseEmbedding, ConversationEmbedding
from frontdesk.core.similarity.schemas import (
    SimilarConversationRead,
    SimilarConversationsRead,
    SuggestedRepliesRead,
    SuggestedReplyRead,
)

MAX_CANDIDATES = 10_000
# The model's cosine scores are compressed (unrelated texts often score 0.80); below this
# nothing is offered. Measured on the labelled set in docs/decisions/0034.
MIN_SCORE = 0.83
DEFAULT_SIMILAR = 5
DEFAULT_SUGGESTIONS = 3


async def _own_embedding(
    db: AsyncSession, conversation: Conversation
) -> ConversationEmbedding | None:
    row = await db.get(ConversationEmbedding, conversation.id)
    if row is None or row.model != MODEL_NAME:
        return None
    return row


def _top(scores: np.ndarray, limit: int) -> list[int]:
    order = np.argsort(-scores, kind="stable")[:limit]
    return [int(i) for i in order if scores[i] >= MIN_SCORE]


async def similar_conversations(
    db: AsyncSession, actor: Actor, conversation: Conversation, *, limit: int = DEFAULT_SIMILAR
) -> SimilarConversationsRead:
    """The conversations most like `conversation` that the caller may see, closest first."""
    if conversation.last_inbound_at is None:  # no customer message: nothing to compare
        return SimilarConversationsRead(is_ready=True, items=[])
    own = await _own_embedding(db, conversation)
    if own is None:
        return SimilarConversationsRead(is_ready=False, items=[])
    rows = list(
        await db.execute(
            select(ConversationEmbedding.conversation_id, ConversationEmbedding.vector)
            .join(Conversation, Conversation.id == ConversationEmbedding.conversation_id)
            .where(
                ConversationEmbedding.workspace_id == actor.workspace_id,
                ConversationEmbedding.model == MODEL_NAME,
                ConversationEmbedding.conversation_id != conversation.id,
                visible_to(actor),
            )
            .order_by(Conversation.last_activity_at.desc())
            .limit(MAX_CANDIDATES)
        )
    )
    if not rows:
        return SimilarConversationsRead(is_ready=True, items=[])
    scores = matrix([row.vector for row in rows]) @ from_bytes(own.vector)
    best = {rows[i].conversation_id: float(scores[i]) for i in _top(scores, limit)}
    return SimilarConversationsRead(is_ready=True, items=await _similar_reads(db, actor, best))


async def _similar_reads(
    db: AsyncSession, actor: Actor, best: dict[uuid.UUID, float]
) -> list[SimilarConversationRead]:
    if not best:
        return []
    rows = await db.execute(
        select(Conversation, Contact.name)
        .join(Contact, Contact.id == Conversation.contact_id)
        .where(Conversation.id.in_(best), Conversation.workspace_id == actor.workspace_id)
    )
    by_id = {conv.id: (conv, name) for conv, name in rows}
    reads = []
    for conversation_id, score in best.items():
        conv, name = by_id[conversation_id]
        reads.append(
            SimilarConversationRead(
                conversation_id=conv.id,
                subject=conv.subject,
                contact_name=name,
                status=conv.status,
                last_message_preview=conv.last_message_preview,
                last_message_at=conv.last_message_at,
                score=round(score, 4),
            )
        )
    return reads


async def suggested_replies(
    db: AsyncSession, actor: Actor, conversation: Conversation, *, limit: int = DEFAULT_SUGGESTIONS
) -> SuggestedRepliesRead:
    """The canned responses closest to the customer's last message, best first."""
    if conversation.last_inbound_at is None:
        return SuggestedRepliesRead(is_ready=True, items=[])
    own = await _own_embedding(db, conversation)
    if own is None:
        return SuggestedRepliesRead(is_ready=False, items=[])
    rows = list(
        await db.execute(
            select(CannedResponse, CannedResponseEmbedding.vector)
            .join(
                CannedResponseEmbedding,
                CannedResponseEmbedding.canned_response_id == CannedResponse.id,
            )
            .where(
                CannedResponse.workspace_id == actor.workspace_id,
                CannedResponseEmbedding.workspace_id == actor.workspace_id,
                CannedResponseEmbedding.model == MODEL_NAME,
            )
        )
    )
    if not rows:
        return SuggestedRepliesRead(is_ready=True, items=[])
    scores = matrix([vector for _, vector in rows]) @ from_bytes(own.last_message_vector)
    items = [
        SuggestedReplyRead(
            canned_response=canned_response_read(rows[i][0]), score=round(float(scores[i]), 4)
        )
        for i in _top(scores, limit)
    ]
    return SuggestedRepliesRead(is_ready=True, items=items)

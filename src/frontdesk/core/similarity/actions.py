"""Computing embeddings, a batch at a time, for the workspaces that turned the feature on.

A conversation is (re)embedded when a customer wrote since its row was computed (its
`last_inbound_at` is newer than the row's `source_at`); a canned response when it was edited
since. Running a batch twice changes nothing the second time: the job is idempotent.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.conversations.models import Conversation, Direction, Message
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.similarity.encoder import MODEL_NAME, encode, to_bytes
from frontdesk.core.similarity.models import CannedResponseEmbedding, ConversationEmbedding
from frontdesk.core.similarity.settings import is_similarity_enabled
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.uow import UnitOfWork

BATCH_SIZE = 32
# The customer's first messages say what the conversation is about; the last one is kept too.
FIRST_MESSAGES = 8

EmbeddingsComputed = define_event("EmbeddingsComputed", "similarity.embeddings_computed")


@dataclass(frozen=True)
class EmbeddingProgress:
    conversations: int
    canned_responses: int

    @property
    def total(self) -> int:
        return self.conversations + self.canned_responses


@dataclass(frozen=True)
class _Pending:
    id: uuid.UUID
    workspace_id: uuid.UUID
    source_at: datetime
    text: str


async def enabled_workspaces(session: AsyncSession) -> list[uuid.UUID]:
    rows = await session.execute(select(Workspace.id, Workspace.settings))
    return [ws_id for ws_id, settings in rows if is_similarity_enabled(settings)]


async def _customer_texts(
    session: AsyncSession, conversation_ids: Sequence[uuid.UUID]
) -> tuple[dict[uuid.UUID, str], dict[uuid.UUID, str]]:
    """Per conversation: its first customer messages joined, and its last customer message."""
    position = func.row_number().over(
        partition_by=Message.conversation_id, order_by=(Message.created_at, Message.id)
    )
    from_end = func.row_number().over(
        partition_by=Message.conversation_id,
        order_by=(Message.created_at.desc(), Message.id.desc()),
    )
    numbered = (
        select(Message.conversation_id, Message.body, position.label("n"), from_end.label("r"))
        .where(
            Message.conversation_id.in_(conversation_ids),
            Message.direction == Direction.INBOUND,
            Message.is_whisper.is_(False),
            Message.body != "",
        )
        .subquery()
    )
    rows = await session.execute(
        select(numbered.c.conversation_id, numbered.c.body, numbered.c.r)
        .where(or_(numbered.c.n <= FIRST_MESSAGES, numbered.c.r == 1))
        .order_by(numbered.c.conversation_id, numbered.c.n)
    )
    parts: dict[uuid.UUID, list[str]] = defaultdict(list)
    last: dict[uuid.UUID, str] = {}
    for conversation_id, body, from_last in rows:
        parts[conversation_id].append(body)
        if from_last == 1:
            last[conversation_id] = body
    return {cid: "\n".join(texts) for cid, texts in parts.items()}, last


async def _pending_conversations(
    session: AsyncSession, workspace_ids: Sequence[uuid.UUID], limit: int
) -> tuple[list[_Pending], dict[uuid.UUID, str]]:
    emb = ConversationEmbedding
    rows = list(
        await session.execute(
            select(
                Conversation.id,
                Conversation.workspace_id,
                Conversation.subject,
                Conversation.last_inbound_at,
            )
            .outerjoin(emb, emb.conversation_id == Conversation.id)
            .where(
                Conversation.workspace_id.in_(workspace_ids),
                Conversation.last_inbound_at.is_not(None),
                or_(
                    emb.conversation_id.is_(None),
                    emb.source_at < Conversation.last_inbound_at,
                    emb.model != MODEL_NAME,
                ),
            )
            .order_by(Conversation.last_inbound_at.desc(), Conversation.id)
            .limit(limit)
        )
    )
    texts, last = await _customer_texts(session, [row.id for row in rows])
    pending = []
    for cid, ws_id, subject, source_at in rows:
        text = "\n".join(part for part in (subject, texts.get(cid)) if part)
        if source_at is not None:  # always: the query asks for it
            pending.append(_Pending(cid, ws_id, source_at, text))
    return pending, last


async def _pending_canned(
    session: AsyncSession, workspace_ids: Sequence[uuid.UUID], limit: int
) -> list[_Pending]:
    emb = CannedResponseEmbedding
    rows = await session.execute(
        select(CannedResponse)
        .outerjoin(emb, emb.canned_response_id == CannedResponse.id)
        .where(
            CannedResponse.workspace_id.in_(workspace_ids),
            or_(
                emb.canned_response_id.is_(None),
                emb.source_at != CannedResponse.updated_at,
                emb.model != MODEL_NAME,
            ),
        )
        .order_by(CannedResponse.id)
        .limit(limit)
    )
    return [
        _Pending(c.id, c.workspace_id, c.updated_at, f"{c.title}\n{c.body}") for c in rows.scalars()
    ]


async def _store_conversations(
    uow: UnitOfWork, pending: list[_Pending], last: dict[uuid.UUID, str]
) -> None:
    # Each distinct text once: with one customer message, both vectors are the same.
    texts = list(
        dict.fromkeys([p.text for p in pending] + [last.get(p.id, p.text) for p in pending])
    )
    vectors = dict(zip(texts, await encode(texts), strict=True))
    now = uow.now()
    for item in pending:
        row = await uow.session.get(ConversationEmbedding, item.id)
        if row is None:
            row = ConversationEmbedding(conversation_id=item.id, workspace_id=item.workspace_id)
            uow.session.add(row)
        row.vector = to_bytes(vectors[item.text])
        row.last_message_vector = to_bytes(vectors[last.get(item.id, item.text)])
        row.model, row.source_at, row.computed_at = MODEL_NAME, item.source_at, now


async def _store_canned(uow: UnitOfWork, pending: list[_Pending]) -> None:
    vectors = await encode([p.text for p in pending])
    now = uow.now()
    for item, vector in zip(pending, vectors, strict=True):
        row = await uow.session.get(CannedResponseEmbedding, item.id)
        if row is None:
            row = CannedResponseEmbedding(
                canned_response_id=item.id, workspace_id=item.workspace_id
            )
            uow.session.add(row)
        row.vector = to_bytes(vector)
        row.model, row.source_at, row.computed_at = MODEL_NAME, item.source_at, now


def _emit(uow: UnitOfWork, conversations: list[_Pending], canned: list[_Pending]) -> None:
    by_workspace: dict[uuid.UUID, dict[str, list[str]]] = defaultdict(
        lambda: {"conversation_ids": [], "canned_response_ids": []}
    )
    for item in conversations:
        by_workspace[item.workspace_id]["conversation_ids"].append(str(item.id))
    for item in canned:
        by_workspace[item.workspace_id]["canned_response_ids"].append(str(item.id))
    for workspace_id, data in by_workspace.items():
        uow.emit(
            EmbeddingsComputed(
                workspace_id=workspace_id, audience=(supervisors_key(workspace_id),), data=data
            )
        )


async def embed_pending(
    uow: UnitOfWork, workspace_ids: Sequence[uuid.UUID], *, batch_size: int = BATCH_SIZE
) -> EmbeddingProgress:
    """Embed up to `batch_size` stale conversations and canned responses of `workspace_ids`."""
    if not workspace_ids:
        return EmbeddingProgress(0, 0)
    conversations, last = await _pending_conversations(uow.session, workspace_ids, batch_size)
    canned = await _pending_canned(uow.session, workspace_ids, batch_size)
    if conversations:
        await _store_conversations(uow, conversations, last)
    if canned:
        await _store_canned(uow, canned)
    _emit(uow, conversations, canned)
    return EmbeddingProgress(len(conversations), len(canned))

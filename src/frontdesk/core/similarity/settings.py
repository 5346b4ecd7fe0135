"""The workspace's similarity setting, kept in its settings JSON under "similarity".

Off by default: embedding every conversation costs CPU on the worker, so an owner or a manager
turns it on (docs/subsystems/similar-conversations.md has the figures).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Conflict
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.similarity.encoder import MODEL_NAME
from frontdesk.core.similarity.models import ConversationEmbedding
from frontdesk.core.similarity.schemas import SimilaritySettingsRead, SimilaritySettingsUpdate
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.uow import UnitOfWork

SETTINGS_KEY = "similarity"
SimilaritySettingsChanged = define_event("SimilaritySettingsChanged", "similarity.settings_changed")


def is_similarity_enabled(settings: dict[str, Any] | None) -> bool:
    stored = (settings or {}).get(SETTINGS_KEY)
    return isinstance(stored, dict) and stored.get("is_enabled") is True


async def require_similarity(db: AsyncSession, workspace_id: uuid.UUID) -> None:
    """Raise a clear 409 when the workspace has not turned the feature on."""
    settings = await db.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    if not is_similarity_enabled(settings):
        raise Conflict(
            "similar conversations and suggested replies are turned off in this workspace",
            details={"setting": "similarity.is_enabled"},
        )


async def read_similarity_settings(
    db: AsyncSession, workspace_id: uuid.UUID
) -> SimilaritySettingsRead:
    settings = await db.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    with_customer = (Conversation.workspace_id == workspace_id) & (
        Conversation.last_inbound_at.is_not(None)
    )
    total = await db.scalar(select(func.count()).select_from(Conversation).where(with_customer))
    ready = await db.scalar(
        select(func.count())
        .select_from(Conversation)
        .join(ConversationEmbedding, ConversationEmbedding.conversation_id == Conversation.id)
        .where(
            with_customer,
            ConversationEmbedding.source_at >= Conversation.last_inbound_at,
            ConversationEmbedding.model == MODEL_NAME,
        )
    )
    return SimilaritySettingsRead(
        is_enabled=is_similarity_enabled(settings),
        model=MODEL_NAME,
        conversations_total=total or 0,
        conversations_ready=ready or 0,
    )


async def update_similarity_settings(
    uow: UnitOfWork, actor: Actor, change: SimilaritySettingsUpdate
) -> SimilaritySettingsRead:
    actor.require_admin()
    ws = await uow.session.get_one(Workspace, actor.workspace_id)
    stored = change.model_dump(mode="json")
    if change.is_enabled != is_similarity_enabled(ws.settings):
        ws.settings = {**(ws.settings or {}), SETTINGS_KEY: stored}  # a new dict: it is seen
        record_audit(uow, actor, "similarity.settings_updated", "workspace", ws.id, **stored)
        uow.emit(
            SimilaritySettingsChanged(
                workspace_id=ws.id, audience=(supervisors_key(ws.id),), data={"similarity": stored}
            )
        )
    await uow.session.flush()
    return await read_similarity_settings(uow.session, actor.workspace_id)

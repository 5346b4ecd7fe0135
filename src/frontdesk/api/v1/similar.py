"""REST API v1: conversations like this one, canned replies suggested for the customer's last
message, and the workspace's setting that turns both on."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.errors import Forbidden
from frontdesk.core.similarity.queries import similar_conversations, suggested_replies
from frontdesk.core.similarity.schemas import (
    SimilarConversationsRead,
    SimilaritySettingsRead,
    SimilaritySettingsUpdate,
    SuggestedRepliesRead,
)
from frontdesk.core.similarity.settings import (
    read_similarity_settings,
    require_similarity,
    update_similarity_settings,
)

router = APIRouter()


@router.get(
    "/conversations/{conversation_id}/similar",
    tags=["similar conversations"],
    responses=error_responses(409),
)
async def read_similar_conversations(
    conversation_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SimilarConversationsRead:
    """Conversations whose customers wrote about the same thing, among those the caller may
    see, closest first. 409 while the workspace has the feature off."""
    conversation = await access_conversation(db, actor, conversation_id)
    await require_similarity(db, actor.workspace_id)
    return await similar_conversations(db, actor, conversation, limit=limit)


@router.get(
    "/conversations/{conversation_id}/suggested-replies",
    tags=["similar conversations"],
    responses=error_responses(409),
)
async def read_suggested_replies(
    conversation_id: uuid.UUID,
    actor: ActorDep,
    db: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=10)] = 3,
) -> SuggestedRepliesRead:
    """Canned responses ranked by how well they answer the customer's last message.
    409 while the workspace has the feature off."""
    conversation = await access_conversation(db, actor, conversation_id)
    await require_similarity(db, actor.workspace_id)
    return await suggested_replies(db, actor, conversation, limit=limit)


@router.get("/similarity/settings", tags=["similar conversations"])
async def read_settings(actor: ActorDep, db: ReaderDep) -> SimilaritySettingsRead:
    """On or off, the model, and how many conversations are embedded (the job's progress)."""
    if not actor.is_supervisor:
        raise Forbidden("only owners, managers and viewers see this")
    return await read_similarity_settings(db, actor.workspace_id)


@router.put("/similarity/settings", tags=["similar conversations"])
async def replace_settings(
    data: SimilaritySettingsUpdate, actor: ActorDep, uow: UowDep
) -> SimilaritySettingsRead:
    """Owners and managers (audited)."""
    read = await update_similarity_settings(uow, actor, data)
    await uow.commit()
    return read

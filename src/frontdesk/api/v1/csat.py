"""Customer satisfaction: the workspace's survey settings and a conversation's surveys."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.core.conversations.queries import access_conversation
from frontdesk.core.csat.actions import settings_read, update_csat_settings
from frontdesk.core.csat.queries import conversation_surveys
from frontdesk.core.csat.schemas import CsatResponseRead
from frontdesk.core.csat.settings import CsatSettings, CsatSettingsRead, load_csat_settings

router = APIRouter()


@router.get("/csat/settings", tags=["csat"])
async def read_csat_settings(actor: ActorDep, db: ReaderDep) -> CsatSettingsRead:
    """Whether a 1-5 survey goes when a member closes, its question per language, its teams."""
    return settings_read(await load_csat_settings(db, actor.workspace_id))


@router.put("/csat/settings", tags=["csat"])
async def replace_csat_settings(
    data: CsatSettings, actor: ActorDep, uow: UowDep
) -> CsatSettingsRead:
    """Owners and managers: turn the survey on or off, word it, choose its teams (audited)."""
    read = await update_csat_settings(uow, actor, data)
    await uow.commit()
    return read


@router.get("/conversations/{conversation_id}/csat", tags=["csat"])
async def read_conversation_csat(
    conversation_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> list[CsatResponseRead]:
    """The surveys sent in the conversation (one per close that sent one) and their ratings."""
    conv = await access_conversation(db, actor, conversation_id)
    return await conversation_surveys(db, conv)

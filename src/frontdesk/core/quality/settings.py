"""The workspace's sampling settings, kept in its settings JSON under "quality"."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.quality.schemas import QualitySettings
from frontdesk.core.workspaces.models import Workspace
from frontdesk.db.uow import UnitOfWork

SETTINGS_KEY = "quality"
QualitySettingsChanged = define_event("QualitySettingsChanged", "quality.settings_changed")


def read_quality_settings(settings: dict[str, Any] | None) -> QualitySettings:
    stored = (settings or {}).get(SETTINGS_KEY)
    if not isinstance(stored, dict):
        return QualitySettings()
    return QualitySettings.model_validate(
        {k: v for k, v in stored.items() if k in QualitySettings.model_fields}
    )


async def load_quality_settings(session: AsyncSession, workspace_id: uuid.UUID) -> QualitySettings:
    settings = await session.scalar(select(Workspace.settings).where(Workspace.id == workspace_id))
    return read_quality_settings(settings)


async def update_quality_settings(
    uow: UnitOfWork, actor: Actor, change: QualitySettings
) -> QualitySettings:
    actor.require_admin()
    ws = await uow.session.get_one(Workspace, actor.workspace_id)
    before = read_quality_settings(ws.settings)
    stored = change.model_dump(mode="json")
    ws.settings = {**(ws.settings or {}), SETTINGS_KEY: stored}  # a new dict: the change is seen
    if change != before:
        record_audit(uow, actor, "quality.settings_updated", "workspace", ws.id, **stored)
        uow.emit(
            QualitySettingsChanged(
                workspace_id=ws.id, audience=(supervisors_key(ws.id),), data={"quality": stored}
            )
        )
    return change

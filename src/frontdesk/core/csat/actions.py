"""Changing the workspace's CSAT settings (owners and managers), audited and evented."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.csat.settings import (
    DEFAULT_QUESTIONS,
    SETTINGS_KEY,
    CsatSettings,
    CsatSettingsRead,
    read_csat_settings,
)
from frontdesk.core.errors import Invalid
from frontdesk.core.events import define_event, workspace_key
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.db.uow import UnitOfWork

CsatSettingsChanged = define_event("CsatSettingsChanged", "csat.settings_changed")


def settings_read(settings: CsatSettings) -> CsatSettingsRead:
    return CsatSettingsRead(**settings.model_dump(), default_questions=dict(DEFAULT_QUESTIONS))


async def update_csat_settings(
    uow: UnitOfWork, actor: Actor, change: CsatSettings
) -> CsatSettingsRead:
    actor.require_admin()
    if change.team_ids is not None:
        wanted = set(change.team_ids)
        found = set(
            await uow.session.scalars(
                select(Team.id).where(Team.workspace_id == actor.workspace_id, Team.id.in_(wanted))
            )
        )
        if found != wanted:
            raise Invalid("no such team in this workspace", field="team_ids")
    ws = await uow.session.get_one(Workspace, actor.workspace_id)
    before = read_csat_settings(ws.settings)
    stored = change.model_dump(mode="json")
    stored["questions"] = {k: v for k, v in stored["questions"].items() if v}
    if change.team_ids is not None:
        stored["team_ids"] = sorted(set(stored["team_ids"]))
    ws.settings = {**(ws.settings or {}), SETTINGS_KEY: stored}  # a new dict: the change is seen
    if stored != before.model_dump(mode="json"):
        record_audit(uow, actor, "csat.updated", "workspace", ws.id, **stored)
        uow.emit(
            CsatSettingsChanged(
                workspace_id=ws.id, audience=(workspace_key(ws.id),), data={"csat": stored}
            )
        )
    return settings_read(read_csat_settings(ws.settings))

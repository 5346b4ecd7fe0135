"""The wallboard: every team's queue and service level and every agent's load, now."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.reports.access import require_supervisor
from frontdesk.core.supervision.rights import supervised_team_ids
from frontdesk.core.supervision.schemas import WallboardRead
from frontdesk.core.supervision.wallboard import get_wallboard

router = APIRouter()


@router.get("", responses=error_responses(403))
async def read_wallboard(actor: ActorDep, db: ReaderDep, runtime: RuntimeDep) -> WallboardRead:
    """Owners, managers and viewers (not a client viewer) see every team; a team lead sees
    their teams only. The app refreshes it on the events that change it."""
    teams_seen = await supervised_team_ids(db, actor)
    if teams_seen is not None and actor.is_supervisor and actor.client_scope is None:
        teams_seen = None  # a viewer reads every team's board
    if teams_seen is not None and not teams_seen:
        require_supervisor(actor)
    return await get_wallboard(db, actor.workspace_id, runtime.clock.now(), teams_seen)

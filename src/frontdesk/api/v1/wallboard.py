"""The wallboard: every team's queue and service level and every agent's load, now."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.reports.access import require_supervisor
from frontdesk.core.supervision.schemas import WallboardRead
from frontdesk.core.supervision.wallboard import get_wallboard

router = APIRouter()


@router.get("", responses=error_responses(403))
async def read_wallboard(actor: ActorDep, db: ReaderDep, runtime: RuntimeDep) -> WallboardRead:
    """Owners, managers and viewers (not a client viewer): the app refreshes it on the
    events that change it."""
    require_supervisor(actor)
    return await get_wallboard(db, actor.workspace_id, runtime.clock.now())

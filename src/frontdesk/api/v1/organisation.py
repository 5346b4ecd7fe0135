"""The organisation overview, for organisation admins: every workspace of their organisation
with its live load and today's figures (workspaces are created with POST /workspaces)."""

from __future__ import annotations

from fastapi import APIRouter

from frontdesk.api.deps import PrincipalDep, ReaderDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.organisation.overview import get_organisation_overview
from frontdesk.core.organisation.schemas import OrganisationOverviewRead

router = APIRouter()


@router.get("/overview", responses=error_responses(403))
async def read_overview(
    principal: PrincipalDep, db: ReaderDep, runtime: RuntimeDep
) -> OrganisationOverviewRead:
    """Every workspace of the caller's organisation (403 unless they are its admin), each with
    its load now and today's figures in its own time zone. The admin's live socket receives
    `organisation.load_changed` (with the workspace's id) when these may have changed."""
    return await get_organisation_overview(db, principal.user, runtime.clock.now())

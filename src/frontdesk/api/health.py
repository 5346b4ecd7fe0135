"""/healthz (the process is alive) and /readyz (database reachable, migrations at head)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from frontdesk.api.deps import RuntimeDep
from frontdesk.db.migrate import current_revision, head_revision

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(runtime: RuntimeDep) -> JSONResponse:
    try:
        current = await current_revision(runtime.database)
    except Exception as exc:
        return JSONResponse(
            {"status": "unavailable", "database": "unreachable", "detail": type(exc).__name__},
            status_code=503,
        )
    head = head_revision()
    ready = current == head
    return JSONResponse(
        {"status": "ok" if ready else "migrations_pending", "revision": current, "head": head},
        status_code=200 if ready else 503,
    )

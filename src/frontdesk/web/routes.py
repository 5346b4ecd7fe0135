"""Public pages and files: the widget script and the demo careers website that embeds it."""

from __future__ import annotations

import html
import mimetypes
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.runtime import Runtime

router = APIRouter(include_in_schema=False)
mimetypes.add_type("application/manifest+json", ".webmanifest")

REPO_ROOT = Path(__file__).resolve().parents[3]
WIDGET_FILE = REPO_ROOT / "widget" / "dist" / "widget.js"
DEMO_PAGE = Path(__file__).with_name("demo_site.html")


@router.get("/widget.js")
async def widget_script() -> Response:
    if not WIDGET_FILE.exists():
        return JSONResponse(
            {
                "error": {
                    "code": "widget_not_built",
                    "message": "the chat widget is not built yet: run `make widget`",
                    "details": {},
                }
            },
            status_code=503,
        )
    return FileResponse(
        WIDGET_FILE,
        media_type="text/javascript; charset=utf-8",
        headers={"Cache-Control": "public, max-age=300"},
    )


async def _demo_channel(runtime: Runtime) -> Channel | None:
    async with runtime.database.read_session() as db:
        channels = await db.scalars(
            select(Channel)
            .where(Channel.type == "webchat", Channel.is_active.is_(True))
            .order_by(Channel.created_at)
        )
        return next((c for c in channels if c.settings.get("demo_site") is True), None)


@router.get("/demo/site")
async def demo_site(request: Request) -> HTMLResponse:
    """A fictional careers website with the demo workspace's chat on it."""
    channel = await _demo_channel(request.app.state.runtime)
    if channel is None:
        return HTMLResponse(
            "<!doctype html><meta charset=utf-8><title>No demo chat</title>"
            "<p>There is no demo website chat yet. Run <code>frontdesk demo</code> "
            "(or <code>make run</code>) to load the demo workspace.</p>",
            status_code=404,
        )
    page = DEMO_PAGE.read_text(encoding="utf-8").replace(
        "{{channel_id}}", html.escape(str(channel.id))
    )
    return HTMLResponse(page, headers={"Cache-Control": "no-store"})


APP_DIR = REPO_ROOT / "frontend" / "dist"
NOT_BUILT = (
    "<!doctype html><meta charset=utf-8><title>Frontdesk</title>"
    "<p>The app is not built yet: run <code>make run</code> (or <code>make app</code>).</p>"
)


def app_router() -> APIRouter:
    """The agent app: its files, and index.html for every client-side route (mounted last)."""
    spa = APIRouter(include_in_schema=False)

    @spa.get("/{path:path}")
    async def app_page(path: str) -> Response:
        if path.split("/", maxsplit=1)[0] == "api":
            return JSONResponse(
                {"error": {"code": "not_found", "message": "no such endpoint", "details": {}}},
                status_code=404,
            )
        root = APP_DIR.resolve()
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            cache = (
                "public, max-age=31536000, immutable" if path.startswith("assets/") else "no-cache"
            )
            return FileResponse(candidate, headers={"Cache-Control": cache})
        index = root / "index.html"
        if not index.exists():
            return HTMLResponse(NOT_BUILT, status_code=503)
        return FileResponse(index, headers={"Cache-Control": "no-cache"})

    return spa

"""Search in the demo: nothing to play. SQL triggers index every message, note and contact as it
is written (migration 0028), the history played in the past included, so the demo is searchable
the moment it is made. This names what was indexed, and stops the demo when the index is empty
(a search page that would find nothing)."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.runtime import Runtime
from frontdesk.core.search.models import SearchDocument
from frontdesk.demo.workspace import DemoWorkspace


async def describe_search_index(runtime: Runtime, workspaces: list[DemoWorkspace]) -> str:
    ids = [dw.row.id for dw in workspaces]
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(SearchDocument.kind, func.count())
            .where(SearchDocument.workspace_id.in_(ids))
            .group_by(SearchDocument.kind)
            .order_by(SearchDocument.kind)
        )
        counts = {str(kind): int(n) for kind, n in rows}
    if not counts.get("message"):
        raise RuntimeError("the demo's messages are not in the search index")
    return "search: " + ", ".join(f"{n} {kind} documents" for kind, n in counts.items())

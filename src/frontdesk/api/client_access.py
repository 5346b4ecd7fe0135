"""The routes a client viewer may call at all (`docs/subsystems/client-access.md`).

A client viewer reads its client's conversations and reports, and keeps its own account; every
other route of the API (settings, members, routing, tokens, the audit log, and any route added
later until it is listed here) answers 403 before its handler runs. What the listed routes
return is narrowed in core to the viewer's client scope (conversations, contacts, reports...).
"""

from __future__ import annotations

import re

from frontdesk.core.errors import Forbidden

_ID = r"[^/]+"
_READS = (
    "/api/v1/conversations",
    "/api/v1/conversations/counts",
    f"/api/v1/conversations/{_ID}",
    f"/api/v1/conversations/{_ID}/messages",
    f"/api/v1/conversations/{_ID}/assignments",
    "/api/v1/views",
    "/api/v1/views/counts",
    f"/api/v1/views/{_ID}",
    "/api/v1/contacts",
    f"/api/v1/contacts/{_ID}",
    "/api/v1/search",  # narrowed in core/search like the conversations and contacts
    f"/api/v1/attachments/{_ID}",
    f"/api/v1/attachments/{_ID}/content",
    f"/api/v1/attachments/{_ID}/thumbnail",
    "/api/v1/notifications",
    "/api/v1/teams",
    "/api/v1/channels",
    "/api/v1/tags",
    "/api/v1/custom-fields",
    "/api/v1/workspaces",
    "/api/v1/workspaces/current",
    "/api/v1/business-hours/time-zones",  # the report filter's list, the same for everyone
    "/api/v1/reports(/.*)?",
)
# Writes that change only the viewer's own state: what they have read, and the exports of
# reports they ask for (their own, with filters narrowed like every report's).
_WRITES = (
    f"/api/v1/conversations/{_ID}/read",
    "/api/v1/notifications/read-all",
    f"/api/v1/notifications/{_ID}/read",
    "/api/v1/reports/exports",
)
ALLOWED = {
    "GET": re.compile("|".join(f"(?:{p})" for p in _READS)),
    "POST": re.compile("|".join(f"(?:{p})" for p in _WRITES)),
}


def check_client_route(method: str, path: str) -> None:
    """403 unless a client viewer may call this route (the viewer's own account is elsewhere:
    `/api/v1/me` and `/api/v1/auth` act for a signed-in person, not a workspace caller)."""
    allowed = ALLOWED.get("GET" if method == "HEAD" else method)
    if allowed is None or allowed.fullmatch(path.rstrip("/") or "/") is None:
        raise Forbidden("client access does not include this")

"""What travels on a socket: event frames from the log, control frames, ephemeral signals.

An event frame is encoded once and shared by every socket that receives it.
"""

from __future__ import annotations

import json
from typing import Any

from frontdesk.core.events import for_client_viewer
from frontdesk.db.uow import StoredEvent


def event_frame(event: StoredEvent, *, client: bool = False) -> str:
    """`client`: as a client viewer's socket receives it (`for_client_viewer`)."""
    return json.dumps(
        {
            "id": event.id,
            "type": event.type,
            "at": event.created_at.isoformat(),
            "data": for_client_viewer(event.payload) if client else event.payload,
        },
        separators=(",", ":"),
    )


def control_frame(kind: str, **fields: Any) -> str:
    return json.dumps({"type": kind, **fields}, separators=(",", ":"), default=str)


def signal_frame(kind: str, data: dict[str, Any]) -> str:
    """Ephemeral: no id, never stored, never replayed."""
    return json.dumps({"type": kind, "data": data}, separators=(",", ":"), default=str)

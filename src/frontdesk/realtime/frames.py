"""What travels on a socket: event frames from the log, control frames, ephemeral signals.

Each kind of frame has its model in `frames_models.py` (the schema the app's types are
generated from). An event frame is encoded once and shared by every socket that receives it.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import ValidationError

from frontdesk.core.events import for_client_viewer
from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.frames_models import CONTROL_FRAMES, EVENT_FRAMES, SIGNAL_FRAMES

log = logging.getLogger("frontdesk.realtime.frames")
_reported: set[str] = set()


def event_frame(event: StoredEvent, *, client: bool = False) -> str:
    """`client`: as a client viewer's socket receives it (`for_client_viewer`).

    The frame is checked against its kind's model; the bytes sent are the event's own payload
    (a frame that does not match is still sent, and logged once per kind as a defect).
    """
    frame = {
        "id": event.id,
        "type": event.type,
        "at": event.created_at.isoformat(),
        "data": for_client_viewer(event.payload) if client else event.payload,
    }
    check(frame)
    return json.dumps(frame, separators=(",", ":"))


def check(frame: dict[str, Any]) -> None:
    model = EVENT_FRAMES.get(str(frame.get("type")))
    try:
        if model is None:
            raise ValueError("no frame model for this event")
        model.model_validate(frame)
    except (ValidationError, ValueError) as exc:
        kind = str(frame.get("type"))
        if kind not in _reported:
            _reported.add(kind)
            log.error("a %s frame does not match its model: %s", kind, exc)


def control_frame(kind: str, **fields: Any) -> str:
    model = CONTROL_FRAMES[kind].model_validate({"type": kind, **fields})
    return model.model_dump_json(exclude_unset=True)


def signal_frame(kind: str, data: dict[str, Any]) -> str:
    """Ephemeral: no id, never stored, never replayed."""
    return (
        SIGNAL_FRAMES[kind]
        .model_validate({"type": kind, "data": data})
        .model_dump_json(exclude_unset=True)
    )

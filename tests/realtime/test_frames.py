"""Every frame kind has a model, and the frames the server writes match theirs.

The frames of every socket in the realtime tests are checked too (`conftest.py`, at teardown).
"""

from __future__ import annotations

import json
import logging
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

import frontdesk.app  # noqa: F401 - loads every module that declares an event
from frontdesk.core.events import DomainEvent
from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.frames import control_frame, event_frame, signal_frame
from frontdesk.realtime.frames_models import EVENT_FRAMES, FRAME_ADAPTER, frame_schemas

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "events.json"


def _event_types(cls: type[DomainEvent]) -> set[str]:
    found: set[str] = set()
    for sub in cls.__subclasses__():
        found.add(sub.type)
        found |= _event_types(sub)
    return found


def test_every_event_has_a_frame_model() -> None:
    assert _event_types(DomainEvent) - EVENT_FRAMES.keys() == set()


def test_the_frames_of_the_golden_events_match_their_models() -> None:
    frames: list[dict[str, Any]] = json.loads(GOLDEN.read_text(encoding="utf-8"))["frames"]
    assert frames
    for frame in frames:
        FRAME_ADAPTER.validate_python(frame)


def test_a_frame_that_does_not_match_is_refused() -> None:
    bad = {"id": 1, "type": "message.created", "at": "2026-01-05T09:00:00Z", "data": {}}
    with pytest.raises(ValidationError):
        FRAME_ADAPTER.validate_python(bad)
    with pytest.raises(ValidationError):
        FRAME_ADAPTER.validate_python({"type": "no.such_frame"})


def test_an_event_frame_out_of_its_model_is_still_sent_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    event = StoredEvent(
        id=7,
        workspace_id=uuid.uuid4(),
        type="read_cursor.moved",
        audience=(),
        payload={"read_cursor": {"conversation_id": "not all there"}},
        created_at=datetime(2026, 1, 5, 9, tzinfo=UTC),
    )
    with caplog.at_level(logging.ERROR, logger="frontdesk.realtime.frames"):
        sent = json.loads(event_frame(event))
    assert sent["data"] == event.payload
    assert "read_cursor.moved frame does not match its model" in caplog.text


def test_control_and_signal_frames_keep_their_wire_form() -> None:
    hello = control_frame("hello", cursor=4, workspace_id="w", user_id=None, role="agent")
    assert hello == '{"type":"hello","cursor":4,"workspace_id":"w","user_id":null,"role":"agent"}'
    assert control_frame("ping") == '{"type":"ping"}'
    typing = signal_frame("typing", {"conversation_id": "c", "visitor": True, "active": False})
    assert json.loads(typing) == {
        "type": "typing",
        "data": {"conversation_id": "c", "visitor": True, "active": False},
    }
    for frame in (hello, typing):
        FRAME_ADAPTER.validate_json(frame)


def test_the_union_names_every_frame_kind() -> None:
    union = frame_schemas()["Frame"]
    kinds = set(union["discriminator"]["mapping"])
    assert EVENT_FRAMES.keys() <= kinds
    assert {"hello", "ready", "resync", "typing", "viewing", "presence"} <= kinds

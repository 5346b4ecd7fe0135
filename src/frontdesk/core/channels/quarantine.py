"""Keeping authentic provider payloads the product cannot use, with the reason, for admins."""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.text import clean_text, storable_json
from frontdesk.db.uow import UnitOfWork

MAX_REASON = 200


def quarantine_payload(
    uow: UnitOfWork,
    *,
    workspace_id: uuid.UUID,
    channel_type: str,
    reason: str,
    payload: dict[str, Any],
    channel_id: uuid.UUID | None = None,
) -> None:
    """Store `payload` as received (escaped when it holds text no database stores:
    `core.text.storable_json`); the webhook still answers 2xx so the provider stops."""
    uow.session.add(
        QuarantinedPayload(
            workspace_id=workspace_id,
            channel_id=channel_id,
            channel_type=channel_type,
            reason=clean_text(reason)[:MAX_REASON],
            payload=storable_json(payload),
            created_at=uow.now(),
        )
    )

"""Keeping authentic provider payloads the product cannot use, with the reason, for admins."""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.channels.models import QuarantinedPayload
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
    """Store `payload` as received; the webhook still answers 2xx so the provider stops."""
    uow.session.add(
        QuarantinedPayload(
            workspace_id=workspace_id,
            channel_id=channel_id,
            channel_type=channel_type,
            reason=reason[:MAX_REASON],
            payload=payload,
            created_at=uow.now(),
        )
    )

"""Recording administrative actions in the audit log, inside the caller's unit of work."""

from __future__ import annotations

from typing import Any

from frontdesk.core.actor import Actor
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.db.uow import UnitOfWork


def record_audit(
    uow: UnitOfWork,
    actor: Actor,
    action: str,
    target_type: str,
    target_id: object | None = None,
    **details: Any,
) -> None:
    uow.session.add(
        AuditLogEntry(
            workspace_id=actor.workspace_id,
            actor_user_id=actor.user_id,
            actor_token_id=actor.token_id,
            action=action,
            target_type=target_type,
            target_id=str(target_id) if target_id is not None else None,
            details=details,
            ip_address=actor.ip_address,
            created_at=uow.now(),
        )
    )

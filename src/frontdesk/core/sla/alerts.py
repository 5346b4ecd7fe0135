"""Announcing targets: at risk and breached once each per due time, met once, with a notice in
the bell of the assignee and the team's supervisors for the first two."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.events import DomainEvent, conversation_audience
from frontdesk.core.notifications.actions import create_notification
from frontdesk.core.notifications.models import NotificationKind
from frontdesk.core.sla.events import (
    ConversationSlaAtRisk,
    ConversationSlaBreached,
    ConversationSlaMet,
)
from frontdesk.core.sla.models import ConversationSla, SlaStatus, SlaTarget
from frontdesk.core.sla.queries import conversation_sla_read
from frontdesk.core.sla.supervisors import team_supervisors
from frontdesk.core.sla.targets import emit_sla_updated, refresh_status
from frontdesk.db.uow import UnitOfWork

# One check reads at most this many conversations; the rest wait for the next run.
CHECK_BATCH = 200
EVENTS: dict[str, type[DomainEvent]] = {
    SlaStatus.AT_RISK: ConversationSlaAtRisk,
    SlaStatus.BREACHED: ConversationSlaBreached,
    "met": ConversationSlaMet,
}


def _data(row: ConversationSla, conv: Conversation | None, target: str, at: datetime) -> Any:
    return {
        "conversation_id": str(row.conversation_id),
        "target": target,
        "due_at": getattr(row, f"{target}_due_at").isoformat(),
        "at": at.isoformat(),
        "segment": row.segment,
        "team_id": str(row.team_id) if row.team_id else None,
        "assignee_id": str(row.assignee_id) if row.assignee_id else None,
        "channel_id": str(conv.channel_id) if conv else None,
        "policy_id": str(row.policy_id) if row.policy_id else None,
    }


async def announce(
    uow: UnitOfWork, row: ConversationSla, target: str, what: str, at: datetime
) -> None:
    """Emit `conversation.sla_<what>` for the target's current due time; notify on at risk and
    breached. The caller has checked it was not announced for this due time yet."""
    conv = await uow.session.get(Conversation, row.conversation_id)
    uow.emit(
        EVENTS[what](
            workspace_id=row.workspace_id,
            audience=conversation_audience(row.workspace_id, row.team_id, [row.assignee_id]),
            data=_data(row, conv, target, at),
        )
    )
    if what == "met":
        return
    setattr(row, f"{target}_alerted", what)
    if conv is None:
        return
    recipients = [
        row.assignee_id,
        *await team_supervisors(uow.session, row.workspace_id, row.team_id),
    ]
    for user_id in dict.fromkeys(r for r in recipients if r is not None):
        await create_notification(
            uow,
            conv,
            user_id=user_id,
            kind=NotificationKind.SLA,
            actor_id=None,
            detail=f"{target}:{what}",
        )


async def complete(uow: UnitOfWork, row: ConversationSla, target: str, at: datetime) -> None:
    """The target is done at `at` (a reply, a close): met in time, else breached (announced
    now unless it was already); its clock stops."""
    due: datetime | None = getattr(row, f"{target}_due_at")
    if due is not None:
        if at <= due:
            await announce(uow, row, target, "met", at)
        elif getattr(row, f"{target}_alerted") != SlaStatus.BREACHED:
            await announce(uow, row, target, SlaStatus.BREACHED, due)
    for suffix in ("due_at", "risk_at", "alerted"):
        setattr(row, f"{target}_{suffix}", None)


async def check_due(uow: UnitOfWork, now: datetime) -> int:
    """Announce what has fallen due by `now`; how many conversations were checked."""
    rows = list(
        await uow.session.scalars(
            select(ConversationSla)
            .where(ConversationSla.next_check_at <= now)
            .order_by(ConversationSla.next_check_at)
            .limit(CHECK_BATCH)
        )
    )
    for row in rows:
        for target in SlaTarget.ALL:
            due: datetime | None = getattr(row, f"{target}_due_at")
            risk: datetime | None = getattr(row, f"{target}_risk_at")
            alerted: str | None = getattr(row, f"{target}_alerted")
            if due is not None and due <= now and alerted != SlaStatus.BREACHED:
                await announce(uow, row, target, SlaStatus.BREACHED, due)
            elif risk is not None and risk <= now and alerted is None:
                await announce(uow, row, target, SlaStatus.AT_RISK, risk)
        refresh_status(row)
        row.updated_at = now
        emit_sla_updated(uow, row, conversation_sla_read(row))
    return len(rows)

"""Computing a conversation's due times from its clock starts and the policy in force, and
telling the conversation's audience when they move."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.events import conversation_audience
from frontdesk.core.hours.calendar import Schedule
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.sla.due import due_and_risk
from frontdesk.core.sla.events import ConversationSlaUpdated
from frontdesk.core.sla.models import ConversationSla, SlaPolicy, SlaStatus, SlaTarget
from frontdesk.core.sla.queries import conversation_sla_read, policy_for
from frontdesk.core.sla.read_schemas import ConversationSlaRead
from frontdesk.db.uow import UnitOfWork

AT_RISK, BREACHED = SlaStatus.AT_RISK, SlaStatus.BREACHED


@dataclass
class Policies:
    """Policies and schedules looked up once per batch."""

    session: AsyncSession
    _policies: dict[tuple[uuid.UUID, uuid.UUID | None, str], SlaPolicy | None] = field(
        default_factory=dict
    )
    _schedules: dict[tuple[uuid.UUID, uuid.UUID | None], Schedule | None] = field(
        default_factory=dict
    )

    async def policy(
        self, workspace_id: uuid.UUID, team_id: uuid.UUID | None, priority: str
    ) -> SlaPolicy | None:
        key = (workspace_id, team_id, priority)
        if key not in self._policies:
            self._policies[key] = await policy_for(self.session, workspace_id, team_id, priority)
        return self._policies[key]

    async def schedule(self, workspace_id: uuid.UUID, team_id: uuid.UUID | None) -> Schedule | None:
        key = (workspace_id, team_id)
        if key not in self._schedules:
            self._schedules[key] = await effective_schedule(self.session, workspace_id, team_id)
        return self._schedules[key]


def _clock_start(row: ConversationSla, target: str) -> datetime | None:
    """When the target's clock started; None while it does not run."""
    if row.is_closed:
        return None
    if target == SlaTarget.FIRST_RESPONSE:
        return row.customer_since if row.first_replied_at is None else None
    if target == SlaTarget.NEXT_RESPONSE:
        return row.waiting_since
    return row.started_at


def _minutes(policy: SlaPolicy | None, target: str) -> int | None:
    if policy is None:
        return None
    minutes: int | None = getattr(policy, f"{target}_minutes")
    return minutes


def refresh_status(row: ConversationSla) -> None:
    """The status and the next check from the targets' due times and announcements."""
    status, checks = SlaStatus.NONE, []
    for target in SlaTarget.ALL:
        due: datetime | None = getattr(row, f"{target}_due_at")
        risk: datetime | None = getattr(row, f"{target}_risk_at")
        alerted: str | None = getattr(row, f"{target}_alerted")
        if due is None and risk is None:
            continue
        if alerted == BREACHED:
            status = BREACHED
            continue
        if alerted == AT_RISK:
            status = status if status == BREACHED else AT_RISK
            if due is not None:
                checks.append(due)
            continue
        status = status if status != SlaStatus.NONE else SlaStatus.OK
        nxt = risk or due
        if nxt is not None:
            checks.append(nxt)
    row.status = status
    row.next_check_at = min(checks, default=None)


async def recompute(policies: Policies, row: ConversationSla) -> None:
    """Due times for the running clocks under the policy in force; an announcement is kept
    only while its due time stays the same."""
    policy = await policies.policy(row.workspace_id, row.team_id, row.priority)
    row.policy_id = policy.id if policy else None
    schedule = None
    if policy is not None and policy.is_business_hours:
        schedule = await policies.schedule(row.workspace_id, row.team_id)
    for target in SlaTarget.ALL:
        start, minutes = _clock_start(row, target), _minutes(policy, target)
        due, risk = (None, None)
        if start is not None and minutes is not None and policy is not None:
            due, risk = due_and_risk(schedule, start, minutes, policy.at_risk_percent)
            if due is None:  # the hours never open again: it can never fall due
                risk = None
        if due != getattr(row, f"{target}_due_at"):
            setattr(row, f"{target}_alerted", None)
        setattr(row, f"{target}_due_at", due)
        setattr(row, f"{target}_risk_at", risk)
    refresh_status(row)


def emit_sla_updated(
    uow: UnitOfWork, row: ConversationSla, read: ConversationSlaRead | None = None
) -> None:
    read = read or conversation_sla_read(row)
    uow.emit(
        ConversationSlaUpdated(
            workspace_id=row.workspace_id,
            audience=conversation_audience(row.workspace_id, row.team_id, [row.assignee_id]),
            data={"conversation_id": str(row.conversation_id), "sla": read.model_dump(mode="json")},
        )
    )

"""Reads of SLA policies and of conversations' SLA clocks."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import NotFound
from frontdesk.core.sla.models import ConversationSla, SlaPolicy, SlaStatus, SlaTarget
from frontdesk.core.sla.read_schemas import ConversationSlaRead, SlaTargetRead
from frontdesk.core.sla.schemas import SlaPolicyRead


def sla_policy_read(policy: SlaPolicy) -> SlaPolicyRead:
    return SlaPolicyRead(
        id=policy.id,
        name=policy.name,
        team_id=policy.team_id,
        priority=policy.priority,  # type: ignore[arg-type]
        first_response_minutes=policy.first_response_minutes,
        next_response_minutes=policy.next_response_minutes,
        resolution_minutes=policy.resolution_minutes,
        is_business_hours=policy.is_business_hours,
        at_risk_percent=policy.at_risk_percent,
        created_at=policy.created_at,
        updated_at=policy.updated_at,
    )


async def access_sla_policy(db: AsyncSession, actor: Actor, policy_id: uuid.UUID) -> SlaPolicy:
    policy = await db.scalar(
        select(SlaPolicy).where(
            SlaPolicy.id == policy_id, SlaPolicy.workspace_id == actor.workspace_id
        )
    )
    if policy is None:
        raise NotFound("SLA policy")
    return policy


async def list_sla_policies(db: AsyncSession, actor: Actor) -> list[SlaPolicyRead]:
    rows = await db.scalars(
        select(SlaPolicy)
        .where(SlaPolicy.workspace_id == actor.workspace_id)
        .order_by(func.lower(SlaPolicy.name), SlaPolicy.id)
    )
    return [sla_policy_read(p) for p in rows]


def _specificity(policy: SlaPolicy) -> int:
    return (2 if policy.team_id is not None else 0) + (1 if policy.priority is not None else 0)


async def policy_for(
    db: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID | None, priority: str
) -> SlaPolicy | None:
    """The policy in force: the team's for this priority, the team's for any priority, the
    workspace's for this priority, the workspace's for any, in that order."""
    team: ColumnElement[bool] = SlaPolicy.team_id.is_(None)
    if team_id is not None:
        team = or_(team, SlaPolicy.team_id == team_id)
    rows = list(
        await db.scalars(
            select(SlaPolicy).where(
                SlaPolicy.workspace_id == workspace_id,
                team,
                or_(SlaPolicy.priority.is_(None), SlaPolicy.priority == priority),
            )
        )
    )
    return max(rows, key=_specificity, default=None)


def targets_of(row: ConversationSla) -> list[SlaTargetRead]:
    """The unmet targets, earliest due first (one that never falls due last)."""
    found = []
    for target in SlaTarget.ALL:
        due: datetime | None = getattr(row, f"{target}_due_at")
        risk: datetime | None = getattr(row, f"{target}_risk_at")
        if due is not None or risk is not None:
            found.append(SlaTargetRead(target=target, due_at=due, at_risk_at=risk))  # type: ignore[arg-type]
    return sorted(found, key=lambda t: (t.due_at is None, t.due_at or datetime.max))


def conversation_sla_read(row: ConversationSla) -> ConversationSlaRead:
    targets = targets_of(row)
    first = targets[0] if targets else None
    return ConversationSlaRead(
        policy_id=row.policy_id,
        status=row.status if targets else SlaStatus.NONE,  # type: ignore[arg-type]
        due_at=first.due_at if first else None,
        at_risk_at=first.at_risk_at if first else None,
        target=first.target if first else None,
        targets=targets,
    )


async def sla_by_conversation(
    db: AsyncSession, workspace_id: uuid.UUID, ids: list[uuid.UUID]
) -> dict[uuid.UUID, ConversationSlaRead]:
    """The SLA of each conversation that has one, in one query."""
    if not ids:
        return {}
    rows = await db.scalars(
        select(ConversationSla).where(
            ConversationSla.workspace_id == workspace_id, ConversationSla.conversation_id.in_(ids)
        )
    )
    return {r.conversation_id: conversation_sla_read(r) for r in rows}


def sla_condition(workspace_id: uuid.UUID, wanted: str) -> ColumnElement[bool]:
    """For a conversation filter: its SLA is at risk (not yet breached) or breached."""
    matching = select(ConversationSla.conversation_id).where(
        ConversationSla.workspace_id == workspace_id, ConversationSla.status == wanted
    )
    return Conversation.id.in_(matching)


async def sla_counts_by_team(
    db: AsyncSession, workspace_id: uuid.UUID
) -> dict[uuid.UUID | None, tuple[int, int]]:
    """Per team: open conversations whose SLA is at risk, and breached (for the wallboard)."""
    rows = await db.execute(
        select(ConversationSla.team_id, ConversationSla.status, func.count())
        .where(
            ConversationSla.workspace_id == workspace_id,
            ConversationSla.is_closed.is_(False),
            ConversationSla.status.in_([SlaStatus.AT_RISK, SlaStatus.BREACHED]),
        )
        .group_by(ConversationSla.team_id, ConversationSla.status)
    )
    counts: dict[uuid.UUID | None, tuple[int, int]] = {}
    for team_id, status, count in rows:
        at_risk, breached = counts.get(team_id, (0, 0))
        if status == SlaStatus.AT_RISK:
            at_risk += int(count)
        else:
            breached += int(count)
        counts[team_id] = (at_risk, breached)
    return counts

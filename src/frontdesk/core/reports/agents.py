"""Agent state facts: each state an agent leaves becomes slices of at most one UTC hour."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy import select

from frontdesk.core.reports.facts import FactWriter, Metric, hour_of
from frontdesk.core.routing.models import AgentStateChange
from frontdesk.db.outbox import EventLogEntry


def hour_slices(start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """[start, end) cut at every UTC hour boundary."""
    slices = []
    cursor = start
    while cursor < end:
        boundary = hour_of(cursor) + timedelta(hours=1)
        slices.append((cursor, min(boundary, end)))
        cursor = boundary
    return slices


async def record_state_change(writer: FactWriter, event: EventLogEntry) -> None:
    """The interval the agent just left, from the state history as it was at the event (the
    event says which state was left, the history since when)."""
    agent = event.payload.get("agent") or {}
    change = event.payload.get("change") or {}
    previous = change.get("previous")
    if event.workspace_id is None or not agent.get("user_id") or not previous:
        return
    user_id = uuid.UUID(str(agent["user_id"]))
    since = await writer.session.scalar(
        select(AgentStateChange.at)
        .where(
            AgentStateChange.workspace_id == event.workspace_id,
            AgentStateChange.user_id == user_id,
            AgentStateChange.at < event.created_at,
        )
        .order_by(AgentStateChange.at.desc())
        .limit(1)
    )
    if since is None:
        return  # never seen in a state before: nothing to measure
    for start, end in hour_slices(since, event.created_at):
        await writer.write(
            event.workspace_id,
            f"{event.id}:state:{start.isoformat()}",
            Metric.STATE,
            start,
            span=(start, end),
            agent_id=user_id,
            detail=str(previous),
            event_id=event.id,
        )

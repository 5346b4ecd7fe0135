"""Agents' presence: whether their app is connected and when they last did something.

The sweep (`sweep.py`) takes an agent offline when no app of theirs has been seen for the
workspace's grace period, or after the workspace's inactivity limit. Each open app writes here
every half minute, so these moments live in `agent_presence`, not in the `agent_status` row an
assignment claims: a claim passes over a status row another transaction holds (`claim.py`),
and a heartbeat must never cost an agent a conversation.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import literal, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.routing.models import AgentPresence, AgentStatus


async def touch(
    session: AsyncSession,
    workspace_id: uuid.UUID,
    user_id: uuid.UUID,
    now: datetime,
    *,
    seen: bool = True,
    active: bool = False,
) -> None:
    """Record that the agent's app is connected (seen) or that they did something (active).

    Kept for members routing knows (those with a status row: who has set a state or been a
    candidate); an owner or viewer who never takes conversations writes nothing."""
    values: dict[str, datetime] = {}
    if seen:
        values["last_seen_at"] = now
    if active:
        values["last_active_at"] = now
    if not values:
        return
    row = {"workspace_id": workspace_id, "user_id": user_id, **values}
    table = AgentPresence.__table__
    known = (
        select(AgentStatus.id)
        .where(AgentStatus.workspace_id == workspace_id, AgentStatus.user_id == user_id)
        .exists()
    )
    one = select(*(literal(v, type_=table.c[k].type).label(k) for k, v in row.items())).where(known)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    await session.execute(
        insert(AgentPresence)
        .from_select(list(row), one)
        .on_conflict_do_update(index_elements=["workspace_id", "user_id"], set_=values)
    )

"""Closed conversations to sample, and a scorecard, for the quality review tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership
from tests.factories import Factory, Tenant

SCORECARD: dict[str, Any] = {
    "name": "Support quality",
    "description": "How a conversation went",
    "categories": [
        {
            "name": "Greeting",
            "weight": 1,
            "items": [{"label": "Used the customer's name", "kind": "yes_no"}],
        },
        {
            "name": "Resolution",
            "weight": 3,
            "items": [
                {"label": "Answered the question", "kind": "yes_no_partial"},
                {"label": "Tone", "kind": "scale"},
                {"label": "No personal data asked", "kind": "yes_no", "is_critical": True},
            ],
        },
    ],
}


async def closed_conversations(
    runtime: Runtime,
    tenant: Tenant,
    agent: str | None,
    count: int,
    *,
    ago: timedelta = timedelta(days=1),
    status: str = "closed",
) -> list[uuid.UUID]:
    """`count` conversations of `agent` closed `ago` (a minute apart), each with one message."""
    now = runtime.clock.now()
    ids = []
    async with runtime.database.write_session() as s:
        f = Factory(s, now)
        channel = next(iter(tenant.channels.values()))
        contact = next(iter(tenant.contacts.values()))
        for n in range(count):
            conv = await f.conversation(
                tenant.workspace,
                channel,
                contact,
                assignee=tenant.members[agent] if agent else None,
                status=status,
                at=now - ago - timedelta(minutes=n),
            )
            ids.append(conv.id)
        await s.commit()
    return ids


async def joined(runtime: Runtime, tenant: Tenant, name: str, at: datetime) -> None:
    async with runtime.database.write_session() as s:
        await s.execute(
            update(Membership)
            .where(
                Membership.workspace_id == tenant.id,
                Membership.user_id == tenant.members[name].id,
            )
            .values(created_at=at)
        )
        await s.commit()


def answers(scorecard: dict[str, Any], values: list[str]) -> list[dict[str, str]]:
    """Answers to the scorecard's items in order."""
    items = [i for c in scorecard["categories"] for i in c["items"]]
    assert len(items) == len(values)
    return [{"item_id": i["id"], "value": v} for i, v in zip(items, values, strict=True)]

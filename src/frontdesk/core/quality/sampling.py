"""Spot-check samples: per agent, N random closed conversations of the last 7 days.

N is the workspace's `per_agent`, or `per_new_agent` for a member who joined in the last 30
days. The agent of a conversation is its assignee at the close. A conversation already in the
review queue (from any sample) is never picked again. The choice is random, and the same under
the same seed (stored with the sample), so a test can say which conversations it expects.
"""

from __future__ import annotations

import random
import secrets
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import exists, select, text

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.events import define_event, supervisors_key
from frontdesk.core.quality.models import QualityReview, QualityReviewSample
from frontdesk.core.quality.schemas import QualitySettings, SampleRead
from frontdesk.core.quality.settings import load_quality_settings
from frontdesk.core.workspaces.models import Membership
from frontdesk.db.uow import UnitOfWork

WINDOW = timedelta(days=7)
NEW_AGENT_FOR = timedelta(days=30)
# Serialises samples of one workspace on PostgreSQL (SQLite has one writer anyway).
SAMPLE_LOCK = 7461600
ReviewsSampled = define_event("ReviewsSampled", "quality_review.sampled")


def sample_read(sample: QualityReviewSample) -> SampleRead:
    return SampleRead(
        id=sample.id,
        window_start=sample.window_start,
        window_end=sample.window_end,
        per_agent=sample.per_agent,
        per_new_agent=sample.per_new_agent,
        picked=sample.picked,
        created_at=sample.created_at,
    )


def pick(
    candidates: dict[uuid.UUID, list[uuid.UUID]], quota: dict[uuid.UUID, int], seed: int
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """(agent, conversation) pairs: up to the agent's quota of their candidates, at random."""
    rng = random.Random(seed)
    chosen: list[tuple[uuid.UUID, uuid.UUID]] = []
    for agent_id in sorted(candidates):
        pool = candidates[agent_id]
        count = min(quota.get(agent_id, 0), len(pool))
        chosen.extend((agent_id, conv_id) for conv_id in rng.sample(pool, count))
    return chosen


async def sample_reviews(
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    *,
    actor: Actor | None = None,
    settings: QualitySettings | None = None,
    seed: int | None = None,
) -> SampleRead:
    """Add this week's spot checks to the review queue (actor None: the weekly job)."""
    if actor is not None:
        actor.require_admin()
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            text("SELECT pg_advisory_xact_lock(:a, hashtext(:w))").bindparams(
                a=SAMPLE_LOCK, w=str(workspace_id)
            )
        )
    settings = settings or await load_quality_settings(session, workspace_id)
    now = uow.now()
    start = now - WINDOW
    seed = secrets.randbits(31) if seed is None else seed
    rows = await session.execute(
        select(
            Conversation.assignee_id, Conversation.id, Conversation.closed_at, Membership.created_at
        )
        .join(
            Membership,
            (Membership.workspace_id == Conversation.workspace_id)
            & (Membership.user_id == Conversation.assignee_id),
        )
        .where(
            Conversation.workspace_id == workspace_id,
            Conversation.status == ConversationStatus.CLOSED,
            Conversation.closed_at >= start,
            Conversation.closed_at < now,
            ~exists().where(QualityReview.conversation_id == Conversation.id),
        )
        .order_by(Conversation.closed_at, Conversation.id)
    )
    candidates: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    closed_at: dict[uuid.UUID, datetime] = {}
    joined: dict[uuid.UUID, datetime] = {}
    for agent_id, conv_id, closed, member_since in rows:
        if agent_id is not None and closed is not None:  # the query's filters ensure both
            candidates[agent_id].append(conv_id)
            closed_at[conv_id] = closed
            joined[agent_id] = member_since
    quota = {
        agent_id: settings.per_new_agent
        if joined[agent_id] >= now - NEW_AGENT_FOR
        else settings.per_agent
        for agent_id in candidates
    }
    chosen = pick(candidates, quota, seed)
    sample = QualityReviewSample(
        workspace_id=workspace_id,
        is_scheduled=actor is None,
        created_by_id=actor.user_id if actor else None,
        window_start=start,
        window_end=now,
        per_agent=settings.per_agent,
        per_new_agent=settings.per_new_agent,
        seed=seed,
        picked=len(chosen),
        created_at=now,
    )
    session.add(sample)
    await session.flush()
    session.add_all(
        QualityReview(
            workspace_id=workspace_id,
            sample_id=sample.id,
            conversation_id=conv_id,
            agent_id=agent_id,
            closed_at=closed_at[conv_id],
            status="pending",
            created_at=now,
        )
        for agent_id, conv_id in chosen
    )
    await session.flush()
    read = sample_read(sample)
    uow.emit(
        ReviewsSampled(
            workspace_id=workspace_id,
            audience=(supervisors_key(workspace_id),),
            data={"sample": read.model_dump(mode="json")},
        )
    )
    if actor is not None:
        record_audit(
            uow,
            actor,
            "quality_review.sampled",
            "quality_review_sample",
            sample.id,
            picked=len(chosen),
        )
    return read


async def last_weekly_sample(uow: UnitOfWork, workspace_id: uuid.UUID) -> datetime | None:
    found: datetime | None = await uow.session.scalar(
        select(QualityReviewSample.created_at)
        .where(
            QualityReviewSample.workspace_id == workspace_id,
            QualityReviewSample.is_scheduled.is_(True),
        )
        .order_by(QualityReviewSample.created_at.desc())
        .limit(1)
    )
    return found

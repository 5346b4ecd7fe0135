"""Reads of saved views: which a member sees, one view, and how many conversations each holds."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_, case, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.queries import ConversationFilter, filter_conditions, visible_to
from frontdesk.core.errors import NotFound
from frontdesk.core.views.models import SavedView
from frontdesk.core.views.schemas import SavedViewCounts, SavedViewRead, ViewFilters


def saved_view_read(view: SavedView) -> SavedViewRead:
    return SavedViewRead(
        id=view.id,
        name=view.name,
        is_shared=view.is_shared,
        owner_id=view.owner_id,
        filters=ViewFilters.model_validate(view.filters),
        created_at=view.created_at,
        updated_at=view.updated_at,
    )


def _seen_by(actor: Actor) -> list[ColumnElement[bool]]:
    """The workspace's shared views and the caller's own private ones."""
    mine = SavedView.owner_id == actor.user_id if actor.user_id else false()
    if actor.client_scope is not None:  # shared views name other clients' teams and channels
        return [SavedView.workspace_id == actor.workspace_id, mine]
    return [SavedView.workspace_id == actor.workspace_id, or_(SavedView.is_shared, mine)]


async def access_saved_view(db: AsyncSession, actor: Actor, view_id: uuid.UUID) -> SavedView:
    """The view if the caller may see it; someone else's private view is "not found"."""
    view = await db.scalar(select(SavedView).where(SavedView.id == view_id, *_seen_by(actor)))
    if view is None:
        raise NotFound("saved view")
    return view


async def _visible_views(db: AsyncSession, actor: Actor) -> list[SavedView]:
    query = select(SavedView).where(*_seen_by(actor))
    return list(await db.scalars(query.order_by(func.lower(SavedView.name), SavedView.id)))


async def list_saved_views(db: AsyncSession, actor: Actor) -> list[SavedViewRead]:
    """The caller's private views and the workspace's shared ones, by name (one query)."""
    return [saved_view_read(v) for v in await _visible_views(db, actor)]


def view_filter(filters: ViewFilters) -> ConversationFilter:
    """A saved view is the "all" view narrowed by its filters."""
    return ConversationFilter(
        view="all",
        statuses=list(filters.statuses),
        channel_id=filters.channel_id,
        team_id=filters.team_id,
        tag_id=filters.tag_id,
        assignee_id=filters.assignee_id,
        priorities=list(filters.priorities),
        sla=filters.sla,
    )


async def count_saved_views(db: AsyncSession, actor: Actor) -> SavedViewCounts:
    """Per view, the conversations the caller may see that match it: two queries in all."""
    views = await _visible_views(db, actor)
    if not views:
        return SavedViewCounts(counts={})
    columns = []
    for view in views:
        matches = filter_conditions(actor, view_filter(ViewFilters.model_validate(view.filters)))
        hit = case((and_(*matches), 1), else_=0)
        columns.append(func.coalesce(func.sum(hit), 0))
    query = select(*columns).select_from(Conversation).where(visible_to(actor))
    row = (await db.execute(query)).one()
    return SavedViewCounts(counts={str(v.id): int(n) for v, n in zip(views, row, strict=True)})

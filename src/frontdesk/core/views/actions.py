"""Saving, changing and deleting inbox views.

Any member may keep private views; only owners and managers may share one with the workspace or
change a shared one. A private view's events go to its owner alone, a shared view's to the whole
workspace. Shared views are workspace settings and are audited; private ones are personal and
stay out of the audit log.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.errors import Forbidden, Invalid
from frontdesk.core.events import (
    DomainEvent,
    SavedViewCreated,
    SavedViewDeleted,
    SavedViewUpdated,
    user_key,
    workspace_key,
)
from frontdesk.core.tags.models import Tag
from frontdesk.core.views.models import SavedView
from frontdesk.core.views.queries import saved_view_read
from frontdesk.core.views.schemas import (
    SavedViewCreate,
    SavedViewRead,
    SavedViewUpdate,
    ViewFilters,
)
from frontdesk.core.workspaces.models import Membership, Team
from frontdesk.db.uow import UnitOfWork

FILTER_TARGETS: tuple[tuple[str, Any, Any], ...] = (
    ("channel_id", Channel.id, Channel.workspace_id),
    ("team_id", Team.id, Team.workspace_id),
    ("tag_id", Tag.id, Tag.workspace_id),
    ("assignee_id", Membership.user_id, Membership.workspace_id),
)


def _member(actor: Actor) -> uuid.UUID:
    if actor.user_id is None:
        raise Forbidden("saved views belong to members: an API token cannot save one")
    return actor.user_id


def _audience(view: SavedView) -> tuple[str, ...]:
    return (workspace_key(view.workspace_id),) if view.is_shared else (user_key(view.owner_id),)


async def _check_filters(uow: UnitOfWork, actor: Actor, filters: ViewFilters) -> dict[str, Any]:
    """Every id in the filters names something of this workspace; their JSON form to store.

    An id of another workspace is refused exactly like an unknown one, so ids do not leak.
    """
    for name, column, workspace_column in FILTER_TARGETS:
        value = getattr(filters, name)
        if not isinstance(value, uuid.UUID):
            continue
        found = await uow.session.scalar(
            select(column).where(column == value, workspace_column == actor.workspace_id).limit(1)
        )
        if found is None:
            raise Invalid(
                f"no such {name.removesuffix('_id')} in this workspace", field=f"filters.{name}"
            )
    return filters.model_dump(mode="json")


def _emit(uow: UnitOfWork, event: type[DomainEvent], view: SavedView) -> SavedViewRead:
    read = saved_view_read(view)
    uow.emit(
        event(
            workspace_id=view.workspace_id,
            audience=_audience(view),
            data={"saved_view": read.model_dump(mode="json")},
        )
    )
    return read


async def create_saved_view(uow: UnitOfWork, actor: Actor, data: SavedViewCreate) -> SavedViewRead:
    owner_id = _member(actor)
    if data.is_shared:
        actor.require_admin()
    filters = await _check_filters(uow, actor, data.filters)
    now = uow.now()
    view = SavedView(
        workspace_id=actor.workspace_id,
        owner_id=owner_id,
        name=data.name,
        is_shared=data.is_shared,
        filters=filters,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(view)
    await uow.session.flush()
    if view.is_shared:
        record_audit(uow, actor, "saved_view.created", "saved_view", view.id, name=view.name)
    return _emit(uow, SavedViewCreated, view)


def _require_may_change(actor: Actor, view: SavedView) -> None:
    """A private view is its owner's (no one else can even see it); a shared one is a setting."""
    _member(actor)
    if view.is_shared:
        actor.require_admin()


async def update_saved_view(
    uow: UnitOfWork, actor: Actor, view: SavedView, data: SavedViewUpdate
) -> SavedViewRead:
    """Rename, change the filters, share or stop sharing; an empty change emits nothing."""
    _require_may_change(actor, view)
    changes: dict[str, Any] = {}
    if data.name is not None and data.name != view.name:
        changes["name"] = data.name
    if data.is_shared is not None and data.is_shared != view.is_shared:
        actor.require_admin()
        changes["is_shared"] = data.is_shared
    if data.filters is not None:
        filters = await _check_filters(uow, actor, data.filters)
        if filters != view.filters:
            changes["filters"] = filters
    if not changes:
        return saved_view_read(view)
    was_shared = view.is_shared
    for key, value in changes.items():
        setattr(view, key, value)
    view.updated_at = uow.now()
    await uow.session.flush()
    if was_shared or view.is_shared:
        record_audit(
            uow,
            actor,
            "saved_view.updated",
            "saved_view",
            view.id,
            name=view.name,
            fields=sorted(changes),
        )
    if was_shared and not view.is_shared:
        # No longer shared: gone for the workspace, still there for its owner.
        uow.emit(
            SavedViewDeleted(
                workspace_id=view.workspace_id,
                audience=(workspace_key(view.workspace_id),),
                data={"saved_view_id": str(view.id), "reason": "unshared"},
            )
        )
    return _emit(uow, SavedViewUpdated, view)


async def delete_saved_view(uow: UnitOfWork, actor: Actor, view: SavedView) -> None:
    _require_may_change(actor, view)
    audience = _audience(view)
    if view.is_shared:
        record_audit(uow, actor, "saved_view.deleted", "saved_view", view.id, name=view.name)
    await uow.session.delete(view)
    uow.emit(
        SavedViewDeleted(
            workspace_id=view.workspace_id,
            audience=audience,
            data={"saved_view_id": str(view.id), "reason": "deleted"},
        )
    )

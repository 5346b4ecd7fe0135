"""Managing the workspace's tags (owners and managers)."""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict
from frontdesk.core.events import TagChanged, workspace_key
from frontdesk.core.tags.models import Tag
from frontdesk.core.tags.schemas import TagCreate, TagRead, TagUpdate
from frontdesk.db.uow import UnitOfWork


async def _check_name_free(
    uow: UnitOfWork, actor: Actor, name: str, tag: Tag | None = None
) -> None:
    query = select(Tag.id).where(
        Tag.workspace_id == actor.workspace_id, func.lower(Tag.name) == name.lower()
    )
    if tag is not None:
        query = query.where(Tag.id != tag.id)
    if await uow.session.scalar(query):
        raise Conflict("a tag with this name exists", details={"field": "name"})


def _emit(uow: UnitOfWork, actor: Actor, tag: TagRead, change: str) -> None:
    uow.emit(
        TagChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"tag": tag.model_dump(mode="json"), "change": change},
        )
    )


async def create_tag(uow: UnitOfWork, actor: Actor, data: TagCreate) -> TagRead:
    actor.require_admin()
    await _check_name_free(uow, actor, data.name)
    tag = Tag(workspace_id=actor.workspace_id, created_at=uow.now(), **data.model_dump())
    uow.session.add(tag)
    await uow.session.flush()
    read = TagRead.model_validate(tag)
    record_audit(uow, actor, "tag.created", "tag", tag.id, name=tag.name)
    _emit(uow, actor, read, "created")
    return read


async def update_tag(uow: UnitOfWork, actor: Actor, tag: Tag, data: TagUpdate) -> TagRead:
    actor.require_admin()
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        await _check_name_free(uow, actor, changes["name"], tag)
    for key, value in changes.items():
        setattr(tag, key, value)
    await uow.session.flush()
    read = TagRead.model_validate(tag)
    if changes:
        record_audit(uow, actor, "tag.updated", "tag", tag.id, **changes)
        _emit(uow, actor, read, "updated")
    return read


async def delete_tag(uow: UnitOfWork, actor: Actor, tag: Tag) -> None:
    """Delete a tag; it disappears from every contact and conversation (rows cascade)."""
    actor.require_admin()
    read = TagRead.model_validate(tag)
    await uow.session.delete(tag)
    record_audit(uow, actor, "tag.deleted", "tag", tag.id, name=tag.name)
    _emit(uow, actor, read, "deleted")

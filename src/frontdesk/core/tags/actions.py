"""Managing the workspace's tags (owners and managers)."""

from __future__ import annotations

from sqlalchemy import delete

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Conflict
from frontdesk.core.events import TagChanged, workspace_key
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.tags.schemas import TagCreate, TagRead, TagUpdate
from frontdesk.core.unique import flush_unique, name_taken
from frontdesk.db.uow import UnitOfWork


async def _check_name_free(
    uow: UnitOfWork, actor: Actor, name: str, tag: Tag | None = None
) -> None:
    taken = await name_taken(
        uow, Tag.name, actor.workspace_id, name, except_id=tag.id if tag is not None else None
    )
    if taken:
        raise _name_conflict()


def _name_conflict() -> Conflict:
    return Conflict("a tag with this name exists", details={"field": "name"})


def _emit(uow: UnitOfWork, actor: Actor, tag: TagRead, change: str) -> None:
    """`tag.changed` to the whole workspace: the full tag plus created/updated/deleted."""
    uow.emit(
        TagChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**tag.model_dump(mode="json"), "change": change},
        )
    )


async def create_tag(uow: UnitOfWork, actor: Actor, data: TagCreate) -> TagRead:
    """A new tag; names are unique per workspace, whatever their case (409 naming `name`)."""
    actor.require_admin()
    await _check_name_free(uow, actor, data.name)
    tag = Tag(workspace_id=actor.workspace_id, created_at=uow.now(), **data.model_dump())
    uow.session.add(tag)
    await flush_unique(uow, _name_conflict())
    read = TagRead.model_validate(tag)
    record_audit(uow, actor, "tag.created", "tag", tag.id, name=tag.name)
    _emit(uow, actor, read, "created")
    return read


async def update_tag(uow: UnitOfWork, actor: Actor, tag: Tag, data: TagUpdate) -> TagRead:
    """Rename, recolour, (un)mark as an outcome, archive or restore; an empty change emits
    nothing."""
    actor.require_admin()
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        await _check_name_free(uow, actor, changes["name"], tag)
    archive = changes.pop("is_archived", None)
    if archive is not None and archive != (tag.archived_at is not None):
        tag.archived_at = uow.now() if archive else None
        changes["is_archived"] = archive
    for key, value in changes.items():
        if key != "is_archived":
            setattr(tag, key, value)
    await flush_unique(uow, _name_conflict())
    read = TagRead.model_validate(tag)
    if changes:
        record_audit(uow, actor, "tag.updated", "tag", tag.id, **changes)
        _emit(uow, actor, read, "updated")
    return read


async def delete_tag(uow: UnitOfWork, actor: Actor, tag: Tag) -> None:
    """Delete a tag; it disappears from every contact and conversation.

    Clients drop it from what they show on `tag.changed` with change "deleted".
    """
    actor.require_admin()
    read = TagRead.model_validate(tag)
    for link in (ContactTag, ConversationTag):
        await uow.session.execute(
            delete(link).where(link.workspace_id == actor.workspace_id, link.tag_id == tag.id)
        )
    await uow.session.delete(tag)
    record_audit(uow, actor, "tag.deleted", "tag", tag.id, name=tag.name)
    _emit(uow, actor, read, "deleted")

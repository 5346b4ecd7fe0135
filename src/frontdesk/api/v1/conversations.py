"""Conversations: the inbox views, one conversation, and the changes agents make to it."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from frontdesk.api.deps import ActorDep, ReaderDep, UowDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.core.conversations import actions, delivery, work
from frontdesk.core.conversations.queries import (
    ConversationFilter,
    access_conversation,
    count_conversations,
    get_conversation,
    list_conversations,
    shown_to,
)
from frontdesk.core.conversations.schemas import (
    AssignmentChange,
    CloseChange,
    ConversationCounts,
    ConversationPage,
    ConversationRead,
    ConversationUpdate,
    Priority,
    SnoozeChange,
    Sort,
    StatusChange,
    StatusName,
    TagsChange,
    TransferChange,
    View,
    WorkSpan,
)
from frontdesk.core.pagination import DEFAULT_LIMIT, MAX_LIMIT
from frontdesk.core.read_cursors.actions import move_read_cursor
from frontdesk.core.sla.read_schemas import SlaFilter

router = APIRouter()


@router.get("")
async def read_conversations(
    actor: ActorDep,
    db: ReaderDep,
    view: View = "all",
    status: Annotated[list[StatusName] | None, Query()] = None,
    team_id: uuid.UUID | None = None,
    channel_id: uuid.UUID | None = None,
    tag_id: uuid.UUID | None = None,
    assignee_id: Annotated[
        uuid.UUID | Literal["unassigned"] | None,
        Query(description='A member\'s id, or "unassigned" for conversations nobody has taken.'),
    ] = None,
    contact_id: uuid.UUID | None = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    sla: Annotated[
        SlaFilter | None,
        Query(description="Only conversations whose SLA is at risk, or breached (core/sla)."),
    ] = None,
    sort: Sort = "last_activity",
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = DEFAULT_LIMIT,
    cursor: str | None = None,
) -> ConversationPage:
    """A view (mine, unassigned, team, all) of the conversations the caller may see.

    `reads` tells the caller, per conversation of the page, how far they have read it.
    """
    f = ConversationFilter(
        view=view,
        team_id=team_id,
        statuses=list(status or []),
        channel_id=channel_id,
        tag_id=tag_id,
        assignee_id=assignee_id,
        contact_id=contact_id,
        priorities=list(priority or []),
        sla=sla,
    )
    return await list_conversations(db, actor, f, sort=sort, limit=limit, cursor=cursor)


@router.get("/counts")
async def read_counts(actor: ActorDep, db: ReaderDep) -> ConversationCounts:
    return await count_conversations(db, actor)


@router.get("/{conversation_id}")
async def read_conversation(
    conversation_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> ConversationRead:
    await access_conversation(db, actor, conversation_id)
    return shown_to(actor, await get_conversation(db, actor.workspace_id, conversation_id))


@router.patch("/{conversation_id}")
async def update_conversation(
    conversation_id: uuid.UUID, data: ConversationUpdate, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.update_conversation(uow, actor, conv, data)
    await uow.commit()
    return read


@router.post("/{conversation_id}/assign", responses=error_responses(409))
async def assign(
    conversation_id: uuid.UUID, data: AssignmentChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.assign_conversation(uow, actor, conv, data.assignee_id)
    await uow.commit()
    return read


@router.post("/{conversation_id}/unassign")
async def unassign(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.unassign_conversation(uow, actor, conv)
    await uow.commit()
    return read


@router.post("/{conversation_id}/transfer", responses=error_responses(409))
async def transfer(
    conversation_id: uuid.UUID, data: TransferChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.transfer_conversation(uow, actor, conv, data.team_id, data.assignee_id)
    await uow.commit()
    return read


@router.post("/{conversation_id}/status", responses=error_responses(409))
async def change_status(
    conversation_id: uuid.UUID, data: StatusChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.set_conversation_status(uow, actor, conv, data.status)
    await uow.commit()
    return read


@router.post("/{conversation_id}/work", status_code=204)
async def record_work(
    conversation_id: uuid.UUID, data: WorkSpan, actor: ActorDep, uow: UowDep
) -> None:
    """A span of the caller's active work on the conversation: the reports' handle time."""
    conv = await access_conversation(uow.session, actor, conversation_id)
    await work.record_work(uow, actor, conv, data.seconds)
    await uow.commit()


@router.post("/{conversation_id}/snooze", responses=error_responses(409))
async def snooze(
    conversation_id: uuid.UUID, data: SnoozeChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.snooze_conversation(uow, actor, conv, data.until)
    await uow.commit()
    return read


@router.post("/{conversation_id}/close", responses=error_responses(409))
async def close(
    conversation_id: uuid.UUID, data: CloseChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.close_conversation(uow, actor, conv, data.outcome, data.note)
    await uow.commit()
    return read


@router.post("/{conversation_id}/reopen", responses=error_responses(409))
async def reopen(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.reopen_conversation(uow, actor, conv)
    await uow.commit()
    return read


@router.put("/{conversation_id}/tags")
async def set_tags(
    conversation_id: uuid.UUID, data: TagsChange, actor: ActorDep, uow: UowDep
) -> ConversationRead:
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    read = await actions.set_conversation_tags(uow, actor, conv, data.tag_ids)
    await uow.commit()
    return read


@router.post("/{conversation_id}/read")
async def mark_read(conversation_id: uuid.UUID, actor: ActorDep, uow: UowDep) -> dict[str, int]:
    """The caller has seen the conversation; repeating it changes nothing.

    Their read cursor moves up to its latest message (never back), which clears their unread
    marker; unless they are a viewer, the customer's messages are also marked read (read ticks
    on channels that show them).
    """
    conv = await access_conversation(uow.session, actor, conversation_id, for_update=True)
    count = await delivery.mark_conversation_read(uow, conv) if actor.can_write else 0
    await move_read_cursor(uow, actor, conv)
    await uow.commit()
    return {"marked_read": count}

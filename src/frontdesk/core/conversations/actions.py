"""Changing conversations: assignment, transfer, status, snooze, close, priority and tags.

Every action bumps the conversation's version and emits one event whose data holds the full
updated conversation, so a client applying it twice (or late) converges on the same state.
Assigning a conversation to someone new also tells the customer who is now talking to them,
as the routing engine does when a rule assigns it.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select

from frontdesk.core.accounts.models import User
from frontdesk.core.actor import Actor
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.conversations.queries import PRIORITY_NAMES, get_conversation
from frontdesk.core.conversations.schemas import ConversationRead, ConversationUpdate
from frontdesk.core.csat.survey import send_survey_on_close
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import (
    ConversationAssigned,
    ConversationClosed,
    ConversationStatusChanged,
    ConversationTagged,
    ConversationTransferred,
    ConversationUnassigned,
    ConversationUpdated,
)
from frontdesk.core.routing import ledger
from frontdesk.core.routing.notices import tell_assigned
from frontdesk.core.routing.settings import team_routing
from frontdesk.core.tags.models import ConversationTag, Tag
from frontdesk.core.workspaces.models import Membership, Role, Team
from frontdesk.db.uow import UnitOfWork

WAKE_JOB = "wake_conversation"


def _require_not_closed(conv: Conversation) -> None:
    if conv.status == ConversationStatus.CLOSED:
        raise Conflict("the conversation is closed: reopen it first")


async def _assignable_user(uow: UnitOfWork, actor: Actor, user_id: uuid.UUID) -> User:
    """A member who can take conversations: active, and not a read-only viewer."""
    row = (
        await uow.session.execute(
            select(User, Membership.role)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.workspace_id == actor.workspace_id, User.id == user_id)
        )
    ).first()
    if row is None:
        raise Invalid("no such member in this workspace", field="assignee_id")
    user, role = row
    if role == Role.VIEWER or not user.is_active:
        raise Invalid("this member cannot take conversations", field="assignee_id")
    return user


async def _tell_customer(
    uow: UnitOfWork, conv: Conversation, assignee: User, read: ConversationRead
) -> ConversationRead:
    """Send the team's "assigned" message naming the new assignee, if the team has it on.

    A conversation without a team has no routing settings to turn the message off or word it,
    so its customer is not sent one. Returns the conversation as it is after the message.
    """
    if conv.team_id is None:
        return read
    settings = await team_routing(uow.session, conv.workspace_id, conv.team_id)
    if not await tell_assigned(uow, conv, assignee.name, settings):
        return read
    return await get_conversation(uow.session, conv.workspace_id, conv.id)


async def assign_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation, assignee_id: uuid.UUID
) -> ConversationRead:
    actor.require_writer()
    _require_not_closed(conv)
    assignee = await _assignable_user(uow, actor, assignee_id)
    previous = conv.assignee_id
    if previous == assignee_id:
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    conv.assignee_id = assignee_id
    await ledger.manual_change(
        uow.session,
        conv,
        uow.now(),
        user_id=assignee_id,
        by_user_id=actor.user_id,
        end_reason="reassigned",
    )
    ledger.request_drain(uow, conv.workspace_id, previous)
    read = await emit_conversation(
        uow,
        ConversationAssigned,
        conv,
        previous_assignee_id=previous,
        change={
            "assignee_id": str(assignee_id),
            "previous_assignee_id": str(previous) if previous else None,
            "source": "manual",
            "by_user_id": str(actor.user_id) if actor.user_id else None,
        },
    )
    return await _tell_customer(uow, conv, assignee, read)


async def unassign_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation
) -> ConversationRead:
    actor.require_writer()
    previous = conv.assignee_id
    if previous is None:
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    conv.assignee_id = None
    await ledger.manual_change(
        uow.session,
        conv,
        uow.now(),
        user_id=None,
        by_user_id=actor.user_id,
        end_reason="unassigned",
    )
    ledger.request_drain(uow, conv.workspace_id, previous)
    await ledger.queue_for_routing(uow, conv)
    return await emit_conversation(
        uow,
        ConversationUnassigned,
        conv,
        previous_assignee_id=previous,
        change={"previous_assignee_id": str(previous)},
    )


async def transfer_conversation(
    uow: UnitOfWork,
    actor: Actor,
    conv: Conversation,
    team_id: uuid.UUID,
    assignee_id: uuid.UUID | None = None,
) -> ConversationRead:
    """Move the conversation to another team's queue, optionally straight to one of its agents."""
    actor.require_writer()
    _require_not_closed(conv)
    team = await uow.session.scalar(
        select(Team).where(Team.id == team_id, Team.workspace_id == actor.workspace_id)
    )
    if team is None:
        raise Invalid("no such team in this workspace", field="team_id")
    if team.archived_at is not None:
        raise Invalid("this team is archived: restore it first", field="team_id")
    assignee = await _assignable_user(uow, actor, assignee_id) if assignee_id is not None else None
    previous_team, previous_assignee = conv.team_id, conv.assignee_id
    conv.team_id, conv.assignee_id = team.id, assignee_id
    await ledger.manual_change(
        uow.session,
        conv,
        uow.now(),
        user_id=assignee_id,
        by_user_id=actor.user_id,
        end_reason="transferred",
    )
    ledger.leave_queue(conv)  # a new team's queue: it starts at the back
    ledger.request_drain(uow, conv.workspace_id, previous_assignee)
    await ledger.queue_for_routing(uow, conv)
    read = await emit_conversation(
        uow,
        ConversationTransferred,
        conv,
        previous_assignee_id=previous_assignee,
        previous_team_id=previous_team,
        change={
            "team_id": str(team.id),
            "previous_team_id": str(previous_team) if previous_team else None,
            "assignee_id": str(assignee_id) if assignee_id else None,
            "by_user_id": str(actor.user_id) if actor.user_id else None,
        },
    )
    if assignee is None or assignee.id == previous_assignee:
        return read
    return await _tell_customer(uow, conv, assignee, read)


async def set_conversation_status(
    uow: UnitOfWork, actor: Actor, conv: Conversation, status: str
) -> ConversationRead:
    """Open or pending (waiting on the customer). Closing and snoozing have their own actions."""
    actor.require_writer()
    _require_not_closed(conv)
    if conv.status == status:
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    previous, conv.status, conv.snoozed_until = conv.status, status, None
    await ledger.queue_for_routing(uow, conv)
    return await emit_conversation(
        uow, ConversationStatusChanged, conv, change={"status": status, "previous": previous}
    )


async def snooze_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation, until: datetime
) -> ConversationRead:
    """Hide the conversation until `until`; a job reopens it then (or a customer's message)."""
    actor.require_writer()
    _require_not_closed(conv)
    if until.tzinfo is None:
        raise Invalid("give the time with its time zone offset", field="until")
    if until <= uow.now():
        raise Invalid("the snooze must end in the future", field="until")
    previous, conv.status, conv.snoozed_until = conv.status, ConversationStatus.SNOOZED, until
    await ledger.queue_for_routing(uow, conv)  # a snoozed conversation waits for nobody
    ledger.request_drain(uow, conv.workspace_id, conv.assignee_id)
    uow.enqueue(
        WAKE_JOB,
        {
            "workspace_id": str(conv.workspace_id),
            "conversation_id": str(conv.id),
            "snoozed_until": until.isoformat(),
        },
        workspace_id=conv.workspace_id,
        run_at=until,
    )
    return await emit_conversation(
        uow,
        ConversationStatusChanged,
        conv,
        change={"status": "snoozed", "previous": previous, "until": until.isoformat()},
    )


async def wake_conversation(
    uow: UnitOfWork, workspace_id: uuid.UUID, conversation_id: uuid.UUID, snoozed_until: datetime
) -> bool:
    """Reopen a snoozed conversation whose time has come; a no-op if anything changed since."""
    conv = await uow.session.scalar(
        select(Conversation).where(
            Conversation.id == conversation_id, Conversation.workspace_id == workspace_id
        )
    )
    if (
        conv is None
        or conv.status != ConversationStatus.SNOOZED
        or conv.snoozed_until != snoozed_until
        or snoozed_until > uow.now()
    ):
        return False
    conv.status, conv.snoozed_until = ConversationStatus.OPEN, None
    await ledger.queue_for_routing(uow, conv)
    await emit_conversation(
        uow, ConversationStatusChanged, conv, change={"status": "open", "previous": "snoozed"}
    )
    return True


async def _outcome_tag(uow: UnitOfWork, workspace_id: uuid.UUID, outcome: str) -> Tag | None:
    return await uow.session.scalar(
        select(Tag).where(
            Tag.workspace_id == workspace_id, Tag.is_outcome.is_(True), Tag.name == outcome
        )
    )


async def close_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation, outcome: str | None, note: str | None
) -> ConversationRead:
    """Close with an outcome; an outcome that names an outcome tag also tags the conversation."""
    actor.require_writer()
    _require_not_closed(conv)
    now = uow.now()
    conv.status, conv.closed_at, conv.closed_by_id = ConversationStatus.CLOSED, now, actor.user_id
    conv.outcome, conv.outcome_note = outcome, note
    conv.waiting_since = conv.snoozed_until = None
    ledger.leave_queue(conv)
    await ledger.end_current(uow.session, conv, now, "closed")
    ledger.request_drain(uow, conv.workspace_id, conv.assignee_id)
    if outcome and (tag := await _outcome_tag(uow, conv.workspace_id, outcome)):
        exists = await uow.session.scalar(
            select(ConversationTag.id).where(
                ConversationTag.conversation_id == conv.id, ConversationTag.tag_id == tag.id
            )
        )
        if exists is None:
            uow.session.add(
                ConversationTag(
                    workspace_id=conv.workspace_id,
                    conversation_id=conv.id,
                    tag_id=tag.id,
                    created_at=now,
                )
            )
    read = await emit_conversation(
        uow, ConversationClosed, conv, change={"outcome": outcome, "status": "closed"}
    )
    if await send_survey_on_close(uow, actor, conv):
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    return read


async def reopen_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation
) -> ConversationRead:
    actor.require_writer()
    if conv.status != ConversationStatus.CLOSED:
        raise Conflict("only a closed conversation can be reopened")
    return await reopen_closed(uow, conv, by_user_id=actor.user_id)


async def reopen_closed(
    uow: UnitOfWork, conv: Conversation, *, by_user_id: uuid.UUID | None
) -> ConversationRead:
    """Open a closed conversation again: a member reopening it, or (`by_user_id` None) the
    customer writing within the workspace's reopen window. It goes back to its agent; when the
    customer reopened it, routing then checks that agent is available (rule 1) and otherwise
    routes it like any waiting conversation. Without an agent it waits in its team's queue."""
    conv.status, conv.closed_at, conv.closed_by_id = ConversationStatus.OPEN, None, None
    conv.outcome = conv.outcome_note = None
    if conv.assignee_id is not None:
        await ledger.manual_change(
            uow.session,
            conv,
            uow.now(),
            user_id=conv.assignee_id,
            by_user_id=by_user_id,
            end_reason="reassigned",
        )
        if by_user_id is None:
            ledger.request_route(uow, conv)
    else:
        await ledger.queue_for_routing(uow, conv)
    change = {"status": "open", "previous": "closed"}
    if by_user_id is None:
        change["by"] = "contact"
    return await emit_conversation(uow, ConversationStatusChanged, conv, change=change)


async def update_conversation(
    uow: UnitOfWork, actor: Actor, conv: Conversation, change: ConversationUpdate
) -> ConversationRead:
    actor.require_writer()
    fields = change.model_dump(exclude_unset=True)
    if "priority" in fields:
        if fields["priority"] is None:
            raise Invalid("priority cannot be empty", field="priority")
        conv.priority = PRIORITY_NAMES.index(fields["priority"])
    if "subject" in fields:
        conv.subject = fields["subject"] or None
    if not fields:
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    return await emit_conversation(uow, ConversationUpdated, conv, change=fields)


async def set_conversation_tags(
    uow: UnitOfWork, actor: Actor, conv: Conversation, tag_ids: list[uuid.UUID]
) -> ConversationRead:
    """Replace the conversation's tags; every id must be a tag of this workspace."""
    actor.require_writer()
    wanted = set(tag_ids)
    found = set(
        await uow.session.scalars(
            select(Tag.id).where(Tag.workspace_id == actor.workspace_id, Tag.id.in_(wanted))
        )
    )
    if found != wanted:
        raise Invalid(
            "unknown tag", field="tag_ids", unknown=sorted(str(t) for t in wanted - found)
        )
    current = set(
        await uow.session.scalars(
            select(ConversationTag.tag_id).where(ConversationTag.conversation_id == conv.id)
        )
    )
    if current == wanted:
        return await get_conversation(uow.session, conv.workspace_id, conv.id)
    if current - wanted:
        await uow.session.execute(
            delete(ConversationTag).where(
                ConversationTag.conversation_id == conv.id,
                ConversationTag.tag_id.in_(current - wanted),
            )
        )
    now = uow.now()
    uow.session.add_all(
        ConversationTag(
            workspace_id=conv.workspace_id, conversation_id=conv.id, tag_id=t, created_at=now
        )
        for t in wanted - current
    )
    return await emit_conversation(
        uow, ConversationTagged, conv, change={"tag_ids": sorted(str(t) for t in wanted)}
    )

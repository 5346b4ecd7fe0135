"""Managing teams and their members (owners and managers only).

An agent's teams decide which conversations they see; the caller's teams are read afresh on
every request, so a membership change takes effect on the member's next request.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, func, select, update

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.errors import Conflict, Invalid, NotFound
from frontdesk.core.events import TeamChanged, workspace_key
from frontdesk.core.teams.queries import get_team
from frontdesk.core.teams.schemas import TeamCreate, TeamRead, TeamUpdate
from frontdesk.core.unique import flush_unique, name_taken
from frontdesk.core.workspaces.models import Membership, Team, TeamMember
from frontdesk.db.uow import UnitOfWork


def _emit(uow: UnitOfWork, actor: Actor, read: TeamRead, change: str) -> None:
    uow.emit(
        TeamChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": change},
        )
    )


async def _emit_current(uow: UnitOfWork, actor: Actor, team: Team, change: str) -> TeamRead:
    await uow.session.flush()
    read = await get_team(uow.session, actor.workspace_id, team.id)
    _emit(uow, actor, read, change)
    return read


async def _check_name_free(
    uow: UnitOfWork, actor: Actor, name: str, team_id: uuid.UUID | None = None
) -> None:
    """Names are unique per workspace, ignoring case: "Support" and "support" clash."""
    if await name_taken(uow, Team.name, actor.workspace_id, name, except_id=team_id):
        raise _name_conflict()


def _name_conflict() -> Conflict:
    return Conflict("a team with that name already exists", details={"field": "name"})


async def _workspace_members(
    uow: UnitOfWork, actor: Actor, user_ids: list[uuid.UUID], field: str
) -> list[uuid.UUID]:
    """The ids, de-duplicated, after checking each is a member of the actor's workspace."""
    wanted = list(dict.fromkeys(user_ids))
    if not wanted:
        return []
    found = set(
        await uow.session.scalars(
            select(Membership.user_id).where(
                Membership.workspace_id == actor.workspace_id, Membership.user_id.in_(wanted)
            )
        )
    )
    # The ids are not echoed back: an error must not confirm which ids exist elsewhere.
    if any(uid not in found for uid in wanted):
        raise Invalid("every team member must be a member of this workspace", field=field)
    return wanted


async def _current_member_ids(uow: UnitOfWork, team: Team) -> set[uuid.UUID]:
    rows = await uow.session.scalars(
        select(TeamMember.user_id).where(
            TeamMember.workspace_id == team.workspace_id, TeamMember.team_id == team.id
        )
    )
    return set(rows)


def _add_members(uow: UnitOfWork, team: Team, user_ids: list[uuid.UUID]) -> None:
    now = uow.now()
    uow.session.add_all(
        TeamMember(workspace_id=team.workspace_id, team_id=team.id, user_id=uid, created_at=now)
        for uid in user_ids
    )


async def _remove_members(uow: UnitOfWork, team: Team, user_ids: list[uuid.UUID]) -> None:
    if user_ids:
        await uow.session.execute(
            delete(TeamMember).where(
                TeamMember.workspace_id == team.workspace_id,
                TeamMember.team_id == team.id,
                TeamMember.user_id.in_(user_ids),
            )
        )


async def create_team(uow: UnitOfWork, actor: Actor, data: TeamCreate) -> TeamRead:
    actor.require_admin()
    await _check_name_free(uow, actor, data.name)
    user_ids = await _workspace_members(uow, actor, data.user_ids, "user_ids")
    team = Team(
        workspace_id=actor.workspace_id,
        name=data.name,
        description=data.description,
        created_at=uow.now(),
    )
    uow.session.add(team)
    await flush_unique(uow, _name_conflict())
    _add_members(uow, team, user_ids)
    record_audit(
        uow,
        actor,
        "team.created",
        "team",
        team.id,
        name=team.name,
        user_ids=[str(uid) for uid in user_ids],
    )
    return await _emit_current(uow, actor, team, "created")


async def update_team(uow: UnitOfWork, actor: Actor, team: Team, data: TeamUpdate) -> TeamRead:
    actor.require_admin()
    changes: dict[str, Any] = {}
    if data.name is not None and data.name != team.name:
        await _check_name_free(uow, actor, data.name, team.id)
        changes["name"] = {"before": team.name, "after": data.name}
        team.name = data.name
        await flush_unique(uow, _name_conflict())
    if data.description is not None and data.description != team.description:
        changes["description"] = {"before": team.description, "after": data.description}
        team.description = data.description
    if not changes:
        return await get_team(uow.session, actor.workspace_id, team.id)
    record_audit(uow, actor, "team.updated", "team", team.id, **changes)
    return await _emit_current(uow, actor, team, "updated")


async def _count(uow: UnitOfWork, model: type[Channel] | type[Conversation], *where: Any) -> int:
    return int(await uow.session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def _channel_count(uow: UnitOfWork, team: Team) -> int:
    return await _count(
        uow, Channel, Channel.workspace_id == team.workspace_id, Channel.team_id == team.id
    )


async def delete_team(uow: UnitOfWork, actor: Actor, team: Team) -> None:
    """Delete a team that no channel routes to and with no conversation still open.

    As in Zendesk, a team with work in hand cannot vanish: its channels and open conversations
    must first go to another team (or the team is archived instead). Its closed conversations
    are kept, with no team; clearing `team_id` here moves their versions.
    """
    actor.require_admin()
    channels = await _channel_count(uow, team)
    open_conversations = await _count(
        uow,
        Conversation,
        Conversation.workspace_id == actor.workspace_id,
        Conversation.team_id == team.id,
        Conversation.status != ConversationStatus.CLOSED,
    )
    if channels or open_conversations:
        raise Conflict(
            "this team still has channels or open conversations: move them to another team "
            "first, or archive the team",
            details={"channel_count": channels, "open_conversation_count": open_conversations},
        )
    read = await get_team(uow.session, actor.workspace_id, team.id)
    released = await uow.session.execute(
        update(Conversation)
        .where(Conversation.workspace_id == actor.workspace_id, Conversation.team_id == team.id)
        .values(team_id=None, version=Conversation.version + 1)
        .execution_options(synchronize_session=False)
    )
    await uow.session.execute(
        delete(TeamMember).where(
            TeamMember.workspace_id == actor.workspace_id, TeamMember.team_id == team.id
        )
    )
    await uow.session.delete(team)
    record_audit(
        uow,
        actor,
        "team.deleted",
        "team",
        team.id,
        name=team.name,
        conversations_released=int(getattr(released, "rowcount", 0) or 0),
    )
    _emit(uow, actor, read, "deleted")


async def archive_team(uow: UnitOfWork, actor: Actor, team: Team) -> TeamRead:
    """Archive a team: hidden from pickers, no channel may route to it, nothing new reaches it.

    Refused while channels route to it (their new conversations would land in a team nobody
    picks) or customers wait in its queue with no agent (they would drop out of every queue
    shown). Its conversations, members and settings stay, so restoring it undoes this.
    """
    actor.require_admin()
    if team.archived_at is not None:
        return await get_team(uow.session, actor.workspace_id, team.id)
    channels = await _channel_count(uow, team)
    waiting = await _count(
        uow,
        Conversation,
        Conversation.workspace_id == actor.workspace_id,
        Conversation.team_id == team.id,
        Conversation.assignee_id.is_(None),
        Conversation.status != ConversationStatus.CLOSED,
    )
    if channels or waiting:
        raise Conflict(
            "channels still route to this team or customers wait in its queue: give the "
            "channels another team and transfer the waiting conversations first",
            details={"channel_count": channels, "waiting_count": waiting},
        )
    team.archived_at = uow.now()
    record_audit(uow, actor, "team.archived", "team", team.id, name=team.name)
    return await _emit_current(uow, actor, team, "archived")


async def restore_team(uow: UnitOfWork, actor: Actor, team: Team) -> TeamRead:
    """Bring an archived team back into pickers and routing."""
    actor.require_admin()
    if team.archived_at is None:
        return await get_team(uow.session, actor.workspace_id, team.id)
    team.archived_at = None
    record_audit(uow, actor, "team.restored", "team", team.id, name=team.name)
    return await _emit_current(uow, actor, team, "restored")


async def _change_members(
    uow: UnitOfWork, actor: Actor, team: Team, add: list[uuid.UUID], remove: list[uuid.UUID]
) -> TeamRead:
    if not add and not remove:
        return await get_team(uow.session, actor.workspace_id, team.id)
    _add_members(uow, team, add)
    await _remove_members(uow, team, remove)
    record_audit(
        uow,
        actor,
        "team.members_changed",
        "team",
        team.id,
        name=team.name,
        added=[str(uid) for uid in add],
        removed=[str(uid) for uid in remove],
    )
    return await _emit_current(uow, actor, team, "members")


async def set_team_members(
    uow: UnitOfWork, actor: Actor, team: Team, user_ids: list[uuid.UUID]
) -> TeamRead:
    """Replace the team's members with exactly `user_ids`."""
    actor.require_admin()
    wanted = await _workspace_members(uow, actor, user_ids, "user_ids")
    current = await _current_member_ids(uow, team)
    add = [uid for uid in wanted if uid not in current]
    remove = sorted(current - set(wanted))
    return await _change_members(uow, actor, team, add, remove)


async def add_team_member(
    uow: UnitOfWork, actor: Actor, team: Team, user_id: uuid.UUID
) -> TeamRead:
    """Add one member; adding someone already in the team changes nothing."""
    actor.require_admin()
    await _workspace_members(uow, actor, [user_id], "user_id")
    current = await _current_member_ids(uow, team)
    add = [] if user_id in current else [user_id]
    return await _change_members(uow, actor, team, add, [])


async def remove_team_member(
    uow: UnitOfWork, actor: Actor, team: Team, user_id: uuid.UUID
) -> TeamRead:
    actor.require_admin()
    if user_id not in await _current_member_ids(uow, team):
        raise NotFound("team member")
    return await _change_members(uow, actor, team, [], [user_id])

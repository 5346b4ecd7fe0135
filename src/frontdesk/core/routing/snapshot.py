"""What routing needs to know about a team that rarely changes, held per process.

A decision used to read the team's routing settings and name, the workspace's routing and
language settings, the team's members (names, roles, whether they are active, the languages
they speak) and the business hours in force from the database, every time. A `TeamSnapshot`
holds all of it; a decision reads only what changes all the time (the agents' states,
capacities and loads) and chooses among the snapshot's members in memory.

Freshness (docs/subsystems/routing.md, "Team snapshots"):
- In this process a snapshot is dropped the moment a transaction that changed any of its
  sources commits: a write of a team's routing, a team, a team membership, a workspace
  membership, a user, a workspace or business hours, or an event about one of them
  (`routing.changed`, `team.changed`, `member.changed`, `workspace.updated`,
  `business_hours.updated`), seen by the ORM session (`_watch_flush`, `_watch_execute`). Every
  snapshot of the process is dropped: such changes are rare and a snapshot costs two reads.
- A snapshot loaded while such a transaction was committing is not kept (`_generation`).
- Another process's change reaches this one within `TTL_SECONDS`: a snapshot older than that is
  read again.
Channel types never change, so they are kept without expiry.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.hours.calendar import Schedule, is_open, next_opening
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.hours.queries import effective_schedule
from frontdesk.core.routing.hours import Opening
from frontdesk.core.routing.models import TeamRouting
from frontdesk.core.routing.schemas import RoutingSettings, WorkspaceRouting
from frontdesk.core.workspaces.models import Membership, Role, Team, TeamMember, Workspace
from frontdesk.core.workspaces.settings import conversation_settings
from frontdesk.db.outbox import EventLogEntry

TTL_SECONDS = 5.0
CHANNEL_TYPES_KEPT = 10_000

# Rows and events whose change makes every snapshot stale.
WATCHED: tuple[type[Any], ...] = (
    TeamRouting,
    Team,
    TeamMember,
    Membership,
    User,
    Workspace,
    BusinessHours,
)
WATCHED_TABLES = frozenset(model.__tablename__ for model in WATCHED)
WATCHED_EVENTS = frozenset(
    {
        "routing.changed",
        "team.changed",
        "member.changed",
        "workspace.updated",
        "business_hours.updated",
    }
)
_STALE = "frontdesk.routing.snapshot_stale"


@dataclass(frozen=True)
class Member:
    """A member of the workspace as routing sees them."""

    name: str
    can_take: bool  # active and not a viewer
    languages: frozenset[str]


@dataclass(frozen=True)
class TeamSnapshot:
    workspace_id: uuid.UUID
    team_id: uuid.UUID
    team_name: str
    settings: RoutingSettings
    workspace: WorkspaceRouting
    default_language: str  # the workspace's, for customers whose language is not known
    members: Mapping[uuid.UUID, Member]
    schedule: Schedule | None

    @property
    def default_capacity(self) -> int:
        return self.workspace.default_capacity

    def opening(self, now: datetime) -> Opening:
        """The team's hours (or the workspace's) at `now`; with none, always open."""
        schedule = self.schedule
        if schedule is None or not schedule.is_enabled:
            return Opening(open_now=True, next_opening=None, time_zone="UTC")
        open_now = is_open(schedule, now)
        return Opening(
            open_now=open_now,
            next_opening=None if open_now else next_opening(schedule, now),
            time_zone=schedule.timezone,
        )


class SnapshotCache:
    """This process's team snapshots, with the count of invalidations and of reads."""

    def __init__(self) -> None:
        self.snapshots: dict[tuple[uuid.UUID, uuid.UUID], tuple[TeamSnapshot, float]] = {}
        self.generation = 0  # bumped by every invalidation
        self.reads = 0  # snapshots read from the database (tests and measurements look)

    def invalidate(self) -> None:
        self.generation += 1
        self.snapshots.clear()


CACHE = SnapshotCache()
_channel_types: dict[uuid.UUID, str] = {}


def invalidate() -> None:
    """Forget every snapshot: the next decision of each team reads its team again."""
    CACHE.invalidate()


async def team_snapshot(
    session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID
) -> TeamSnapshot:
    """The team's snapshot, read now if this process has none younger than `TTL_SECONDS`.

    A transaction that has itself changed a source (not yet committed) reads it afresh and
    keeps nothing: what it sees is not what other transactions see."""
    key = (workspace_id, team_id)
    if _changing(session):
        return await _read(session, workspace_id, team_id)
    held = CACHE.snapshots.get(key)
    if held is not None and time.monotonic() - held[1] < TTL_SECONDS:
        return held[0]
    generation, started = CACHE.generation, time.monotonic()
    snapshot = await _read(session, workspace_id, team_id)
    if generation == CACHE.generation:  # nothing changed while it was being read
        CACHE.snapshots[key] = (snapshot, started)
    return snapshot


def _changing(session: AsyncSession) -> bool:
    sync = session.sync_session
    if sync.info.get(_STALE):
        return True
    return any(_stale(o) for group in (sync.new, sync.dirty, sync.deleted) for o in group)


async def _read(session: AsyncSession, workspace_id: uuid.UUID, team_id: uuid.UUID) -> TeamSnapshot:
    CACHE.reads += 1
    team_name, raw_team, raw_workspace = (
        await session.execute(
            select(Team.name, TeamRouting.settings, Workspace.settings)
            .select_from(Workspace)
            .outerjoin(Team, and_(Team.workspace_id == Workspace.id, Team.id == team_id))
            .outerjoin(
                TeamRouting,
                and_(TeamRouting.workspace_id == Workspace.id, TeamRouting.team_id == team_id),
            )
            .where(Workspace.id == workspace_id)
        )
    ).one_or_none() or (None, None, None)
    rows = await session.execute(
        select(User.id, User.name, User.is_active, Membership.role, Membership.languages)
        .join(TeamMember, TeamMember.user_id == User.id)
        .join(
            Membership,
            and_(Membership.user_id == User.id, Membership.workspace_id == workspace_id),
        )
        .where(TeamMember.workspace_id == workspace_id, TeamMember.team_id == team_id)
    )
    members = {
        uid: Member(name, bool(active) and role != Role.VIEWER, frozenset(languages or ()))
        for uid, name, active, role, languages in rows
    }
    return TeamSnapshot(
        workspace_id=workspace_id,
        team_id=team_id,
        team_name=team_name or "",
        settings=RoutingSettings.model_validate(raw_team or {}),
        workspace=WorkspaceRouting.model_validate((raw_workspace or {}).get("routing", {})),
        default_language=conversation_settings(raw_workspace).default_language,
        members=members,
        schedule=await effective_schedule(session, workspace_id, team_id),
    )


async def channel_type(session: AsyncSession, channel_id: uuid.UUID) -> str:
    """A channel's type (`whatsapp`, `webchat`…), which never changes once it exists."""
    known = _channel_types.get(channel_id)
    if known is not None:
        return known
    found = await session.scalar(select(Channel.type).where(Channel.id == channel_id))
    if found is None:
        return ""
    if len(_channel_types) >= CHANNEL_TYPES_KEPT:
        _channel_types.clear()
    _channel_types[channel_id] = str(found)
    return str(found)


# --- in-process invalidation: the ORM session sees every write this process makes -------------


def _stale(obj: object) -> bool:
    if isinstance(obj, EventLogEntry):
        return obj.type in WATCHED_EVENTS
    return isinstance(obj, WATCHED)


@event.listens_for(Session, "after_flush")
def _watch_flush(session: Session, _flush: UOWTransaction) -> None:
    if session.info.get(_STALE):
        return
    if any(_stale(o) for group in (session.new, session.dirty, session.deleted) for o in group):
        session.info[_STALE] = True


@event.listens_for(Session, "do_orm_execute")
def _watch_execute(state: ORMExecuteState) -> None:
    """Bulk `insert` / `update` / `delete` statements on a watched table."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in WATCHED_TABLES:
        state.session.info[_STALE] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    if session.info.pop(_STALE, False):
        CACHE.invalidate()


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_STALE, None)

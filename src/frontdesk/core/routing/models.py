"""Routing state: each agent's availability and capacity, team routing settings, and the record
of every assignment decision with its reasons."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class AgentState:
    ONLINE = "online"
    BUSY = "busy"
    AWAY = "away"
    OFFLINE = "offline"
    ALL = (ONLINE, BUSY, AWAY, OFFLINE)


class StateSource:
    MANUAL = "manual"  # the agent chose it
    SUPERVISOR = "supervisor"  # a manager set it for them
    INACTIVITY = "inactivity"  # no activity for the workspace's inactivity time
    DISCONNECTED = "disconnected"  # the last app connection closed, after the grace period


class Strategy:
    MANUAL = "manual"
    ROUND_ROBIN = "round_robin"  # longest idle since the last assignment
    LEAST_OPEN = "least_open"  # fewest open conversations
    CAPACITY_SHARE = "capacity_share"  # highest share of free capacity
    ALL = (MANUAL, ROUND_ROBIN, LEAST_OPEN, CAPACITY_SHARE)


class AgentStatus(Base):
    """One row per member and workspace: the row an assignment locks to respect capacity."""

    __tablename__ = "agent_status"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default=AgentState.OFFLINE)
    reason: Mapped[str | None] = mapped_column(String(80))
    state_since: Mapped[datetime]
    # None: the workspace's default capacity applies.
    capacity: Mapped[int | None]
    # Optional per channel type limits, e.g. {"whatsapp": 3, "webchat": 2}.
    channel_capacity: Mapped[dict[str, int]] = mapped_column(JSONType, default=dict)
    last_assigned_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class AgentPresence(Base):
    """When a member's app was last connected and when they last did something (what takes an
    agent offline automatically). Written every half minute per open app, so it is kept apart
    from `agent_status`: an assignment claims the best agent whose status row no other
    transaction holds, and a heartbeat holding that row would pass them over."""

    __tablename__ = "agent_presence"

    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    last_seen_at: Mapped[datetime | None]  # an app connection was open
    last_active_at: Mapped[datetime | None]  # the agent did something


class AgentStateChange(Base):
    """Append-only history of states: each row starts a period that the next row ends."""

    __tablename__ = "agent_state_change"
    __table_args__ = (Index("ix_agent_state_change_ws_user_at", "workspace_id", "user_id", "at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[str] = mapped_column(String(16))
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    at: Mapped[datetime]


class TeamRouting(Base):
    """A team's routing settings and automatic messages; a team without a row uses defaults."""

    __tablename__ = "team_routing"

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), unique=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    updated_at: Mapped[datetime]


class Assignment(Base):
    """One routing decision: who got the conversation (or nobody: it waits), why, and when it
    ended. The open row (ended_at null) of a conversation is its current assignment."""

    __tablename__ = "assignment"
    __table_args__ = (
        Index("ix_assignment_ws_conversation_at", "workspace_id", "conversation_id", "decided_at"),
        Index("ix_assignment_ws_user_at", "workspace_id", "user_id", "decided_at"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    user_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(16))  # rule | manual | workflow
    rule: Mapped[str] = mapped_column(String(24))  # kept | returning | owner | strategy | queued
    strategy: Mapped[str | None] = mapped_column(String(24))
    candidates: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # closed | transferred | reassigned | unassigned | offline | no_reply
    end_reason: Mapped[str | None] = mapped_column(String(16))

"""Organisations, workspaces (tenants), memberships with roles, and teams."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class Role:
    OWNER = "owner"
    MANAGER = "manager"
    AGENT = "agent"
    VIEWER = "viewer"
    ALL = (OWNER, MANAGER, AGENT, VIEWER)
    # Roles that see every conversation of the workspace.
    SUPERVISING = (OWNER, MANAGER, VIEWER)
    # Roles that may change the workspace's configuration.
    ADMINISTERING = (OWNER, MANAGER)


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[uuid.UUID] = uuid_pk()
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[uuid.UUID] = uuid_pk()
    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    settings: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime]


class Membership(Base):
    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("workspace_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    # The languages the member speaks (a routing skill), in the product's spelling.
    languages: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # A viewer's client scope (core/workspaces/scope.py): null sees the whole workspace.
    client_scope: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    created_at: Mapped[datetime]


class Team(Base):
    __tablename__ = "team"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime]
    # An archived team is left out of pickers and receives nothing new; its history stays.
    archived_at: Mapped[datetime | None]


class TeamMember(Base):
    __tablename__ = "team_member"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("team.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    # A team lead: supervises this team (wallboard, monitor, whisper, take over) without being
    # an owner or manager (core/supervision/rights.py).
    is_supervisor: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime]

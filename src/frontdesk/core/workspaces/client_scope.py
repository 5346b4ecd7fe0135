"""A client viewer's scope: the teams and/or channels of one client company.

A viewer membership may be limited to a client scope (`docs/subsystems/client-access.md`).
A conversation is in the scope when its team is one of the scope's teams (if it names teams)
and its channel one of the scope's channels (if it names channels): both must match when both
are given, so every report filter (teams AND channels) expresses the scope exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, and_, false

from frontdesk.core.schemas import Input
from frontdesk.core.workspaces.models import Membership, Role


@dataclass(frozen=True)
class ClientScope:
    team_ids: frozenset[uuid.UUID]
    channel_ids: frozenset[uuid.UUID]

    @classmethod
    def of(cls, team_ids: Iterable[uuid.UUID], channel_ids: Iterable[uuid.UUID]) -> ClientScope:
        return cls(frozenset(team_ids), frozenset(channel_ids))

    @classmethod
    def from_stored(cls, value: dict[str, Any] | None) -> ClientScope | None:
        """The scope kept on a membership or invitation; None (or nothing named): no scope."""
        if not value:
            return None
        scope = cls.of(
            (uuid.UUID(str(t)) for t in value.get("team_ids") or ()),
            (uuid.UUID(str(c)) for c in value.get("channel_ids") or ()),
        )
        return scope if scope.team_ids or scope.channel_ids else None

    def stored(self) -> dict[str, list[str]]:
        return {
            "team_ids": sorted(str(t) for t in self.team_ids),
            "channel_ids": sorted(str(c) for c in self.channel_ids),
        }

    def admits(self, team_id: uuid.UUID | None, channel_id: uuid.UUID | None) -> bool:
        """Whether a conversation of this team and channel is in the scope."""
        if not self.team_ids and not self.channel_ids:
            return False
        if self.team_ids and team_id not in self.team_ids:
            return False
        return not self.channel_ids or channel_id in self.channel_ids

    def condition(self, team_column: Any, channel_column: Any) -> ColumnElement[bool]:
        """The SQL form of `admits` over a row's team and channel columns."""
        parts: list[ColumnElement[bool]] = []
        if self.team_ids:
            parts.append(team_column.in_(self.team_ids))
        if self.channel_ids:
            parts.append(channel_column.in_(self.channel_ids))
        return and_(*parts) if parts else false()


def client_scope_of(membership: Membership) -> ClientScope | None:
    """A membership's scope: only a viewer has one (a promoted member's old scope is void)."""
    if membership.role != Role.VIEWER:
        return None
    return ClientScope.from_stored(membership.client_scope)


MAX_SCOPE_IDS = 100


class ClientScopeIn(Input):
    """The teams and/or channels a viewer is limited to (at least one); a conversation is in
    the scope when its team is one of `team_ids` (if given) and its channel one of
    `channel_ids` (if given)."""

    team_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_SCOPE_IDS)
    channel_ids: list[uuid.UUID] = Field(default_factory=list, max_length=MAX_SCOPE_IDS)


class ScopeItem(BaseModel):
    id: uuid.UUID
    name: str


class ClientScopeRead(BaseModel):
    teams: list[ScopeItem]
    channels: list[ScopeItem]

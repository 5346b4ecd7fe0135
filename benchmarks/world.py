"""The people and conversations a benchmark needs, written straight into the database.

Members get a real session (the socket signs in with its cookie); visitors start their chat
through the widget's session endpoint, and their conversation is then placed in a team and
given an assignee here, so every message goes to a known set of agents.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.events import conversation_audience, subscription_keys
from frontdesk.core.models import metadata as _all_tables  # noqa: F401 - every table mapped
from frontdesk.core.security import hash_password, hash_token, new_token
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace
from frontdesk.db.engine import create_database
from frontdesk.db.ids import new_id

SUPERVISOR_ROLES = frozenset({"owner", "manager", "viewer"})
_PASSWORD_HASH = hash_password("benchmark password, never used to sign in")


@dataclass
class Member:
    index: int
    user_id: uuid.UUID
    role: str
    team_id: uuid.UUID | None
    token: str
    keys: frozenset[str]


@dataclass
class Conv:
    index: int
    team_id: uuid.UUID | None
    assignee_id: uuid.UUID | None
    audience: tuple[str, ...]
    watchers: frozenset[int]
    contact_id: uuid.UUID | None = None
    visitor_token: str = ""


@dataclass
class World:
    label: str
    workspace_id: uuid.UUID
    channel_id: uuid.UUID
    members: list[Member]
    teams: list[uuid.UUID]
    conversations: list[Conv] = field(default_factory=list)

    def watchers(self, team_id: uuid.UUID | None, assignee_id: uuid.UUID | None) -> frozenset[int]:
        """Who may see a conversation, worked out from the product rules, not the code."""
        return frozenset(
            m.index
            for m in self.members
            if m.role in SUPERVISOR_ROLES
            or team_id is None
            or m.team_id == team_id
            or m.user_id == assignee_id
        )

    def plan(self, count: int, *, assign: bool = True) -> list[Conv]:
        """`count` conversations spread over the teams, each assigned to one of its agents."""
        convs = []
        for i in range(count):
            team_id = self.teams[i % len(self.teams)] if self.teams else None
            agents = [m for m in self.members if m.team_id == team_id and m.role == "agent"]
            assignee = agents[(i // max(1, len(self.teams))) % len(agents)] if assign else None
            assignee_id = assignee.user_id if assignee else None
            convs.append(
                Conv(
                    index=i,
                    team_id=team_id,
                    assignee_id=assignee_id,
                    audience=conversation_audience(self.workspace_id, team_id, [assignee_id]),
                    watchers=self.watchers(team_id, assignee_id),
                )
            )
        self.conversations = convs
        return convs

    @property
    def expected_frames_per_round(self) -> int:
        return sum(len(c.watchers) for c in self.conversations)


async def seed_people(
    url: str, label: str, *, supervisors: Sequence[str], team_sizes: Sequence[int]
) -> World:
    """A workspace with a webchat channel, supervisors by role, and teams of agents."""
    db = create_database(url)
    at = datetime.now(UTC)
    members: list[Member] = []
    try:
        async with db.write_session() as s:
            org = Organisation(id=new_id(), name=f"Bench {label}", created_at=at)
            ws = Workspace(
                id=new_id(),
                organisation_id=org.id,
                name=f"Bench {label}",
                slug=f"bench-{label.lower()}-{uuid.uuid4().hex[:6]}",
                timezone="UTC",
                settings={},
                created_at=at,
            )
            s.add_all([org, ws])
            await s.flush()
            teams = [
                Team(
                    id=new_id(), workspace_id=ws.id, name=f"Team {i}", description="", created_at=at
                )
                for i in range(len(team_sizes))
            ]
            s.add(
                Channel(
                    id=(channel_id := new_id()),
                    workspace_id=ws.id,
                    type="webchat",
                    name="Website chat",
                    settings={},
                    is_active=True,
                    created_at=at,
                    updated_at=at,
                )
            )
            s.add_all(teams)
            await s.flush()
            roles: list[tuple[str, Team | None]] = [(r, None) for r in supervisors]
            for team, size in zip(teams, team_sizes, strict=True):
                roles.extend(("agent", team) for _ in range(size))
            later: list[object] = []
            for index, (role, team) in enumerate(roles):
                members.append(_add_member(s, later, ws, index, role, team, at, label))
            await s.flush()  # the users first: their dependants have no ORM relationships
            s.add_all(later)
            await s.flush()
            await s.commit()
        return World(
            label=label,
            workspace_id=ws.id,
            channel_id=channel_id,
            members=members,
            teams=[t.id for t in teams],
        )
    finally:
        await db.dispose()


def _add_member(  # noqa: PLR0917 - a private helper of seed_people
    s: AsyncSession,
    later: list[object],
    ws: Workspace,
    index: int,
    role: str,
    team: Team | None,
    at: datetime,
    label: str,
) -> Member:
    user = User(
        id=new_id(),
        email=f"{label.lower()}-{index}-{uuid.uuid4().hex[:6]}@bench.test",
        name=f"{label} {role} {index}",
        password_hash=_PASSWORD_HASH,
        language="en",
        is_active=True,
        created_at=at,
    )
    token = new_token()
    s.add(user)
    rows: list[object] = [
        Membership(workspace_id=ws.id, user_id=user.id, role=role, created_at=at),
        AuthSession(
            token_hash=hash_token(token),
            csrf_token=new_token(),
            user_id=user.id,
            workspace_id=ws.id,
            created_at=at,
            last_seen_at=at,
            expires_at=at + timedelta(days=1),
        ),
    ]
    if team is not None:
        rows.append(TeamMember(workspace_id=ws.id, team_id=team.id, user_id=user.id, created_at=at))
    later.extend(rows)
    keys = subscription_keys(ws.id, role, user.id, [team.id] if team else [])
    return Member(index, user.id, role, team.id if team else None, token, keys)


async def open_visitors(url: str, server_url: str, world: World) -> None:
    """Start a widget session per planned conversation, then file the conversation."""
    async with httpx.AsyncClient(base_url=server_url, timeout=30) as http:
        for conv in world.conversations:
            r = await http.post(
                f"/api/widget/v1/channels/{world.channel_id}/sessions",
                json={"name": f"Visitor {conv.index}"},
            )
            r.raise_for_status()
            body = r.json()
            conv.visitor_token, conv.contact_id = (
                body["visitor_token"],
                uuid.UUID(body["contact_id"]),
            )
    db = create_database(url)
    at = datetime.now(UTC)
    try:
        async with db.write_session() as s:
            for conv in world.conversations:
                assert conv.contact_id is not None
                s.add(
                    Conversation(
                        workspace_id=world.workspace_id,
                        channel_id=world.channel_id,
                        contact_id=conv.contact_id,
                        status="open",
                        team_id=conv.team_id,
                        assignee_id=conv.assignee_id,
                        priority=1,
                        waiting_since=at,
                        opened_at=at,
                        last_activity_at=at,
                        last_inbound_at=at,
                        last_message_preview="",
                        version=1,
                        created_at=at,
                    )
                )
            await s.commit()
    finally:
        await db.dispose()

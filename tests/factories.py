"""Rows for tests, inserted directly: the personas and the objects they work with.

Factories build the starting world only; behaviour under test always goes through the API or a
core action.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import ApiToken, AuthSession, User
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.security import hash_password, hash_token, new_token
from frontdesk.core.workspaces.models import Membership, Organisation, Team, TeamMember, Workspace

# One real argon2 hash, reused: hashing per persona would slow every test down.
PASSWORD = "correct horse battery staple"
_PASSWORD_HASH = hash_password(PASSWORD)


@dataclass
class Persona:
    user: User
    session_token: str
    csrf_token: str

    @property
    def id(self) -> uuid.UUID:
        return self.user.id


@dataclass
class Tenant:
    workspace: Workspace
    members: dict[str, Persona] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    contacts: dict[str, Contact] = field(default_factory=dict)
    conversations: dict[str, Conversation] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        return self.workspace.id


class Factory:
    def __init__(self, session: AsyncSession, now: datetime) -> None:
        self.s = session
        self.now = now

    async def flush(self) -> None:
        await self.s.flush()

    async def organisation(self, name: str) -> Organisation:
        org = Organisation(name=name, created_at=self.now)
        self.s.add(org)
        await self.s.flush()
        return org

    async def workspace(self, org: Organisation, name: str, slug: str) -> Workspace:
        ws = Workspace(
            organisation_id=org.id,
            name=name,
            slug=slug,
            timezone="UTC",
            settings={},
            created_at=self.now,
        )
        self.s.add(ws)
        await self.s.flush()
        return ws

    async def user(self, email: str, name: str, *, org: Organisation | None = None) -> User:
        user = User(
            email=email,
            name=name,
            password_hash=_PASSWORD_HASH,
            language="en",
            is_active=True,
            organisation_id=org.id if org else None,
            created_at=self.now,
        )
        self.s.add(user)
        await self.s.flush()
        return user

    async def member(self, ws: Workspace, user: User, role: str) -> Membership:
        m = Membership(workspace_id=ws.id, user_id=user.id, role=role, created_at=self.now)
        self.s.add(m)
        await self.s.flush()
        return m

    async def session_for(self, user: User, ws: Workspace | None) -> tuple[str, str]:
        token, csrf = new_token(), new_token()
        self.s.add(
            AuthSession(
                token_hash=hash_token(token),
                csrf_token=csrf,
                user_id=user.id,
                workspace_id=ws.id if ws else None,
                created_at=self.now,
                last_seen_at=self.now,
                expires_at=self.now + timedelta(days=14),
            )
        )
        await self.s.flush()
        return token, csrf

    async def persona(self, ws: Workspace, email: str, name: str, role: str) -> Persona:
        user = await self.user(email, name)
        await self.member(ws, user, role)
        token, csrf = await self.session_for(user, ws)
        return Persona(user=user, session_token=token, csrf_token=csrf)

    async def team(self, ws: Workspace, name: str, members: list[Persona]) -> Team:
        team = Team(workspace_id=ws.id, name=name, description="", created_at=self.now)
        self.s.add(team)
        await self.s.flush()
        for p in members:
            self.s.add(
                TeamMember(workspace_id=ws.id, team_id=team.id, user_id=p.id, created_at=self.now)
            )
        await self.s.flush()
        return team

    async def channel(self, ws: Workspace, type_: str, name: str, **settings: Any) -> Channel:
        ch = Channel(
            workspace_id=ws.id,
            type=type_,
            name=name,
            settings=settings,
            is_active=True,
            created_at=self.now,
            updated_at=self.now,
        )
        self.s.add(ch)
        await self.s.flush()
        return ch

    async def contact(
        self,
        ws: Workspace,
        name: str,
        *,
        phone: str | None = None,
        email: str | None = None,
        channel: Channel | None = None,
        provider_id: str | None = None,
    ) -> Contact:
        c = Contact(
            workspace_id=ws.id,
            name=name,
            phone=phone,
            email=email,
            created_at=self.now,
            updated_at=self.now,
        )
        self.s.add(c)
        await self.s.flush()
        if channel is not None and provider_id is not None:
            self.s.add(
                ContactIdentity(
                    workspace_id=ws.id,
                    contact_id=c.id,
                    channel_id=channel.id,
                    provider_id=provider_id,
                    profile_name=name,
                    extra={},
                    created_at=self.now,
                )
            )
            await self.s.flush()
        return c

    async def conversation(
        self,
        ws: Workspace,
        channel: Channel,
        contact: Contact,
        *,
        team: Team | None = None,
        assignee: Persona | None = None,
        status: str = "open",
        body: str = "Hello, I saw your job ad",
        at: datetime | None = None,
    ) -> Conversation:
        when = at or self.now
        # As routing leaves it: a team's conversation with nobody on it waits in the queue.
        queued = team is not None and assignee is None and status in ("open", "pending")
        conv = Conversation(
            workspace_id=ws.id,
            channel_id=channel.id,
            contact_id=contact.id,
            status=status,
            team_id=team.id if team else None,
            assignee_id=assignee.id if assignee else None,
            priority=1,
            waiting_since=when,
            queued_at=when if queued else None,
            queue_reason="no_agent" if queued else None,
            opened_at=when,
            closed_at=when if status == "closed" else None,
            last_activity_at=when,
            last_inbound_at=when,
            last_message_preview=body[:200],
            last_message_at=when,
            version=1,
            created_at=when,
        )
        self.s.add(conv)
        await self.s.flush()
        self.s.add(
            Message(
                workspace_id=ws.id,
                conversation_id=conv.id,
                channel_id=channel.id,
                direction="inbound",
                sender_type="contact",
                kind="text",
                body=body,
                attachments=[],
                mentions=[],
                status="received",
                provider_message_id=f"wamid.{uuid.uuid4().hex}",
                created_at=when,
                updated_at=when,
            )
        )
        await self.s.flush()
        return conv

    async def api_token(
        self,
        ws: Workspace,
        role: str = "manager",
        name: str = "integration",
        created_by: uuid.UUID | None = None,
    ) -> str:
        """A token made by `created_by` (by default the workspace's first owner): a token lives
        only while the member who made it may administer the workspace."""
        if created_by is None:
            created_by = await self.s.scalar(
                select(Membership.user_id)
                .where(Membership.workspace_id == ws.id, Membership.role == "owner")
                .order_by(Membership.created_at, Membership.id)
                .limit(1)
            )
        raw = new_token("fd_")
        self.s.add(
            ApiToken(
                workspace_id=ws.id,
                name=name,
                prefix=raw[:8],
                token_hash=hash_token(raw),
                role=role,
                created_by_id=created_by,
                created_at=self.now,
            )
        )
        await self.s.flush()
        return raw

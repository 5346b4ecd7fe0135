"""A demo workspace's configuration: members, client teams, numbers, tags, fields, replies."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import cast

from frontdesk.core.accounts.models import User
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.hours.calendar import Holiday, Period, Schedule, Weekday
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.reports.target_schemas import OutcomeTargetCreate
from frontdesk.core.reports.targets import new_target
from frontdesk.core.routing.models import TeamRouting
from frontdesk.core.routing.schemas import RoutingSettings
from frontdesk.core.tags.models import Tag
from frontdesk.core.workspaces.client_scope import ClientScope
from frontdesk.core.workspaces.models import Membership, Role, Team, TeamMember, Workspace
from frontdesk.db.base import Base
from frontdesk.db.ids import new_id
from frontdesk.demo import names, spec
from frontdesk.demo.spec import ClientSpec, WorkspaceSpec


@dataclass
class DemoChannel:
    row: Channel
    client: ClientSpec
    team: Team
    agents: list[User]


@dataclass
class DemoWorkspace:
    """The rows of one workspace's configuration, kept at hand to build its conversations."""

    spec: WorkspaceSpec
    row: Workspace
    owner: User
    agents: list[User]
    supervisor: User  # the manager when there is one, else the owner
    channels: list[DemoChannel]
    chat_agents: list[User]  # the website chat's team (no one in a workspace without one)
    tags: dict[str, Tag]
    fields: dict[str, CustomFieldDefinition]
    rows: list[Base] = field(default_factory=list)


def build_workspace(
    ws_spec: WorkspaceSpec,
    *,
    organisation_id: uuid.UUID,
    owner: User,
    password_hash: str,
    now: datetime,
) -> DemoWorkspace:
    """Build (not yet add) the workspace, its people, teams, channels, tags, fields and replies."""
    since = now - timedelta(days=30)
    ws = Workspace(
        id=new_id(),
        organisation_id=organisation_id,
        name=ws_spec.name,
        slug=ws_spec.slug,
        timezone=ws_spec.timezone,
        # Recruiters juggle many chats: room for the demo's open conversations and new ones.
        # Candidates are asked how satisfied they are when a recruiter closes (CSAT).
        settings={"routing": {"default_capacity": 25}, "csat": {"enabled": True}},
        created_at=since,
    )
    rows: list[Base] = [ws, _member(ws, owner, Role.OWNER, since)]
    agents = [
        _user(name, local, organisation_id, password_hash, since) for name, local in ws_spec.agents
    ]
    # Ids in the spec's order: routing breaks ties by id, so the demo assigns the same way
    # on every load.
    for user, user_id in zip(agents, sorted(new_id() for _ in agents), strict=True):
        user.id = user_id
    staff = {
        role: _user(name, local, organisation_id, password_hash, since)
        for name, local, role in ws_spec.staff
    }
    for user in agents:
        rows += [user, _member(ws, user, Role.AGENT, since)]
    memberships = {role: _member(ws, user, role, since) for role, user in staff.items()}
    for role, user in staff.items():
        rows += [user, memberships[role]]
    supervisor = staff.get(Role.MANAGER, owner)
    channels: list[DemoChannel] = []
    for client in ws_spec.clients:
        team = Team(
            id=new_id(),
            workspace_id=ws.id,
            name=client.team,
            description=client.description,
            created_at=since,
        )
        members = [agents[i] for i in client.agents]
        rows.append(team)
        rows += [
            TeamMember(
                id=new_id(), workspace_id=ws.id, team_id=team.id, user_id=u.id, created_at=since
            )
            for u in members
        ]
        for ch in client.channels:
            channel = _channel(ws, team, ch, since)
            rows.append(channel)
            channels.append(DemoChannel(row=channel, client=client, team=team, agents=members))
    teams = [r for r in rows if isinstance(r, Team)]
    viewer = memberships.get(Role.VIEWER)
    if viewer is not None and teams:
        # The viewer is the first client's own contact: a client viewer of its team alone.
        viewer.client_scope = ClientScope.of([teams[0].id], []).stored()
    chat_agents: list[User] = []
    if ws_spec.slug == spec.DEMO_SLUG and channels:
        site, chat_agents = _site_team(ws, owner, channels[0].agents[:3], since)
        rows += [*site, _website_chat(ws, cast("Team", site[0]), since)]
        teams.append(cast("Team", site[0]))
    rows += [_team_routing(ws, team, since) for team in teams]
    tags = _tags(ws, since)
    fields = _fields(ws, since)
    rows += [*tags.values(), *fields.values(), *_canned(ws, supervisor, since)]
    rows += _business_hours(ws, teams, since)
    # Each recruiter of a client's team is expected to hire 8 candidates a day.
    hired = {dc.team.id: dc.team for dc in channels}.values()
    rows += [
        new_target(
            ws.id,
            OutcomeTargetCreate(
                outcome="hired", count=8, period="day", applies_to="each_agent", team_id=t.id
            ),
            created_by_id=None,
            at=since,
        )
        for t in hired
    ]
    return DemoWorkspace(
        spec=ws_spec,
        row=ws,
        owner=owner,
        agents=agents,
        supervisor=supervisor,
        channels=channels,
        chat_agents=chat_agents,
        tags=tags,
        fields=fields,
        rows=rows,
    )


def make_owner(organisation_id: uuid.UUID, password_hash: str, now: datetime) -> User:
    owner = _user(
        names.OWNER_NAME, "owner", organisation_id, password_hash, now - timedelta(days=30)
    )
    owner.is_org_admin = True
    return owner


def demo_emails() -> list[str]:
    """Every sign-in the demo creates, to tell whether they are free."""
    found = [spec.OWNER_EMAIL]
    for ws_spec in spec.WORKSPACES:
        found += [spec.email(local) for _, local in ws_spec.agents]
        found += [spec.email(local) for _, local, _ in ws_spec.staff]
    return found


def _user(
    name: str, local: str, organisation_id: uuid.UUID, password_hash: str, at: datetime
) -> User:
    language = (
        "vi" if local in {"lan.nguyen", "khoa.tran", "ha.pham", "huy.le", "long.vo"} else "pt-BR"
    )
    if local in {"priya.raman", "aisha.rahman", "meiling.tan", "hafiz.yusof", "owner"}:
        language = "en"
    return User(
        id=new_id(),
        email=spec.email(local),
        name=name,
        password_hash=password_hash,
        language=language,
        is_active=True,
        is_org_admin=False,
        organisation_id=organisation_id,
        created_at=at,
    )


def _member(ws: Workspace, user: User, role: str, at: datetime) -> Membership:
    return Membership(id=new_id(), workspace_id=ws.id, user_id=user.id, role=role, created_at=at)


def _site_team(
    ws: Workspace, owner: User, agents: list[User], at: datetime
) -> tuple[list[Base], list[User]]:
    """The website chat's own team, open around the clock: three agents and the owner (go
    online to get chats)."""
    team = Team(
        id=new_id(),
        workspace_id=ws.id,
        name=spec.SITE_TEAM,
        description="Chats from the Talenta Careers website, around the clock",
        created_at=at,
    )
    rows: list[Base] = [team]
    rows += [
        TeamMember(id=new_id(), workspace_id=ws.id, team_id=team.id, user_id=u.id, created_at=at)
        for u in [*agents, owner]
    ]
    return rows, agents


def _team_routing(ws: Workspace, team: Team, at: datetime) -> TeamRouting:
    """Round robin among online agents; recruiters keep their candidates when they go offline
    (the conversation is not taken back after some minutes), so a shift ending loses nothing."""
    settings = RoutingSettings(strategy="round_robin", offline_minutes=None)
    return TeamRouting(
        id=new_id(),
        workspace_id=ws.id,
        team_id=team.id,
        settings=settings.model_dump(mode="json"),
        updated_at=at,
    )


def _channel(ws: Workspace, team: Team, ch: spec.ChannelSpec, at: datetime) -> Channel:
    # Placeholders until real WhatsApp numbers are connected: no credentials, nothing is sent.
    return Channel(
        id=new_id(),
        workspace_id=ws.id,
        type="whatsapp",
        name=ch.name,
        settings={"phone_number": ch.phone, "placeholder": True},
        secrets_encrypted=None,
        team_id=team.id,
        is_active=True,
        created_at=at,
        updated_at=at,
    )


def _website_chat(ws: Workspace, team: Team, at: datetime) -> Channel:
    """The chat on Talenta's careers site: the demo website at /demo/site embeds it."""
    return Channel(
        id=new_id(),
        workspace_id=ws.id,
        type="webchat",
        name="Talenta Careers website",
        settings={
            "demo_site": True,
            "primary_color": "#0f766e",
            "greeting": {
                "en": "Hi! Looking for a job? Ask us anything.",
                "pt-BR": "Olá! Procurando uma vaga? Pergunte o que quiser.",
                "vi": "Xin chào! Bạn đang tìm việc? Hãy hỏi chúng tôi bất cứ điều gì.",
            },
        },
        secrets_encrypted=None,
        team_id=team.id,
        is_active=True,
        created_at=at,
        updated_at=at,
    )


def _tags(ws: Workspace, at: datetime) -> dict[str, Tag]:
    tags = {
        name: Tag(
            id=new_id(), workspace_id=ws.id, name=name, color=color, is_outcome=True, created_at=at
        )
        for name, color in spec.OUTCOME_TAGS
    }
    for name, color in spec.OTHER_TAGS:
        tags[name] = Tag(
            id=new_id(), workspace_id=ws.id, name=name, color=color, is_outcome=False, created_at=at
        )
    return tags


def _fields(ws: Workspace, at: datetime) -> dict[str, CustomFieldDefinition]:
    return {
        key: CustomFieldDefinition(
            id=new_id(),
            workspace_id=ws.id,
            key=key,
            label=label,
            field_type=field_type,
            options=list(options),
            created_at=at,
        )
        for key, label, field_type, options in spec.CUSTOM_FIELDS
    }


def _canned(ws: Workspace, author: User, at: datetime) -> list[CannedResponse]:
    return [
        CannedResponse(
            id=new_id(),
            workspace_id=ws.id,
            shortcut=shortcut,
            title=title,
            body=body,
            created_by_id=author.id,
            created_at=at,
            updated_at=at,
        )
        for shortcut, title, body in spec.CANNED_RESPONSES
    ]


def _business_hours(ws: Workspace, teams: list[Team], at: datetime) -> list[BusinessHours]:
    """The workspace's hours, and teams' own where the spec has them, checked like the API does."""
    scopes: list[tuple[Team | None, spec.HoursSpec | None]] = [
        (None, spec.WORKSPACE_HOURS.get(ws.slug))
    ]
    scopes += [(team, spec.TEAM_HOURS.get(team.name)) for team in teams]
    rows = []
    for team, hours in scopes:
        if hours is None:
            continue
        schedule = Schedule(
            timezone=hours.timezone,
            periods=tuple(Period(cast("Weekday", w), a, b) for w, a, b in hours.periods),
            holidays=tuple(
                Holiday(date(at.year, m, d), name, True) for m, d, name in hours.holidays
            ),
        )
        rows.append(
            BusinessHours(
                id=new_id(),
                workspace_id=ws.id,
                team_id=team.id if team is not None else None,
                timezone=schedule.timezone,
                is_enabled=True,
                periods=[
                    {"weekday": p.weekday, "start": p.start, "end": p.end} for p in schedule.periods
                ],
                holidays=[
                    {"date": h.date.isoformat(), "name": h.name, "is_recurring": True}
                    for h in schedule.holidays
                ],
                created_at=at,
                updated_at=at,
            )
        )
    return rows

"""`frontdesk demo`: the recruitment contact centre of the product brief, loaded once."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import (
    Contact,
    ContactFieldValue,
    ContactIdentity,
    CustomFieldDefinition,
)
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.models import metadata
from frontdesk.core.quality.models import QualityReview
from frontdesk.core.reports.models import ReportCursor, ReportRollup
from frontdesk.core.reports.recorder import READ_EVENTS
from frontdesk.core.routing.models import AgentStatus, Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.core.sla.models import ConversationSla, SlaCursor, SlaPolicy
from frontdesk.core.sla.tracker import READ_EVENTS as SLA_READ_EVENTS
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.workflows.models import Workflow, WorkflowCursor, WorkflowRun, WorkflowVersion
from frontdesk.core.workspaces.models import Membership, Team, TeamMember, Workspace
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.demo import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    DEMO_SLUG,
    LOGISTICS_SLUG,
    OWNER_EMAIL,
    build_setup,
    load_demo,
    spec,
)
from frontdesk.demo.loader import demo_volume
from frontdesk.demo.spec import MANAGER_EMAIL, VIEWER_EMAIL
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.factories import Factory
from tests.queue_invariant import queue_violations

FRONTDESK = Path(sys.executable).with_name("frontdesk")


async def _workspace(db: AsyncSession, slug: str) -> Workspace:
    return (await db.scalars(select(Workspace).where(Workspace.slug == slug))).one()


async def _table_counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.database.read_session() as db:
        return {
            t.name: int(await db.scalar(select(func.count()).select_from(t)) or 0)
            for t in metadata.sorted_tables
        }


# Loading plays two weeks through the actions (about 40 s of CPU): room for a busy machine.
SLOW = pytest.mark.timeout(600)


@SLOW
async def test_demo_builds_the_recruitment_contact_centre(
    runtime: Runtime, anon: httpx.AsyncClient, demo_snapshot: DemoSnapshot
) -> None:
    # The demo `load_demo` played on this database for this session (tests/demo_snapshot.py),
    # every row as it wrote them.
    result = await play_demo(runtime, demo_snapshot)

    assert result.created
    async with runtime.database.read_session() as db:
        retail = await _workspace(db, DEMO_SLUG)
        logistics = await _workspace(db, LOGISTICS_SLUG)
        assert retail.organisation_id == logistics.organisation_id
        roles = Counter(
            await db.scalars(select(Membership.role).where(Membership.workspace_id == retail.id))
        )
        assert roles == {"agent": 14, "owner": 1, "manager": 1, "viewer": 1}
        site_chat = (
            await db.scalars(
                select(Channel).where(Channel.workspace_id == retail.id, Channel.type == "webchat")
            )
        ).all()
        assert [c.settings.get("demo_site") for c in site_chat] == [True]
        channels = (
            await db.scalars(
                select(Channel).where(Channel.workspace_id == retail.id, Channel.type == "whatsapp")
            )
        ).all()
        assert len(channels) == 6
        assert all(c.settings["placeholder"] is True for c in channels)
        assert len({c.settings["phone_number"] for c in channels}) == 6
        assert all(c.team_id is not None for c in channels)
        teams = (await db.scalars(select(Team).where(Team.workspace_id == retail.id))).all()
        assert len(teams) >= 4
        outcome_tags = await db.scalars(
            select(Tag.name).where(Tag.workspace_id == retail.id, Tag.is_outcome.is_(True))
        )
        assert "hired" in set(outcome_tags)
        canned = (
            await db.scalars(
                select(CannedResponse.body).where(CannedResponse.workspace_id == retail.id)
            )
        ).all()
        assert len(canned) >= 5
        assert all("{{contact.name}}" in body for body in canned)
        contacts = await db.scalar(
            select(func.count()).select_from(Contact).where(Contact.workspace_id == retail.id)
        )
        # The suite loads a share of the demo (FRONTDESK_DEMO_VOLUME): the retail workspace keeps
        # that share of its 100 candidates, the logistics one stays the smaller of the two.
        assert contacts == max(12, round(spec.RETAIL.contacts * demo_volume()))
        small = await db.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.workspace_id == logistics.id)
        )
        assert small is not None
        assert 14 <= small < contacts * 1.3
    summary = result.summary()
    assert "workspaces" in summary
    for address in (OWNER_EMAIL, MANAGER_EMAIL, VIEWER_EMAIL, AGENT_EMAIL):
        assert address in summary
    assert f"password {DEMO_PASSWORD}" in summary
    await _conversations_cover_two_weeks(runtime)
    await _made_through_the_event_log(runtime)
    await _the_greeting_menu_answers_menu(runtime)
    assert await queue_violations(runtime) == []
    async with runtime.database.read_session() as db:  # the reports have read the whole log
        last_read = await db.scalar(select(ReportCursor.last_event_id))
        last_event = await db.scalar(
            select(func.max(EventLogEntry.id)).where(EventLogEntry.type.in_(READ_EVENTS))
        )
        assert last_read is not None
        assert last_read >= (last_event or 0)
        assert await db.scalar(select(func.count()).select_from(ReportRollup))
        # The recruiters' active work was recorded: closed conversations have a handle time.
        handled = await db.scalar(
            select(func.sum(ReportRollup.count)).where(ReportRollup.metric == "handle")
        )
        assert handled is not None
        assert handled > 0
    async with runtime.database.read_session() as db:
        # Members' closes sent the satisfaction survey; some candidates answered it.
        ratings = list(await db.scalars(select(CsatResponse.rating)))
    assert len(ratings) >= 5
    assert any(r is not None for r in ratings)
    async with runtime.database.read_session() as db:
        # A default scorecard, this week's spot checks, a few of them reviewed (one failed).
        reviews = Counter(await db.scalars(select(QualityReview.status)))
        failed = await db.scalar(select(func.count()).where(QualityReview.is_failed.is_(True)))
    assert reviews["submitted"] >= 3
    assert reviews["pending"] >= 1
    assert failed
    await _someone_waits_and_the_site_team_is_online(runtime)
    await _service_levels_were_kept_through_the_history(runtime)
    await _no_row_points_into_another_workspace(runtime)
    await _printed_accounts_sign_in(anon)
    before = await _table_counts(runtime)

    again = await load_demo(runtime)

    assert not again.created
    assert "already loaded" in again.summary()
    assert await _table_counts(runtime) == before


async def _service_levels_were_kept_through_the_history(runtime: Runtime) -> None:
    """Each workspace has its SLA policies from the first day, and the SLA job read the history
    as it was played: targets were met and breached then, and the open conversations have due
    times now."""
    async with runtime.database.read_session() as db:
        policies = Counter(await db.scalars(select(SlaPolicy.workspace_id)))
        outcomes = Counter(
            await db.scalars(
                select(EventLogEntry.type).where(
                    EventLogEntry.type.in_(["conversation.sla_met", "conversation.sla_breached"])
                )
            )
        )
        ticking = await db.scalar(
            select(func.count())
            .select_from(ConversationSla)
            .join(Conversation, Conversation.id == ConversationSla.conversation_id)
            .where(Conversation.status == "open", ConversationSla.status != "none")
        )
        read_up_to = await db.scalar(select(SlaCursor.last_event_id))
        last_event = await db.scalar(
            select(func.max(EventLogEntry.id)).where(EventLogEntry.type.in_(SLA_READ_EVENTS))
        )
    assert len(policies) == 2
    assert set(policies.values()) == {2}
    assert outcomes["conversation.sla_met"] > 0
    assert outcomes["conversation.sla_breached"] > 0
    assert ticking
    assert read_up_to is not None
    assert last_event is not None
    assert read_up_to >= last_event


async def _conversations_cover_two_weeks(runtime: Runtime) -> None:
    now = runtime.clock.now()
    async with runtime.database.read_session() as db:
        retail = await _workspace(db, DEMO_SLUG)
        conversations = (
            await db.scalars(select(Conversation).where(Conversation.workspace_id == retail.id))
        ).all()
        messages = (await db.scalars(select(Message))).all()
        tag_names = dict((await db.execute(select(Tag.id, Tag.name))).all())
        conv_tags = [
            (c, t)
            for c, t in await db.execute(
                select(ConversationTag.conversation_id, ConversationTag.tag_id)
            )
        ]
    assert len(conversations) >= 30  # both workspaces, at the volume the suite loads
    times = [m.created_at for m in messages]
    assert min(times) >= now - timedelta(days=14)
    assert max(times) <= now
    assert max(times) - min(times) > timedelta(days=12)
    per_conversation = Counter(m.conversation_id for m in messages)
    assert all(per_conversation[c.id] >= 2 for c in conversations)
    tags_of: defaultdict[object, set[str]] = defaultdict(set)
    for conversation_id, tag_id in conv_tags:
        tags_of[conversation_id].add(tag_names[tag_id])
    statuses = Counter(c.status for c in conversations)
    assert set(statuses) == {"open", "pending", "snoozed", "closed"}
    closed = [c for c in conversations if c.status == "closed"]
    for c in closed:
        assert c.closed_at is not None
        assert c.assignee_id is not None
        assert c.closed_by_id == c.assignee_id
        assert c.outcome in tags_of[c.id]
    assert "hired" in {c.outcome for c in closed}
    snoozed = [c for c in conversations if c.status == "snoozed"]
    assert all(c.snoozed_until is not None and c.snoozed_until > now for c in snoozed)
    kinds = Counter((m.sender_type, m.kind) for m in messages)
    assert kinds[("contact", "text")]
    assert kinds[("agent", "text")]
    assert (
        kinds[("agent", "note")] or demo_volume() < 1
    )  # the suite's smaller volume may draw no note
    assert kinds[("system", "text")]  # routing told waiting candidates
    for m in messages:
        if m.direction == "outbound" and m.kind != "note":
            assert m.status in {"delivered", "read"}, m.status  # the demo's provider took them
            assert m.provider_message_id is not None
            assert m.provider_message_id.startswith("wamid.DEMO")


async def _made_through_the_event_log(runtime: Runtime) -> None:
    """Every conversation, message and assignment left its events, as real use does."""
    async with runtime.database.read_session() as db:
        events = (await db.execute(select(EventLogEntry.type, EventLogEntry.payload))).all()
        conversations = (await db.scalars(select(Conversation))).all()
        messages = (await db.scalars(select(Message))).all()
        assignments = (
            await db.scalars(select(Assignment).where(Assignment.user_id.is_not(None)))
        ).all()
        dead = await db.scalar(select(func.count()).select_from(Job).where(Job.status == "dead"))
    created = {p["conversation"]["id"] for t, p in events if t == "conversation.created"}
    assert {str(c.id) for c in conversations} <= created
    said = {p["message"]["id"] for t, p in events if t == "message.created"}
    assert {str(m.id) for m in messages} <= said
    assigned = {p["change"].get("assignment_id") for t, p in events if t == "conversation.assigned"}
    assert assignments
    assert {str(a.id) for a in assignments} <= assigned
    open_rows = {(a.conversation_id, a.user_id) for a in assignments if a.ended_at is None}
    for c in conversations:
        if c.assignee_id is not None and c.status != "closed":  # closing ends the row
            assert (c.id, c.assignee_id) in open_rows, c.status
    assert dead == 0


async def _the_greeting_menu_answers_menu(runtime: Runtime) -> None:
    """The retail workspace's greeting menu, made from the template and published after the
    history, answers "menu"; the dispatcher starts past the history (nothing replayed)."""
    async with runtime.database.read_session() as db:
        retail = await _workspace(db, DEMO_SLUG)
        [menu] = (
            await db.scalars(select(Workflow).where(Workflow.workspace_id == retail.id))
        ).all()
        version = await db.get(WorkflowVersion, menu.published_version_id)
        cursor = await db.get(WorkflowCursor, 1)
        runs = await db.scalar(select(func.count()).select_from(WorkflowRun))
        last_history_event = await db.scalar(
            select(func.max(EventLogEntry.id)).where(EventLogEntry.type == "message.created")
        )
    assert (menu.template, menu.status, menu.name) == (
        "greeting_menu",
        "active",
        "Menu de boas-vindas",
    )
    assert version is not None
    assert version.definition["trigger"]["config"]["keywords"] == ["menu"]
    assert cursor is not None
    assert cursor.last_event_id >= (last_history_event or 0)
    assert runs == 0


async def _someone_waits_and_the_site_team_is_online(runtime: Runtime) -> None:
    """Candidates wait in queues the page shows; the website chat's team can take chats."""
    async with runtime.database.read_session() as db:
        retail = await _workspace(db, DEMO_SLUG)
        waiting = (
            await db.scalars(
                select(Conversation).where(
                    Conversation.workspace_id == retail.id,
                    Conversation.status == "open",
                    Conversation.assignee_id.is_(None),
                )
            )
        ).all()
        site = (
            await db.scalars(
                select(Channel).where(Channel.workspace_id == retail.id, Channel.type == "webchat")
            )
        ).one()
        online = (
            await db.scalars(
                select(AgentStatus.user_id)
                .join(TeamMember, TeamMember.user_id == AgentStatus.user_id)
                .where(
                    AgentStatus.workspace_id == retail.id,
                    AgentStatus.state == "online",
                    TeamMember.team_id == site.team_id,
                )
            )
        ).all()
    assert waiting
    assert all(c.queued_at is not None for c in waiting)
    assert len(online) == 2


async def _printed_accounts_sign_in(anon: httpx.AsyncClient) -> None:
    for address, role in (
        (OWNER_EMAIL, "owner"),
        (MANAGER_EMAIL, "manager"),
        (AGENT_EMAIL, "agent"),
    ):
        anon.cookies.clear()
        r = await anon.post(
            "/api/v1/auth/sign-in", json={"email": address, "password": DEMO_PASSWORD}
        )
        assert r.status_code == 200, r.text
        assert r.json()["workspace"]["slug"] == DEMO_SLUG  # the big demo opens first
        assert r.json()["workspace"]["role"] == role


async def _no_row_points_into_another_workspace(runtime: Runtime) -> None:
    async with runtime.database.read_session() as db:
        ws_of = {
            model: dict((await db.execute(select(model.id, model.workspace_id))).all())
            for model in (Channel, Contact, Team, Conversation, Tag, CustomFieldDefinition)
        }
        members = {
            (w, u) for w, u in await db.execute(select(Membership.workspace_id, Membership.user_id))
        }
        for c in (await db.scalars(select(Conversation))).all():
            ws = c.workspace_id
            assert ws_of[Channel][c.channel_id] == ws
            assert ws_of[Contact][c.contact_id] == ws
            assert c.team_id is not None
            assert ws_of[Team][c.team_id] == ws
            if c.assignee_id is not None:
                assert (ws, c.assignee_id) in members
        for m in (await db.scalars(select(Message))).all():
            assert ws_of[Conversation][m.conversation_id] == m.workspace_id
            assert ws_of[Channel][m.channel_id] == m.workspace_id
            if m.sender_user_id is not None:
                assert (m.workspace_id, m.sender_user_id) in members
        for i in (await db.scalars(select(ContactIdentity))).all():
            assert ws_of[Contact][i.contact_id] == i.workspace_id == ws_of[Channel][i.channel_id]
        for t in (await db.scalars(select(ConversationTag))).all():
            assert ws_of[Conversation][t.conversation_id] == t.workspace_id == ws_of[Tag][t.tag_id]
        for t in (await db.scalars(select(ContactTag))).all():
            assert ws_of[Contact][t.contact_id] == t.workspace_id == ws_of[Tag][t.tag_id]
        for v in (await db.scalars(select(ContactFieldValue))).all():
            ws = v.workspace_id
            assert ws_of[Contact][v.contact_id] == ws == ws_of[CustomFieldDefinition][v.field_id]
        for tm in (await db.scalars(select(TeamMember))).all():
            assert ws_of[Team][tm.team_id] == tm.workspace_id
            assert (tm.workspace_id, tm.user_id) in members
        for ch in (await db.scalars(select(Channel))).all():
            assert ch.team_id is not None
            assert ws_of[Team][ch.team_id] == ch.workspace_id
        for ct in (await db.scalars(select(Contact).where(Contact.owner_id.is_not(None)))).all():
            assert (ct.workspace_id, ct.owner_id) in members


async def test_only_if_new_leaves_a_database_with_a_workspace_alone(runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        await f.workspace(await f.organisation("Existing"), "Existing", "existing")
        await s.commit()

    result = await load_demo(runtime, only_if_new=True)

    assert not result.created
    counts = await _table_counts(runtime)
    assert counts["workspace"] == 1
    assert counts["user"] == counts["conversation"] == 0


def test_the_demo_is_planned_the_same_every_time(clock: FrozenClock) -> None:
    def content() -> list[tuple[str, ...]]:
        setup = build_setup(clock.now(), "hash")
        return [
            *(
                (p.contact.row.name, p.state, p.opened_at.isoformat(), p.outcome or "")
                for p in setup.plans
            ),
            *((c.name, c.phone or "") for c in setup.rows if isinstance(c, Contact)),
        ]

    first = content()
    assert len(first) > 250
    assert content() == first

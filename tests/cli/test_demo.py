"""`frontdesk demo`: the recruitment contact centre of the product brief, loaded once."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter, defaultdict
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
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
from frontdesk.core.models import metadata
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.workspaces.models import Membership, Team, TeamMember, Workspace
from frontdesk.demo import (
    AGENT_EMAIL,
    DEMO_PASSWORD,
    DEMO_SLUG,
    LOGISTICS_SLUG,
    OWNER_EMAIL,
    build_demo,
    load_demo,
)
from tests.factories import Factory

FRONTDESK = Path(sys.executable).with_name("frontdesk")


async def _workspace(db: AsyncSession, slug: str) -> Workspace:
    return (await db.scalars(select(Workspace).where(Workspace.slug == slug))).one()


async def _table_counts(runtime: Runtime) -> dict[str, int]:
    async with runtime.database.read_session() as db:
        return {
            t.name: int(await db.scalar(select(func.count()).select_from(t)) or 0)
            for t in metadata.sorted_tables
        }


async def test_demo_builds_the_recruitment_contact_centre(runtime: Runtime) -> None:
    result = await load_demo(runtime)

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
        assert {c.type for c in channels} == {"whatsapp"}
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
        assert contacts is not None
        assert contacts >= 250
        small = await db.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.workspace_id == logistics.id)
        )
        assert small is not None
        assert 20 <= small < 100
    assert "workspaces" in result.summary()


async def test_conversations_cover_two_weeks_and_closed_ones_carry_their_outcome(
    runtime: Runtime, clock: FrozenClock
) -> None:
    await load_demo(runtime)

    now = clock.now()
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
    assert len(conversations) >= 250
    times = [m.created_at for m in messages]
    assert min(times) >= now - timedelta(days=14)
    assert max(times) <= now
    assert max(times) - min(times) > timedelta(days=12)
    per_conversation = Counter(m.conversation_id for m in messages)
    assert all(2 <= per_conversation[c.id] <= 12 for c in conversations)
    tags_of: defaultdict[object, set[str]] = defaultdict(set)
    for conversation_id, tag_id in conv_tags:
        tags_of[conversation_id].add(tag_names[tag_id])
    statuses = Counter(c.status for c in conversations)
    assert set(statuses) == {"open", "pending", "snoozed", "closed"}
    closed = [c for c in conversations if c.status == "closed"]
    assert closed
    for c in closed:
        assert c.closed_at is not None
        assert c.assignee_id is not None
        assert c.closed_by_id == c.assignee_id
        assert c.outcome in tags_of[c.id]
    assert "hired" in {c.outcome for c in closed}
    snoozed = [c for c in conversations if c.status == "snoozed"]
    assert all(c.snoozed_until is not None and c.snoozed_until > now for c in snoozed)
    assert any(c.assignee_id is None and c.status == "open" for c in conversations)


async def test_conversation_columns_agree_with_their_messages(runtime: Runtime) -> None:
    await load_demo(runtime)

    async with runtime.database.read_session() as db:
        conversations = (await db.scalars(select(Conversation))).all()
        messages = (
            await db.scalars(select(Message).order_by(Message.conversation_id, Message.created_at))
        ).all()
    thread: defaultdict[object, list[Message]] = defaultdict(list)
    for m in messages:
        thread[m.conversation_id].append(m)
    notes = 0
    for c in conversations:
        ms = thread[c.id]
        visible = [m for m in ms if m.kind != "note"]
        notes += len(ms) - len(visible)
        replies = [m.created_at for m in visible if m.sender_type == "agent"]
        assert ms[0].direction == "inbound"
        assert c.opened_at == ms[0].created_at
        assert c.last_activity_at >= ms[-1].created_at
        assert c.last_inbound_at == max(m.created_at for m in ms if m.direction == "inbound")
        assert c.last_message_preview == visible[-1].body[:200]
        assert c.first_response_at == (min(replies) if replies else None)
        waiting = c.status == "open" and visible[-1].direction == "inbound"
        assert (c.waiting_since is not None) == waiting
        for m in visible:
            expected = {"received"} if m.direction == "inbound" else {"delivered", "read"}
            assert m.status in expected
            assert m.provider_message_id is not None
            assert m.provider_message_id.startswith("wamid.DEMO")
    assert notes > 0
    note_rows = [m for m in messages if m.kind == "note"]
    assert all(m.mentions and m.provider_message_id is None for m in note_rows)


async def test_no_row_points_into_another_workspace(runtime: Runtime) -> None:
    await load_demo(runtime)

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


async def test_owner_and_agent_sign_in_with_the_printed_password(
    runtime: Runtime, anon: httpx.AsyncClient
) -> None:
    result = await load_demo(runtime)
    assert OWNER_EMAIL in result.summary()
    assert AGENT_EMAIL in result.summary()
    assert DEMO_PASSWORD in result.summary()

    r = await anon.post(
        "/api/v1/auth/sign-in", json={"email": OWNER_EMAIL, "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200, r.text
    assert r.json()["workspace"]["slug"] == DEMO_SLUG  # the big demo opens first
    r = await anon.get("/api/v1/workspaces")
    assert r.status_code == 200
    assert {(w["slug"], w["role"]) for w in r.json()} == {
        (DEMO_SLUG, "owner"),
        (LOGISTICS_SLUG, "owner"),
    }

    anon.cookies.clear()
    r = await anon.post(
        "/api/v1/auth/sign-in", json={"email": AGENT_EMAIL, "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200, r.text
    assert r.json()["workspace"]["slug"] == DEMO_SLUG
    assert r.json()["workspace"]["role"] == "agent"


async def test_loading_twice_changes_nothing(runtime: Runtime) -> None:
    await load_demo(runtime)
    before = await _table_counts(runtime)

    again = await load_demo(runtime)

    assert not again.created
    assert "already loaded" in again.summary()
    assert await _table_counts(runtime) == before
    assert before["conversation"] >= 250


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


async def test_only_if_new_loads_an_empty_database(runtime: Runtime) -> None:
    result = await load_demo(runtime, only_if_new=True)

    assert result.created
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Workspace)) == 2
        owner = (await db.scalars(select(User).where(User.email == OWNER_EMAIL))).one()
        assert owner.is_org_admin


def test_the_demo_reads_the_same_every_time(clock: FrozenClock) -> None:
    def content() -> list[tuple[str, ...]]:
        rows = build_demo(clock.now(), "hash")
        return [
            *(
                (m.body, m.direction, m.created_at.isoformat())
                for m in rows
                if isinstance(m, Message)
            ),
            *(
                (c.name, c.phone or "", c.lifecycle_stage or "")
                for c in rows
                if isinstance(c, Contact)
            ),
        ]

    first = content()
    assert len(first) > 2000
    assert content() == first


def test_the_command_loads_the_demo_once_and_prints_the_sign_in(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "FRONTDESK_ENV": "development",
        "FRONTDESK_DATA_DIR": str(tmp_path / "data"),
        "FRONTDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}",
        "FRONTDESK_PUBLIC_URL": "http://demo.test:8000",
    }
    env.pop("FRONTDESK_SECRET_KEY", None)

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(FRONTDESK), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("migrate")
    first = run("demo")
    assert "loaded the demo organisation" in first
    assert f"{OWNER_EMAIL} with password {DEMO_PASSWORD}" in first
    assert f"{AGENT_EMAIL} with password {DEMO_PASSWORD}" in first
    assert "http://demo.test:8000" in first
    second = run("demo")
    assert "already loaded" in second
    assert OWNER_EMAIL in second

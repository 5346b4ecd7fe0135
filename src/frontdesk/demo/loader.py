"""Builds the demo organisation once; running it again changes nothing.

The organisation follows the recruitment contact centre of the product brief: a workspace of
retail client companies (a team and WhatsApp numbers per client, 14 agents, 60 days of
candidate conversations, the last two weeks in full detail) and a smaller workspace of
logistics clients.

Its configuration (organisation, people, teams, numbers, tags, fields, replies, hours,
candidates and their numbers) is written as rows at the start of its history. Everything that
happens after, the days of conversations and agents' shifts, is played through the product's own actions
with the clock set to each past moment (`demo/replay.py`): agents' states, customers' messages,
routing, replies, notes, closing, snoozing, with their events in the event log and their jobs
run as the job runner would. The report job then reads the whole event log, so reports are
ready when the load ends. Content is seeded, so every load reads the same.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.reports.actions import record_report_facts
from frontdesk.core.reports.rollups import WHOLE_HOURS
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password
from frontdesk.core.workspaces.models import Membership, Organisation, Team, Workspace
from frontdesk.db.base import Base
from frontdesk.db.ids import new_id
from frontdesk.demo import spec
from frontdesk.demo.broadcast_demo import seed_broadcasts
from frontdesk.demo.contact_imports_demo import seed_contact_imports
from frontdesk.demo.contacts import finish_contacts, make_contacts
from frontdesk.demo.quality import seed_quality
from frontdesk.demo.replay import (
    Plan,
    Replay,
    Stories,
    hourly_drains,
    plan_conversations,
    plan_history,
)
from frontdesk.demo.search_demo import describe_search_index
from frontdesk.demo.shifts import DETAILED, shifts
from frontdesk.demo.similar_demo import seed_similarity
from frontdesk.demo.sla import catch_up_sla, create_sla_policies, hourly_sla
from frontdesk.demo.spec import DEMO_PASSWORD, DEMO_SLUG, OWNER_EMAIL
from frontdesk.demo.webhooks_demo import seed_webhooks
from frontdesk.demo.workflows import seed_workflows
from frontdesk.demo.workspace import DemoWorkspace, build_workspace, demo_emails, make_owner

__all__ = ["AGENT_EMAIL", "DEMO_PASSWORD", "DEMO_SLUG", "OWNER_EMAIL", "DemoResult", "load_demo"]

AGENT_EMAIL = spec.email(spec.RETAIL.agents[0][1])
# The last two weeks are played in full detail (every state a conversation can be in); the
# days before, up to the demo's span, with closed conversations of fewer messages each.
Progress = Callable[[str], None]


@dataclass(frozen=True)
class DemoResult:
    created: bool
    public_url: str
    reason: str = ""
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.created:
            lines = [self.reason or "the demo is already loaded"]
        else:
            lines = ["loaded the demo organisation:"]
            lines += [f"  {count:>5} {what}" for what, count in self.counts.items()]
        lines += [
            f"sign in at {self.public_url} with password {DEMO_PASSWORD} (every demo account):",
            *(f"  {role + ':':<9}{address:<34}{name}" for role, address, name in spec.accounts()),
            f"chat as a customer on the demo website: {self.public_url}/demo/site",
            f"  the {spec.SITE_TEAM} team answers it around the clock: two of its agents are",
            "  online (sign in as one), or sign in as the owner and set yourself Online.",
        ]
        return "\n".join(lines)


# A share of the demo's candidates and conversations (FRONTDESK_DEMO_VOLUME, 0 < v <= 1): the same
# organisation and stories, fewer of them. The test suite loads a smaller demo many times.
VOLUME_VARIABLE = "FRONTDESK_DEMO_VOLUME"


# Days of history (FRONTDESK_DEMO_DAYS, 15 to 90): the test suite plays fewer.
DAYS_VARIABLE = "FRONTDESK_DEMO_DAYS"
DEFAULT_DAYS = 60


def demo_days() -> int:
    raw = os.environ.get(DAYS_VARIABLE, str(DEFAULT_DAYS))
    try:
        days = int(raw)
    except ValueError:
        raise ValueError(f"{DAYS_VARIABLE} must be a whole number of days, not {raw!r}") from None
    if not 15 <= days <= 90:  # noqa: PLR2004 - the documented range
        raise ValueError(f"{DAYS_VARIABLE} must be from 15 to 90, not {raw!r}")
    return days


def demo_volume() -> float:
    raw = os.environ.get(VOLUME_VARIABLE, "1")
    try:
        volume = float(raw)
    except ValueError:
        raise ValueError(f"{VOLUME_VARIABLE} must be a number in (0, 1], not {raw!r}") from None
    if not 0 < volume <= 1:
        raise ValueError(f"{VOLUME_VARIABLE} must be in (0, 1], not {raw!r}")
    return volume


async def load_demo(
    runtime: Runtime, *, only_if_new: bool = False, progress: Progress | None = None
) -> DemoResult:
    """Load the demo unless it is there already (or, with only_if_new, unless any workspace is).

    `progress` is told what is being played, day by day, and when the reports are ready."""
    url = runtime.public_url
    async with runtime.uow() as uow:
        reason = await _reason_to_skip(uow.session, only_if_new=only_if_new)
    if reason:
        return DemoResult(created=False, public_url=url, reason=reason)
    now = runtime.clock.now()
    days = demo_days()
    clock = FrozenClock(now - timedelta(days=days))
    played = replace(runtime, clock=clock)
    # Hash once for every demo account: hashing is slow on purpose.
    setup = build_setup(now, hash_password(DEMO_PASSWORD), demo_volume(), days=days)
    async with played.uow() as uow:
        await _insert(uow.session, setup.rows)
        await uow.commit()

    def tell(line: str) -> None:
        if progress is not None:
            progress(line)

    tell(f"playing {days} days of history: {len(setup.plans)} conversations and agents' shifts")
    await create_sla_policies(played, setup.workspaces)
    await play_history(played, clock, setup, now, progress=progress)
    await seed_broadcasts(runtime, setup.workspaces)
    await catch_up_sla(runtime)
    await seed_quality(runtime, setup.workspaces)
    await seed_workflows(runtime, setup.workspaces)
    await seed_webhooks(runtime, setup.workspaces)
    await seed_contact_imports(runtime, setup.workspaces)
    await seed_similarity(runtime, setup.workspaces)
    tell(await describe_search_index(runtime, setup.workspaces))
    events = await catch_up_reports(runtime)
    tell(f"reports: {events} events read into report figures")
    async with runtime.database.read_session() as db:
        counts = await _counts(db, [dw.row.id for dw in setup.workspaces])
    return DemoResult(created=True, public_url=url, counts=counts)


@dataclass
class Setup:
    """The demo's configuration rows, and what its history is played from."""

    rows: list[Base]
    workspaces: list[DemoWorkspace]
    plans: list[Plan]


def build_setup(
    now: datetime, password_hash: str, volume: float = 1.0, *, days: int = DEFAULT_DAYS
) -> Setup:
    """The configuration rows of the demo organisation and the plan of its conversations."""
    start = now - timedelta(days=days)
    org = Organisation(id=new_id(), name=spec.ORGANISATION_NAME, created_at=start)
    owner = make_owner(org.id, password_hash, start)
    rows: list[Base] = [org, owner]
    phones: set[str] = set()
    workspaces, plans = [], []
    for full in spec.WORKSPACES:
        ws_spec = replace(
            full,
            contacts=max(12, round(full.contacts * volume)),
            conversations=max(14, round(full.conversations * volume)),
        )
        rng = random.Random(ws_spec.seed)
        dw = build_workspace(
            ws_spec, organisation_id=org.id, owner=owner, password_hash=password_hash, now=start
        )
        contacts = make_contacts(dw, rng, start, phones)
        plans += plan_conversations(dw, contacts, rng, now)
        plans += plan_history(
            dw,
            contacts,
            first=start,
            last=now - DETAILED,
            per_day=ws_spec.history_per_day * volume,
            now=now,
        )
        rows += [*dw.rows, *finish_contacts(dw, contacts, rng, start)]
        workspaces.append(dw)
    plans.sort(key=lambda p: p.opened_at)
    return Setup(rows=rows, workspaces=workspaces, plans=plans)


async def play_history(
    runtime: Runtime,
    clock: FrozenClock,
    setup: Setup,
    now: datetime,
    *,
    progress: Progress | None = None,
) -> None:
    """Agents' shifts and every conversation, through the actions, in time order."""
    replay = Replay(runtime, clock, now)
    replay.placeholders = {
        ch.row.id for dw in setup.workspaces for ch in dw.channels if ch.row.type == "whatsapp"
    }
    start = clock.now()
    for dw in setup.workspaces:
        replay.add(shifts(runtime, dw, start, now), start)
        replay.add(hourly_drains(runtime, dw, start, now), start)
    replay.add(hourly_sla(runtime, start, now), start)
    stories = Stories(replay)
    for plan in setup.plans:
        replay.add(stories.story(plan), plan.opened_at)
    if progress is not None and start + timedelta(days=7) < now:
        replay.add(_weekly(progress, start, now), start + timedelta(days=7))
    await replay.run()


async def _weekly(progress: Progress, start: datetime, now: datetime) -> AsyncIterator[datetime]:
    """Tells how far the history has been played, once a simulated week."""
    began = time.monotonic()
    moment = start + timedelta(days=7)
    while moment < now:
        progress(
            f"  played up to {moment:%Y-%m-%d} ({(moment - start).days} of "
            f"{(now - start).days} days, {time.monotonic() - began:.0f} s)"
        )
        moment += timedelta(days=7)
        if moment >= now:
            return
        yield moment


async def catch_up_reports(runtime: Runtime, batch: int = 2_000) -> int:
    """Run the report job until it has read the whole event log (facts and rollups written),
    so the reports answer at once on first sign-in. Returns the events read."""
    read = 0
    whole_hours = WHOLE_HOURS.set(True)  # a replay: hours rebuilt whole (rollups.py)
    try:
        while True:
            async with runtime.uow() as uow:
                done = await record_report_facts(uow, limit=batch)
                await uow.commit()
            read += done.events_read
            if done.events_read < batch:
                return read
    finally:
        WHOLE_HOURS.reset(whole_hours)


async def _reason_to_skip(db: AsyncSession, *, only_if_new: bool) -> str:
    if await db.scalar(select(Workspace.id).where(Workspace.slug == DEMO_SLUG)):
        return "the demo is already loaded"
    if only_if_new and await db.scalar(select(func.count()).select_from(Workspace)):
        return "the database already has a workspace; the demo was not loaded"
    slugs = [s.slug for s in spec.WORKSPACES]
    if await db.scalar(
        select(func.count()).select_from(Workspace).where(Workspace.slug.in_(slugs))
    ):
        return "a workspace uses a demo address already; the demo was not loaded"
    if await db.scalar(select(func.count()).select_from(User).where(User.email.in_(demo_emails()))):
        return "an account uses a demo email already; the demo was not loaded"
    return ""


async def _insert(db: AsyncSession, rows: list[Base]) -> None:
    """Insert table by table, parents first: the models declare no relationships to order by."""
    by_table: dict[str, list[Base]] = defaultdict(list)
    for row in rows:
        by_table[cast("Table", row.__table__).name].append(row)
    for table in Base.metadata.sorted_tables:
        if by_table.get(table.name):
            db.add_all(by_table[table.name])
            await db.flush()


async def _counts(db: AsyncSession, workspace_ids: list[uuid.UUID]) -> dict[str, int]:
    """What was loaded, by kind, in the order a person reads the summary."""
    counts = {}
    for label, model in _COUNTED:
        query = select(func.count()).select_from(model)
        if model is User:
            query = select(func.count(func.distinct(Membership.user_id))).where(
                Membership.workspace_id.in_(workspace_ids)
            )
        elif model is Workspace:
            query = query.where(Workspace.id.in_(workspace_ids))
        else:
            query = query.where(model.workspace_id.in_(workspace_ids))  # type: ignore[attr-defined]
        counts[label] = int(await db.scalar(query) or 0)
    return counts


_COUNTED: tuple[tuple[str, type[Base]], ...] = (
    ("workspaces", Workspace),
    ("people", User),
    ("teams", Team),
    ("channels (WhatsApp numbers are placeholders)", Channel),
    ("contacts", Contact),
    ("conversations", Conversation),
    ("messages", Message),
    ("canned responses", CannedResponse),
)

"""Builds the demo organisation once; running it again changes nothing.

The organisation follows the recruitment contact centre of the product brief: a workspace of
retail client companies (a team and WhatsApp numbers per client, 14 agents, two weeks of
candidate conversations) and a smaller workspace of logistics clients. Rows are written straight
through the ORM in one transaction: loading demo data is not a domain change anyone watches, so
no events are emitted. Content is seeded, so every load reads the same; times follow the clock.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password
from frontdesk.core.workspaces.models import Organisation, Team, Workspace
from frontdesk.db.base import Base
from frontdesk.db.ids import new_id
from frontdesk.demo import spec
from frontdesk.demo.contacts import finish_contacts, make_contacts
from frontdesk.demo.conversations import ConversationBuilder
from frontdesk.demo.spec import DEMO_PASSWORD, DEMO_SLUG, OWNER_EMAIL
from frontdesk.demo.workspace import build_workspace, demo_emails, make_owner

__all__ = ["AGENT_EMAIL", "DEMO_PASSWORD", "DEMO_SLUG", "OWNER_EMAIL", "DemoResult", "load_demo"]

AGENT_EMAIL = spec.email(spec.RETAIL.agents[0][1])


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
            f"sign in at {self.public_url}",
            f"  owner: {OWNER_EMAIL} with password {DEMO_PASSWORD}",
            f"  agent: {AGENT_EMAIL} with password {DEMO_PASSWORD}",
            f"chat as a customer on the demo website: {self.public_url}/demo/site",
        ]
        return "\n".join(lines)


async def load_demo(runtime: Runtime, *, only_if_new: bool = False) -> DemoResult:
    """Load the demo unless it is there already (or, with only_if_new, unless any workspace is)."""
    url = runtime.public_url
    async with runtime.uow() as uow:
        db = uow.session
        reason = await _reason_to_skip(db, only_if_new=only_if_new)
        if reason:
            return DemoResult(created=False, public_url=url, reason=reason)
        # Hash once for every demo account: hashing is slow on purpose.
        rows = build_demo(uow.now(), hash_password(DEMO_PASSWORD))
        await _insert(db, rows)
        await uow.commit()
    return DemoResult(created=True, public_url=url, counts=_counts(rows))


def build_demo(now: datetime, password_hash: str) -> list[Base]:
    """Every row of the demo organisation, built in memory and not yet added to a session."""
    org = Organisation(
        id=new_id(), name=spec.ORGANISATION_NAME, created_at=now - timedelta(days=30)
    )
    owner = make_owner(org.id, password_hash, now)
    rows: list[Base] = [org, owner]
    ids = itertools.count(1)  # numbers the placeholder WhatsApp message ids
    phones: set[str] = set()
    for ws_spec in spec.WORKSPACES:
        rng = random.Random(ws_spec.seed)
        dw = build_workspace(
            ws_spec, organisation_id=org.id, owner=owner, password_hash=password_hash, now=now
        )
        contacts = make_contacts(dw, rng, now, phones)
        conversation_rows = ConversationBuilder(dw, rng, now, ids).build(contacts)
        rows += [*dw.rows, *finish_contacts(dw, contacts, rng, now), *conversation_rows]
    return rows


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


def _counts(rows: list[Base]) -> dict[str, int]:
    """What was loaded, by kind, in the order a person reads the summary."""
    made = Counter(type(row) for row in rows)
    return {label: made[model] for label, model in _COUNTED}


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

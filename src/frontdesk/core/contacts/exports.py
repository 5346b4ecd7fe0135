"""A CSV of the contacts a list shows (its search and filters), written page by page.

One row per contact: its details, owner, tags, the channels it is known on and one column
per custom field. Owners and managers export; each export is audited with its filters.
Texts a spreadsheet would run as a formula are made inert.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.contacts.imports import workspace_fields
from frontdesk.core.contacts.queries import list_contacts
from frontdesk.core.contacts.schemas import ContactRead, Sort, Stage
from frontdesk.core.errors import Invalid
from frontdesk.core.reports.exports.writers import inert
from frontdesk.core.schemas import Input
from frontdesk.core.tags.queries import access_tags
from frontdesk.core.workspaces.models import Membership
from frontdesk.db.uow import UnitOfWork

PAGE = 500
COLUMNS = (
    "id",
    "name",
    "email",
    "phone",
    "language",
    "lifecycle_stage",
    "owner",
    "tags",
    "channels",
    "created_at",
    "updated_at",
)


class ContactExportCreate(Input):
    """The contact list's filters, as `GET /api/v1/contacts` takes them."""

    q: str | None = Field(default=None, max_length=200, description="Name, email or phone.")
    tag_id: uuid.UUID | None = None
    lifecycle_stage: Stage | None = None
    owner_id: uuid.UUID | None = None
    sort: Sort = "name"


async def audit_export(uow: UnitOfWork, actor: Actor, filters: ContactExportCreate) -> None:
    """Check the filters' ids (another workspace's are unknown: 422) and audit the export."""
    actor.require_admin()
    if filters.tag_id is not None:
        await access_tags(uow.session, actor, [filters.tag_id])
    if filters.owner_id is not None:
        member = await uow.session.scalar(
            select(Membership.id).where(
                Membership.workspace_id == actor.workspace_id,
                Membership.user_id == filters.owner_id,
            )
        )
        if member is None:
            raise Invalid("the owner must be a member of this workspace", field="owner_id")
    record_audit(
        uow,
        actor,
        "contacts.exported",
        "contact",
        None,
        q=filters.q,
        tag_id=str(filters.tag_id) if filters.tag_id else None,
        lifecycle_stage=filters.lifecycle_stage,
        owner_id=str(filters.owner_id) if filters.owner_id else None,
    )


def _line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow([inert(c) for c in cells])
    return buffer.getvalue()


def _cells(contact: ContactRead, keys: list[str]) -> list[str]:
    return [
        str(contact.id),
        contact.name,
        contact.email or "",
        contact.phone or "",
        contact.language or "",
        contact.lifecycle_stage or "",
        contact.owner.name if contact.owner else "",
        ", ".join(t.name for t in contact.tags),
        ", ".join(f"{i.channel_name}: {i.provider_id}" for i in contact.identities),
        contact.created_at.isoformat(),
        contact.updated_at.isoformat(),
        *("" if contact.fields.get(k) is None else str(contact.fields[k]) for k in keys),
    ]


async def contact_csv(
    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]],
    actor: Actor,
    filters: ContactExportCreate,
) -> AsyncIterator[str]:
    """The CSV's lines: a header, then the contacts a page at a time (a session each)."""
    async with sessions() as db:
        keys = sorted(await workspace_fields(db, actor.workspace_id))
    yield "\ufeff" + _line([*COLUMNS, *(f"field:{k}" for k in keys)])
    cursor: str | None = None
    while True:
        async with sessions() as db:
            page = await list_contacts(
                db,
                actor,
                q=filters.q,
                tag_id=filters.tag_id,
                lifecycle_stage=filters.lifecycle_stage,
                owner_id=filters.owner_id,
                sort=filters.sort,
                limit=PAGE,
                cursor=cursor,
            )
        yield "".join(_line(_cells(c, keys)) for c in page.items)
        cursor = page.next_cursor
        if cursor is None:
            return

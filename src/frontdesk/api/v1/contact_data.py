"""A workspace's contacts as data: a CSV of any list, duplicate suggestions, and privacy
requests about one contact (their data as a zip, and erasing them). Owners and managers."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import Response, StreamingResponse

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.core.contacts.duplicates import find_duplicates
from frontdesk.core.contacts.duplicates_schemas import DuplicateGroupList
from frontdesk.core.contacts.exports import ContactExportCreate, audit_export, contact_csv
from frontdesk.core.contacts.privacy import erase_contact, export_contact_data
from frontdesk.core.contacts.queries import access_contact
from frontdesk.core.reports.exports.run import storage_of

router = APIRouter()

NO_STORE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


@router.post("/export", response_class=StreamingResponse)
async def export_contacts(
    filters: ContactExportCreate, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> StreamingResponse:
    """The contacts the list shows with these filters, as CSV (streamed; audited)."""
    await audit_export(uow, actor, filters)
    await uow.commit()
    day = runtime.clock.now().date().isoformat()
    return StreamingResponse(
        contact_csv(runtime.database.read_session, actor, filters),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="contacts-{day}.csv"', **NO_STORE},
    )


@router.get("/duplicates")
async def read_duplicates(actor: ActorDep, db: ReaderDep) -> DuplicateGroupList:
    """Contacts sharing a phone or an email, grouped, for merging."""
    return DuplicateGroupList(items=await find_duplicates(db, actor))


@router.post("/{contact_id}/data-export", response_class=Response)
async def export_contact_privacy_data(
    contact_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> Response:
    """Everything kept about the contact, as a zip: contact.json and their files."""
    actor.require_admin()
    contact = await access_contact(uow.session, actor, contact_id)
    data = await export_contact_data(uow, actor, contact, storage_of(runtime))
    await uow.commit()
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": f'attachment; filename="contact-{contact_id}.zip"',
            **NO_STORE,
        },
    )


@router.post("/{contact_id}/erase", status_code=204)
async def erase_contact_data(
    contact_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> None:
    """Delete the contact with their conversations, messages and files (a privacy request)."""
    actor.require_admin()
    contact = await access_contact(uow.session, actor, contact_id, for_update=True)
    await erase_contact(uow, actor, contact, storage_of(runtime))
    await uow.commit()

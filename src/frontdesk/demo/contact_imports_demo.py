"""Contact imports in the demo: the logistics workspace's manager imported a CSV from a job
fair (a few rows refused, a few matching known candidates), and two candidates were typed in
by hand with the phone of someone already known, so the duplicates tab has something to merge.

Everything goes through the product's actions: the upload, the start with a mapping and the
import job's own handler, and contact creation.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from frontdesk.core.actor import Actor
from frontdesk.core.contacts.actions import create_contact
from frontdesk.core.contacts.imports import (
    IMPORT_JOB,
    access_import,
    start_import,
    upload_import,
)
from frontdesk.core.contacts.imports_schemas import ContactImportStart
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.schemas import ContactCreate
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Role
from frontdesk.db.outbox import Job
from frontdesk.demo.spec import LOGISTICS_SLUG
from frontdesk.demo.workspace import DemoWorkspace
from frontdesk.jobs.contact_imports import import_contacts

FAIR = (
    ("Lan Phạm", "+84 90 311 2001", "lan.pham@example.com", "new_lead"),
    ("Quang Võ", "+84 90 311 2002", "quang.vo@example.com", "hot_lead"),
    ("Thảo Đặng", "090 311 2003", "thao.dang@example.com", "new_lead"),
    ("Minh Bùi", "+84 90 311 2004", "", "hot lead"),
    ("Huy Lý", "+84 90 311 2005", "huy.ly@example", "new_lead"),  # refused: the email
    ("Vy Đỗ", "12345", "vy.do@example.com", "new_lead"),  # refused: the phone
    ("Khoa Tạ", "+84 90 311 2007", "khoa.ta@example.com", "candidate"),  # refused: the stage
    ("An Hồ", "+84 90 311 2008", "an.ho@example.com", "customer"),
)
HEADER = "Họ và tên;Số điện thoại;Email;Giai đoạn"


async def _known(runtime: Runtime, dw: DemoWorkspace, count: int) -> list[Contact]:
    async with runtime.database.read_session() as db:
        return list(
            await db.scalars(
                select(Contact)
                .where(Contact.workspace_id == dw.row.id, Contact.phone.is_not(None))
                .order_by(Contact.created_at, Contact.id)
                .limit(count)
            )
        )


async def seed_contact_imports(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    dw = next((w for w in workspaces if w.spec.slug == LOGISTICS_SLUG), None)
    if dw is None or runtime.storage is None:
        return
    actor = Actor(workspace_id=dw.row.id, role=Role.MANAGER, user_id=dw.supervisor.id)
    known = await _known(runtime, dw, 4)
    # Two rows of the fair's sheet are candidates already known: the import updates them.
    rows = [*FAIR, *((c.name, c.phone or "", "", "hot_lead") for c in known[:2])]
    text = "\n".join([HEADER, *(";".join(r) for r in rows)]) + "\n"
    async with runtime.uow() as uow:
        draft = await upload_import(
            uow, actor, runtime.storage, "hoi-cho-viec-lam.csv", text.encode("utf-8-sig")
        )
        await uow.commit()
    async with runtime.uow() as uow:
        record = await access_import(uow.session, actor, draft.id, for_update=True)
        await start_import(
            uow,
            actor,
            record,
            ContactImportStart(
                mapping=dict(draft.suggested_mapping),
                default_region="VN",
            ),
        )
        await uow.commit()
    await import_contacts(runtime, {"import_id": str(draft.id)})
    async with runtime.uow() as uow:  # done already: the worker has nothing left to run
        await uow.session.execute(delete(Job).where(Job.kind == IMPORT_JOB))
        await uow.commit()
    # Typed in by hand at the fair with the phone of someone already known: duplicates.
    for contact, name in zip(known[2:], ("Tuấn (hội chợ)", "Hà (hội chợ)"), strict=False):
        async with runtime.uow() as uow:
            await create_contact(uow, actor, ContactCreate(name=name, phone=contact.phone))
            await uow.commit()

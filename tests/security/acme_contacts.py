"""Acme's objects for the tenant sweep: a contact import (uploaded, not started) and a merge
of two of its contacts (undoable)."""

from __future__ import annotations

from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.factories import Factory


async def acme_contacts_objects(runtime: Runtime, world: World) -> dict[str, str]:
    acme = world.acme.workspace
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        kept = await f.contact(acme, "Hana", phone="+84901111111")
        merged = await f.contact(acme, "Hana T.", phone="+84901111111")
        await s.commit()
    async with world.client("alice") as alice:
        uploaded = await alice.post(
            "/api/v1/contact-imports",
            files={"file": ("people.csv", b"name,phone\nIan,+84902222222\n", "text/csv")},
        )
        assert uploaded.status_code == 201, uploaded.text
        merge = await alice.post(
            "/api/v1/contact-merges",
            json={"kept_contact_id": str(kept.id), "merged_contact_id": str(merged.id)},
        )
        assert merge.status_code == 201, merge.text
    return {"import_id": uploaded.json()["id"], "merge_id": merge.json()["id"]}

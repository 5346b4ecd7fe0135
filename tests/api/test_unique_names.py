"""Names and keys unique per workspace answer 409 naming the field, never 500: whatever the
script of the name (SQLite's lower() folds ASCII only), and when two requests race to create
the same one (the second meets the unique constraint, not the check before it)."""

from __future__ import annotations

import asyncio
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select, text

from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.tags.models import ContactTag, ConversationTag, Tag
from frontdesk.core.workspaces.models import Membership, Team
from tests.conftest import World
from tests.factories import PASSWORD


@dataclass(frozen=True)
class Kind:
    url: str
    field: str
    model: Any
    extra: dict[str, Any]

    def body(self, value: str) -> dict[str, Any]:
        return {self.field: value, **self.extra}

    def row(self, workspace_id: uuid.UUID, value: str, now: datetime) -> Any:
        columns = {"workspace_id": workspace_id, "created_at": now, self.field: value}
        if self.model is CannedResponse:
            columns.update(title="Hi", body="Hello", updated_at=now)
        if self.model is CustomFieldDefinition:
            columns.update(label="City", field_type="text", options=[])
        if self.model is Tag:
            columns.update(color="gray", is_outcome=False)
        return self.model(**columns)


OSCAR = "oscar@other.test"  # a member of another workspace, with an account already
TAGS = Kind("/api/v1/tags", "name", Tag, {})
TEAMS = Kind("/api/v1/teams", "name", Team, {})
FIELDS = Kind(
    "/api/v1/custom-fields", "key", CustomFieldDefinition, {"label": "City", "field_type": "text"}
)
CANNED = Kind("/api/v1/canned-responses", "shortcut", CannedResponse, {"title": "Hi", "body": "Hi"})
NAMED = {"tags": TAGS, "teams": TEAMS}
ALL = {**NAMED, "custom fields": FIELDS, "canned responses": CANNED}
# (existing, new): exact repeats and other cases of names outside ASCII.
CLASHES = [
    ("Ação", "Ação"),
    ("AÇÃO", "AÇÃO"),
    ("Ação", "AÇÃO"),
    ("ĐÀO TẠO", "ĐÀO TẠO"),
    ("ĐÀO TẠO", "đào tạo"),
    ("đào tạo", "Đào Tạo"),
    ("Straße", "STRASSE"),
    # The same letters, composed or not (NFC and NFD).
    ("Ação", "Ac\u0327a\u0303o"),
]


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("kind", list(NAMED.values()), ids=list(NAMED))
@pytest.mark.parametrize(("existing", "new"), CLASHES)
async def test_names_clash_whatever_their_case_in_any_script(
    world: World, runtime: Runtime, kind: Kind, existing: str, new: str
) -> None:
    async with world.client("alice") as alice:
        first = await alice.post(kind.url, json=kind.body(existing))
        assert first.status_code == 201, first.text
        before = await _count(runtime, kind.model)
        again = await alice.post(kind.url, json=kind.body(new))
        other = await alice.post(kind.url, json=kind.body("Something else"))
        renamed = await alice.patch(f"{kind.url}/{other.json()['id']}", json=kind.body(new))
    assert again.status_code == 409, again.text
    assert again.json()["error"]["details"]["field"] == kind.field
    assert renamed.status_code == 409, renamed.text
    assert await _count(runtime, kind.model) == before + 1  # only "Something else"


async def test_a_name_differing_only_in_accents_is_another_name(world: World) -> None:
    async with world.client("alice") as alice:
        assert (await alice.post(TAGS.url, json={"name": "Ação"})).status_code == 201
        assert (await alice.post(TAGS.url, json={"name": "Acao"})).status_code == 201


async def _until_waiting_on_a_lock(runtime: Runtime, request: asyncio.Task[Any]) -> None:
    """Until the request waits on the row the racing session inserted (PostgreSQL shows it; on
    SQLite the request waits for the one writer, wherever it has got to)."""
    if runtime.database.is_sqlite:
        return
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 30
    probe = text(
        "SELECT count(*) FROM pg_stat_activity"
        " WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    while True:
        assert not request.done(), request.result().text
        async with runtime.database.reader.connect() as conn:
            if await conn.scalar(probe):
                return
        assert loop.time() < deadline, "the request never waited for the racing insert"
        await asyncio.sleep(0.01)


@pytest.mark.parametrize("kind", list(ALL.values()), ids=list(ALL))
async def test_racing_creates_of_one_name_give_one_row_and_a_409(
    world: World, runtime: Runtime, kind: Kind
) -> None:
    """The racing session has inserted the name but not committed when the request checks
    (PostgreSQL: the check finds nothing, and the insert waits on the unique key until the
    racer commits, then fails); the request must still answer 409."""
    value = "onboarding"
    async with world.client("alice") as alice:
        async with runtime.database.write_session() as racer:
            racer.add(kind.row(world.acme.id, value, runtime.clock.now()))
            await racer.flush()
            request = asyncio.create_task(alice.post(kind.url, json=kind.body(value)))
            await _until_waiting_on_a_lock(runtime, request)
            await racer.commit()
        answer = await asyncio.wait_for(request, timeout=30)
    assert answer.status_code == 409, answer.text
    assert answer.json()["error"]["details"]["field"] == kind.field
    async with runtime.database.read_session() as db:
        column = getattr(kind.model, kind.field)
        rows = await db.scalar(select(func.count()).select_from(kind.model).where(column == value))
    assert rows == 1


@pytest.mark.parametrize("target", ["conversation", "contact"])
async def test_tagging_at_the_same_moment_as_someone_else_is_not_a_500(
    world: World, runtime: Runtime, target: str
) -> None:
    """Two people put one tag on one conversation (or contact) at once: the second waits for the
    first (PostgreSQL: its lock of the row waits for the first's insert, which holds a key-share
    lock on it; SQLite: one writer at a time), then finds the tag there. No unique-key error."""
    async with world.client("alice") as alice:
        tag = (await alice.post(TAGS.url, json={"name": "Urgent"})).json()["id"]
        now = runtime.clock.now()
        if target == "conversation":
            owner = world.acme.conversations["erin_support"].id
            url = f"/api/v1/conversations/{owner}/tags"
            row: Any = ConversationTag(
                workspace_id=world.acme.id,
                conversation_id=owner,
                tag_id=uuid.UUID(tag),
                created_at=now,
            )
        else:
            owner = world.acme.contacts["erin"].id
            url = f"/api/v1/contacts/{owner}/tags"
            row = ContactTag(
                workspace_id=world.acme.id, contact_id=owner, tag_id=uuid.UUID(tag), created_at=now
            )
        async with runtime.database.write_session() as racer:
            racer.add(row)
            await racer.flush()
            request = asyncio.create_task(alice.put(url, json={"tag_ids": [tag]}))
            await _until_waiting_on_a_lock(runtime, request)
            await racer.commit()
        answer = await asyncio.wait_for(request, timeout=30)
    assert answer.status_code == 200, answer.text
    assert [t["id"] for t in answer.json()["tags"]] == [tag]
    model = ConversationTag if target == "conversation" else ContactTag
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(model)) == 1


async def test_accepting_an_invitation_at_the_same_moment_as_another_is_a_409(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    """Oscar accepts an invitation to acme while his other invitation to acme is being accepted
    (its membership row inserted, not yet committed): 409, one membership, not a 500."""
    async with world.client("alice") as alice:
        sent = await alice.post("/api/v1/invitations", json={"email": OSCAR, "role": "viewer"})
    assert sent.status_code == 201, sent.text
    match = re.search(r"/invite/([A-Za-z0-9_-]+)", mailer.sent[-1].get_content())
    assert match is not None
    oscar = world.persona("oscar").user
    async with world.client("alice") as browser:
        async with runtime.database.write_session() as racer:
            racer.add(
                Membership(
                    workspace_id=world.acme.id,
                    user_id=oscar.id,
                    role="agent",
                    created_at=runtime.clock.now(),
                )
            )
            await racer.flush()
            request = asyncio.create_task(
                browser.post(
                    f"/api/v1/auth/invitations/{match.group(1)}/accept", json={"password": PASSWORD}
                )
            )
            await _until_waiting_on_a_lock(runtime, request)
            await racer.commit()
        answer = await asyncio.wait_for(request, timeout=30)
    assert answer.status_code == 409, answer.text
    async with runtime.database.read_session() as db:
        rows = await db.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == world.acme.id, Membership.user_id == oscar.id)
        )
    assert rows == 1

"""Published versions: each publish writes a new immutable version the trigger runs, the diff
between two of them (or the draft) says which steps and fields moved, and a rollback publishes
an old definition again as a new version."""

from __future__ import annotations

import copy
import uuid

from sqlalchemy import select

from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import Workflow
from frontdesk.db.outbox import EventLogEntry
from tests.api.workflow_helpers import API, definition, ok, published, stored
from tests.conftest import World


async def test_publish_edit_publish_diff_and_roll_back(world: World, runtime: Runtime) -> None:
    alice = world.client("alice")
    workflow, first = await published(alice)
    url = f"{API}/{workflow['id']}"
    assert (first["number"], first["trigger_type"], first["is_current"]) == (1, "shortcut", True)
    assert first["definition"] == stored(definition())
    assert first["webhook_secret"] is None
    current = await ok(alice.get(url))
    assert (current["status"], current["published_version"]) == ("active", 1)
    assert current["has_unpublished_changes"] is False

    edited = copy.deepcopy(definition())
    edited["steps"][0]["config"]["text"] = "Hello again"
    edited["steps"][0]["next"] = {"next": "tag"}
    edited["steps"].insert(
        1,
        {
            "id": "tag",
            "type": "note",
            "config": {"text": "Second note"},
            "next": {"next": "done"},
        },
    )
    edited["steps"] = [s for s in edited["steps"] if s["id"] != "wait"]
    saved = await ok(alice.patch(url, json={"version": current["version"], "draft": edited}))
    assert saved["has_unpublished_changes"] is True
    # The published version does not move with the draft.
    assert (await ok(alice.get(f"{url}/versions/1")))["definition"] == stored(definition())

    pending = await ok(alice.get(f"{url}/diff"))  # the version in force → the draft
    assert (pending["from_version"], pending["to_version"]) == ("1", "draft")
    assert [s["step_id"] for s in pending["steps_added"]] == ["tag"]
    assert [s["step_id"] for s in pending["steps_removed"]] == ["wait"]
    assert pending["steps_changed"] == [
        {
            "step_id": "note",
            "type": "note",
            "name": "Note",
            "fields": ["config.text", "next.next"],
        }
    ]
    assert (pending["trigger_changed"], pending["start_changed"]) == (False, False)

    second = await ok(alice.post(f"{url}/publish", json={"note": "Two notes"}), 201)
    assert (second["number"], second["note"]) == (2, "Two notes")
    between = await ok(alice.get(f"{url}/diff", params={"from": "1", "to": "2"}))
    assert between["steps_changed"] == pending["steps_changed"]
    assert (await ok(alice.get(f"{url}/diff", params={"from": "2", "to": "draft"})))[
        "steps_changed"
    ] == []

    rolled = await ok(alice.post(f"{url}/rollback", json={"number": 1}), 201)
    assert (rolled["number"], rolled["is_current"]) == (3, True)
    assert rolled["note"] == "rolled back to version 1"
    assert rolled["definition"] == stored(definition())
    after = await ok(alice.get(url))
    assert (after["published_version"], after["draft"]) == (3, stored(definition()))
    history = await ok(alice.get(f"{url}/versions"))
    assert [(v["number"], v["is_current"]) for v in history] == [
        (3, True),
        (2, False),
        (1, False),
    ]
    assert (await ok(alice.get(f"{url}/diff", params={"from": "1", "to": "3"})))[
        "steps_changed"
    ] == []
    assert (await alice.get(f"{url}/versions/9")).status_code == 404
    assert (await alice.get(f"{url}/diff", params={"from": "9"})).status_code == 422
    async with runtime.database.read_session() as s:
        row = await s.scalar(select(Workflow).where(Workflow.id == uuid.UUID(workflow["id"])))
        changes = list(
            await s.scalars(
                select(EventLogEntry.payload)
                .where(EventLogEntry.type == "workflow.changed")
                .order_by(EventLogEntry.id)
            )
        )
    assert [c["change"] for c in changes] == [
        "created",
        "published",
        "updated",
        "published",
        "rolled_back",
    ]
    assert [c["workflow"]["published_version"] for c in changes] == [None, 1, 1, 2, 3]
    assert [c["workflow"]["has_unpublished_changes"] for c in changes] == [
        True,
        False,
        True,
        False,
        False,
    ]
    assert row is not None
    assert (row.trigger_type, str(row.published_version_id)) == ("shortcut", rolled["id"])


async def test_a_changed_trigger_shows_in_the_diff_and_in_force_after_publish(
    world: World,
) -> None:
    dave = world.client("dave")
    workflow, _ = await published(dave)
    url = f"{API}/{workflow['id']}"
    scheduled = definition("schedule", cron="0 9 * * 1-5", timezone="Europe/Lisbon")
    current = await ok(dave.get(url))
    await ok(dave.patch(url, json={"version": current["version"], "draft": scheduled}))
    diff = await ok(dave.get(f"{url}/diff"))
    assert diff["trigger_changed"] is True
    assert (diff["trigger_before"]["type"], diff["trigger_after"]["type"]) == (
        "shortcut",
        "schedule",
    )
    # The draft's trigger is not in force until published: still a shortcut.
    assert [s["id"] for s in await ok(dave.get(f"{API}/shortcuts"))] == [workflow["id"]]
    await ok(dave.post(f"{url}/publish", json={}), 201)
    assert await ok(dave.get(f"{API}/shortcuts")) == []
    now_in_force = await ok(dave.get(url))
    assert (now_in_force["trigger_type"], now_in_force["draft_trigger_type"]) == (
        "schedule",
        "schedule",
    )
    # Monday 5 January 2026, 09:00 UTC: the next weekday 09:00 in Lisbon (UTC+0 in winter).
    assert now_in_force["next_fire_at"].startswith("2026-01-06T09:00:00")

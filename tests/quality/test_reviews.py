"""Scorecards (validated, versioned once used), the review queue, submitting a review with
comments on messages (the agent is notified), the agent's own reviews and their thread, and
QA scores in reports."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World
from tests.quality.helpers import SCORECARD, answers, closed_conversations

Q = "/api/v1/quality"


async def _scorecard(world: World, body: dict[str, Any] = SCORECARD) -> dict[str, Any]:
    async with world.client("dave") as dave:
        r = await dave.post(f"{Q}/scorecards", json=body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def _queue(world: World, runtime: Runtime, agent: str = "bob", count: int = 1) -> list[str]:
    """Sample `count` closed conversations of `agent`: the ids of their pending reviews."""
    await closed_conversations(runtime, world.acme, agent, count)
    async with world.client("alice") as alice:
        put = await alice.put(f"{Q}/settings", json={"per_agent": count, "per_new_agent": count})
        assert put.status_code == 200, put.text
        assert (await alice.post(f"{Q}/samples")).json()["picked"] == count
        query = {"status": "pending", "agent_id": str(world.acme.members[agent].id)}
        items = (await alice.get(f"{Q}/reviews", params=query)).json()["items"]
    return [i["id"] for i in items]


async def test_a_scorecard_holds_weighted_categories_and_is_validated(world: World) -> None:
    card = await _scorecard(world)
    assert card["max_points"] == 4
    assert card["version"] == 1
    assert [c["name"] for c in card["categories"]] == ["Greeting", "Resolution"]
    assert [i["kind"] for i in card["categories"][1]["items"]] == [
        "yes_no_partial",
        "scale",
        "yes_no",
    ]
    assert card["categories"][1]["items"][2]["is_critical"] is True
    bad: list[dict[str, Any]] = []
    changes: list[Callable[[dict[str, Any]], None]] = [
        lambda b: b.update(categories=[]),
        lambda b: b["categories"][0].update(weight=0),
        lambda b: b["categories"][0].update(items=[]),
        lambda b: b["categories"][0]["items"][0].update(kind="stars"),
        lambda b: b.update(name=""),
        lambda b: b.update(colour="red"),
    ]
    for change in changes:
        body = copy.deepcopy(SCORECARD)
        change(body)
        bad.append(body)
    async with world.client("dave") as dave:
        for body in bad:
            assert (await dave.post(f"{Q}/scorecards", json=body)).status_code == 422, body
        listed = (await dave.get(f"{Q}/scorecards")).json()
    assert [c["id"] for c in listed] == [card["id"]]
    async with world.client("bob") as bob:
        assert (await bob.post(f"{Q}/scorecards", json=SCORECARD)).status_code == 403
        assert (await bob.get(f"{Q}/scorecards")).status_code == 403


async def test_editing_a_used_scorecard_makes_a_new_version_the_review_keeps_the_old(
    world: World, runtime: Runtime
) -> None:
    card = await _scorecard(world)
    renamed = {**SCORECARD, "name": "Support quality (draft 2)"}
    async with world.client("dave") as dave:
        # Unused: changed in place.
        same = (await dave.put(f"{Q}/scorecards/{card['id']}", json=renamed)).json()
        assert (same["id"], same["version"]) == (card["id"], 1)
    card = same
    [review_id] = await _queue(world, runtime)
    async with world.client("dave") as dave:
        r = await dave.post(
            f"{Q}/reviews/{review_id}/submit",
            json={
                "scorecard_id": card["id"],
                "answers": answers(card, ["yes", "yes", "5", "yes"]),
            },
        )
        assert r.status_code == 200, r.text
        edited = copy.deepcopy(SCORECARD)
        edited["categories"][0]["weight"] = 5
        new = (await dave.put(f"{Q}/scorecards/{card['id']}", json=edited)).json()
        assert (new["version"], new["lineage_id"], new["max_points"]) == (2, card["id"], 8)
        assert new["id"] != card["id"]
        # The old version stays readable and unchanged; it can no longer be edited.
        old = (await dave.get(f"{Q}/scorecards/{card['id']}")).json()
        assert (old["max_points"], old["is_current"], old["is_used"]) == (4, False, True)
        again = await dave.put(f"{Q}/scorecards/{card['id']}", json=edited)
        assert again.status_code == 409
        listed = (await dave.get(f"{Q}/scorecards")).json()
        assert [c["id"] for c in listed] == [new["id"]]
        review = (await dave.get(f"{Q}/reviews/{review_id}")).json()
    assert review["scorecard"]["id"] == card["id"]
    assert review["scorecard"]["max_points"] == 4


async def test_a_submitted_review_reaches_the_agent_who_replies(
    world: World, runtime: Runtime
) -> None:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    dave_id = str(world.acme.members["dave"].id)
    async with world.client("alice") as alice:
        assigned = await alice.patch(f"{Q}/reviews/{review_id}", json={"reviewer_id": dave_id})
        assert assigned.status_code == 200, assigned.text
        # A reviewer is an owner or manager.
        agent = str(world.acme.members["carol"].id)
        refused = await alice.patch(f"{Q}/reviews/{review_id}", json={"reviewer_id": agent})
        assert refused.status_code == 422
    async with world.client("bob") as bob:
        # Pending: not Bob's to see yet.
        assert (await bob.get(f"{Q}/reviews/{review_id}")).status_code == 404
        assert (await bob.get(f"{Q}/reviews")).json()["items"] == []
    async with world.client("dave") as dave:
        queue = (await dave.get(f"{Q}/reviews", params={"reviewer_id": dave_id})).json()
        assert [r["id"] for r in queue["items"]] == [review_id]
        detail = (await dave.get(f"{Q}/reviews/{review_id}")).json()
        message_id = detail["messages"][0]["id"]
        r = await dave.post(
            f"{Q}/reviews/{review_id}/submit",
            json={
                "scorecard_id": card["id"],
                # Greeting no (0 of 1), resolution partial, 4, yes: (0.5+0.75+1)/3 = 0.75 of 3.
                "answers": answers(card, ["no", "partial", "4", "yes"]),
                "message_comments": [{"message_id": message_id, "body": "Greet by name here"}],
                "comment": "Good answer, warmer greeting next time",
            },
        )
        assert r.status_code == 200, r.text
        submitted = r.json()
        again = await dave.post(
            f"{Q}/reviews/{review_id}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes"] * 3 + ["yes"])},
        )
        assert again.status_code == 409
    assert (submitted["status"], submitted["score"], submitted["is_failed"]) == (
        "submitted",
        56.25,
        False,
    )
    assert submitted["reviewer"]["name"] == "Dave"
    assert [(c["message_id"], c["body"]) for c in submitted["comments"]] == [
        (message_id, "Greet by name here")
    ]
    async with world.client("bob") as bob:
        notes = (await bob.get("/api/v1/notifications")).json()["items"]
        assert [(n["kind"], n["actor"]["name"]) for n in notes] == [("review", "Dave")]
        mine = (await bob.get(f"{Q}/reviews")).json()["items"]
        assert [(r["id"], r["score"]) for r in mine] == [(review_id, 56.25)]
        seen = (await bob.get(f"{Q}/reviews/{review_id}")).json()
        assert seen["comment"] == "Good answer, warmer greeting next time"
        reply = await bob.post(f"{Q}/reviews/{review_id}/replies", json={"body": "Thanks, will do"})
        assert reply.status_code == 201, reply.text
        # Bob may not assign nor submit.
        assert (
            await bob.patch(f"{Q}/reviews/{review_id}", json={"reviewer_id": None})
        ).status_code == 403
    thread = [(c["author"]["name"], c["body"]) for c in reply.json()["comments"]]
    assert thread[-1] == ("Bob", "Thanks, will do")
    async with world.client("dave") as dave:
        told = (await dave.get("/api/v1/notifications")).json()["items"]
        assert [(n["kind"], n["actor"]["name"]) for n in told] == [("review", "Bob")]
    async with world.client("carol") as carol:
        # Someone else's review is "not found", and her own list is empty.
        assert (await carol.get(f"{Q}/reviews/{review_id}")).status_code == 404
        assert (await carol.get(f"{Q}/reviews")).json()["items"] == []
        answer = await carol.post(f"{Q}/reviews/{review_id}/replies", json={"body": "Me too"})
        assert answer.status_code == 404
    async with runtime.database.read_session() as s:
        events = list(await s.scalars(select(EventLogEntry.type).order_by(EventLogEntry.id)))
        audited = set(await s.scalars(select(AuditLogEntry.action)))
    for wire in (
        "quality_scorecard.changed",
        "quality_review.sampled",
        "quality_review.assigned",
        "quality_review.submitted",
        "quality_review.replied",
        "notification.created",
    ):
        assert wire in events, wire
    assert {
        "quality_scorecard.created",
        "quality_review.assigned",
        "quality_review.submitted",
        "quality.settings_updated",
    } <= audited


async def test_a_failed_critical_item_scores_0(world: World, runtime: Runtime) -> None:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    async with world.client("dave") as dave:
        r = await dave.post(
            f"{Q}/reviews/{review_id}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes", "yes", "5", "no"])},
        )
    assert (r.json()["score"], r.json()["is_failed"]) == (0.0, True)


async def test_a_submission_is_checked_whole_and_writes_nothing_when_refused(
    world: World, runtime: Runtime
) -> None:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    good = answers(card, ["yes", "yes", "5", "yes"])
    async with runtime.database.read_session() as s:
        foreign_message = await s.scalar(
            select(Message.id).where(
                Message.conversation_id == world.acme.conversations["erin_support"].id
            )
        )
    cases: list[dict[str, Any]] = [
        {"answers": good[:-1]},  # an item unanswered
        {"answers": [*good, good[0]]},  # an item twice
        {"answers": [*good[:-1], {"item_id": str(uuid.uuid4()), "value": "yes"}]},
        {"answers": [*good[:-1], {"item_id": good[-1]["item_id"], "value": "partial"}]},
        {"answers": [*good[:-2], {"item_id": good[-2]["item_id"], "value": "6"}]},
        {"answers": good, "reviewer_id": None},  # not a field of a submission
        {"answers": good, "scorecard_id": str(uuid.uuid4())},
        {"answers": good, "message_comments": [{"message_id": str(foreign_message), "body": "?"}]},
    ]
    async with world.client("dave") as dave:
        for case in cases:
            body = {"scorecard_id": card["id"], **case}
            r = await dave.post(f"{Q}/reviews/{review_id}/submit", json=body)
            assert r.status_code == 422, (case, r.text)
        review = (await dave.get(f"{Q}/reviews/{review_id}")).json()
    assert (review["status"], review["answers"], review["comments"]) == ("pending", [], [])


async def test_qa_scores_per_agent_by_week_and_the_team_average(
    world: World, runtime: Runtime
) -> None:
    card = await _scorecard(world)
    bob_reviews = await _queue(world, runtime, "bob", 2)
    carol_reviews = await _queue(world, runtime, "carol", 1)
    scores = {}
    async with world.client("dave") as dave:
        for review_id, values in zip(
            [*bob_reviews, *carol_reviews],
            [["yes", "yes", "5", "yes"], ["no", "partial", "4", "yes"], ["yes", "yes", "5", "no"]],
            strict=True,
        ):
            r = await dave.post(
                f"{Q}/reviews/{review_id}/submit",
                json={"scorecard_id": card["id"], "answers": answers(card, values)},
            )
            scores[review_id] = r.json()["score"]
        report = await dave.get(
            "/api/v1/reports/quality", params={"period": "last_7_days", "tz": "UTC"}
        )
    assert report.status_code == 200, report.text
    data = report.json()
    assert sorted(scores.values()) == [0.0, 56.25, 100.0]
    assert data["current"] == {"reviews": 3, "failed": 1, "average_score": 52.08}
    rows = {a["name"]: a for a in data["agents"]}
    assert rows["Bob"]["figures"] == {"reviews": 2, "failed": 0, "average_score": 78.12}
    assert rows["Carol"]["figures"] == {"reviews": 1, "failed": 1, "average_score": 0.0}
    # The conversations were closed a day before the frozen clock's Monday: the week before.
    [week] = data["series"]
    assert week["start"].startswith("2025-12-29")
    assert week["reviews"] == 3
    async with world.client("bob") as bob:
        own = (await bob.get("/api/v1/reports/quality", params={"period": "last_7_days"})).json()
    assert [a["name"] for a in own["agents"]] == ["Bob"]
    assert own["current"]["reviews"] == 2
    async with world.client("dave") as dave:
        by_day = await dave.get(
            "/api/v1/reports/quality", params={"period": "last_7_days", "group_by": "day"}
        )
        refused = await dave.get("/api/v1/reports/quality", params={"group_by": "hour"})
    assert [p["start"][:10] for p in by_day.json()["series"]] == ["2026-01-04"]
    assert refused.status_code == 422
    before = await dave_report_last_week(world, runtime)
    assert before["current"]["reviews"] == 0


async def dave_report_last_week(world: World, runtime: Runtime) -> dict[str, Any]:
    """A period that ends before the reviewed conversations closed: nothing in it."""
    day = (runtime.clock.now() - timedelta(days=10)).date().isoformat()
    async with world.client("dave") as dave:
        r = await dave.get(
            "/api/v1/reports/quality",
            params={"period": "custom", "start_date": day, "end_date": day},
        )
    return dict(r.json())

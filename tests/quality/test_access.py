"""Who may do what with quality reviews: viewers read scorecards and the QA report but no
review and change nothing; a client viewer sees nothing of quality; a reviewer's reply reaches
the agent; an archived scorecard is offered for no new review but keeps its reviews."""

from __future__ import annotations

from typing import Any

from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.quality.helpers import SCORECARD, answers
from tests.quality.test_reviews import Q, _queue, _scorecard


async def _submitted(world: World, runtime: Runtime) -> tuple[dict[str, Any], str]:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    async with world.client("dave") as dave:
        r = await dave.post(
            f"{Q}/reviews/{review_id}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes", "yes", "3", "yes"])},
        )
        assert r.status_code == 200, r.text
    return card, review_id


async def test_a_viewer_reads_scorecards_and_the_report_but_no_review(
    world: World, runtime: Runtime
) -> None:
    card, review_id = await _submitted(world, runtime)
    async with world.client("vera") as vera:
        assert [c["id"] for c in (await vera.get(f"{Q}/scorecards")).json()] == [card["id"]]
        assert (await vera.get(f"{Q}/settings")).status_code == 200
        report = await vera.get("/api/v1/reports/quality", params={"period": "last_7_days"})
        assert report.json()["current"]["reviews"] == 1
        assert (await vera.get(f"{Q}/reviews")).json()["items"] == []
        assert (await vera.get(f"{Q}/reviews/{review_id}")).status_code == 404
        for method, path, body in (
            ("post", f"{Q}/scorecards", SCORECARD),
            ("put", f"{Q}/scorecards/{card['id']}", SCORECARD),
            ("post", f"{Q}/scorecards/{card['id']}/archive", None),
            ("post", f"{Q}/reviews/{review_id}/replies", {"body": "I watch"}),
        ):
            r = await vera.request(method, path, json=body)
            assert r.status_code == 403, (path, r.text)


async def test_a_client_viewer_sees_nothing_of_quality(world: World, runtime: Runtime) -> None:
    card, review_id = await _submitted(world, runtime)
    vera = world.persona("vera")
    support = str(world.acme.teams["support"].id)
    async with world.client("alice") as alice:
        scoped = await alice.patch(
            f"/api/v1/members/{vera.id}", json={"client_scope": {"team_ids": [support]}}
        )
        assert scoped.status_code == 200, scoped.text
    async with world.client("vera") as client:
        for path in (
            f"{Q}/scorecards",
            f"{Q}/scorecards/{card['id']}",
            f"{Q}/reviews",
            f"{Q}/reviews/{review_id}",
            f"{Q}/settings",
            "/api/v1/reports/quality",
        ):
            assert (await client.get(path)).status_code == 403, path


async def test_a_reviewers_reply_reaches_the_agent(world: World, runtime: Runtime) -> None:
    _, review_id = await _submitted(world, runtime)
    async with world.client("bob") as bob:
        await bob.post("/api/v1/notifications/read-all")
    async with world.client("alice") as alice:
        r = await alice.post(f"{Q}/reviews/{review_id}/replies", json={"body": "See the guide"})
        assert r.status_code == 201, r.text
        empty = await alice.post(f"{Q}/reviews/{review_id}/replies", json={"body": "  "})
        assert empty.status_code == 422
    async with world.client("bob") as bob:
        told = (await bob.get("/api/v1/notifications")).json()
    assert told["unread_count"] == 1
    assert [(n["kind"], n["actor"]["name"]) for n in told["items"] if not n["read_at"]] == [
        ("review", "Alice")
    ]


async def test_an_archived_scorecard_keeps_its_reviews_and_scores_no_new_one(
    world: World, runtime: Runtime
) -> None:
    card, review_id = await _submitted(world, runtime)
    [pending] = await _queue(world, runtime, "carol")
    async with world.client("dave") as dave:
        archived = await dave.post(f"{Q}/scorecards/{card['id']}/archive")
        assert archived.json()["is_archived"] is True
        assert (await dave.get(f"{Q}/scorecards")).json() == []
        listed = (await dave.get(f"{Q}/scorecards", params={"include_archived": True})).json()
        assert [c["id"] for c in listed] == [card["id"]]
        review = (await dave.get(f"{Q}/reviews/{review_id}")).json()
        assert review["scorecard"]["id"] == card["id"]
        refused = await dave.post(
            f"{Q}/reviews/{pending}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes", "yes", "3", "yes"])},
        )
        assert refused.status_code == 422
        assert (await dave.put(f"{Q}/scorecards/{card['id']}", json=SCORECARD)).status_code == 409


async def test_the_reviewer_is_who_scored_it(world: World, runtime: Runtime) -> None:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    async with world.client("alice") as alice:
        dave = str(world.acme.members["dave"].id)
        await alice.patch(f"{Q}/reviews/{review_id}", json={"reviewer_id": dave})
        # Dave was to review it; Alice does it herself.
        r = await alice.post(
            f"{Q}/reviews/{review_id}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes", "yes", "3", "yes"])},
        )
    assert r.json()["reviewer"]["name"] == "Alice"
    async with world.client("bob") as bob:
        await bob.post(f"{Q}/reviews/{review_id}/replies", json={"body": "Thank you"})
    async with world.client("alice") as alice:
        told = (await alice.get("/api/v1/notifications")).json()["items"]
    assert [(n["kind"], n["actor"]["name"]) for n in told] == [("review", "Bob")]

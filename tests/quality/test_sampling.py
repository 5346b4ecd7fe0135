"""Spot-check samples: per agent, N random closed conversations of the last 7 days (more for
new agents), never the same conversation twice, per workspace, the same under the same seed;
taken on demand by a manager and every week by the job."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.quality.models import QualityReview
from frontdesk.core.quality.sampling import sample_reviews
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.quality import SAMPLE_JOB, ensure_quality_chain, sample_quality_reviews
from tests.conftest import World
from tests.quality.helpers import closed_conversations, joined

SETTINGS = {"is_sampling_enabled": True, "per_agent": 2, "per_new_agent": 3}


async def _reviews(runtime: Runtime) -> list[QualityReview]:
    async with runtime.database.read_session() as s:
        return list(await s.scalars(select(QualityReview)))


async def _setup(world: World, runtime: Runtime) -> None:
    """Bob joined a week ago (new: 3 a week), Carol 90 days ago (2 a week)."""
    now = runtime.clock.now()
    await joined(runtime, world.acme, "bob", now - timedelta(days=7))
    await joined(runtime, world.acme, "carol", now - timedelta(days=90))
    async with world.client("dave") as dave:
        assert (await dave.put("/api/v1/quality/settings", json=SETTINGS)).status_code == 200


async def test_a_sample_takes_each_agents_rate_of_last_weeks_closed_conversations(
    world: World, runtime: Runtime
) -> None:
    await _setup(world, runtime)
    bob = set(await closed_conversations(runtime, world.acme, "bob", 5))
    carol = set(await closed_conversations(runtime, world.acme, "carol", 5))
    # Not sampled: closed 8 days ago, still open, closed with nobody assigned.
    old = await closed_conversations(runtime, world.acme, "bob", 3, ago=timedelta(days=8))
    still_open = await closed_conversations(runtime, world.acme, "carol", 3, status="open")
    nobody = await closed_conversations(runtime, world.acme, None, 2)
    async with world.client("dave") as dave:
        r = await dave.post("/api/v1/quality/samples")
    assert r.status_code == 201, r.text
    assert r.json()["picked"] == 5
    picked = await _reviews(runtime)
    by_agent = {
        name: {rv.conversation_id for rv in picked if rv.agent_id == world.acme.members[name].id}
        for name in ("bob", "carol")
    }
    assert len(by_agent["bob"]) == 3
    assert by_agent["bob"] <= bob
    assert len(by_agent["carol"]) == 2
    assert by_agent["carol"] <= carol
    assert not {rv.conversation_id for rv in picked} & {*old, *still_open, *nobody}
    assert {rv.status for rv in picked} == {"pending"}
    async with runtime.database.read_session() as s:
        types = list(await s.scalars(select(EventLogEntry.type)))
        audited = list(await s.scalars(select(AuditLogEntry.action)))
    assert "quality_review.sampled" in types
    assert "quality_review.sampled" in audited


async def test_a_conversation_is_never_sampled_twice(world: World, runtime: Runtime) -> None:
    await _setup(world, runtime)
    carol = set(await closed_conversations(runtime, world.acme, "carol", 3))
    async with world.client("alice") as alice:
        first = (await alice.post("/api/v1/quality/samples")).json()
        second = (await alice.post("/api/v1/quality/samples")).json()
        third = (await alice.post("/api/v1/quality/samples")).json()
    # 2, then the one left, then none.
    assert (first["picked"], second["picked"], third["picked"]) == (2, 1, 0)
    assert {rv.conversation_id for rv in await _reviews(runtime)} == carol


async def test_the_same_seed_picks_the_same_conversations(world: World, runtime: Runtime) -> None:
    await _setup(world, runtime)
    await closed_conversations(runtime, world.acme, "carol", 12)
    picks = []
    for _ in range(2):
        async with runtime.uow() as uow:
            await sample_reviews(uow, world.acme.id, seed=42)
            picked = {rv.conversation_id for rv in await _list(uow)}
            await uow.rollback()
        picks.append(picked)
    assert picks[0] == picks[1]
    assert len(picks[0]) == 2
    # Another seed, another draw (12 choose 2 = 66 possible pairs; these two seeds differ).
    async with runtime.uow() as uow:
        await sample_reviews(uow, world.acme.id, seed=7)
        other = {rv.conversation_id for rv in await _list(uow)}
        await uow.rollback()
    assert other != picks[0]


async def _list(uow: object) -> list[QualityReview]:
    return list(await uow.session.scalars(select(QualityReview)))  # type: ignore[attr-defined]


async def test_each_workspace_samples_only_its_own(world: World, runtime: Runtime) -> None:
    await _setup(world, runtime)
    acme = set(await closed_conversations(runtime, world.acme, "carol", 2))
    theirs = set(await closed_conversations(runtime, world.other, "olive", 2))
    async with world.client("alice") as alice:
        assert (await alice.post("/api/v1/quality/samples")).json()["picked"] == 2
    assert {rv.conversation_id for rv in await _reviews(runtime)} == acme
    async with world.client("oscar") as oscar:
        # Oscar's workspace has sampling off, but "sample now" uses its default rates (2).
        assert (await oscar.post("/api/v1/quality/samples")).json()["picked"] == 2
        mine = (await oscar.get("/api/v1/quality/reviews")).json()["items"]
    assert {r["conversation_id"] for r in mine} == {str(i) for i in theirs}


async def test_only_owners_and_managers_sample(world: World, runtime: Runtime) -> None:
    await _setup(world, runtime)
    await closed_conversations(runtime, world.acme, "carol", 2)
    for name in ("bob", "vera"):
        async with world.client(name) as caller:
            assert (await caller.post("/api/v1/quality/samples")).status_code == 403
            refused = await caller.put("/api/v1/quality/settings", json=SETTINGS)
            assert refused.status_code == 403
    assert await _reviews(runtime) == []


async def test_the_weekly_job_samples_once_a_week_where_sampling_is_on(
    world: World, runtime: Runtime, clock: object
) -> None:
    await _setup(world, runtime)
    await closed_conversations(runtime, world.acme, "carol", 4)
    await closed_conversations(runtime, world.other, "olive", 4)  # sampling off there
    assert await ensure_quality_chain(runtime)
    assert not await ensure_quality_chain(runtime)
    await sample_quality_reviews(runtime, {})
    reviews = await _reviews(runtime)
    assert {rv.workspace_id for rv in reviews} == {world.acme.id}
    assert len(reviews) == 2
    # An hour later the job looks again: a week has not passed, nothing new.
    clock.advance(hours=1)  # type: ignore[attr-defined]
    await sample_quality_reviews(runtime, {"once": True})
    assert len(await _reviews(runtime)) == 2
    # A week on, the next sample takes what was closed since.
    clock.advance(days=7)  # type: ignore[attr-defined]
    fresh = set(await closed_conversations(runtime, world.acme, "carol", 3))
    await sample_quality_reviews(runtime, {"once": True})
    after = await _reviews(runtime)
    # Two of the three fresh ones; the two left from the first week are now 8 days old.
    assert len(after) == 4
    assert len(fresh & {rv.conversation_id for rv in after}) == 2
    async with runtime.database.read_session() as s:
        chained = await s.scalar(
            select(func.count()).select_from(Job).where(Job.kind == SAMPLE_JOB)
        )
    assert chained == 2  # the one ensure started, and the one the first run scheduled

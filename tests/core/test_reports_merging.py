"""Digests merged by the database equal digests merged row by row in Python, exact or not."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from frontdesk.core.reports.daily import rebuild_whole_days
from frontdesk.core.reports.digest import MERGED_EXACT_LIMIT, Digest
from frontdesk.core.reports.merging import merged_digests
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.reports.reading import Filters, rollup_rows, scoped, totals_by
from frontdesk.core.runtime import Runtime
from tests.factories import Factory

START = datetime(2026, 3, 1, tzinfo=UTC)


def _digest(rng: random.Random, size: int) -> Digest:
    return Digest.of(rng.lognormvariate(5, 1.5) for _ in range(size))


async def test_merged_in_the_database_as_in_python(runtime: Runtime) -> None:
    rng = random.Random(3)
    agents = [uuid.uuid4() for _ in range(3)]
    async with runtime.uow() as uow:
        factory = Factory(uow.session, START)
        ws = await factory.workspace(await factory.organisation("Merge"), "Merge", "merge")
        other = await factory.workspace(await factory.organisation("Other"), "Other", "other")
        for hour in range(30):
            for n, agent in enumerate(agents):
                # Agent 0: small exact cells; agent 1: some cells past the exact limit; agent
                # 2: exact cells adding up past the merged limit.
                size = {0: rng.randint(0, 5), 1: rng.choice((3, 70)), 2: 64}[n]
                wall = _digest(rng, size) if size else None
                business = _digest(rng, max(0, size - 1)) if size > 1 else None
                for workspace_id in (ws.id, other.id):
                    uow.session.add(
                        ReportRollup(
                            workspace_id=workspace_id,
                            hour=START + timedelta(hours=hour),
                            metric="first_response",
                            agent_id=agent,
                            count=size,
                            digest=wall.to_json() if wall else None,
                            business_digest=business.to_json() if business else None,
                        )
                    )
        await uow.commit()
    end = START + timedelta(hours=30)
    many = [uuid.uuid4() for _ in range(MERGED_EXACT_LIMIT // (64 * 30) + 1)]
    async with runtime.uow() as uow:
        for hour in range(30):
            for agent in many:
                wall = _digest(rng, 64)
                uow.session.add(
                    ReportRollup(
                        workspace_id=ws.id,
                        hour=START + timedelta(hours=hour),
                        metric="closed",
                        agent_id=agent,
                        count=64,
                        digest=wall.to_json(),
                    )
                )
        # The first 24 hours are a whole UTC day: read from the daily tier, the rest by the hour.
        await uow.session.flush()
        await rebuild_whole_days(
            uow.session,
            [(w, START + timedelta(hours=h)) for w in (ws.id, other.id) for h in (0, 29)],
        )
        await uow.commit()

    async with runtime.database.read_session() as db:
        rows = list(
            await db.execute(
                scoped(
                    select(
                        ReportRollup.agent_id,
                        ReportRollup.metric,
                        ReportRollup.digest,
                        ReportRollup.business_digest,
                    ),
                    ws.id,
                    Filters(),
                    START,
                    end,
                )
            )
        )
        expected: dict[str, dict[tuple[object, str], Digest]] = {"wall": {}, "business": {}}
        for agent_id, metric, wall_json, business_json in rows:
            for name, data in (("wall", wall_json), ("business", business_json)):
                for group in (agent_id, None):
                    if data:
                        expected[name].setdefault((group, metric), Digest()).merge_json(data)
        for by in (ReportRollup.agent_id, None):
            source = rollup_rows(
                ws.id,
                Filters(),
                START,
                end,
                by=by,
                metrics=("first_response", "closed"),
                digests_on=db.get_bind().dialect.name,
            )
            merged = await merged_digests(db, source, grouped=by is not None)
            for name in ("wall", "business"):
                want = {k: v for k, v in expected[name].items() if (k[0] is None) == (by is None)}
                got = merged[name]
                assert got.keys() == want.keys()
                for key, digest in want.items():
                    assert got[key].count == digest.count
                    assert got[key].buckets == digest.buckets
                    assert (got[key].values is None) == (digest.values is None)
                    if digest.values is not None:
                        assert sorted(got[key].values or []) == sorted(digest.values)
                    for q in (0.5, 0.9):
                        assert got[key].quantile(q) == digest.quantile(q)
        # The three kinds are all there: exact, past a cell's limit, past the merged limit.
        kinds = {
            (d.values is None, d.count > MERGED_EXACT_LIMIT) for d in expected["wall"].values()
        }
        assert {(False, False), (True, False), (True, True)} <= kinds
        totals = await totals_by(
            db, ws.id, Filters(), START, end, by=None, digests=("first_response",)
        )
        assert totals[None].digests["first_response"].count == sum(
            d.count for (g, m), d in expected["wall"].items() if g is None and m == "first_response"
        )

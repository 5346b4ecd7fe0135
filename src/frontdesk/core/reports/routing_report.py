"""The routing report: assignments offered and accepted per team and agent (rollups); transfers
between teams with the time to transfer, reassignments and the wait for a first assignment
(facts: they pair a fact with its segment's start); and how evenly assignments were spread.

A segment starts at its `opened` fact (the first) or at the `reopened` fact that ended the one
before; a conversation whose opening is older than the report's history has no start, and is
left out of the waits and times to transfer.
"""

from __future__ import annotations

import statistics
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.reports.breakdown_schemas import Fairness, OfferRow, RoutingRead, TransferRow
from frontdesk.core.reports.breakdowns import team_names
from frontdesk.core.reports.chat_routes import get_chat_routes
from frontdesk.core.reports.digest import Digest
from frontdesk.core.reports.facts import Metric
from frontdesk.core.reports.models import ReportFact, ReportRollup
from frontdesk.core.reports.narrowing import exact_digest, scoped_facts
from frontdesk.core.reports.overview import period_reads
from frontdesk.core.reports.periods import Period
from frontdesk.core.reports.reading import Filters, Totals, ratio, team_members, totals_by
from frontdesk.core.reports.schemas import Stat

OFFERS = (Metric.ASSIGNED, Metric.ACCEPTED)
CHUNK = 500
Segment = tuple[uuid.UUID, int]
# From team, to team, how many transfers, and the times to transfer known.
Flow = tuple[uuid.UUID | None, uuid.UUID | None, int, list[float]]


def _stat(values: list[float]) -> Stat:
    digest = exact_digest(values) if values else Digest()
    return Totals(
        counts={"x": len(values)}, seconds={"x": sum(values)}, digests={"x": digest}
    ).stat("x")


def _chunks(ids: Iterable[uuid.UUID]) -> Iterable[list[uuid.UUID]]:
    ordered = sorted(ids, key=str)
    for i in range(0, len(ordered), CHUNK):
        yield ordered[i : i + CHUNK]


async def _facts_of(
    db: AsyncSession, workspace_id: uuid.UUID, metrics: tuple[str, ...], ids: set[uuid.UUID]
) -> list[Any]:
    """Every fact of these metrics of the conversations, whenever it happened."""
    rows: list[Any] = []
    for chunk in _chunks(ids):
        rows.extend(
            await db.execute(
                select(
                    ReportFact.metric, ReportFact.conversation_id, ReportFact.segment, ReportFact.at
                ).where(
                    ReportFact.workspace_id == workspace_id,
                    ReportFact.metric.in_(metrics),
                    ReportFact.conversation_id.in_(chunk),
                )
            )
        )
    return rows


async def _segments(
    db: AsyncSession, workspace_id: uuid.UUID, ids: set[uuid.UUID]
) -> tuple[dict[Segment, datetime], dict[Segment, datetime]]:
    """Each segment's start, and the moment of its first assignment."""
    starts: dict[Segment, datetime] = {}
    first: dict[Segment, datetime] = {}
    for metric, conversation_id, segment, at in await _facts_of(
        db, workspace_id, (Metric.OPENED, Metric.REOPENED, Metric.ASSIGNED), ids
    ):
        if metric == Metric.OPENED:
            starts[(conversation_id, 1)] = at
        elif metric == Metric.REOPENED:
            starts[(conversation_id, (segment or 0) + 1)] = at
        elif (conversation_id, segment) not in first or at < first[(conversation_id, segment)]:
            first[(conversation_id, segment)] = at
    return starts, first


async def _period_facts(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters, period: Period, metric: str
) -> list[Any]:
    query = scoped_facts(
        select(
            ReportFact.conversation_id,
            ReportFact.segment,
            ReportFact.at,
            ReportFact.team_id,
            ReportFact.detail,
        ),
        workspace_id,
        filters,
        period.start,
        period.end,
    ).where(ReportFact.metric == metric, ReportFact.conversation_id.is_not(None))
    return list(await db.execute(query))


def _team_id(detail: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(detail) if detail else None
    except ValueError:
        return None


async def _flows(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters, period: Period
) -> tuple[list[Flow], int, list[float]]:
    """Transfers (from, to, times to transfer), reassignments and first-assignment waits."""
    transfers = await _period_facts(db, workspace_id, filters, period, Metric.TRANSFERRED)
    assigned = await _period_facts(db, workspace_id, filters, period, Metric.ASSIGNED)
    ids = {row.conversation_id for row in (*transfers, *assigned)}
    starts, first = await _segments(db, workspace_id, ids)
    pairs: dict[tuple[uuid.UUID | None, uuid.UUID | None], list[float]] = defaultdict(list)
    counts: Counter[tuple[uuid.UUID | None, uuid.UUID | None]] = Counter()
    for row in transfers:
        pair = (row.team_id, _team_id(row.detail))
        counts[pair] += 1
        start = starts.get((row.conversation_id, row.segment))
        if start is not None:
            pairs[pair].append((row.at - start).total_seconds())
    reassignments, waits = 0, []
    for row in assigned:
        segment = (row.conversation_id, row.segment)
        if first.get(segment) != row.at:
            reassignments += 1
        elif segment in starts:
            waits.append(max((row.at - starts[segment]).total_seconds(), 0.0))
    flows = [(a, b, n, pairs[(a, b)]) for (a, b), n in counts.items()]
    return flows, reassignments, waits


async def _eligible(
    db: AsyncSession, workspace_id: uuid.UUID, filters: Filters, period: Period
) -> set[uuid.UUID]:
    """Agents who were online in the period (states carry no team: narrowed by membership)."""
    states = await totals_by(
        db,
        workspace_id,
        Filters(agent_ids=filters.agent_ids),
        period.start,
        period.end,
        by=ReportRollup.agent_id,
        metrics=(Metric.STATE,),
    )
    online = {
        agent
        for agent, totals in states.items()
        if agent is not None and totals.detail_seconds.get((Metric.STATE, "online"), 0.0) > 0
    }
    if filters.team_ids:
        online &= await team_members(db, workspace_id, filters.team_ids)
    return online


def fairness(offers: dict[uuid.UUID, int]) -> Fairness:
    counts = list(offers.values())
    if not counts:
        return Fairness(agents=0, max_minus_min=None, coefficient_of_variation=None)
    mean = statistics.fmean(counts)
    return Fairness(
        agents=len(counts),
        max_minus_min=max(counts) - min(counts),
        coefficient_of_variation=round(statistics.pstdev(counts) / mean, 6) if mean else None,
    )


def _offer_rows(
    current: dict[Any, Totals], previous: dict[Any, Totals], names: dict[Any, str]
) -> list[OfferRow]:
    rows = []
    for key in set(current) | set(previous):
        now, before = current.get(key, Totals()), previous.get(key, Totals())
        offered, accepted = now.counts.get(Metric.ASSIGNED, 0), now.counts.get(Metric.ACCEPTED, 0)
        rows.append(
            OfferRow(
                id=key,
                name=names.get(key) if key else None,
                offered=offered,
                accepted=accepted,
                acceptance_rate=ratio(accepted, offered),
                previous_offered=before.counts.get(Metric.ASSIGNED, 0),
                previous_accepted=before.counts.get(Metric.ACCEPTED, 0),
            )
        )
    return sorted(rows, key=lambda r: (r.id is None, (r.name or "").casefold(), str(r.id)))


async def get_routing(
    db: AsyncSession, workspace_id: uuid.UUID, period: Period, filters: Filters
) -> RoutingRead:
    spans = ((period.start, period.end), (period.previous_start, period.previous_end))
    teams = [
        await totals_by(
            db, workspace_id, filters, start, end, by=ReportRollup.team_id, metrics=OFFERS
        )
        for start, end in spans
    ]
    agents = [
        await totals_by(
            db, workspace_id, filters, start, end, by=ReportRollup.agent_id, metrics=OFFERS
        )
        for start, end in spans
    ]
    team_name = await team_names(db, workspace_id)
    agent_ids = {a for a in (*agents[0], *agents[1]) if a is not None}
    eligible = await _eligible(db, workspace_id, filters, period)
    agent_name = {
        row.id: row.name
        for row in await db.execute(
            select(User.id, User.name).where(User.id.in_(agent_ids | eligible))
        )
    }
    flows, reassignments, waits = await _flows(db, workspace_id, filters, period)
    offers = {a: t.counts.get(Metric.ASSIGNED, 0) for a, t in agents[0].items() if a is not None}
    for agent in eligible:
        offers.setdefault(agent, 0)
    totals = [Totals(), Totals()]
    for i in (0, 1):
        for row in teams[i].values():
            totals[i].absorb(row)
    this, before = period_reads(period)
    chat_routes, chat_route_agents = await get_chat_routes(db, workspace_id, period, filters)
    return RoutingRead(
        period=this,
        previous_period=before,
        offered=totals[0].counts.get(Metric.ASSIGNED, 0),
        accepted=totals[0].counts.get(Metric.ACCEPTED, 0),
        previous_offered=totals[1].counts.get(Metric.ASSIGNED, 0),
        previous_accepted=totals[1].counts.get(Metric.ACCEPTED, 0),
        teams=_offer_rows(teams[0], teams[1], team_name),
        agents=_offer_rows(agents[0], agents[1], agent_name),
        transfers=sorted(
            (
                TransferRow(
                    from_team_id=a,
                    from_name=team_name.get(a) if a else None,
                    to_team_id=b,
                    to_name=team_name.get(b) if b else None,
                    count=count,
                    time_to_transfer=_stat(times),
                )
                for a, b, count, times in flows
            ),
            key=lambda r: (-r.count, r.from_name or "", r.to_name or ""),
        ),
        reassignments=reassignments,
        assignment_wait=_stat(waits),
        fairness=fairness(offers),
        chat_routes=chat_routes,
        chat_route_agents=chat_route_agents,
    )

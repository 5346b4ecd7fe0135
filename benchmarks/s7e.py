"""S7e: four heavy reports while S1 runs at half its saturation.

One `frontdesk serve` process (jobs in-process, as S1 runs it) on a workspace with two
WhatsApp numbers (S1's) and a month of report rollups for 20 agents (S7's data set: hourly
rollups built as the report job builds them, the daily tier from them).

S1 saturation  signed WhatsApp webhooks by 16 senders back to back (S1): messages/s.
S1 alone       webhooks at half that rate, open loop (each timed from its scheduled start, so
               a server that falls behind is charged for the queue it builds): p99.
S1 + reports   the same, while four managers' report pages reload back to back (the agents
               report, the overview, service level and the teams breakdown, 31 days each,
               over HTTP with a session cookie): p99, and each report's median time.
Target: p99 with ÷ p99 without <= 1.5, and no webhook left unanswered past 10 s (a provider
gives up on a webhook it waited too long for and delivers it again).

`python -m benchmarks.s7e [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from benchmarks import ingest
from benchmarks.common import (
    Server,
    Workdir,
    _pg_admin,
    latency_ms,
    migrate,
    new_secret,
    now,
    options,
    print_table,
    result_line,
    write_json,
)
from benchmarks.reports import AGENT, DAYS, START, _rollups, gen_id
from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.reports.daily import rebuild_day
from frontdesk.core.reports.models import ReportRollup
from frontdesk.core.security import hash_token, new_token
from frontdesk.core.workspaces.models import Membership, TeamMember
from frontdesk.db.engine import create_database

PG_DATABASE = "frontdesk_bench_s7e"
TARGET = 1.5
WEBHOOK_TIMEOUT = 10.0
AGENTS = 20
REPORTS = {
    "agents": "/api/v1/reports/agents",
    "overview": "/api/v1/reports/overview",
    "service_level": "/api/v1/reports/service-level",
    "teams": "/api/v1/reports/teams",
}
MONTH = {"period": "custom", "start_date": "2026-01-01", "end_date": "2026-01-31", "tz": "UTC"}


@dataclass(frozen=True)
class Sizes:
    contacts: int
    conversations: int  # of the report data set (S7's --quick is 50,000)
    saturate_seconds: float
    phase_seconds: float


FULL = Sizes(contacts=400, conversations=50_000, saturate_seconds=20.0, phase_seconds=40.0)
QUICK = Sizes(contacts=40, conversations=10_000, saturate_seconds=6.0, phase_seconds=10.0)


@contextlib.asynccontextmanager
async def s7e_database(kind: str) -> AsyncIterator[Workdir]:
    """A fresh, migrated database of its own (a temp SQLite file, or `frontdesk_bench_s7e`)."""
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-s7e-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{path / 'bench.db'}"
    else:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"
    work = Workdir(path=path, database=kind, url=url)
    try:
        migrate(work)
        yield work
    finally:
        if kind == "postgresql":
            with contextlib.suppress(Exception):
                await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def seed_reports(url: str, site: ingest.Site, conversations: int) -> str:
    """20 agents in the site's team with a month of rollups (hourly and daily), and a manager
    with a session; returns the manager's session token."""
    db = create_database(url)
    at = datetime.now(UTC)
    token = new_token()
    try:
        async with db.write_session() as s:
            for i in range(AGENTS):
                s.add(
                    User(
                        id=gen_id(AGENT, i),
                        email=f"s7e-agent{i}@bench.test",
                        name=f"Agent {i:02}",
                        password_hash="!",  # noqa: S106 - nobody signs in here
                        language="en",
                        is_active=True,
                        created_at=at,
                    )
                )
            manager = User(
                email="s7e-manager@bench.test",
                name="Manager",
                password_hash="!",  # noqa: S106 - signed in by the session below
                language="en",
                is_active=True,
                created_at=at,
            )
            s.add(manager)
            await s.flush()
            for i in range(AGENTS):
                agent = gen_id(AGENT, i)
                s.add(
                    Membership(
                        workspace_id=site.workspace_id, user_id=agent, role="agent", created_at=at
                    )
                )
                s.add(
                    TeamMember(
                        workspace_id=site.workspace_id,
                        team_id=site.team_id,
                        user_id=agent,
                        created_at=at,
                    )
                )
            s.add(
                Membership(
                    workspace_id=site.workspace_id,
                    user_id=manager.id,
                    role="manager",
                    created_at=at,
                )
            )
            s.add(
                AuthSession(
                    token_hash=hash_token(token),
                    csrf_token=new_token(),
                    user_id=manager.id,
                    workspace_id=site.workspace_id,
                    created_at=at,
                    last_seen_at=at,
                    expires_at=at + timedelta(days=1),
                )
            )
            await s.commit()
        rows = _rollups(site.workspace_id, site.team_id, site.numbers[0].channel_id, conversations)
        async with db.write_session() as s:
            for i in range(0, len(rows), 2_000):
                await s.execute(insert(ReportRollup), rows[i : i + 2_000])
            await s.commit()
        for day in range(DAYS + 1):
            async with db.write_session() as s:
                await rebuild_day(s, site.workspace_id, START + timedelta(days=day))
                await s.commit()
    finally:
        await db.dispose()
    return token


@dataclass
class Paced:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    error_samples: list[str] = field(default_factory=list)


async def paced(
    server: Server, site: ingest.Site, bodies: ingest.Bodies, rate: float, seconds: float
) -> Paced:
    """Webhooks at `rate` a second, open loop; each timed from its scheduled start."""
    url = f"{server.url}/webhooks/whatsapp/{site.workspace_id}"
    result, ledger = Paced(), ingest.Ledger()

    async def one(http: httpx.AsyncClient, hook: ingest.Webhook, at: float) -> None:
        try:
            await asyncio.wait_for(ledger.post(http, url, hook), WEBHOOK_TIMEOUT)
            result.latencies.append(now() - at)
        except TimeoutError:
            result.timeouts += 1
            result.latencies.append(now() - at)
        except Exception as exc:
            result.errors += 1
            if len(result.error_samples) < 5:
                result.error_samples.append(f"{type(exc).__name__}: {exc}"[:300])

    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(limits=limits, timeout=WEBHOOK_TIMEOUT + 5) as http:
        start, tasks = now(), []
        for i in range(int(rate * seconds)):
            at = start + i / rate
            if (delay := at - now()) > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(http, bodies.message(), at)))
        await asyncio.gather(*tasks)
    return result


async def report_loops(
    server: Server, token: str, stop: asyncio.Event, ready: asyncio.Event
) -> dict[str, list[float]]:
    """The four reports, each reloaded back to back by its own manager until `stop`."""
    spent: dict[str, list[float]] = {name: [] for name in REPORTS}
    failures: list[str] = []

    async def loop(name: str, path: str) -> None:
        cookies = {"frontdesk_session": token}
        async with httpx.AsyncClient(base_url=server.url, cookies=cookies, timeout=120) as http:
            while not stop.is_set():
                t0 = now()
                response = await http.get(path, params=MONTH)
                if response.status_code != 200:
                    failures.append(f"{name}: HTTP {response.status_code} {response.text[:200]}")
                    stop.set()
                spent[name].append(now() - t0)
                if all(spent.values()):
                    ready.set()

    await asyncio.gather(*(loop(n, p) for n, p in REPORTS.items()))
    if failures:
        raise RuntimeError(failures[0])
    return spent


async def measure(args: Any) -> dict[str, Any]:
    sizes = QUICK if args.quick else FULL
    secret = new_secret()
    async with s7e_database(args.db) as work:
        site = await ingest.seed_site(work.url, "S7e", secret, sizes.contacts)
        token = await seed_reports(work.url, site, sizes.conversations)
        server = await ingest.start_frontdesk(work, secret)
        try:
            saturation = await ingest.measure_s1(
                server,
                site,
                ingest.Sizes(
                    contacts=sizes.contacts,
                    r3_seconds=0,
                    s1_seconds=sizes.saturate_seconds,
                    s1c_seconds=0,
                    grace_seconds=0,
                ),
                ingest.Ledger(),
            )
            rate = saturation.per_second / 2
            bodies = ingest.Bodies(site, "S7e")
            alone = await paced(server, site, bodies, rate, sizes.phase_seconds)
            stop, ready = asyncio.Event(), asyncio.Event()
            loops = asyncio.create_task(report_loops(server, token, stop, ready))
            await asyncio.wait_for(ready.wait(), 300)  # every report answered once: warm
            loaded = await paced(server, site, bodies, rate, sizes.phase_seconds)
            stop.set()
            reports = await loops
        finally:
            await server.stop()
    without, with_reports = latency_ms(alone.latencies), latency_ms(loaded.latencies)
    return {
        "conversations": sizes.conversations,
        "S1_saturation_per_s": round(saturation.per_second, 1),
        "rate_per_s": round(rate, 1),
        "alone_p50_ms": without["p50_ms"],
        "alone_p99_ms": without["p99_ms"],
        "loaded_p50_ms": with_reports["p50_ms"],
        "loaded_p99_ms": with_reports["p99_ms"],
        "loaded_max_ms": with_reports["max_ms"],
        "p99_ratio": round(with_reports["p99_ms"] / without["p99_ms"], 2)
        if without["p99_ms"]
        else None,
        "timeouts": alone.timeouts + loaded.timeouts,
        "errors": alone.errors + loaded.errors + saturation.errors,
        "reports_run": sum(len(v) for v in reports.values()),
        **{
            f"{name}_median_ms": round(statistics.median(v) * 1000, 1) if v else None
            for name, v in reports.items()
        },
        "error_samples": alone.error_samples + loaded.error_samples,
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    figures = await measure(args)
    ratio = figures["p99_ratio"]
    ratio_ok = ratio is not None and ratio <= TARGET
    passed = ratio_ok and not figures["timeouts"] and not figures["errors"]
    for key, value in figures.items():
        print(f"{key:>22}  {value}")
    alone, loaded = figures["alone_p99_ms"], figures["loaded_p99_ms"]
    rows: list[Sequence[object]] = [
        ("S1 saturation msg/s", figures["S1_saturation_per_s"], "", "", "", ""),
        ("paced at msg/s", figures["rate_per_s"], "", "", "half", ""),
        ("S1 p99 ms with reports", loaded, alone, ratio, f"<= {TARGET}", ratio_ok),
        ("webhook timeouts", figures["timeouts"], "", "", "0", not figures["timeouts"]),
        ("errors", figures["errors"], "", "", "0", not figures["errors"]),
        *((f"{n} median ms", figures[f"{n}_median_ms"], "", "", "", "") for n in REPORTS),
    ]
    print_table(f"S7e ({args.db}, {'quick' if args.quick else 'full'})", rows)
    path = write_json(
        "S7e",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"S1_saturation_per_s": figures["S1_saturation_per_s"]},
        figures=figures,
        targets={"p99_ratio": f"<= {TARGET}", "timeouts": 0},
        passed=passed,
        notes=[
            "one `frontdesk serve` process answers the webhooks and the reports (and runs the "
            "report job); the load generator shares the machine's cores",
        ],
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print(
        result_line(
            "S7e",
            {
                "p99_ratio": ratio,
                "alone_p99_ms": figures["alone_p99_ms"],
                "loaded_p99_ms": figures["loaded_p99_ms"],
                "rate_per_s": figures["rate_per_s"],
                "timeouts": figures["timeouts"],
            },
            passed,
        )
    )
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

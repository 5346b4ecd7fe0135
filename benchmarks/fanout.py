"""S3: 1,000 agent sockets, 50 inbound messages/s, each delivered to everyone who may see it.

Every message is a visitor message through the widget endpoint (the inbound path until the
webhooks exist). Its conversation has a team and an assignee, so it goes to the workspace's
supervisors, the team's agents (who watch that inbox) and the assignee. Measured: end-to-end
p99 (POST start -> frame received, over every socket that should get it) and frames delivered
divided by frames expected, which must be exactly 1.0 with nothing missing, duplicated or sent
to someone who may not see it. Run with the in-process broker (one server) and with Redis (two
server processes sharing the database and Redis, sockets and senders split across both).

`python -m benchmarks.fanout [--quick] [--db sqlite|postgresql] [--broker ...]`
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from benchmarks.clients import (
    BareTarget,
    Delivery,
    FrontdeskTarget,
    Recorder,
    Target,
    close_watchers,
    http_client,
    open_watchers,
    quiet,
    send_one,
)
from benchmarks.common import (
    LIMITS_NOTE,
    REDIS_URL,
    Server,
    bench_database,
    brokers,
    compression,
    new_secret,
    now,
    options,
    own_cpu_seconds,
    print_table,
    raise_open_files,
    result_line,
    start_server,
    write_json,
)
from benchmarks.world import World, open_visitors, seed_people

TARGETS = {"p99_ms": 150.0, "delivered_ratio": 1.0}
DRAIN_SECONDS = 10.0
# Shown beside the figures that have targets: where the time and the CPU went.
INFO = (
    "p50_ms",
    "post_p50_ms",
    "post_p99_ms",
    "server_cpu_ms_per_message",
    "server_cpu_s_per_s",
    "client_cpu_s_per_s",
    "max_send_lag_ms",
    "connect_s",
    "elapsed_s",
)
CONVERSATIONS_PER_TEAM = 2


@dataclass(frozen=True)
class Sizes:
    sockets: int
    rate: float
    seconds: float
    team_size: int = 25

    @property
    def supervisors(self) -> int:
        return max(4, self.sockets // 50)


FULL = Sizes(sockets=1000, rate=50, seconds=20)
QUICK = Sizes(sockets=200, rate=50, seconds=5)


@dataclass
class Measured:
    delivery: Delivery
    server_cpu_s: float
    client_cpu_s: float
    send_lag_s: float
    connect_s: float
    elapsed_s: float
    log_window: list[tuple[int, int]] = field(default_factory=list)
    log: dict[str, int] = field(default_factory=dict)


async def seed(url: str, sizes: Sizes) -> World:
    """Supervisors (an owner, managers, viewers), then teams of about `team_size` agents."""
    n_sup = sizes.supervisors
    roles = ["owner"] + ["manager"] * ((n_sup - 1) // 2)
    roles += ["viewer"] * (n_sup - len(roles))
    agents = sizes.sockets - n_sup
    teams = max(1, agents // sizes.team_size)
    team_sizes = [agents // teams + (1 if i < agents % teams else 0) for i in range(teams)]
    world = await seed_people(url, "S3", supervisors=roles, team_sizes=team_sizes)
    world.plan(teams * CONVERSATIONS_PER_TEAM)
    return world


async def open_loop(
    *,
    target: Target,
    http: httpx.AsyncClient,
    recorder: Recorder,
    world: World,
    sizes: Sizes,
    tag: str,
) -> float:
    """Send at a fixed rate for a fixed time whatever the answers; returns the worst lag."""
    convs, count = world.conversations, int(sizes.rate * sizes.seconds)
    start, lag, tasks = now(), 0.0, []
    for k in range(count):
        delay = start + k / sizes.rate - now()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            lag = max(lag, -delay)
        conv = convs[k % len(convs)]
        tasks.append(asyncio.create_task(send_one(target, http, recorder, conv, f"{tag}-{k}")))
    await asyncio.gather(*tasks)
    await recorder.settle(DRAIN_SECONDS)
    return lag


async def measure(target: Target, world: World, sizes: Sizes, tag: str) -> Measured:
    recorder = Recorder()
    started = now()
    watchers = await open_watchers(target, world.members, recorder)
    connect_s = now() - started
    try:
        await quiet(watchers, seconds=0.5)
        async with http_client() as http:
            for conv in world.conversations:  # warm up: one message per conversation
                await send_one(target, http, recorder, conv, f"{tag}-warm{conv.index}")
            await recorder.settle(DRAIN_SECONDS)
            await quiet(watchers)
            recorder.reset()
            cpu0, own0, t0 = _cpu(target.servers), own_cpu_seconds(), now()
            marks = [s.log_size() for s in target.servers]
            lag = await open_loop(
                target=target, http=http, recorder=recorder, world=world, sizes=sizes, tag=tag
            )
            return Measured(
                log_window=[(m, s.log_size()) for m, s in zip(marks, target.servers, strict=True)],
                elapsed_s=now() - t0,
                delivery=recorder.report(),
                server_cpu_s=_cpu(target.servers) - cpu0,
                client_cpu_s=own_cpu_seconds() - own0,
                send_lag_s=lag,
                connect_s=connect_s,
            )
    finally:
        await close_watchers(watchers)


def _log_findings(servers: Sequence[Server], window: Sequence[tuple[int, int]]) -> dict[str, int]:
    """Sockets dropped and errors logged by the servers while the load ran."""
    total: dict[str, int] = {}
    for server, (start, end) in zip(servers, window, strict=True):
        for key, value in server.log_findings(start, end).items():
            total[key] = total.get(key, 0) + value
    return total


def _cpu(servers: Sequence[Server]) -> float:
    return sum(s.cpu() for s in servers)


def _figures(m: Measured, sizes: Sizes) -> dict[str, Any]:
    d = m.delivery
    figures = d.figures()
    figures.update(
        sockets=sizes.sockets,
        rate_per_s=sizes.rate,
        seconds=sizes.seconds,
        frames_per_message=round(d.expected_frames / d.messages, 1) if d.messages else 0,
        server_cpu_ms_per_message=round(m.server_cpu_s * 1000 / max(1, d.messages), 2),
        server_cpu_s_per_s=round(m.server_cpu_s / m.elapsed_s, 3),
        client_cpu_s_per_s=round(m.client_cpu_s / m.elapsed_s, 3),
        elapsed_s=round(m.elapsed_s, 1),
        **m.log,
        max_send_lag_ms=round(m.send_lag_s * 1000, 1),
        connect_s=round(m.connect_s, 2),
    )
    return figures


def report(broker: str, args: Any, sizes: Sizes, got: Measured, ref: Measured) -> tuple[str, bool]:
    figures, reference = _figures(got, sizes), _figures(ref, sizes)
    d = got.delivery
    exact = d.exact and d.ratio == 1.0 and not d.errors
    fast = figures["p99_ms"] <= TARGETS["p99_ms"]
    ratio = round(figures["p99_ms"] / reference["p99_ms"], 2) if reference["p99_ms"] else 0.0
    figures["p99_ms_vs_R5"] = ratio
    exact_row = f"{d.missing}/{d.duplicates}/{d.unexpected}"
    rows: list[Sequence[object]] = [
        ("p99_ms", figures["p99_ms"], reference["p99_ms"], ratio, "<= 150", fast),
        (
            "delivered_ratio",
            figures["delivered_ratio"],
            reference["delivered_ratio"],
            "",
            "= 1.0",
            exact,
        ),
        ("missing/dup/unexpected", exact_row, "", "", "0/0/0", exact),
        ("frames", f"{d.delivered_frames}/{d.expected_frames}", "", "", "", ""),
    ]
    rows += [(name, figures[name], reference[name], "", "", "") for name in INFO]
    servers = "two server processes" if broker == "redis" else "one server process"
    title = (
        f"S3 ({args.db}, {broker} broker, {servers}, {sizes.sockets} sockets, "
        f"{sizes.rate:g}/s for {sizes.seconds:g} s{', quick' if args.quick else ''}"
        f"{', no compression' if args.no_compression else ''})"
    )
    print_table(title, rows)
    ok = exact and fast
    notes = [LIMITS_NOTE, *d.errors[:5]]
    if d.missing_sample:
        notes.append(f"missing (message, socket) examples: {d.missing_sample}")
    if args.quick:
        notes.append(f"quick: {sizes.sockets} sockets instead of 1,000, {sizes.seconds:g} s")
    path = write_json(
        "S3",
        database=args.db,
        broker=broker,
        quick=args.quick,
        references={"R5": reference},
        figures=figures,
        targets=TARGETS,
        passed=ok,
        notes=notes,
        ws_compression=not args.no_compression,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    line = {
        "broker": broker,
        "sockets": sizes.sockets,
        "p99_ms": figures["p99_ms"],
        "p99_ms_vs_R5": ratio,
        "delivered_ratio": figures["delivered_ratio"],
    }
    return result_line("S3", line, ok), ok


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    limit = raise_open_files()
    secret, lines, all_ok = new_secret(), [], True
    print(f"note: {LIMITS_NOTE}")
    print(f"note: {sizes.sockets} agent sockets (open-file limit {limit})")
    async with bench_database(args.db) as work:
        world = await seed(work.url, sizes)
        bare = await start_server("bare", "benchmarks.bare_ws", work, secret=secret)
        try:
            ref = await measure(BareTarget(bare, compression(args)), world, sizes, "r5")
        finally:
            await bare.stop()
        visitors_open = False
        for broker in brokers(args.broker):
            redis = REDIS_URL if broker == "redis" else None
            servers: list[Server] = []
            try:
                for i in range(2 if broker == "redis" else 1):
                    servers.append(
                        await start_server(
                            f"frontdesk{i}",
                            "benchmarks.serve",
                            work,
                            secret=secret,
                            redis_url=redis,
                        )
                    )
                if not visitors_open:
                    await open_visitors(work.url, servers[0].url, world)
                    visitors_open = True
                got = await measure(
                    FrontdeskTarget(servers, compression(args)), world, sizes, broker
                )
            finally:
                for server in servers:
                    await server.stop()
            got.log = _log_findings(servers, got.log_window)
            line, ok = report(broker, args, sizes, got, ref)
            lines.append(line)
            all_ok = all_ok and ok
    print()
    for line in lines:
        print(line)
    return all_ok


def main() -> None:
    ok = asyncio.run(run(sys.argv[1:]))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

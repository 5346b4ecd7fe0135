"""S2, S2b, S2c: a visitor's message reaching the agents watching, against reference R5.

S2   one visitor, one agent socket, messages one at a time: POST start -> agent frame.
S2b  16 visitors on 16 conversations sending at once, three agents watching: messages/s.
S2c  one conversation watched by 20 agent sockets (supervisors and the team): p99.

`python -m benchmarks.delivery [--quick] [--db sqlite|postgresql] [--broker ...]`
"""

from __future__ import annotations

import asyncio
import contextlib
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
    bench_database,
    brokers,
    compression,
    new_secret,
    now,
    options,
    print_table,
    raise_open_files,
    result_line,
    start_server,
    write_json,
)
from benchmarks.world import World, open_visitors, seed_people

WARMUP = 10
FRAME_WAIT_SECONDS = 5.0
SETTLE_SECONDS = 15.0
SCENARIO_SECONDS = 120.0
TARGETS: dict[str, dict[str, float]] = {
    "S2": {"p50_ms": 10.0, "p99_ms": 30.0},
    "S2b": {"messages_per_s": 350.0},
    "S2c": {"p99_ms": 50.0},
}


# Shown beside the figures that have targets: where the time and the CPU went.
INFO = (
    "p50_ms",
    "p99_ms",
    "post_p50_ms",
    "post_p99_ms",
    "server_cpu_ms_per_message",
    "sockets_dropped",
    "errors_logged",
)


@dataclass(frozen=True)
class Sizes:
    s2: int
    s2b: int
    s2c: int
    visitors: int = 16


FULL = Sizes(s2=500, s2b=2000, s2c=200)
QUICK = Sizes(s2=100, s2b=400, s2c=50)


@dataclass
class Measured:
    delivery: Delivery
    server_cpu_s: float
    log_window: tuple[int, int] = (0, 0)
    log: dict[str, int] = field(default_factory=dict)


async def seed(url: str, sizes: Sizes) -> dict[str, World]:
    s2 = await seed_people(url, "S2", supervisors=[], team_sizes=[1])
    s2.plan(1)
    s2b = await seed_people(url, "S2b", supervisors=["manager"], team_sizes=[2])
    s2b.plan(sizes.visitors)
    s2c = await seed_people(
        url, "S2c", supervisors=["owner", "manager", "manager", "viewer", "viewer"], team_sizes=[15]
    )
    s2c.plan(1)
    return {"S2": s2, "S2b": s2b, "S2c": s2c}


async def _warm_up(
    target: Target, http: httpx.AsyncClient, recorder: Recorder, world: World, prefix: str
) -> None:
    for i in range(WARMUP):
        conv = world.conversations[i % len(world.conversations)]
        future = await send_one(target, http, recorder, conv, f"{prefix}-warm{i}")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(future, FRAME_WAIT_SECONDS)
    recorder.reset()


async def one_at_a_time(
    target: Target, http: httpx.AsyncClient, world: World, count: int, prefix: str
) -> Measured:
    """Send, wait for every watcher's frame, send the next (bounded in count and time)."""
    recorder = Recorder()
    watchers = await open_watchers(target, world.members, recorder)
    try:
        await quiet(watchers)
        await _warm_up(target, http, recorder, world, prefix)
        conv, cpu0, deadline = world.conversations[0], _cpu(target), now() + SCENARIO_SECONDS
        mark = _log_size(target)
        for i in range(count):
            if now() > deadline:
                break
            future = await send_one(target, http, recorder, conv, f"{prefix}-{i}")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(future, FRAME_WAIT_SECONDS)
        return Measured(recorder.report(), _cpu(target) - cpu0, (mark, _log_size(target)))
    finally:
        await close_watchers(watchers)


async def concurrently(
    target: Target, http: httpx.AsyncClient, world: World, count: int, prefix: str
) -> Measured:
    """Every visitor sends its share back to back (each waits for its own POST only)."""
    recorder = Recorder()
    watchers = await open_watchers(target, world.members, recorder)
    try:
        await quiet(watchers)
        await _warm_up(target, http, recorder, world, prefix)
        convs = world.conversations
        cpu0, deadline, mark = _cpu(target), now() + SCENARIO_SECONDS, _log_size(target)

        async def visitor(k: int) -> None:
            for i in range(k, count, len(convs)):
                if now() > deadline:
                    return
                await send_one(target, http, recorder, convs[k], f"{prefix}-{i}")

        await asyncio.gather(*(visitor(k) for k in range(len(convs))))
        await recorder.settle(SETTLE_SECONDS)
        return Measured(recorder.report(), _cpu(target) - cpu0, (mark, _log_size(target)))
    finally:
        await close_watchers(watchers)


def _log_size(target: Target) -> int:
    return target.servers[0].log_size()


def _cpu(target: Target) -> float:
    return sum(s.cpu() for s in target.servers)


async def measure_all(
    target: Target, http: httpx.AsyncClient, worlds: dict[str, World], sizes: Sizes, tag: str
) -> dict[str, Measured]:
    return {
        "S2": await one_at_a_time(target, http, worlds["S2"], sizes.s2, f"{tag}-s2"),
        "S2b": await concurrently(target, http, worlds["S2b"], sizes.s2b, f"{tag}-s2b"),
        "S2c": await one_at_a_time(target, http, worlds["S2c"], sizes.s2c, f"{tag}-s2c"),
    }


def _figures(scenario: str, m: Measured) -> dict[str, Any]:
    d = m.delivery
    figures = d.figures()
    figures["messages_per_s"] = round(d.messages_per_second, 1)
    figures["server_cpu_ms_per_message"] = (
        round(m.server_cpu_s * 1000 / d.messages, 3) if d.messages else None
    )
    if scenario != "S2b":
        figures.pop("messages_per_s")
    figures.update({"sockets_dropped": 0, "errors_logged": 0, **m.log})
    return figures


def _ratio(value: float, reference: float) -> float:
    return round(value / reference, 2) if reference else float("nan")


def report(scenario: str, broker: str, args: Any, got: Measured, ref: Measured) -> tuple[str, bool]:
    figures, references = _figures(scenario, got), {"R5": _figures(scenario, ref)}
    targets = TARGETS[scenario]
    ok = got.delivery.exact and not got.delivery.errors
    rows: list[Sequence[object]] = []
    line: dict[str, object] = {"broker": broker}
    for name, limit in targets.items():
        value, base = figures[name], references["R5"][name]
        higher_is_better = name == "messages_per_s"
        met = value >= limit if higher_is_better else value <= limit
        ok = ok and met
        ratio = _ratio(value, base)
        figures[f"{name}_vs_R5"] = ratio
        rows.append(
            (name, value, base, ratio, f"{'>=' if higher_is_better else '<='} {limit}", met)
        )
        line[name] = value
        line[f"{name}_vs_R5"] = ratio
    d = got.delivery
    rows.append(("delivered_ratio", figures["delivered_ratio"], 1.0, "", "= 1.0", d.exact))
    rows.append(
        (
            "missing/dup/unexpected",
            f"{d.missing}/{d.duplicates}/{d.unexpected}",
            "",
            "",
            "0/0/0",
            d.exact,
        )
    )
    rows += [(n, figures[n], references["R5"][n], "", "", "") for n in INFO if n not in targets]
    line["delivered_ratio"] = figures["delivered_ratio"]
    notes = [LIMITS_NOTE, *d.errors[:5]]
    if d.missing_sample:
        notes.append(f"missing (message, socket) examples: {d.missing_sample}")
    title = f"{scenario} ({args.db}, {broker} broker, {'quick' if args.quick else 'full'}"
    title += ", no compression)" if args.no_compression else ")"
    print_table(title, rows)
    path = write_json(
        scenario,
        database=args.db,
        broker=broker,
        quick=args.quick,
        references=references,
        figures=figures,
        targets=targets,
        passed=ok,
        notes=notes,
        ws_compression=not args.no_compression,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    return result_line(scenario, line, ok), ok


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    raise_open_files()
    secret, lines, all_ok = new_secret(), [], True
    print(f"note: {LIMITS_NOTE}")
    async with bench_database(args.db) as work:
        worlds = await seed(work.url, sizes)
        bare = await start_server("bare", "benchmarks.bare_ws", work, secret=secret)
        try:
            async with http_client() as http:
                refs = await measure_all(
                    BareTarget(bare, compression(args)), http, worlds, sizes, "r5"
                )
        finally:
            await bare.stop()
        visitors_open = False
        for broker in brokers(args.broker):
            redis = REDIS_URL if broker == "redis" else None
            server = await start_server(
                "frontdesk", "benchmarks.serve", work, secret=secret, redis_url=redis
            )
            try:
                if not visitors_open:
                    for world in worlds.values():
                        await open_visitors(work.url, server.url, world)
                    visitors_open = True
                async with http_client() as http:
                    got = await measure_all(
                        FrontdeskTarget([server], compression(args)), http, worlds, sizes, broker
                    )
            finally:
                await server.stop()
            for measured in got.values():
                measured.log = server.log_findings(*measured.log_window)
            for scenario in ("S2", "S2b", "S2c"):
                line, ok = report(scenario, broker, args, got[scenario], refs[scenario])
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

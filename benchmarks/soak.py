"""S9: a soak at 50 messages/s with 1,000 agent sockets: memory growth and p99 drift.

The world of S3 (benchmarks/fanout.py): supervisors and teams of about 25 agents, every
socket open, two conversations per team with an assignee. Visitors write at a steady 50
messages/s for the whole run (60 minutes; `--quick`: 200 sockets for 5 minutes; `--minutes`
sets the length either way). The run is cut into windows of one minute (fifths of the run
when it is shorter than ten minutes).

Measured, against the run itself (its first window is the reference):
- memory growth: the server's resident memory at the end over its value at the end of the
  first window, minus one (target <= 10 %);
- p99 drift: end-to-end p99 (POST start -> frame received) of the last window over that of
  the first, minus one (target <= 20 %);
- every frame delivered exactly once.

`python -m benchmarks.soak [--quick] [--minutes M] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.clients import (
    FrontdeskTarget,
    Recorder,
    close_watchers,
    http_client,
    open_watchers,
    quiet,
    send_one,
)
from benchmarks.common import (
    LIMITS_NOTE,
    compression,
    new_secret,
    now,
    options,
    percentile,
    print_table,
    raise_open_files,
    result_line,
    write_json,
)
from benchmarks.fanout import Sizes
from benchmarks.fanout import seed as seed_s3
from benchmarks.own_database import own_database, start_app
from benchmarks.world import open_visitors

TARGETS = {"memory_growth_pct": 10.0, "p99_drift_pct": 20.0}
RATE = 50.0
WINDOW_S = 60.0
SAMPLE_S = 5.0
DRAIN_S = 15.0


def rss_bytes(pid: int) -> int:
    """Resident memory of a process (Linux /proc), 0 when unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def soak_options(argv: Sequence[str] | None) -> tuple[argparse.Namespace, float]:
    """The common options, and --minutes (the soak's length)."""
    extra = argparse.ArgumentParser(add_help=False)
    extra.add_argument("--minutes", type=float, default=None)
    known, rest = extra.parse_known_args(list(argv) if argv is not None else sys.argv[1:])
    args = options(__doc__ or "", rest)
    minutes = known.minutes if known.minutes is not None else (5.0 if args.quick else 60.0)
    return args, minutes


async def soak(args: Any, sizes: Sizes) -> dict[str, Any]:  # noqa: PLR0915 - one run
    secret = new_secret()
    async with own_database(args.db, "soak") as work:
        world = await seed_s3(work.url, sizes)
        server = await start_app(work, secret)
        try:
            await open_visitors(work.url, server.url, world)
            recorder = Recorder()
            target = FrontdeskTarget([server], compression(args))
            watchers = await open_watchers(target, world.members, recorder)
            try:
                await quiet(watchers, seconds=0.5)
                async with http_client() as http:
                    for conv in world.conversations:  # warm up
                        await send_one(target, http, recorder, conv, f"warm{conv.index}")
                    await recorder.settle(DRAIN_S)
                    recorder.reset()
                    memory: list[tuple[float, int]] = []
                    cpu0, log0 = server.cpu(), server.log_size()
                    start = now()

                    async def sample() -> None:
                        while True:
                            memory.append((now() - start, rss_bytes(server.process.pid)))
                            await asyncio.sleep(SAMPLE_S)

                    sampler = asyncio.create_task(sample())
                    count = int(RATE * sizes.seconds)
                    convs, tasks, lag, sent = world.conversations, [], 0.0, 0
                    for k in range(count):
                        if now() > start + sizes.seconds:
                            break  # the run's length is fixed: a sender behind stops on time
                        sent += 1
                        delay = start + k / RATE - now()
                        lag = max(lag, -delay)
                        # Always yield: a lagging loop must still let the sampler run.
                        await asyncio.sleep(max(0.0, delay))
                        conv = convs[k % len(convs)]
                        tasks.append(
                            asyncio.create_task(send_one(target, http, recorder, conv, f"k{k}"))
                        )
                        if len(tasks) > 1000:  # keep the list short on long runs
                            tasks = [t for t in tasks if not t.done()]
                    unanswered = 0
                    if tasks:  # answers still awaited get a bounded wait, then count as lost
                        _, pending = await asyncio.wait(tasks, timeout=DRAIN_S + 30)
                        unanswered = len(pending)
                        for task in pending:
                            task.cancel()
                    await recorder.settle(DRAIN_S)
                    memory.append((now() - start, rss_bytes(server.process.pid)))
                    sampler.cancel()
                    server_cpu = server.cpu() - cpu0
                    findings = server.log_findings(log0)
            finally:
                await close_watchers(watchers)
        finally:
            await server.stop()
    findings.update(unsent=count - sent, unanswered=unanswered)
    return summarise(recorder, memory, start, sizes, server_cpu, lag, findings)


def summarise(  # noqa: PLR0917 - one run's measurements
    recorder: Recorder,
    memory: list[tuple[float, int]],
    start: float,
    sizes: Sizes,
    server_cpu: float,
    lag: float,
    findings: dict[str, int],
) -> dict[str, Any]:
    delivery = recorder.report()
    window = WINDOW_S if sizes.seconds >= 10 * WINDOW_S else sizes.seconds / 5
    windows = max(1, round(sizes.seconds / window))
    first: dict[tuple[str, int], float] = {}
    for cmid, index, at in recorder.arrivals:
        first.setdefault((cmid, index), at)
    per_window: list[list[float]] = [[] for _ in range(windows)]
    for cmid, watchers in recorder.expected.items():
        sent = recorder.sent[cmid]
        w = min(windows - 1, int((sent - start) // window))
        per_window[w].extend(first[(cmid, i)] - sent for i in watchers if (cmid, i) in first)
    p99s = [round(percentile(v, 99) * 1000, 2) for v in per_window]

    def rss_at(t: float) -> int:
        return min(memory, key=lambda m: abs(m[0] - t))[1]

    base_rss, end_rss = rss_at(window), memory[-1][1]
    growth = (end_rss / base_rss - 1) * 100 if base_rss else float("nan")
    drift = (p99s[-1] / p99s[0] - 1) * 100 if p99s[0] else float("nan")
    return {
        "sockets": sizes.sockets,
        "rate_per_s": sizes.rate,
        "minutes": round(sizes.seconds / 60, 2),
        "window_s": round(window, 1),
        "rss_after_first_window_mb": round(base_rss / 2**20, 1),
        "rss_end_mb": round(end_rss / 2**20, 1),
        "rss_max_mb": round(max(m[1] for m in memory) / 2**20, 1),
        "memory_growth_pct": round(growth, 1),
        "p99_ms_by_window": "/".join(str(p) for p in p99s),
        "p99_drift_pct": round(drift, 1),
        "p50_ms": round(percentile(delivery.latencies, 50) * 1000, 2),
        "p99_ms": round(percentile(delivery.latencies, 99) * 1000, 2),
        "messages": delivery.messages,
        "expected_frames": delivery.expected_frames,
        "delivered_frames": delivery.delivered_frames,
        "missing": delivery.missing,
        "duplicates": delivery.duplicates,
        "send_errors": len(delivery.errors),
        "server_cpu_s_per_s": round(server_cpu / sizes.seconds, 3),
        "max_send_lag_ms": round(lag * 1000, 1),
        **findings,
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args, minutes = soak_options(argv)
    sizes = Sizes(sockets=200 if args.quick else 1000, rate=RATE, seconds=minutes * 60)
    limit = raise_open_files()
    print(f"note: {LIMITS_NOTE}")
    print(
        f"note: {sizes.sockets} agent sockets (open-file limit {limit}), {RATE:g} messages/s "
        f"for {minutes:g} minutes, in-process broker"
    )
    f = await soak(args, sizes)
    grows = f["memory_growth_pct"] <= TARGETS["memory_growth_pct"]
    drifts = f["p99_drift_pct"] <= TARGETS["p99_drift_pct"]
    exact = f["missing"] == 0 and f["duplicates"] == 0 and f["send_errors"] == 0
    exact = exact and f["unsent"] == 0 and f["unanswered"] == 0
    passed = bool(grows and drifts and exact)
    rows: list[Sequence[object]] = [
        (
            "memory_growth_pct",
            f["memory_growth_pct"],
            f["rss_after_first_window_mb"],
            "",
            "<= 10",
            grows,
        ),
        (
            "p99_drift_pct",
            f["p99_drift_pct"],
            f["p99_ms_by_window"].split("/")[0],
            "",
            "<= 20",
            drifts,
        ),
        (
            "missing/dup/send errors",
            f"{f['missing']}/{f['duplicates']}/{f['send_errors']}",
            "",
            "",
            "0/0/0",
            exact,
        ),
    ]
    rows += [
        (k, f[k], "", "", "", "")
        for k in (
            "unsent",
            "unanswered",
            "p99_ms_by_window",
            "rss_end_mb",
            "rss_max_mb",
            "p50_ms",
            "p99_ms",
            "messages",
            "server_cpu_s_per_s",
            "max_send_lag_ms",
        )
    ]
    print_table(
        f"S9 ({args.db}, {sizes.sockets} sockets, {RATE:g}/s for {minutes:g} min"
        f"{', quick' if args.quick else ''}; reference: the run's first window, not R5)",
        rows,
    )
    notes = [LIMITS_NOTE]
    if minutes < 60:
        notes.append(f"{minutes:g} minutes instead of 60, {sizes.sockets} sockets")
    path = write_json(
        "S9",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={
            "first_window": {
                "rss_mb": f["rss_after_first_window_mb"],
                "p99_ms": f["p99_ms_by_window"].split("/")[0],
            }
        },
        figures=f,
        targets={k: f"<= {v}" for k, v in TARGETS.items()},
        passed=passed,
        notes=notes,
        ws_compression=not args.no_compression,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print()
    keys = ("sockets", "minutes", "memory_growth_pct", "p99_drift_pct", "p99_ms", "missing")
    print(result_line("S9", {k: f[k] for k in keys}, passed))
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

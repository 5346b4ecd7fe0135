"""P1: the same delivery workload against one app process, then two sharing the port.

PostgreSQL and Redis, as several processes require (`frontdesk serve --workers N` refuses
SQLite and a missing Redis). Both runs are the production shape: `frontdesk serve --workers N`
with jobs off in the server and one `frontdesk worker` beside it, Redis carrying the live
events (so the only difference between the runs is N). Supervisors and teams of agents listen
on sockets; a closed loop of concurrent visitors sends messages through the widget endpoint
for a fixed time, each sender posting its next message as soon as the last one was accepted.

Measured per run: messages accepted per second (the capacity), frame latency (POST start to
`message.created` on every socket that should get it), and delivered / expected frames, which
must be exactly 1.0 with nothing missing, duplicated or unexpected. The RESULT line gives the
scaling ratio, messages/s with 2 processes / messages/s with 1. The load generator runs on
the same cores as the servers (its CPU is reported): on a 2-core machine expect less than 2x.

`python -m benchmarks.processes [--quick]` (FRONTDESK_BENCH_PG_DATABASE names the database
the run creates and drops; `frontdesk_bench_processes` by default)
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from benchmarks.clients import (
    Delivery,
    FrontdeskTarget,
    Recorder,
    close_watchers,
    http_client,
    open_watchers,
    quiet,
    send_one,
)
from benchmarks.common import (
    REDIS_URL,
    ROOT,
    Server,
    Workdir,
    _pg_admin,
    cpu_seconds,
    fmt,
    free_port,
    migrate,
    new_secret,
    now,
    own_cpu_seconds,
    raise_open_files,
    redis_available,
    result_line,
    write_json,
)
from benchmarks.world import World, open_visitors, seed_people

PG_DATABASE = os.environ.get("FRONTDESK_BENCH_PG_DATABASE") or "frontdesk_bench_processes"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"
SETTLE_SECONDS = 15.0
READY_SECONDS = 180.0  # each process loads the language models as it starts
# The widget's limits protect a public endpoint from one browser; one loopback load generator
# needs them raised (by their settings: each process reads them, however uvicorn starts it).
RAISED_LIMITS = {
    f"FRONTDESK_WIDGET_{name}": "1000000"
    for name in ("SESSIONS_PER_IP", "MESSAGES_PER_VISITOR", "READS_PER_VISITOR")
}
LIMITS_NOTE = "widget rate limits raised by their settings (FRONTDESK_WIDGET_*) for one client"


@dataclass(frozen=True)
class Sizes:
    senders: int
    seconds: float
    supervisors: int
    teams: int
    team_size: int
    conversations_per_team: int


FULL = Sizes(senders=24, seconds=20, supervisors=6, teams=6, team_size=12, conversations_per_team=8)
QUICK = Sizes(senders=16, seconds=8, supervisors=4, teams=4, team_size=8, conversations_per_team=6)


@dataclass
class Run:
    processes: int
    delivery: Delivery
    accepted: int
    elapsed_s: float
    server_cpu_s: float
    client_cpu_s: float
    load_average: float = 0.0  # the machine's, over the last minute, when the load stopped

    @property
    def messages_per_s(self) -> float:
        return self.accepted / self.elapsed_s if self.elapsed_s else 0.0

    def figures(self) -> dict[str, Any]:
        figures = self.delivery.figures()
        figures.update(
            processes=self.processes,
            messages_per_s=round(self.messages_per_s, 1),
            server_cpu_ms_per_message=round(self.server_cpu_s * 1000 / max(1, self.accepted), 2),
            server_cpu_s_per_s=round(self.server_cpu_s / self.elapsed_s, 2),
            client_cpu_s_per_s=round(self.client_cpu_s / self.elapsed_s, 2),
            elapsed_s=round(self.elapsed_s, 1),
            load_average_1m=round(self.load_average, 1),
        )
        return figures


# --- processes -----------------------------------------------------------------------------


def _environment(work: Workdir, port: int, secret: str, channel: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=work.url,
        FRONTDESK_DATA_DIR=str(work.path / "data"),
        FRONTDESK_SECRET_KEY=secret,
        FRONTDESK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FRONTDESK_REDIS_URL=REDIS_URL,
        FRONTDESK_REDIS_CHANNEL=channel,
        FRONTDESK_RUN_JOBS_IN_SERVER="false",
        **RAISED_LIMITS,
    )
    return env


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
            queue.extend(int(c) for c in children)
    return found


def tree_cpu(pids: Sequence[int]) -> float:
    """CPU seconds of these processes and every process they started (uvicorn's workers)."""
    return sum(cpu_seconds(p) for pid in pids for p in _descendants(pid))


def _start(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "frontdesk", *args],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def _until_idle(pids: Sequence[int], limit: float = READY_SECONDS) -> None:
    """Until the processes use under a tenth of a core (started, language models loaded)."""
    deadline = time.monotonic() + limit
    before = tree_cpu(pids)
    while time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        after = tree_cpu(pids)
        if after - before < 0.1:
            return
        before = after


async def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 20
        while process.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # a child process: nothing to wait on but polling
        if process.poll() is None:
            process.kill()
            process.wait(5)


async def _until_ready(server: Server) -> None:
    deadline = time.monotonic() + READY_SECONDS
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"{server.name} exited:\n{server.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(server.url + "/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer in time:\n{server.log_tail()}")


@contextlib.asynccontextmanager
async def stack(
    work: Workdir, workers: int, secret: str
) -> AsyncIterator[tuple[Server, list[int]]]:
    """`frontdesk serve --workers N` and one `frontdesk worker`, on a Redis channel of their own."""
    port, channel = free_port(), f"frontdesk-bench:{uuid.uuid4().hex}:live"
    env = _environment(work, port, secret, channel)
    log_path = work.path / f"serve-{workers}.log"
    serve = _start(["serve", "--port", str(port), "--workers", str(workers)], env, log_path)
    worker_log = work.path / f"worker-{workers}.log"
    jobs = _start(["worker"], env, worker_log)
    server = Server(name=f"serve x{workers}", port=port, process=serve, log_path=log_path)
    try:
        await _until_ready(server)
        await _until_idle([serve.pid, jobs.pid])
        if jobs.poll() is not None:
            raise RuntimeError(f"the worker exited:\n{worker_log.read_text()[-3000:]}")
        yield server, [serve.pid, jobs.pid]
    finally:
        await asyncio.gather(_stop(serve), _stop(jobs))


# --- the workload --------------------------------------------------------------------------


async def measure(server: Server, world: World, sizes: Sizes, tag: str, pids: list[int]) -> Run:
    target = FrontdeskTarget([server], compression=None)
    recorder = Recorder()
    watchers = await open_watchers(target, world.members, recorder)
    try:
        await quiet(watchers, seconds=0.5)
        async with http_client() as http:
            for conv in world.conversations:  # warm up: one message per conversation
                await send_one(target, http, recorder, conv, f"{tag}-warm{conv.index}")
            await recorder.settle(SETTLE_SECONDS)
            await quiet(watchers)
            recorder.reset()
            convs, count = world.conversations, 0
            stop_at = now() + sizes.seconds
            cpu0, own0, t0 = tree_cpu(pids), own_cpu_seconds(), now()

            async def sender(lane: int) -> None:
                nonlocal count
                k = lane
                while now() < stop_at:
                    conv = convs[k % len(convs)]
                    await send_one(target, http, recorder, conv, f"{tag}-{lane}-{k}")
                    count += 1
                    k += sizes.senders

            await asyncio.gather(*(sender(lane) for lane in range(sizes.senders)))
            elapsed = now() - t0
            server_cpu, client_cpu = tree_cpu(pids) - cpu0, own_cpu_seconds() - own0
            load = os.getloadavg()[0]
            await recorder.settle(SETTLE_SECONDS)
            await quiet(watchers)
            delivery = recorder.report()
    finally:
        await close_watchers(watchers)
    return Run(
        processes=0,
        delivery=delivery,
        accepted=count - len(delivery.errors),
        elapsed_s=elapsed,
        server_cpu_s=server_cpu,
        client_cpu_s=client_cpu,
        load_average=load,
    )


@contextlib.asynccontextmanager
async def database() -> AsyncIterator[Workdir]:
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-processes-"))
    await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
    await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
    work = Workdir(path=path, database="postgresql", url=PG_URL)
    try:
        migrate(work)
        yield work
    finally:
        with contextlib.suppress(Exception):
            await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


def table(runs: Sequence[Run]) -> None:
    names = (
        "messages_per_s",
        "p50_ms",
        "p99_ms",
        "post_p50_ms",
        "post_p99_ms",
        "messages",
        "delivered_ratio",
        "missing",
        "duplicates",
        "unexpected",
        "send_errors",
        "server_cpu_ms_per_message",
        "server_cpu_s_per_s",
        "client_cpu_s_per_s",
        "load_average_1m",
    )
    columns = [r.figures() for r in runs]
    header = ("figure", *(f"{r.processes} process{'es' if r.processes > 1 else ''}" for r in runs))
    rows = [header] + [(n, *(fmt(c[n]) for c in columns)) for n in names]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    for row in rows:
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)))


async def run(argv: Sequence[str] | None = None) -> bool:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, about three minutes")
    parser.add_argument("--db", choices=("postgresql",), default="postgresql")
    args, _ = parser.parse_known_args(argv)  # `python -m benchmarks` passes its options on
    if not redis_available():
        print("error: Redis is needed on 127.0.0.1:6379 (several processes talk through it)")
        return False
    sizes = QUICK if args.quick else FULL
    raise_open_files()
    secret = new_secret()
    runs: list[Run] = []
    print(f"note: {LIMITS_NOTE}; cores: {os.cpu_count()}, load average {os.getloadavg()}")
    async with database() as work:
        world = await seed_people(
            work.url,
            "P1",
            supervisors=["owner"] + ["manager"] * (sizes.supervisors - 1),
            team_sizes=[sizes.team_size] * sizes.teams,
        )
        world.plan(sizes.teams * sizes.conversations_per_team)
        opened = False
        for workers in (1, 2):
            async with stack(work, workers, secret) as (server, pids):
                if not opened:
                    await open_visitors(work.url, server.url, world)
                    opened = True
                got = await measure(server, world, sizes, f"x{workers}", pids)
                got.processes = workers
                runs.append(got)
                print(f"\n{workers} app process(es): {fmt(got.messages_per_s)} messages/s")
    print(
        f"\nP1 (PostgreSQL, Redis, `serve --workers N` + 1 worker, {sizes.senders} senders "
        f"for {sizes.seconds:g} s, {len(world.members)} sockets"
        f"{', quick' if args.quick else ''})"
    )
    table(runs)
    one, two = runs
    scaling = round(two.messages_per_s / one.messages_per_s, 2) if one.messages_per_s else 0.0
    exact = all(
        r.delivery.exact and r.delivery.ratio == 1.0 and not r.delivery.errors for r in runs
    )
    figures: dict[str, object] = {
        "messages_per_s_1": round(one.messages_per_s, 1),
        "messages_per_s_2": round(two.messages_per_s, 1),
        "scaling": scaling,
        "delivered_ratio_1": round(one.delivery.ratio, 6),
        "delivered_ratio_2": round(two.delivery.ratio, 6),
    }
    path = write_json(
        "P1",
        database="postgresql",
        broker="redis",
        quick=args.quick,
        references={"one_process": one.figures()},
        figures={"two_processes": two.figures(), **figures},
        targets={"delivered_ratio": 1.0},
        passed=exact,
        notes=[
            LIMITS_NOTE,
            f"cpu_count={os.cpu_count()}; the load generator shares the cores",
            *one.delivery.errors[:3],
            *two.delivery.errors[:3],
        ],
        ws_compression=False,
    )
    print(f"written {path.relative_to(ROOT)}")
    print(result_line("P1", figures, exact))
    return exact


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

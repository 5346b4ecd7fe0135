"""S10: restart the app with 1,000 agent sockets connected.

Every socket behaves as the app's (frontend/src/live/socket.ts): it resumes from the highest
event id it has applied (`?cursor=`), and reconnects after a close with the same backoff
(0.5 s doubling, at most 30 s, +-20 % jitter). Visitors write at 50 messages/s throughout.
The server is stopped as a deploy stops it (SIGINT) and started again on the same port;
messages sent while it is down are refused (a provider would retry them) and are not expected.

Measured: time from the stop until every socket is connected again and has every message
acknowledged before the sending stopped (one second after the server answers again); frames
of one message that reached one socket more than once (duplicate renders); frames missing.
Targets: <= 30 s; 0 duplicates; 0 missing.

`python -m benchmarks.restart [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from benchmarks.clients import CONNECT_SECONDS, FrontdeskTarget, Recorder, http_client, send_one
from benchmarks.common import (
    LIMITS_NOTE,
    Server,
    compression,
    free_port,
    new_secret,
    now,
    options,
    print_table,
    raise_open_files,
    result_line,
    write_json,
)
from benchmarks.own_database import own_database, start_app
from benchmarks.world import Member, World, open_visitors, seed_people

TARGETS = {"caught_up_s": 30.0, "duplicates": 0, "missing": 0}
RATE = 50.0
SEND_AFTER_READY_S = 1.0
CATCH_UP_LIMIT_S = 60.0
TEAM_SIZE = 25
CONVERSATIONS_PER_TEAM = 2


@dataclass(frozen=True)
class Sizes:
    sockets: int

    @property
    def supervisors(self) -> int:
        return max(4, self.sockets // 50)


FULL = Sizes(sockets=1000)
QUICK = Sizes(sockets=200)


def backoff(attempt: int) -> float:
    """The app's reconnect delay in seconds (frontend/src/live/socket.ts)."""
    return float(min(30.0, 0.5 * 2**attempt) * (0.8 + 0.4 * random.random()))


@dataclass
class ResumingSocket:
    """One agent tab's socket: resumes from its cursor, reconnects with the app's backoff."""

    member: Member
    port: int
    recorder: Recorder
    compression: Any
    cursor: int = 0
    connections: int = 0
    resyncs: int = 0
    replayed: int = 0  # event frames that arrived before `ready` (the catch-up)
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    stopped: bool = False
    task: asyncio.Task[None] | None = None
    ws: ClientConnection | None = None

    def start(self) -> None:
        self.task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        attempt = 0
        while not self.stopped:
            url = f"ws://127.0.0.1:{self.port}/api/v1/realtime"
            if self.cursor > 0:
                url += f"?cursor={self.cursor}"
            try:
                async with connect(
                    url,
                    additional_headers={"Cookie": f"frontdesk_session={self.member.token}"},
                    max_size=2**22,
                    open_timeout=CONNECT_SECONDS,
                    compression=self.compression,
                ) as ws:
                    self.ws = ws
                    attempt = 0
                    self.connections += 1
                    await self._read(ws)
            except Exception:  # noqa: S110 - refused or dropped: the backoff below retries
                pass
            self.ws = None
            self.connected.clear()
            if self.stopped:
                return
            await asyncio.sleep(backoff(attempt))
            attempt += 1

    async def _read(self, ws: ClientConnection) -> None:
        replaying = False
        async for raw in ws:
            at = now()
            frame = json.loads(raw)
            kind = frame.get("type")
            if kind == "hello":
                self.cursor = self.cursor if self.cursor > 0 else int(frame["cursor"])
                replaying = self.connections > 1
                self.connected.set()
            elif kind == "ready":
                self.cursor = max(self.cursor, int(frame["cursor"]))
                replaying = False
            elif kind == "resync":
                self.cursor = int(frame["cursor"])
                self.resyncs += 1
            elif "id" in frame:
                self.cursor = max(self.cursor, int(frame["id"]))
                self.replayed += int(replaying)
                if kind == "message.created":
                    cmid = frame["data"]["message"].get("client_message_id")
                    if cmid:
                        self.recorder.arrived(cmid, self.member.index, at)

    async def stop(self) -> None:
        self.stopped = True
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 5)
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(BaseException):
                await self.task


async def seed(url: str, sizes: Sizes) -> World:
    n_sup = sizes.supervisors
    roles = ["owner"] + ["manager"] * ((n_sup - 1) // 2)
    roles += ["viewer"] * (n_sup - len(roles))
    agents = sizes.sockets - n_sup
    teams = max(1, agents // TEAM_SIZE)
    team_sizes = [agents // teams + (1 if i < agents % teams else 0) for i in range(teams)]
    world = await seed_people(url, "S10", supervisors=roles, team_sizes=team_sizes)
    world.plan(teams * CONVERSATIONS_PER_TEAM)
    return world


class Sender:
    """Visitors writing at a fixed rate until told to stop; refusals while down are counted."""

    def __init__(self, target: FrontdeskTarget, world: World, recorder: Recorder) -> None:
        self.target, self.world, self.recorder = target, world, recorder
        self.stop = asyncio.Event()
        self.sent = 0

    async def run(self, http: httpx.AsyncClient) -> None:
        convs, start, tasks = self.world.conversations, now(), []
        k = 0
        while not self.stop.is_set():
            # Always yield: a loop that lags behind would otherwise never let the rest run.
            await asyncio.sleep(max(0.0, start + k / RATE - now()))
            conv = convs[k % len(convs)]
            tasks.append(
                asyncio.create_task(send_one(self.target, http, self.recorder, conv, f"s-{k}"))
            )
            k += 1
        self.sent = k
        await asyncio.gather(*tasks)


async def scenario(args: Any, sizes: Sizes) -> dict[str, Any]:
    secret = new_secret()
    async with own_database(args.db, "restart") as work:
        world = await seed(work.url, sizes)
        port = free_port()
        server = await start_app(work, secret, "before", port)
        await open_visitors(work.url, server.url, world)
        recorder = Recorder()
        target = FrontdeskTarget([server], compression(args))
        sockets = [ResumingSocket(m, port, recorder, compression(args)) for m in world.members]
        restarted: Server | None = None
        try:
            t0 = now()
            for sock in sockets:
                sock.start()
            await asyncio.wait_for(
                asyncio.gather(*(s.connected.wait() for s in sockets)), CONNECT_SECONDS * 2
            )
            connect_s = now() - t0
            async with http_client() as http:
                sender = Sender(target, world, recorder)
                sending = asyncio.create_task(sender.run(http))
                await asyncio.sleep(3)  # steady load before the restart
                stopped_at = now()
                await server.stop()
                down_at = now()
                restarted = await start_app(work, secret, "after", port)
                ready_at = now()
                await asyncio.sleep(SEND_AFTER_READY_S)
                sender.stop.set()
                await sending
            waiting = [asyncio.ensure_future(s.connected.wait()) for s in sockets]
            _, still_out = await asyncio.wait(waiting, timeout=CATCH_UP_LIMIT_S)
            for task in still_out:
                task.cancel()
            reconnected_at = now()
            await recorder.settle(CATCH_UP_LIMIT_S)
            delivery = recorder.report()
            caught_up_at = max(delivery.last_arrival, reconnected_at)
            if still_out or delivery.missing:  # not all caught up within the limit
                caught_up_at = float("inf")
            refused = len(delivery.errors)
            return {
                "sockets": len(sockets),
                "connect_s": round(connect_s, 2),
                "stop_s": round(down_at - stopped_at, 2),
                "server_down_s": round(ready_at - stopped_at, 2),
                "reconnected_s": round(reconnected_at - stopped_at, 2),
                "caught_up_s": round(caught_up_at - stopped_at, 2),
                "messages_sent": sender.sent,
                "messages_acknowledged": delivery.messages,
                "refused_while_down": refused,
                "expected_frames": delivery.expected_frames,
                "delivered_frames": delivery.delivered_frames,
                "missing": delivery.missing,
                "duplicates": delivery.duplicates,
                "replayed_frames": sum(s.replayed for s in sockets),
                "resyncs": sum(s.resyncs for s in sockets),
                "reconnects": sum(s.connections - 1 for s in sockets),
                "not_reconnected": len(still_out),
                "missing_sample": delivery.missing_sample[:5],
            }
        finally:
            await asyncio.gather(*(s.stop() for s in sockets))
            for s in (server, restarted):
                if s is not None:
                    await s.stop()


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    limit = raise_open_files()
    print(f"note: {LIMITS_NOTE}")
    print(f"note: {sizes.sockets} agent sockets (open-file limit {limit}), in-process broker")
    figures = await scenario(args, sizes)
    fast = figures["caught_up_s"] <= TARGETS["caught_up_s"]
    exact = figures["duplicates"] == 0 and figures["missing"] == 0
    passed = bool(fast and exact and figures["reconnects"] >= figures["sockets"])
    rows: list[Sequence[object]] = [
        ("caught_up_s", figures["caught_up_s"], "", "", "<= 30", fast),
        ("duplicates", figures["duplicates"], "", "", "0", figures["duplicates"] == 0),
        ("missing", figures["missing"], "", "", "0", figures["missing"] == 0),
    ]
    rows += [
        (k, figures[k], "", "", "", "")
        for k in (
            "stop_s",
            "server_down_s",
            "reconnected_s",
            "reconnects",
            "replayed_frames",
            "resyncs",
            "messages_acknowledged",
            "refused_while_down",
            "expected_frames",
            "delivered_frames",
        )
    ]
    print_table(
        f"S10 ({args.db}, {sizes.sockets} sockets, restart under {RATE:g} messages/s"
        f"{', quick' if args.quick else ''}; no reference: times from the stop)",
        rows,
    )
    notes = [LIMITS_NOTE]
    if figures["missing_sample"]:
        notes.append(f"missing (message, socket) examples: {figures['missing_sample']}")
    if args.quick:
        notes.append(f"quick: {sizes.sockets} sockets instead of 1,000")
    path = write_json(
        "S10",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={},
        figures=figures,
        targets=TARGETS,
        passed=passed,
        notes=notes,
        ws_compression=not args.no_compression,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print()
    keys = ("sockets", "caught_up_s", "duplicates", "missing", "reconnects")
    print(result_line("S10", {k: figures[k] for k in keys}, passed))
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

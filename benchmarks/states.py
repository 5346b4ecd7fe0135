"""S4: 1,000 agents change state within 60 seconds, against the same number of messages.

Every agent has its socket open (as the app does), the workspace's supervisors too. Measured,
on the same server in the same run, at the same pace over the same window:

reference  N visitor messages through the widget endpoint, each delivered to everyone who may
           see its conversation (its team, the assignee, the supervisors): server CPU seconds.
S4         N agents each set their state (`PUT /api/v1/me/state`, online, then busy on the
           second round if there is one): server CPU seconds, every answer a 200.

Figure: CPU seconds of the state changes divided by those of the message deliveries (target
<= 2). Server CPU is read from /proc for the window and until the sockets fall quiet, so the
frames each change fans out are counted too.

`python -m benchmarks.states [--quick] [--db sqlite|postgresql]`
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from benchmarks.clients import (
    FrontdeskTarget,
    Recorder,
    Watcher,
    close_watchers,
    http_client,
    open_watchers,
    quiet,
    send_one,
)
from benchmarks.common import (
    LIMITS_NOTE,
    Server,
    compression,
    new_secret,
    now,
    options,
    own_cpu_seconds,
    print_table,
    raise_open_files,
    result_line,
    write_json,
)
from benchmarks.own_database import own_database, start_app
from benchmarks.world import Member, World, open_visitors, seed_people
from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.security import hash_token
from frontdesk.db.engine import create_database

TARGET = 2.0
SETTLE_SECONDS = 15.0
TEAM_SIZE = 25
CONVERSATIONS_PER_TEAM = 2


@dataclass(frozen=True)
class Sizes:
    agents: int
    seconds: float

    @property
    def supervisors(self) -> int:
        return max(4, self.agents // 50)


FULL = Sizes(agents=1000, seconds=60)
QUICK = Sizes(agents=100, seconds=5)


@dataclass
class Phase:
    count: int
    ok: int
    server_cpu_s: float
    client_cpu_s: float
    frames: int
    elapsed_s: float
    lag_s: float
    errors: list[str]


async def seed(url: str, sizes: Sizes) -> World:
    n_sup = sizes.supervisors
    roles = ["owner"] + ["manager"] * ((n_sup - 1) // 2)
    roles += ["viewer"] * (n_sup - len(roles))
    teams = max(1, sizes.agents // TEAM_SIZE)
    team_sizes = [
        sizes.agents // teams + (1 if i < sizes.agents % teams else 0) for i in range(teams)
    ]
    world = await seed_people(url, "S4", supervisors=roles, team_sizes=team_sizes)
    world.plan(teams * CONVERSATIONS_PER_TEAM)
    return world


async def csrf_tokens(url: str, members: Sequence[Member]) -> dict[int, str]:
    """Each member's CSRF token, read back from their session (the API asks for it)."""
    db = create_database(url)
    try:
        async with db.read_session() as s:
            rows = await s.execute(
                select(AuthSession.token_hash, AuthSession.csrf_token).where(
                    AuthSession.token_hash.in_([hash_token(m.token) for m in members])
                )
            )
            by_hash: dict[str, str] = {str(h): str(c) for h, c in rows.all()}
    finally:
        await db.dispose()
    return {m.index: by_hash[hash_token(m.token)] for m in members}


async def paced(
    count: int, seconds: float, one: Callable[[int], Coroutine[Any, Any, bool]]
) -> tuple[int, float]:
    """Start `count` calls evenly over `seconds` whatever the answers; (successes, worst lag)."""
    start, lag, tasks = now(), 0.0, list[asyncio.Task[bool]]()
    for k in range(count):
        delay = start + k * seconds / count - now()
        lag = max(lag, -delay)
        await asyncio.sleep(max(0.0, delay))  # always yield, even when behind
        tasks.append(asyncio.create_task(one(k)))
    results = await asyncio.gather(*tasks)
    return sum(1 for r in results if r), lag


async def measure(
    server: Server,
    watchers: Sequence[Watcher],
    run: Callable[[], Awaitable[tuple[int, float]]],
    count: int,
    errors: list[str],
) -> Phase:
    frames0 = sum(w.frames for w in watchers)
    cpu0, own0, t0 = server.cpu(), own_cpu_seconds(), now()
    ok, lag = await run()
    await quiet(watchers, seconds=0.5, limit=SETTLE_SECONDS)
    return Phase(
        count=count,
        ok=ok,
        server_cpu_s=server.cpu() - cpu0,
        client_cpu_s=own_cpu_seconds() - own0,
        frames=sum(w.frames for w in watchers) - frames0,
        elapsed_s=now() - t0,
        lag_s=lag,
        errors=errors,
    )


async def scenario(args: Any, sizes: Sizes) -> tuple[Phase, Phase]:
    secret = new_secret()
    async with own_database(args.db, "states") as work:
        world = await seed(work.url, sizes)
        csrf = await csrf_tokens(work.url, world.members)
        agents = [m for m in world.members if m.role == "agent"]
        server = await start_app(work, secret)
        try:
            await open_visitors(work.url, server.url, world)
            target = FrontdeskTarget([server], compression(args))
            recorder = Recorder()
            watchers = await open_watchers(target, world.members, recorder)
            try:
                await quiet(watchers, seconds=0.5)
                async with http_client() as http:

                    async def set_state(member: Member, state: str, errors: list[str]) -> bool:
                        r = await http.put(
                            f"{server.url}/api/v1/me/state",
                            json={"state": state},
                            headers={
                                "Cookie": f"frontdesk_session={member.token}",
                                "X-CSRF-Token": csrf[member.index],
                            },
                        )
                        if r.status_code != 200:
                            errors.append(f"{r.status_code}: {r.text[:200]}")
                        return r.status_code == 200

                    # Warm up both paths: a message per conversation, the supervisors' states.
                    for conv in world.conversations:
                        await send_one(target, http, recorder, conv, f"warm-{conv.index}")
                    for m in world.members:
                        if m.role != "agent":
                            await set_state(m, "online", [])
                    await recorder.settle(SETTLE_SECONDS)
                    await quiet(watchers)

                    n, convs = len(agents), world.conversations
                    message_errors: list[str] = []

                    async def message(k: int) -> bool:
                        await send_one(target, http, recorder, convs[k % len(convs)], f"m-{k}")
                        return f"m-{k}" in recorder.acked

                    async def messages() -> tuple[int, float]:
                        done = await paced(n, sizes.seconds, message)
                        await recorder.settle(SETTLE_SECONDS)
                        return done

                    reference = await measure(server, watchers, messages, n, message_errors)
                    reference.errors = list(recorder.errors)
                    delivered = recorder.report()
                    if not delivered.exact:
                        reference.errors.append(
                            f"messages: {delivered.missing} frames missing, "
                            f"{delivered.duplicates} duplicated"
                        )
                    state_errors: list[str] = []

                    async def change(k: int) -> bool:
                        return await set_state(agents[k], "online", state_errors)

                    got = await measure(
                        server,
                        watchers,
                        lambda: paced(n, sizes.seconds, change),
                        n,
                        state_errors,
                    )
            finally:
                await close_watchers(watchers)
        finally:
            await server.stop()
    return got, reference


def figures_of(p: Phase) -> dict[str, Any]:
    return {
        "count": p.count,
        "ok": p.ok,
        "server_cpu_s": round(p.server_cpu_s, 3),
        "server_cpu_ms_each": round(p.server_cpu_s * 1000 / max(1, p.count), 2),
        "frames": p.frames,
        "frames_each": round(p.frames / max(1, p.count), 1),
        "client_cpu_s": round(p.client_cpu_s, 3),
        "elapsed_s": round(p.elapsed_s, 1),
        "max_send_lag_ms": round(p.lag_s * 1000, 1),
        "errors": len(p.errors),
    }


async def run(argv: Sequence[str] | None = None) -> bool:
    args = options(__doc__ or "", argv)
    sizes = QUICK if args.quick else FULL
    limit = raise_open_files()
    print(f"note: {LIMITS_NOTE}")
    print(
        f"note: {sizes.agents} agents + {sizes.supervisors} supervisors with sockets open "
        f"(open-file limit {limit}); in-process broker, one server process"
    )
    got, ref = await scenario(args, sizes)
    figures, reference = figures_of(got), figures_of(ref)
    ratio = round(got.server_cpu_s / ref.server_cpu_s, 3) if ref.server_cpu_s else float("inf")
    figures["cpu_vs_messages"] = ratio
    clean = got.ok == got.count and not got.errors and ref.ok == ref.count and not ref.errors
    passed = ratio <= TARGET and clean
    rows: list[Sequence[object]] = [
        (
            "server_cpu_s",
            figures["server_cpu_s"],
            reference["server_cpu_s"],
            ratio,
            "<= 2",
            ratio <= TARGET,
        ),
        ("answered 200", f"{got.ok}/{got.count}", f"{ref.ok}/{ref.count}", "", "all", clean),
    ]
    rows += [
        (name, figures[name], reference[name], "", "", "")
        for name in (
            "server_cpu_ms_each",
            "frames",
            "frames_each",
            "client_cpu_s",
            "elapsed_s",
            "max_send_lag_ms",
        )
    ]
    print_table(
        f"S4 ({args.db}, {sizes.agents} agents change state in {sizes.seconds:g} s; "
        f"reference: as many messages in the same time{', quick' if args.quick else ''})",
        [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in rows],
    )
    print("  (the reference column here is the message deliveries, not R5)")
    notes = [LIMITS_NOTE, *got.errors[:5], *ref.errors[:5]]
    if args.quick:
        notes.append(f"quick: {sizes.agents} agents instead of 1,000, {sizes.seconds:g} s")
    path = write_json(
        "S4",
        database=args.db,
        broker="inprocess",
        quick=args.quick,
        references={"message_deliveries": reference},
        figures=figures,
        targets={"cpu_vs_messages": f"<= {TARGET}", "answered": "all 200"},
        passed=passed,
        notes=notes,
        ws_compression=not args.no_compression,
    )
    print(f"written {path.relative_to(path.parents[2])}")
    print()
    line = {
        "agents": sizes.agents,
        "cpu_vs_messages": ratio,
        "state_cpu_s": figures["server_cpu_s"],
        "message_cpu_s": reference["server_cpu_s"],
        "answered": f"{got.ok}/{got.count}",
    }
    print(result_line("S4", line, passed))
    return passed


def main() -> None:
    sys.exit(0 if asyncio.run(run(sys.argv[1:])) else 1)


if __name__ == "__main__":
    main()

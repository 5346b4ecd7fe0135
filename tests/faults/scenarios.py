"""F1, F2 and F3 as scenarios with their sizes as parameters: the tests run them short, the
benchmark (`python -m benchmarks.faults`) long. Each returns its figures and what went wrong
against the pass rule (every acknowledged inbound message stored exactly once, every stored
message on every subscribed socket exactly once, every outbound send at the provider once).
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

from frontdesk.db.outbox import JobStatus
from tests.faults.harness import (
    AgentSocket,
    AppProcess,
    Delivery,
    PgCluster,
    Provider,
    RedisServer,
    load,
    redeliver,
    wait_until,
)
from tests.faults.stage import Stage, exactly_once, sends_once, unfinished

JOB_KINDS = ("routing_route", "deliver_message")


@dataclass
class Outcome:
    fault: str
    figures: dict[str, object] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.problems

    def expect(self, ok: bool, problem: str) -> None:
        if not ok:
            self.problems.append(problem)


async def _check_inbound(outcome: Outcome, stage: Stage, provider: Provider) -> None:
    stored = await stage.stored()
    missing, duplicated = exactly_once(provider.acked, stored)
    outcome.figures.update(acked=len(provider.acked), missing=len(missing))
    outcome.figures["duplicates"] = len(duplicated)
    outcome.expect(not missing, f"acknowledged but not stored: {missing[:5]}")
    outcome.expect(not duplicated, f"stored more than once: {duplicated[:5]}")
    unknown = sorted(set(stored) - set(provider.answers))
    outcome.expect(not unknown, f"stored but never posted: {unknown[:5]}")


async def _acks_grow(provider: Provider, by: int, within: float, what: str) -> None:
    target = len(provider.acked) + by
    await wait_until(lambda: len(provider.acked) >= target, within, what)


# --- F1 ------------------------------------------------------------------------------------


async def killed_app(stage: Stage, *, acks_before: int = 20, acks_after: int = 20) -> Outcome:
    """Two app processes (the first also runs the jobs) take webhooks from four senders; the
    first is killed with SIGKILL mid-load. What it did not acknowledge is redelivered to the
    survivor, and a worker started after the leases expire finishes the queued work."""
    outcome = Outcome("F1")
    provider = stage.provider()
    first = AppProcess("first", stage.settings, stage.workdir, run_jobs=True)
    second = AppProcess("second", stage.settings, stage.workdir)
    try:
        await asyncio.gather(first.start(), second.start())
        stop = asyncio.Event()
        sending = asyncio.create_task(load(provider, [first.base, second.base], stop, senders=4))
        await _acks_grow(provider, acks_before, 120, "acknowledgements before the kill")
        in_flight = len(provider.answers)
        first.kill()
        killed_at = time.monotonic()
        await _acks_grow(provider, acks_after, 120, "acknowledgements after the kill")
        stop.set()
        sent = await sending
        cut = [
            w
            for started, finished, w, answer in provider.log
            if started < killed_at <= finished and not isinstance(answer, int)
        ]
        outcome.figures.update(posted=len(sent), cut_mid_request=len(cut))
        outcome.figures["posted_before_kill"] = in_flight
        unacked = provider.unacknowledged(sent)
        outcome.figures["redelivered"] = len(unacked)
        await redeliver(provider, second.base, unacked)
    finally:
        await second.stop()
        first.kill()
    await _check_inbound(outcome, stage, provider)
    # Only the killed process ran jobs: what is still running was held by it at its death.
    held = [j for j in await stage.jobs() if j.status == JobStatus.RUNNING]
    outcome.figures["jobs_held_by_killed"] = len(held)
    outcome.figures["jobs_rescued"] = await stage.rescue_jobs()
    left = unfinished(await stage.jobs(), JOB_KINDS)
    outcome.figures["jobs_left"] = len(left)
    outcome.expect(not left, f"queued work left after the leases expired: {left[:5]}")
    sends = sends_once(stage, await stage.outbound())
    outcome.figures.update(sends)
    outcome.expect(sends["outbound"] > 0, "no automatic reply was queued at all")
    outcome.expect(sends["unsent"] == 0, f"outbound messages never sent: {sends}")
    outcome.expect(
        sends["sent_twice"] == 0 and sends["recorded_not_once"] == 0,
        f"a customer got a message twice: {sends}",
    )
    outcome.expect(
        sends["sent_unrecorded"] <= sends["in_doubt"],
        f"sends the database does not know of, beyond the messages shown as unconfirmed: {sends}",
    )
    return outcome


# --- F2 ------------------------------------------------------------------------------------


async def _hears_the_other(provider: Provider, via: str, sockets: list[AgentSocket]) -> None:
    """Post one message through `via` until every socket has heard it live."""
    import httpx

    async with httpx.AsyncClient(timeout=10) as client:
        delivery = provider.new()
        await provider.post(client, via, delivery)
        for sock in sockets:
            await wait_until(
                lambda s=sock: s.of_type("message.created"), 60, f"{sock.name} hearing Redis"
            )


async def redis_outage(stage: Stage, *, outage: float = 3.0, catch_up: float = 30) -> Outcome:
    """Two app processes share a private Redis; an agent socket listens on each. Redis is
    killed for `outage` seconds while webhooks keep arriving at both, then started again on
    the same port: every webhook must be acknowledged, and both sockets must end up with
    every stored message exactly once."""
    outcome = Outcome("F2")
    outcome.figures["outage_s"] = outage
    provider = stage.provider()
    redis = await RedisServer(stage.workdir).start()
    first = AppProcess("first", stage.settings, stage.workdir, redis_url=redis.url)
    second = AppProcess("second", stage.settings, stage.workdir, redis_url=redis.url)
    sockets: list[AgentSocket] = []
    try:
        await asyncio.gather(first.start(), second.start())
        bob, alice = stage.world.persona("bob"), stage.world.persona("alice")
        sockets = [
            await AgentSocket.open("bob@first", first.base, bob.session_token),
            await AgentSocket.open("alice@second", second.base, alice.session_token),
        ]
        await _hears_the_other(provider, second.base, sockets)
        bases = [first.base, second.base]

        async def phase(seconds: float) -> list[Delivery]:
            stop = asyncio.Event()
            task = asyncio.create_task(load(provider, bases, stop, senders=2, pause=0.02))
            await asyncio.sleep(seconds)  # the phase lasts this long: it is the fault's length
            stop.set()
            return await task

        await phase(0.5)
        redis.kill()
        during = await phase(outage)
        await redis.start()
        await phase(0.5)
        answers = Counter(str(a) for d in during for a in provider.answers[d.wamid])
        worst = max(
            (f - s for s, f, w, _ in provider.log if w in {d.wamid for d in during}), default=0
        )
        outcome.figures.update(posted_during_outage=len(during), slowest_during_outage_s=worst)
        outcome.figures["answers_during_outage"] = dict(answers)
        outcome.expect(
            set(answers) == {"200"}, f"webhooks not all 2xx while Redis was down: {answers}"
        )
        expected = await stage.inbound_ids()

        def caught_up() -> bool:
            return all(expected <= set(s.created_message_ids()) for s in sockets)

        started = time.monotonic()
        try:
            await wait_until(caught_up, catch_up, "both sockets catching up")
        except AssertionError as exc:
            outcome.problems.append(str(exc))
        outcome.figures["catch_up_s"] = round(time.monotonic() - started, 2)
        for sock in sockets:
            got = Counter(sock.created_message_ids())
            lost = len(expected - set(got))
            twice = sum(1 for n in got.values() if n > 1)
            outcome.figures[f"{sock.name}_missing"] = lost
            outcome.figures[f"{sock.name}_duplicates"] = twice
            outcome.figures[f"{sock.name}_reconnects"] = len(sock.closes)
            outcome.expect(lost == 0 and twice == 0, f"{sock.name}: {lost} lost, {twice} twice")
    finally:
        for sock in sockets:
            await sock.close()
        await asyncio.gather(first.stop(), second.stop())
        redis.kill()
    await _check_inbound(outcome, stage, provider)
    return outcome


# --- F3 ------------------------------------------------------------------------------------


async def postgres_restart(
    stage: Stage,
    cluster: PgCluster,
    *,
    down: float = 2.0,
    acks: int = 10,
    recovery_limit: float = 10.0,
) -> Outcome:
    """One app process on a private PostgreSQL cluster takes webhooks while the cluster is
    stopped (fast shutdown) for `down` seconds and started again: no 2xx while it is down,
    2xx again within `recovery_limit` seconds, and the failed ones, redelivered, stored once."""
    outcome = Outcome("F3")
    outcome.figures["down_s"] = down
    provider = stage.provider()
    app = AppProcess("app", stage.settings, stage.workdir)
    try:
        await app.start()
        stop = asyncio.Event()
        sending = asyncio.create_task(load(provider, [app.base], stop, senders=4, pause=0.01))
        await _acks_grow(provider, acks, 120, "acknowledgements before the restart")
        await asyncio.to_thread(cluster.stop)
        stopped = time.monotonic()
        await asyncio.sleep(down)  # the outage lasts this long: it is the fault's length
        restarting = time.monotonic()
        await asyncio.to_thread(cluster.start)
        started = time.monotonic()
        try:
            await wait_until(
                lambda: any(s >= started and a == 200 for s, _, _, a in provider.log),
                recovery_limit,
                "an acknowledgement after the restart",
            )
        except AssertionError as exc:
            outcome.problems.append(str(exc))
        await _acks_grow(provider, acks, 120, "acknowledgements after the restart")
        stop.set()
        sent = await sending
        while_down = [(a, w) for s, f, w, a in provider.log if s >= stopped and f <= restarting]
        answers = Counter(str(a) for a, _ in while_down)
        recovered = [s - started for s, _, _, a in provider.log if s >= started and a == 200]
        outcome.figures.update(posted=len(sent), answers_while_down=dict(answers))
        outcome.figures["recovery_s"] = round(min(recovered), 2) if recovered else None
        outcome.expect(bool(while_down), "nothing was posted while the database was down")
        acked_down = [w for a, w in while_down if isinstance(a, int) and 200 <= a < 300]
        outcome.expect(not acked_down, f"acknowledged while the database was down: {answers}")
        outcome.expect(
            answers.get("503", 0) * 2 > len(while_down),
            f"most answers while down should be 503 (retry later): {answers}",
        )
        unacked = provider.unacknowledged(sent)
        outcome.figures["redelivered"] = len(unacked)
        await redeliver(provider, app.base, unacked)
        # Meta also repeats some it had an answer for: those must not be stored again.
        again = [d for d in sent if d.wamid in provider.acked][:10]
        for d in again:
            provider.acked.discard(d.wamid)
        await redeliver(provider, app.base, again)
    finally:
        await app.stop()
    await stage.runtime.database.dispose()  # its connections died with the restart
    await _check_inbound(outcome, stage, provider)
    return outcome

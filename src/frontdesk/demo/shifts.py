"""The demo agents' states over its history, changed through the state action.

Before the detailed weeks, the client teams' agents work shifts: online when their workspace
opens, away for lunch (in three turns, so a team is never left empty), busy for half an hour
on some afternoons (interviews), offline at closing; no shift on Sundays and Brazil's
holidays, a short one on Saturday mornings. Coming online drains their teams' queues, so
candidates who wrote overnight are taken at the opening. In the detailed weeks they are online
throughout (routing still keeps to the teams' business hours), as the recent conversations'
stories expect, until their last shift ends five hours before the load, so candidates writing
since wait in their team's queue. The website chat's team is answered around the clock: its
agents stay online, and when the demo loads two of them are online and one is at lunch.
"""

from __future__ import annotations

import random
from collections.abc import AsyncIterator
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.core.accounts.models import User
from frontdesk.core.routing.models import StateSource
from frontdesk.core.routing.schemas import StateUpdate
from frontdesk.core.routing.states import change_state
from frontdesk.core.runtime import Runtime
from frontdesk.demo import spec
from frontdesk.demo.spec import chance
from frontdesk.demo.workspace import DemoWorkspace

END_OF_SHIFT = timedelta(hours=5)
DETAILED = timedelta(days=15)  # the detailed weeks (loader.py): agents online throughout
LUNCH = timedelta(minutes=40)
# The chat agents' last activity: the app's inactivity rule counts from here.
LAST_ACTIVE = timedelta(minutes=1)
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


async def _state(runtime: Runtime, dw: DemoWorkspace, user: User, update: StateUpdate) -> None:
    async with runtime.uow() as uow:
        await change_state(
            uow, dw.row.id, user.id, update, source=StateSource.MANUAL, by_user_id=user.id
        )
        await uow.commit()


def _hours(dw: DemoWorkspace, day: datetime) -> tuple[time, time] | None:
    """The workspace's opening and closing on that local day; None when it is closed."""
    hours = spec.WORKSPACE_HOURS.get(dw.spec.slug)
    if hours is None or (day.month, day.day) in {(m, d) for m, d, _ in hours.holidays}:
        return None
    periods = [(s, e) for name, s, e in hours.periods if name == _WEEKDAYS[day.weekday()]]
    if not periods:
        return None
    start, end = periods[0][0], periods[-1][1]
    return time.fromisoformat(start), time.fromisoformat(end)


def _at(day: datetime, clock: time, zone: ZoneInfo, minutes: float = 0.0) -> datetime:
    local = datetime.combine(day.date(), clock, tzinfo=zone)
    return local + timedelta(minutes=minutes)


def plan_shifts(
    dw: DemoWorkspace, start: datetime, now: datetime, seed: int
) -> list[tuple[datetime, list[tuple[User, StateUpdate]]]]:
    """The client teams' agents' state changes from `start` until their last shift ends, in
    time order, grouped by moment (the team starts together; lunch goes in three turns).

    Shifts are worked up to the detailed weeks (`DETAILED` before the load); from then on the
    agents stay online until the last shift ends, as the detailed weeks' stories expect."""
    zone = ZoneInfo(dw.spec.timezone)
    rng = random.Random(seed)
    chat = {u.id for u in dw.chat_agents}
    workers = [a for a in dw.agents if a.id not in chat]
    last_end = now - END_OF_SHIFT
    detailed = max(start, now - DETAILED)
    changes: dict[datetime, list[tuple[User, StateUpdate]]] = {}
    day = start.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    while day < detailed:
        hours = _hours(dw, day)
        for n, agent in enumerate(workers):
            if hours is None:
                break
            opening, closing = hours
            shift = [(_at(day, opening, zone), _online())]
            span = (_at(day, closing, zone) - _at(day, opening, zone)).total_seconds() / 60
            if span > 6 * 60:  # a full day: lunch, staggered in three turns of 45 minutes
                lunch = 4 * 60 + 45 * (n % 3)
                shift += [
                    (_at(day, opening, zone, lunch), StateUpdate(state="away", reason="Lunch")),
                    (_at(day, opening, zone, lunch + 45), _online()),
                ]
                if chance(rng, 0.15):  # interviews on some afternoons
                    busy = lunch + 60 + 15 * rng.randrange(8)
                    shift += [
                        (_at(day, opening, zone, busy), StateUpdate(state="busy")),
                        (_at(day, opening, zone, busy + 30), _online()),
                    ]
            shift.append((_at(day, closing, zone), _offline()))
            for moment, update in shift:
                if start <= moment < detailed:
                    changes.setdefault(moment, []).append((agent, update))
        day = (day + timedelta(days=1, hours=3)).replace(hour=0)
    changes.setdefault(detailed, []).extend((agent, _online()) for agent in workers)
    changes.setdefault(last_end, []).extend((agent, _offline()) for agent in workers)
    return sorted(changes.items(), key=lambda c: c[0])


def _online() -> StateUpdate:
    return StateUpdate(state="online")


def _offline() -> StateUpdate:
    return StateUpdate(state="offline")


async def shifts(
    runtime: Runtime, dw: DemoWorkspace, start: datetime, now: datetime
) -> AsyncIterator[datetime]:
    """The chat agents online throughout; the others' shifts; the chat's lunch at the load."""
    for agent in dw.chat_agents:
        await _state(runtime, dw, agent, _online())
    for moment, group in plan_shifts(dw, start, now, dw.spec.seed):
        yield moment
        async with runtime.uow() as uow:  # one transaction for the agents changing together
            for agent, update in group:
                await change_state(
                    uow, dw.row.id, agent.id, update, source=StateSource.MANUAL, by_user_id=agent.id
                )
            await uow.commit()
    if not dw.chat_agents:
        return
    *on_duty, at_lunch = dw.chat_agents
    yield now - LUNCH
    await _state(runtime, dw, at_lunch, StateUpdate(state="away", reason="Lunch"))
    yield now - LAST_ACTIVE
    for agent in on_duty:
        await _state(runtime, dw, agent, _online())

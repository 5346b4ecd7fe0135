"""The demo agents' states over its history, changed through the state action.

Every agent is online from the start of the history (routing assigns their candidates as they
write in); the last shift of the client teams ends five hours before the load, so candidates
writing since wait in their team's queue; the website chat's team is answered around the
clock: when the demo loads, two of its agents are online and one is at lunch.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from frontdesk.core.accounts.models import User
from frontdesk.core.routing.models import StateSource
from frontdesk.core.routing.schemas import StateUpdate
from frontdesk.core.routing.states import change_state
from frontdesk.core.runtime import Runtime
from frontdesk.demo.workspace import DemoWorkspace

END_OF_SHIFT = timedelta(hours=5)
LUNCH = timedelta(minutes=40)
# The chat agents' last activity: the app's inactivity rule counts from here.
LAST_ACTIVE = timedelta(minutes=1)


async def _state(runtime: Runtime, dw: DemoWorkspace, user: User, update: StateUpdate) -> None:
    async with runtime.uow() as uow:
        await change_state(
            uow, dw.row.id, user.id, update, source=StateSource.MANUAL, by_user_id=user.id
        )
        await uow.commit()


async def shifts(runtime: Runtime, dw: DemoWorkspace, now: datetime) -> AsyncIterator[datetime]:
    for agent in dw.agents:
        await _state(runtime, dw, agent, StateUpdate(state="online"))
    yield now - END_OF_SHIFT
    chat = {u.id for u in dw.chat_agents}
    for agent in dw.agents:
        if agent.id not in chat:
            await _state(runtime, dw, agent, StateUpdate(state="offline"))
    if not dw.chat_agents:
        return
    *on_duty, at_lunch = dw.chat_agents
    yield now - LUNCH
    await _state(runtime, dw, at_lunch, StateUpdate(state="away", reason="Lunch"))
    yield now - LAST_ACTIVE
    for agent in on_duty:
        await _state(runtime, dw, agent, StateUpdate(state="online"))

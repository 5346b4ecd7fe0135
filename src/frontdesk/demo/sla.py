"""The demo's SLA policies and the SLA job's runs during its history.

The owner sets the policies when the history starts, through the same action Settings → SLA
policies calls, and the SLA job reads the events as the history is played, once a simulated
hour (the app runs it every few seconds): due times, at risk and breached are announced at
their moment in the history, so the SLA tiles, chips and met % have data on the first sign-in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.sla.actions import BATCH_SIZE, create_sla_policy, track_sla
from frontdesk.core.sla.alerts import CHECK_BATCH
from frontdesk.core.sla.schemas import SlaPolicyCreate
from frontdesk.core.workspaces.models import Role
from frontdesk.demo.workspace import DemoWorkspace

TRACK_EVERY = timedelta(hours=1)

POLICIES = (
    SlaPolicyCreate(
        name="Candidates: reply within the hour",
        first_response_minutes=60,
        next_response_minutes=30,
        resolution_minutes=8 * 60,
        is_business_hours=True,
    ),
    SlaPolicyCreate(
        name="Urgent: reply within 15 minutes",
        priority="urgent",
        first_response_minutes=15,
        next_response_minutes=10,
        resolution_minutes=2 * 60,
        is_business_hours=True,
    ),
)


async def create_sla_policies(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    for dw in workspaces:
        actor = Actor(workspace_id=dw.row.id, role=Role.OWNER, user_id=dw.owner.id)
        async with runtime.uow() as uow:
            for policy in POLICIES:
                await create_sla_policy(uow, actor, policy)
            await uow.commit()


async def catch_up_sla(runtime: Runtime) -> None:
    """Run the SLA job until it has read the event log and announced what fell due."""
    while True:
        async with runtime.uow() as uow:
            progress = await track_sla(uow)
            await uow.commit()
        if progress.events_read < BATCH_SIZE and progress.checked < CHECK_BATCH:
            return


async def hourly_sla(runtime: Runtime, start: datetime, now: datetime) -> AsyncIterator[datetime]:
    """The SLA job, once a simulated hour of the history."""
    moment = start + TRACK_EVERY
    while moment < now:
        yield moment
        await catch_up_sla(runtime)
        moment += TRACK_EVERY

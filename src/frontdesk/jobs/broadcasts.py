"""The `send_broadcast` job: start a broadcast at its time and release its recipients at the
pace the channel allows.

Each message a broadcast writes is delivered by the ordinary `deliver_message` job, which
charges the channel's limits (per number, Page, bot) in the shared send budget: a broadcast
can never send faster than the provider allows. So that it never starves agents' replies of
that budget either, the job releases recipients only as fast as a bucket of its own allows:
`BROADCAST_SHARE` of the channel's rate (all broadcasts of a channel share it), leaving the
rest to everything else. It takes what the bucket has, writes that many messages, and comes
back when the bucket has room again (the job is deferred, its attempts kept).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.channels.outbound import Delivery
from frontdesk.channels.spec import spec_for
from frontdesk.core.broadcasts.sending import Sending, begin, release
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import Outgoing
from frontdesk.core.runtime import Runtime
from frontdesk.core.sendbudget import Allowance
from frontdesk.jobs.registry import RetryJobLater

# The part of a channel's rate broadcasts may use; replies and automatic messages keep the rest.
BROADCAST_SHARE = 0.5
# A channel that states no limits: broadcasts still go out at a gentle pace.
UNSTATED_PER_SECOND = 10.0
# At most this many messages are written per transaction.
MAX_BATCH = 50


def _probe(channel: Channel, recipient: str) -> Delivery:
    outgoing = Outgoing(
        message_id=uuid.UUID(int=0),
        workspace_id=channel.workspace_id,
        channel_id=channel.id,
        contact_id=uuid.UUID(int=0),
        body="",
        attachments=[],
        status=None,
    )
    return Delivery(channel, {}, outgoing, recipient)


def broadcast_allowance(channel: Channel) -> Allowance:
    """The broadcasts' bucket of a channel: a share of its channel-wide limits (those that
    are the same whoever the recipient is; a per-person limit is the delivery's to keep)."""
    spec = spec_for(channel.type)
    per_second, burst = UNSTATED_PER_SECOND, UNSTATED_PER_SECOND
    if spec is not None and spec.send_limits is not None:
        one = spec.send_limits(_probe(channel, "\x00one"))
        other = {a.key for a in spec.send_limits(_probe(channel, "\x00other"))}
        shared = [a for a in one if a.key in other]
        if shared:
            per_second = min(a.per_second for a in shared)
            burst = min(a.burst for a in shared)
    return Allowance(
        f"broadcast:{channel.id}",
        per_second * BROADCAST_SHARE,
        max(1.0, burst * BROADCAST_SHARE),
    )


async def _room(runtime: Runtime, allowance: Allowance) -> tuple[int, float]:
    """How many sends the broadcasts' bucket grants now (up to a batch), and the wait after."""
    granted = 0
    while granted < MAX_BATCH:
        wait = await runtime.send_budget.take([allowance])
        if wait > 0:
            return granted, wait
        granted += 1
    return granted, 0.0


async def send_broadcast(runtime: Runtime, payload: dict[str, Any]) -> None:
    workspace_id = uuid.UUID(payload["workspace_id"])
    broadcast_id = uuid.UUID(payload["broadcast_id"])
    async with runtime.uow() as uow:
        sending: Sending | None = await begin(uow, workspace_id, broadcast_id)
        channel = None
        if sending is not None:
            channel = await uow.session.scalar(
                select(Channel).where(Channel.id == sending.channel_id)
            )
            if channel is not None:
                uow.session.expunge(channel)
        await uow.commit()
    if sending is None or channel is None:
        return
    granted, wait = await _room(runtime, broadcast_allowance(channel))
    left = 1
    if granted:
        async with runtime.uow() as uow:
            left = await release(uow, sending, granted)
            await uow.commit()
    if left:
        raise RetryJobLater(max(wait, 0.05), "releasing the next recipients at the channel's pace")

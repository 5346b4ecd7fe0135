"""What the widget's header tells a visitor before they write: closed until when, or the
expected wait, from the channel's team's business hours and its queue right now."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.channels.models import Channel
from frontdesk.core.routing.engine import queue_snapshot
from frontdesk.core.routing.hours import opening
from frontdesk.core.webchat.schemas import WidgetAvailability


async def widget_availability(
    session: AsyncSession, channel: Channel, now: datetime
) -> WidgetAvailability:
    """Closed with the next opening, or open with the wait a new chat would have (the same
    estimate the queue shows agents; none when nobody is online)."""
    opened = await opening(session, channel.workspace_id, channel.team_id, now)
    if not opened.open_now:
        return WidgetAvailability(
            open_now=False, next_opening=opened.next_opening, expected_wait_seconds=None
        )
    snapshot = await queue_snapshot(session, channel.workspace_id, channel.team_id, now)
    wait = snapshot.estimate(len(snapshot.conversation_ids) + 1)
    return WidgetAvailability(open_now=True, next_opening=None, expected_wait_seconds=wait)

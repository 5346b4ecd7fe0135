"""Every quality event written in a whole review's life matches its frame model (what the app's
generated frame types promise)."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from frontdesk.realtime.frames_models import FRAME_ADAPTER
from tests.conftest import World
from tests.quality.helpers import answers
from tests.quality.test_reviews import Q, _queue, _scorecard


async def test_the_quality_events_match_their_frames(world: World, runtime: Runtime) -> None:
    card = await _scorecard(world)
    [review_id] = await _queue(world, runtime)
    async with world.client("alice") as alice:
        dave = str(world.acme.members["dave"].id)
        await alice.patch(f"{Q}/reviews/{review_id}", json={"reviewer_id": dave})
        await alice.post(
            f"{Q}/reviews/{review_id}/submit",
            json={"scorecard_id": card["id"], "answers": answers(card, ["yes", "no", "2", "yes"])},
        )
        await alice.post(f"{Q}/reviews/{review_id}/replies", json={"body": "Noted"})
    async with runtime.database.read_session() as s:
        events = list(
            await s.scalars(select(EventLogEntry).where(EventLogEntry.type.like("quality%")))
        )
    assert {e.type for e in events} == {
        "quality_scorecard.changed",
        "quality.settings_changed",
        "quality_review.sampled",
        "quality_review.assigned",
        "quality_review.submitted",
        "quality_review.replied",
    }
    for e in events:
        frame = {"id": e.id, "type": e.type, "at": e.created_at.isoformat(), "data": e.payload}
        FRAME_ADAPTER.validate_python(frame)

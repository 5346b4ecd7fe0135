"""F1: an app process killed (SIGKILL) mid-webhook under load loses nothing it acknowledged
and stores nothing twice; what it did not acknowledge is redelivered, as Meta does, and its
queued work is finished by another worker once the leases expire."""

from __future__ import annotations

from frontdesk.db.engine import Database
from frontdesk.settings import Settings
from tests.faults.scenarios import killed_app
from tests.faults.stage import stage


async def test_a_killed_app_process_loses_and_duplicates_nothing(
    settings: Settings, clean_database: Database
) -> None:
    async with stage(settings, clean_database) as world:
        outcome = await killed_app(world, acks_before=12, acks_after=12)
    print(outcome.figures)
    assert outcome.problems == [], outcome.figures
    assert outcome.figures["acked"] >= 24

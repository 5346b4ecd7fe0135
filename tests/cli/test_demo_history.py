"""The demo's longer history: its span, arrivals' shape and trend, and the agents' shifts."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from frontdesk.demo import build_setup
from frontdesk.demo.loader import DAYS_VARIABLE, DETAILED, demo_days
from frontdesk.demo.shifts import END_OF_SHIFT, plan_shifts

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # a Monday, 12:00 in São Paulo
ZONE = ZoneInfo("America/Sao_Paulo")


def test_days_of_history_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(DAYS_VARIABLE, "75")
    assert demo_days() == 75
    for bad in ("7", "120", "sixty"):
        monkeypatch.setenv(DAYS_VARIABLE, bad)
        with pytest.raises(ValueError, match=DAYS_VARIABLE):
            demo_days()


def test_older_days_are_closed_conversations_shaped_like_real_arrivals() -> None:
    setup = build_setup(NOW, "hash", days=60)
    older = [p for p in setup.plans if p.brief]
    recent = [p for p in setup.plans if not p.brief]
    assert older
    assert recent
    assert all(p.state == "closed" and p.outcome for p in older)
    assert min(p.opened_at for p in older) >= NOW - timedelta(days=60)
    assert max(p.opened_at for p in older) < NOW - DETAILED
    local = [p.opened_at.astimezone(ZONE) for p in older]
    weekdays = Counter(m.weekday() for m in local)
    assert weekdays[0] > 2 * weekdays[6]  # Mondays busy, Sundays quiet
    mornings = sum(1 for m in local if 8 <= m.hour < 12)
    nights = sum(1 for m in local if 0 <= m.hour < 4)
    assert mornings > 5 * nights
    middle = NOW - DETAILED - (NOW - DETAILED - (NOW - timedelta(days=60))) / 2
    early = sum(1 for p in older if p.opened_at < middle)
    assert len(older) - early > early  # the volume grows over the weeks
    outcomes = Counter(p.outcome for p in setup.plans if p.state == "closed")
    assert 0.25 < outcomes["hired"] / sum(outcomes.values()) < 0.45
    # Fewer days: only the detailed weeks.
    assert not [p for p in build_setup(NOW, "hash", days=15).plans if p.brief]


def test_shifts_with_lunch_and_interviews_and_no_shift_on_sundays() -> None:
    setup = build_setup(NOW, "hash", days=60)
    retail = setup.workspaces[0]
    changes = plan_shifts(retail, NOW - timedelta(days=60), NOW, retail.spec.seed)
    moments = [m for m, _ in changes]
    assert moments == sorted(moments)
    states = Counter(update.state for _, group in changes for _, update in group)
    assert states["online"] > states["offline"] > 0
    assert states["away"] > 0
    assert states["busy"] > 0
    assert all(
        update.reason == "Lunch"
        for _, group in changes
        for _, update in group
        if update.state == "away"
    )
    shifts = [m for m in moments if m < NOW - DETAILED]  # then online until the last shift
    assert not [m for m in shifts if m.astimezone(ZONE).weekday() == 6]
    assert moments[-2:] == [NOW - DETAILED, NOW - END_OF_SHIFT]
    chat = {u.id for u in retail.chat_agents}
    assert not [a for _, group in changes for a, _ in group if a.id in chat]
    # After the last shift ends, the client teams' agents are all offline.
    last: dict[object, str] = {}
    for _, group in changes:
        for agent, update in group:
            last[agent.id] = update.state
    assert set(last.values()) == {"offline"}
    assert max(moments) <= NOW - END_OF_SHIFT

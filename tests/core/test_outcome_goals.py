"""Whom a target holds to what: an agent in two client teams is one person with one day."""

from __future__ import annotations

import uuid

from frontdesk.core.reports.outcomes import Goal, goals
from frontdesk.core.reports.target_models import OutcomeTarget

A, B = uuid.uuid4(), uuid.uuid4()
BRUNO, DIEGO = uuid.uuid4(), uuid.uuid4()


def target(
    applies_to: str, count: int, *, team: uuid.UUID | None = None, agent: uuid.UUID | None = None
) -> OutcomeTarget:
    return OutcomeTarget(
        outcome="hired",
        count=count,
        period="day",
        applies_to=applies_to,
        team_id=team,
        agent_id=agent,
    )


def test_an_agent_in_two_teams_is_held_to_the_larger_target() -> None:
    members = {A: {BRUNO, DIEGO}, B: {BRUNO}}
    found = goals([target("each_agent", 8, team=A), target("each_agent", 6, team=B)], members)
    assert found[Goal("agent", BRUNO, "hired", "day")] == 8
    assert found[Goal("agent", DIEGO, "hired", "day")] == 8


def test_a_target_naming_the_agent_replaces_the_teams_and_teams_add_up() -> None:
    members = {A: {BRUNO, DIEGO}, B: {BRUNO}}
    found = goals(
        [
            target("each_agent", 8, team=A),
            target("agent", 3, agent=BRUNO),
            target("team", 20, team=A),
            target("team", 5, team=A),
        ],
        members,
    )
    assert found[Goal("agent", BRUNO, "hired", "day")] == 3
    assert found[Goal("agent", DIEGO, "hired", "day")] == 8
    assert found[Goal("team", A, "hired", "day")] == 25

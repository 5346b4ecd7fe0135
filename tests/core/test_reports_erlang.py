"""Erlang C against the published reference: 100 contacts per 30 minutes, 180 s handle time,
20 s target (10 Erlangs)."""

from __future__ import annotations

import pytest

from frontdesk.core.reports import erlang

LOAD = 100 / 1800 * 180


def test_the_reference_values() -> None:
    assert pytest.approx(10.0) == LOAD
    assert erlang.service_level(13, LOAD, 180, 20) == pytest.approx(0.7956, abs=5e-5)
    assert erlang.service_level(14, LOAD, 180, 20) == pytest.approx(0.8884, abs=5e-5)
    assert erlang.average_speed_of_answer(14, LOAD, 180) == pytest.approx(7.84, abs=5e-3)
    assert pytest.approx(0.714, abs=5e-4) == LOAD / 14
    assert erlang.agents_needed(LOAD, 180, 0.8, 20) == 14
    assert erlang.agents_needed(LOAD, 180, 0.79, 20) == 13


def test_one_agent_waits_with_probability_equal_to_the_load() -> None:
    assert erlang.probability_of_waiting(1, 0.25) == pytest.approx(0.25)


def test_edges() -> None:
    assert erlang.agents_needed(0.0, 180, 0.8, 20) == 0
    assert erlang.service_level(10, LOAD, 180, 20) == 0.0  # N = A: the queue never empties
    assert erlang.average_speed_of_answer(9, LOAD, 180) is None
    assert erlang.probability_of_waiting(5, 0.0) == 0.0
    # Hundreds of agents stay exact (factorials would overflow).
    big = erlang.agents_needed(500.0, 180, 0.9, 20)
    assert 500 < big < 560
    assert (
        erlang.service_level(big, 500.0, 180, 20)
        >= 0.9
        > erlang.service_level(big - 1, 500.0, 180, 20)
    )

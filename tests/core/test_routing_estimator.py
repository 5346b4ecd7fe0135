"""The expected-wait model (core/routing/estimator.py) against a discrete-event simulation.

The simulated team has S slots (the online agents' capacities added up), f of them free and the
others busy with conversations whose handle times are exponential with mean H; k customers
wait in a first-in, first-out queue. Each run starts the first f at once and the next whenever
a slot frees (a new conversation then holds the slot for its own exponential handle time).
The mean simulated wait of every queue position must be within TOLERANCE of the estimate.

With R runs, the mean wait of a position that waits for n releases has a relative standard
error of 1/sqrt(n*R) (the wait is a sum of n exponential gaps); at R = 3,000 that is under
1.9 %, so TOLERANCE = 6 % is more than three standard errors, yet tight enough to reject
models that are only roughly right (the last test shows two that fail it).
"""

from __future__ import annotations

import heapq
import random
import time

import pytest

from frontdesk.core.routing.estimator import (
    DEFAULT_HANDLE_SECONDS,
    estimate_wait_seconds,
    grew_a_lot,
    mean_handle_seconds,
)

RUNS = 3_000
TOLERANCE = 0.06
SETTINGS = [  # (S slots, f free, k queued, H mean handle seconds)
    (1, 0, 6, 300.0),
    (4, 0, 12, 600.0),
    (6, 2, 14, 480.0),
    (10, 3, 20, 900.0),
    (3, 3, 5, 600.0),  # everyone fits: nobody waits
]


def simulate(
    slots: int, free: int, queued: int, handle: float, runs: int, seed: int
) -> list[float]:
    """Mean wait (seconds) of queue positions 1..queued over `runs` independent runs."""
    rng = random.Random(seed)
    totals = [0.0] * queued
    for _ in range(runs):
        # When each slot is next free: now for the free ones, an exponential remaining time
        # for the busy ones (memoryless: the remaining part of an exponential handle time).
        free_at = [0.0] * free + [rng.expovariate(1 / handle) for _ in range(slots - free)]
        heapq.heapify(free_at)
        for position in range(queued):
            start = heapq.heappop(free_at)
            totals[position] += start
            heapq.heappush(free_at, start + rng.expovariate(1 / handle))
    return [t / runs for t in totals]


@pytest.mark.parametrize(("slots", "free", "queued", "handle"), SETTINGS)
def test_the_estimate_matches_the_simulated_mean_wait_of_every_position(
    slots: int, free: int, queued: int, handle: float
) -> None:
    simulated = simulate(slots, free, queued, handle, RUNS, seed=slots * 1000 + free * 10 + queued)
    for position, mean in enumerate(simulated, start=1):
        estimate = estimate_wait_seconds(position, free, slots, handle)
        assert estimate is not None
        if position <= free:
            assert estimate == 0.0
            assert mean == 0.0
        else:
            assert abs(mean - estimate) <= TOLERANCE * estimate, (position, mean, estimate)


def test_the_simulation_is_fast_enough_to_run_always() -> None:
    started = time.perf_counter()
    for slots, free, queued, handle in SETTINGS:
        simulate(slots, free, queued, handle, RUNS, seed=1)
    assert time.perf_counter() - started < 2.0


def test_the_tolerance_rejects_models_that_are_only_roughly_right() -> None:
    """Guards the guard: two plausible but wrong estimates fail the same comparison."""
    slots, free, queued, handle = 6, 2, 14, 480.0
    simulated = simulate(slots, free, queued, handle, RUNS, seed=7)

    def within(estimate: list[float]) -> bool:
        return all(
            abs(mean - est) <= TOLERANCE * est
            for mean, est in zip(simulated, estimate, strict=True)
            if est > 0
        )

    right = [estimate_wait_seconds(p, free, slots, handle) or 0.0 for p in range(1, queued + 1)]
    ignores_free_slots = [p * handle / slots for p in range(1, queued + 1)]
    one_at_a_time = [max(0, p - free) * handle / (slots - free) for p in range(1, queued + 1)]
    assert within(right)
    assert not within(ignores_free_slots)
    assert not within(one_at_a_time)


def test_estimate_edge_cases() -> None:
    assert estimate_wait_seconds(1, 0, 0, 600.0) is None  # nobody online: unknown
    assert estimate_wait_seconds(3, 5, 0, 600.0) is None
    assert estimate_wait_seconds(2, 2, 4, 600.0) == 0.0
    assert estimate_wait_seconds(3, 2, 4, 600.0) == 150.0
    assert estimate_wait_seconds(3, -4, 4, 600.0) == 450.0  # an overfilled team frees nothing
    waits = [estimate_wait_seconds(p, 1, 5, 300.0) or 0.0 for p in range(1, 10)]
    assert waits == sorted(waits)  # further back never waits less


def test_mean_handle_seconds() -> None:
    assert mean_handle_seconds([]) == DEFAULT_HANDLE_SECONDS
    assert mean_handle_seconds([], default=42.0) == 42.0
    assert mean_handle_seconds([0.0, -3.0], default=42.0) == 42.0  # nonsense durations ignored
    assert mean_handle_seconds([120.0]) == 120.0
    assert mean_handle_seconds([100.0, 300.0]) == 200.0  # too few to trim anything
    assert mean_handle_seconds([60.0, 0.0, 180.0]) == 120.0
    # One conversation left open over a weekend among 20 does not rule the estimate.
    twenty = [300.0] * 19 + [3 * 24 * 3600.0]
    assert mean_handle_seconds(twenty) == 300.0
    # The slowest 5 % (here 2 of 50) are trimmed, no more.
    fifty = [float(s) for s in range(1, 51)]
    assert mean_handle_seconds(fifty) == sum(range(1, 49)) / 48
    # Order does not matter.
    assert mean_handle_seconds(list(reversed(fifty))) == mean_handle_seconds(fifty)


def test_the_customer_is_told_again_only_when_the_wait_grew_a_lot() -> None:
    assert grew_a_lot(None, 60.0)  # never told: tell
    assert not grew_a_lot(600.0, None)  # unknown now: nothing to tell
    assert not grew_a_lot(None, None)
    assert grew_a_lot(600.0, 900.0)  # +50 % and +5 min
    assert not grew_a_lot(600.0, 899.0)  # not quite half again
    assert not grew_a_lot(100.0, 390.0)  # almost 4x, but under 5 minutes more
    assert grew_a_lot(100.0, 400.0)
    assert not grew_a_lot(900.0, 600.0)  # a shorter wait is never announced again

"""The expected wait of a queued conversation, from live data.

Model: the team's online agents offer `total_slots` concurrent conversations; a slot stays busy
for the mean handle time `H` (assignment to close, measured over recent conversations). With
handle times roughly exponential (memoryless), slots free up at a combined rate of
`total_slots / H`, so the conversation at queue position `k` waits on average for the
`k - free_slots` next releases: `(k - free_slots) * H / total_slots`. A conversation that fits
in a free slot waits nothing; with nobody online the wait is unknown (None).

The estimate is checked against a simulation in tests/core/test_routing_estimator.py.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFAULT_HANDLE_SECONDS = 10 * 60.0
GROWTH_FACTOR = 1.5
GROWTH_MIN_SECONDS = 300.0


def mean_handle_seconds(recent: Sequence[float], default: float = DEFAULT_HANDLE_SECONDS) -> float:
    """Mean of recent handle times, trimmed of the slowest 5% so one stuck chat does not rule."""
    values = sorted(v for v in recent if v > 0)
    if not values:
        return default
    keep = values[: len(values) - len(values) // 20]  # drop the slowest 5 %, rounded down
    return sum(keep) / len(keep)


def estimate_wait_seconds(
    position: int, free_slots: int, total_slots: int, handle_seconds: float
) -> float | None:
    if total_slots <= 0:
        return None
    ahead = position - max(0, free_slots)
    if ahead <= 0:
        return 0.0
    return ahead * handle_seconds / total_slots


def grew_a_lot(told_seconds: float | None, now_seconds: float | None) -> bool:
    """Tell the customer again when the wait grew by half and by at least five minutes."""
    if now_seconds is None:
        return False
    if told_seconds is None:
        return True
    return (
        now_seconds >= told_seconds * GROWTH_FACTOR
        and now_seconds - told_seconds >= GROWTH_MIN_SECONDS
    )

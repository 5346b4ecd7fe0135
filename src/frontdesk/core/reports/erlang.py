"""Erlang C: how many agents a measured arrival rate and handle time need for a service level.

With arrival rate λ and mean handle time AHT the offered load is A = λ·AHT (Erlangs). With N
agents (N > A) the probability that a contact waits is Erlang C, P_wait; the service level
(share answered within T) is SL(T) = 1 - P_wait·e^(-(N-A)·T/AHT), the average speed of answer
ASA = P_wait·AHT/(N-A), and the occupancy A/N. P_wait is computed from Erlang B by its
recurrence, which stays exact for hundreds of agents where factorials overflow.
"""

from __future__ import annotations

import math

MAX_AGENTS = 10_000


def probability_of_waiting(agents: int, load: float) -> float:
    """Erlang C; 1 when the agents cannot keep up (N ≤ A)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return 1.0
    blocking = 1.0
    for n in range(1, agents + 1):
        blocking = load * blocking / (n + load * blocking)
    return agents * blocking / (agents - load * (1 - blocking))


def service_level(agents: int, load: float, handle_seconds: float, target_seconds: float) -> float:
    if load <= 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait = probability_of_waiting(agents, load)
    return 1 - wait * math.exp(-(agents - load) * target_seconds / handle_seconds)


def average_speed_of_answer(agents: int, load: float, handle_seconds: float) -> float | None:
    """Seconds; None when the queue grows without bound (N ≤ A)."""
    if load <= 0:
        return 0.0
    if agents <= load:
        return None
    return probability_of_waiting(agents, load) * handle_seconds / (agents - load)


def agents_needed(
    load: float, handle_seconds: float, target_level: float, target_seconds: float
) -> int:
    """The fewest agents whose service level reaches the target (0 with no load)."""
    if load <= 0:
        return 0
    agents = max(1, math.floor(load) + 1)
    while agents < MAX_AGENTS:
        if service_level(agents, load, handle_seconds, target_seconds) >= target_level:
            return agents
        agents += 1
    return MAX_AGENTS

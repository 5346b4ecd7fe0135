"""How fast messages may go out: token buckets per provider limit (a number, a Page, a bot, a
chat), shared by every process that sends.

A channel states the limits one send is subject to (`Allowance`s: "80 per second for this
number", "one per second for this chat"); the delivery job asks the budget for all of them at
once. Either every bucket has room and all are charged, or none is charged and the answer is how
long to wait. This process's budget (`LocalSendBudget`) serves one process; with several
processes sending, the composition root puts a shared one (Redis) in the runtime instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Allowance:
    """`per_second` sends on `key`, with bursts of up to `burst` at once."""

    key: str
    per_second: float
    burst: float

    def __post_init__(self) -> None:
        if self.per_second <= 0 or self.burst < 1:
            raise ValueError(f"a limit needs a positive rate and a burst of at least 1: {self}")


class SendBudget(Protocol):
    async def take(self, allowances: Sequence[Allowance], cost: float = 1.0) -> float:
        """Charge `cost` sends to every allowance and return 0, or charge none and return the
        seconds to wait before there is room in all of them."""
        ...

    async def close(self) -> None:
        """Let go of connections, if any."""
        ...


def affordable(allowances: Sequence[Allowance], cost: float) -> float:
    """A cost no bucket can refuse for ever: at most the smallest burst."""
    return min([cost, *(a.burst for a in allowances)])


@dataclass
class _Bucket:
    tokens: float
    updated: float


class LocalSendBudget:
    """Token buckets in this process's memory."""

    def __init__(self, now: Callable[[], float] = time.monotonic) -> None:
        self._now = now
        self._buckets: dict[str, _Bucket] = {}

    async def take(self, allowances: Sequence[Allowance], cost: float = 1.0) -> float:
        if not allowances:
            return 0.0
        cost, now = affordable(allowances, cost), self._now()
        wait = 0.0
        for allowance in allowances:
            bucket = self._buckets.setdefault(allowance.key, _Bucket(allowance.burst, now))
            elapsed = max(0.0, now - bucket.updated)  # a clock set back refills nothing
            bucket.tokens = min(allowance.burst, bucket.tokens + elapsed * allowance.per_second)
            bucket.updated = now
            if bucket.tokens < cost:
                wait = max(wait, (cost - bucket.tokens) / allowance.per_second)
        if wait > 0:
            return wait
        for allowance in allowances:
            self._buckets[allowance.key].tokens -= cost
        return 0.0

    async def close(self) -> None:
        return None

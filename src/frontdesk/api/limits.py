"""In-process rate limits for public endpoints (a sliding window per key)."""

from __future__ import annotations

import math
import time
from collections import defaultdict, deque

from frontdesk.core.errors import RateLimited


class SlidingWindow:
    def __init__(self, limit: int, seconds: float, max_keys: int = 100_000) -> None:
        self.limit, self.seconds, self.max_keys = limit, seconds, max_keys
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def hit(self, key: str, what: str = "requests") -> None:
        """Count one request for `key`, or refuse it with 429 and how long to wait."""
        now = time.monotonic()
        hits = self._hits[key]
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            retry = max(1, math.ceil(hits[0] + self.seconds - now))
            raise RateLimited(f"too many {what}: try again in {retry} s", retry_after=retry)
        hits.append(now)
        if len(self._hits) > self.max_keys:
            self._forget_idle(now)

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.seconds]:
            del self._hits[key]

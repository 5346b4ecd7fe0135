"""A mergeable digest of durations, so medians and p90 come from rollups.

A digest keeps the exact values while it holds few of them (`EXACT_LIMIT`), and always a
histogram over fixed log-scale buckets: bucket 0 holds [0, 1 s), bucket i ≥ 1 holds
[2^((i-1)/8), 2^(i/8)) seconds, so an estimate read from it is off by at most ~4.4 % (half a
bucket's width, taken geometrically). Digests of any hours, teams or agents merge by adding
bucket counts (and joining value lists while they stay small), so a quantile over a month in
any time zone is read from hourly rows without touching the facts. Stored as JSON:
`{"n": count, "v": [values] (only while exact), "b": {"bucket": count}}`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

EXACT_LIMIT = 64
# Past this many values a merged digest answers from its buckets even when every part is exact
# (within ±4.4 %); more exact values cost a month's report far more in parsing than they add.
MERGED_EXACT_LIMIT = 2_000
STEPS_PER_DOUBLING = 8


def bucket_of(seconds: float) -> int:
    if seconds < 1:
        return 0
    return math.floor(math.log2(seconds) * STEPS_PER_DOUBLING) + 1


def bucket_bounds(index: int) -> tuple[float, float]:
    if index == 0:
        return 0.0, 1.0
    return 2 ** ((index - 1) / STEPS_PER_DOUBLING), 2 ** (index / STEPS_PER_DOUBLING)


def quantile_of_values(values: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (the common "type 7" definition)."""
    return _quantile_of_sorted(sorted(values), q)


def _quantile_of_sorted(ordered: list[float], q: float) -> float:
    position = (len(ordered) - 1) * q
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Digest:
    count: int = 0
    values: list[float] | None = field(default_factory=list)
    buckets: dict[int, int] = field(default_factory=dict)

    def add(self, seconds: float) -> None:
        self.count += 1
        index = bucket_of(max(seconds, 0.0))
        self.buckets[index] = self.buckets.get(index, 0) + 1
        if self.values is not None:
            self.values.append(seconds)
            if len(self.values) > EXACT_LIMIT:
                self.values = None

    def merge(self, other: Digest) -> None:
        self.count += other.count
        for index, n in other.buckets.items():
            self.buckets[index] = self.buckets.get(index, 0) + n
        if self.values is None or other.values is None:
            self.values = None
        else:
            self.values.extend(other.values)
            if len(self.values) > MERGED_EXACT_LIMIT:
                self.values = None

    def merge_json(self, data: dict[str, Any]) -> None:
        """`merge(Digest.from_json(data))` without building the intermediate digest (the hot
        path of every report: one call per rollup row read)."""
        self.count += int(data.get("n", 0))
        buckets = self.buckets
        for index, n in (data.get("b") or {}).items():
            key = int(index)
            buckets[key] = buckets.get(key, 0) + int(n)
        values = data.get("v")
        if self.values is None or values is None:
            self.values = None
        else:
            self.values.extend(values)
            if len(self.values) > MERGED_EXACT_LIMIT:
                self.values = None

    def quantile(self, q: float) -> float | None:
        if self.count == 0:
            return None
        if self.values is not None and len(self.values) == self.count:
            self.values.sort()  # in place, once: the next quantile's sort finds them in order
            return _quantile_of_sorted(self.values, q)
        rank = q * (self.count - 1)
        seen = 0
        for index in sorted(self.buckets):
            seen += self.buckets[index]
            if seen > rank:
                low, high = bucket_bounds(index)
                return (low + high) / 2 if index == 0 else math.sqrt(low * high)
        return None  # pragma: no cover - the ranks always fall inside the buckets

    def share_at_most(self, seconds: float) -> float | None:
        """The share of values ≤ `seconds` (exact while exact, else whole buckets below it)."""
        if self.count == 0:
            return None
        if self.values is not None and len(self.values) == self.count:
            return sum(1 for v in self.values if v <= seconds) / self.count
        limit = bucket_of(seconds)
        return sum(n for i, n in self.buckets.items() if i < limit) / self.count

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"n": self.count, "b": {str(i): n for i, n in self.buckets.items()}}
        if self.values is not None:
            data["v"] = self.values
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Digest:
        if not data:
            return cls()
        values = data.get("v")
        return cls(
            count=int(data.get("n", 0)),
            values=[float(v) for v in values] if values is not None else None,
            buckets={int(i): int(n) for i, n in (data.get("b") or {}).items()},
        )

    @classmethod
    def of(cls, values: Iterable[float]) -> Digest:
        digest = cls()
        for value in values:
            digest.add(value)
        return digest

"""Digests: exact while small, within half a log bucket when large, and merging is lossless."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.core.reports.digest import (
    EXACT_LIMIT,
    STEPS_PER_DOUBLING,
    Digest,
    bucket_bounds,
    bucket_of,
    quantile_of_values,
)

durations = st.floats(min_value=0, max_value=40 * 86_400, allow_nan=False)
# Half a bucket, taken geometrically: the worst relative error of an estimate above 1 s.
TOLERANCE = 2 ** (1 / (2 * STEPS_PER_DOUBLING)) - 1


def test_small_digests_are_exact() -> None:
    digest = Digest.of([240, 900, 1200])
    assert (digest.quantile(0.5), digest.quantile(0.9)) == (900, 1140)
    assert Digest.of([10, 20, 30, 40]).quantile(0.5) == 25
    assert Digest().quantile(0.5) is None
    assert Digest.of([5, 50, 500]).share_at_most(50) == 2 / 3


def test_every_duration_falls_in_its_bucket() -> None:
    for seconds in (0, 0.5, 1, 1.09, 2, 59.9, 60, 3600, 86_400 * 30):
        low, high = bucket_bounds(bucket_of(seconds))
        assert low <= seconds < high


@settings(max_examples=60, deadline=None)
@given(st.lists(durations, min_size=EXACT_LIMIT + 1, max_size=400), st.sampled_from([0.5, 0.9]))
def test_large_digests_estimate_within_half_a_bucket(values: list[float], q: float) -> None:
    digest = Digest.of(values)
    assert digest.values is None  # past the exact limit: answered from buckets
    estimate = digest.quantile(q)
    assert estimate is not None
    # The estimate is the middle of the bucket holding the value at the quantile's rank.
    at_rank = sorted(values)[math.floor(q * (len(values) - 1))]
    if at_rank < 1:
        assert estimate == 0.5
    else:
        assert at_rank / (1 + TOLERANCE) - 1e-9 <= estimate <= at_rank * (1 + TOLERANCE) + 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(durations, max_size=90), min_size=1, max_size=8))
def test_merging_equals_one_digest_of_everything(parts: list[list[float]]) -> None:
    merged, from_json = Digest(), Digest()
    for part in parts:
        merged.merge(Digest.from_json(Digest.of(part).to_json()))
        from_json.merge_json(Digest.of(part).to_json())
    assert from_json == merged
    everything = Digest.of(v for part in parts for v in part)
    assert merged.count == everything.count
    assert merged.buckets == everything.buckets
    for q in (0.5, 0.9):
        if all(len(part) <= EXACT_LIMIT for part in parts):
            assert merged.quantile(q) == (
                quantile_of_values([v for p in parts for v in p], q) if merged.count else None
            )
        else:
            assert merged.quantile(q) == everything.quantile(q)

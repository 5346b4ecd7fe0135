"""The score of a review, in one function.

Each answered item is worth a fraction of 1: yes 1, partial 0.5, no 0; on the 1-5 scale
(n - 1) / 4. "na" leaves the item out. A category's fraction is the mean of its items'; the
score is the sum of weight * fraction over the categories with an applicable item, divided by
the sum of their weights, as a percentage. A failed critical item ("no", or 1 on the scale)
fails the whole review: its score is 0 whatever else was answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from frontdesk.core.quality.models import ItemKind

NOT_APPLICABLE = "na"
YES_NO = ("yes", "no")
SCALE = ("1", "2", "3", "4", "5")
VALUES: dict[str, tuple[str, ...]] = {
    ItemKind.YES_NO: (*YES_NO, NOT_APPLICABLE),
    ItemKind.YES_NO_PARTIAL: ("yes", "partial", "no", NOT_APPLICABLE),
    ItemKind.SCALE: (*SCALE, NOT_APPLICABLE),
}
_FRACTIONS = {"yes": 1.0, "partial": 0.5, "no": 0.0}


@dataclass(frozen=True)
class ItemSpec:
    id: uuid.UUID
    kind: str
    is_critical: bool = False


@dataclass(frozen=True)
class CategorySpec:
    id: uuid.UUID
    weight: int
    items: Sequence[ItemSpec]


@dataclass(frozen=True)
class Score:
    score: float | None
    points: float
    max_points: float
    is_failed: bool
    category_scores: dict[uuid.UUID, float | None]


def item_fraction(kind: str, value: str) -> float | None:
    """What an answer is worth (0-1), None for "na"; a value the kind does not take is refused."""
    if value not in VALUES[kind]:
        raise ValueError(f"{value!r} is not an answer to a {kind} item")
    if value == NOT_APPLICABLE:
        return None
    if kind == ItemKind.SCALE:
        return (int(value) - 1) / 4
    return _FRACTIONS[value]


def fails_critical(item: ItemSpec, value: str) -> bool:
    return item.is_critical and value in ("no", "1")


def compute_score(categories: Sequence[CategorySpec], answers: Mapping[uuid.UUID, str]) -> Score:
    """The review's score from its answers (every item must have one, "na" included)."""
    points = max_points = 0.0
    failed = False
    by_category: dict[uuid.UUID, float | None] = {}
    for category in categories:
        fractions: list[float] = []
        for item in category.items:
            value = answers[item.id]
            failed = failed or fails_critical(item, value)
            fraction = item_fraction(item.kind, value)
            if fraction is not None:
                fractions.append(fraction)
        if not fractions:
            by_category[category.id] = None
            continue
        mean = sum(fractions) / len(fractions)
        by_category[category.id] = round(mean * 100, 2)
        points += category.weight * mean
        max_points += category.weight
    if failed:
        return Score(0.0, 0.0, max_points, True, by_category)
    score = round(points / max_points * 100, 2) if max_points else None
    return Score(score, round(points, 4), max_points, False, by_category)

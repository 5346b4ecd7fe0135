"""The score of a review: weights, partial answers, the 1-5 scale, "na", critical failures."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from frontdesk.core.quality.scoring import (
    VALUES,
    CategorySpec,
    ItemSpec,
    compute_score,
    item_fraction,
)


def _item(kind: str, critical: bool = False) -> ItemSpec:
    return ItemSpec(uuid.uuid4(), kind, critical)


def test_weights_decide_each_categorys_share() -> None:
    greeting, accuracy = _item("yes_no"), _item("yes_no")
    cards = [CategorySpec(uuid.uuid4(), 1, [greeting]), CategorySpec(uuid.uuid4(), 3, [accuracy])]
    # Only the heavy category passed: 3 of 4 points.
    score = compute_score(cards, {greeting.id: "no", accuracy.id: "yes"})
    assert (score.score, score.points, score.max_points, score.is_failed) == (75.0, 3.0, 4.0, False)
    score = compute_score(cards, {greeting.id: "yes", accuracy.id: "no"})
    assert score.score == 25.0


def test_partial_is_half_and_the_scale_runs_from_0_to_1() -> None:
    tone, empathy = _item("yes_no_partial"), _item("scale")
    card = [CategorySpec(uuid.uuid4(), 10, [tone, empathy])]
    # Partial 0.5 and 4 on the scale (0.75): mean 0.625.
    assert compute_score(card, {tone.id: "partial", empathy.id: "4"}).score == 62.5
    assert compute_score(card, {tone.id: "yes", empathy.id: "5"}).score == 100.0
    assert compute_score(card, {tone.id: "no", empathy.id: "1"}).score == 0.0
    assert [item_fraction("scale", v) for v in "12345"] == [0.0, 0.25, 0.5, 0.75, 1.0]


def test_not_applicable_leaves_the_item_and_an_empty_category_out() -> None:
    a, b, c = _item("yes_no"), _item("yes_no"), _item("scale")
    first, second = uuid.uuid4(), uuid.uuid4()
    cards = [CategorySpec(first, 2, [a, b]), CategorySpec(second, 8, [c])]
    score = compute_score(cards, {a.id: "yes", b.id: "na", c.id: "na"})
    assert (score.score, score.max_points) == (100.0, 2.0)
    assert score.category_scores == {first: 100.0, second: None}
    nothing = compute_score(cards, {a.id: "na", b.id: "na", c.id: "na"})
    assert (nothing.score, nothing.is_failed) == (None, False)


def test_a_failed_critical_item_fails_the_whole_review() -> None:
    legal, tone = _item("yes_no", critical=True), _item("scale")
    cards = [CategorySpec(uuid.uuid4(), 1, [legal]), CategorySpec(uuid.uuid4(), 99, [tone])]
    failed = compute_score(cards, {legal.id: "no", tone.id: "5"})
    assert (failed.score, failed.points, failed.is_failed) == (0.0, 0.0, True)
    passed = compute_score(cards, {legal.id: "yes", tone.id: "5"})
    assert (passed.score, passed.is_failed) == (100.0, False)
    # On the scale, 1 is the failing answer of a critical item; 2 is poor but not a failure.
    critical_scale = _item("scale", critical=True)
    card = [CategorySpec(uuid.uuid4(), 1, [critical_scale])]
    assert compute_score(card, {critical_scale.id: "1"}).is_failed
    assert not compute_score(card, {critical_scale.id: "2"}).is_failed
    # "Partial" on a critical item is not a failure, nor is "na".
    partial = _item("yes_no_partial", critical=True)
    card = [CategorySpec(uuid.uuid4(), 1, [partial])]
    assert compute_score(card, {partial.id: "partial"}).score == 50.0
    assert not compute_score(card, {partial.id: "na"}).is_failed


def test_an_answer_the_kind_does_not_take_is_refused() -> None:
    with pytest.raises(ValueError, match="not an answer to a yes_no item"):
        item_fraction("yes_no", "partial")
    with pytest.raises(ValueError, match="not an answer to a scale item"):
        item_fraction("scale", "6")


@st.composite
def reviews(draw: st.DrawFn) -> tuple[list[CategorySpec], dict[uuid.UUID, str]]:
    cards, answers = [], {}
    for _ in range(draw(st.integers(1, 4))):
        items = []
        for _ in range(draw(st.integers(1, 4))):
            item = ItemSpec(uuid.uuid4(), draw(st.sampled_from(list(VALUES))), draw(st.booleans()))
            items.append(item)
            answers[item.id] = draw(st.sampled_from(VALUES[item.kind]))
        cards.append(CategorySpec(uuid.uuid4(), draw(st.integers(1, 100)), items))
    return cards, answers


@given(reviews())
def test_a_score_is_within_0_and_100_and_failed_means_0(
    review: tuple[list[CategorySpec], dict[uuid.UUID, str]],
) -> None:
    cards, answers = review
    score = compute_score(cards, answers)
    if score.score is not None:
        assert 0.0 <= score.score <= 100.0
        assert score.points <= score.max_points + 1e-9
    critical_failure = any(
        i.is_critical and answers[i.id] in ("no", "1") for c in cards for i in c.items
    )
    assert score.is_failed == critical_failure
    if critical_failure:
        assert score.score == 0.0


@given(reviews())
def test_answering_every_item_at_its_best_scores_100(
    review: tuple[list[CategorySpec], dict[uuid.UUID, str]],
) -> None:
    cards, _ = review
    best = {i.id: "5" if i.kind == "scale" else "yes" for c in cards for i in c.items}
    assert compute_score(cards, best).score == 100.0

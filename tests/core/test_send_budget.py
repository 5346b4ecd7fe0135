"""The send budget's token buckets: bursts, steady rates, several limits charged together."""

from __future__ import annotations

import pytest

from frontdesk.core.sendbudget import Allowance, LocalSendBudget


class Ticks:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_a_burst_goes_at_once_then_sends_wait_for_the_rate() -> None:
    ticks = Ticks()
    budget = LocalSendBudget(ticks)
    number = [Allowance("number", per_second=2, burst=3)]
    assert [await budget.take(number) for _ in range(3)] == [0, 0, 0]
    assert await budget.take(number) == pytest.approx(0.5)
    ticks.now += 0.5
    assert await budget.take(number) == 0
    assert await budget.take(number) == pytest.approx(0.5)
    ticks.now += 60  # a long pause refills no more than the burst
    assert [await budget.take(number) for _ in range(4)] == [0, 0, 0, pytest.approx(0.5)]


async def test_every_limit_must_have_room_and_a_refusal_charges_none() -> None:
    ticks = Ticks()
    budget = LocalSendBudget(ticks)
    page = Allowance("page", per_second=10, burst=10)
    chat = Allowance("chat", per_second=1, burst=1)
    other_chat = Allowance("other-chat", per_second=1, burst=1)
    assert await budget.take([page, chat]) == 0
    assert await budget.take([page, chat]) == pytest.approx(1.0)  # the chat is the bottleneck
    # The refusal took nothing from the Page: nine more go to other chats at once.
    for n in range(9):
        assert await budget.take([page, Allowance(f"c{n}", 1, 1)]) == 0
    assert await budget.take([page, other_chat]) == pytest.approx(0.1)


async def test_a_send_of_several_parts_costs_each_part_but_never_more_than_a_burst() -> None:
    ticks = Ticks()
    budget = LocalSendBudget(ticks)
    chat = [Allowance("chat", per_second=1, burst=3)]
    assert await budget.take(chat, cost=2) == 0
    assert await budget.take(chat, cost=2) == pytest.approx(1.0)
    ticks.now += 10
    assert await budget.take(chat, cost=50) == 0  # charged as 3: it can ever go
    assert await budget.take(chat) == pytest.approx(1.0)


async def test_a_clock_set_back_refills_nothing() -> None:
    ticks = Ticks()
    budget = LocalSendBudget(ticks)
    limit = [Allowance("x", per_second=1, burst=1)]
    assert await budget.take(limit) == 0
    ticks.now -= 100
    assert await budget.take(limit) == pytest.approx(1.0)


def test_a_limit_needs_a_rate_and_room_for_one_send() -> None:
    with pytest.raises(ValueError, match="positive rate"):
        Allowance("x", per_second=0, burst=1)
    with pytest.raises(ValueError, match="positive rate"):
        Allowance("x", per_second=1, burst=0.5)

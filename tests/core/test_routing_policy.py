"""The assignment policy (core/routing/policy.py): properties over random teams, then the cases
that explain themselves.

The policy is pure, so every property runs on generated agents: states, loads, capacities,
channel limits and last assignment times. Round robin is driven the way the engine drives it:
after each decision the chosen agent's `last_assigned_at` becomes "now" (later than any earlier
assignment) and their open count grows by one.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from frontdesk.core.routing.models import AgentState, Strategy
from frontdesk.core.routing.policy import (
    Candidate,
    Decision,
    Eligibility,
    decide,
    eligible,
    skip_reason,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
STRATEGIES = (Strategy.ROUND_ROBIN, Strategy.LEAST_OPEN, Strategy.CAPACITY_SHARE)
SKIP_REASONS = {
    "cannot_take",
    "not_in_team",
    AgentState.BUSY,
    AgentState.AWAY,
    "offline",
    "at_capacity",
    "at_channel_capacity",
}
LOSER_REASONS = {
    Strategy.ROUND_ROBIN: "assigned_more_recently",
    Strategy.LEAST_OPEN: "more_open_or_less_idle",
    Strategy.CAPACITY_SHARE: "less_free_capacity_or_less_idle",
}

LANGUAGES = ("en", "pt-BR", "vi", "es")
moments = st.none() | st.integers(min_value=0, max_value=10_000).map(
    lambda s: T0 - timedelta(seconds=s)
)
rules_st = st.builds(Eligibility, online_only=st.booleans(), respect_capacity=st.booleans())


@st.composite
def candidates(draw: st.DrawFn, min_size: int = 0, max_size: int = 12) -> list[Candidate]:
    """Agents of any state and load; ids are unique, some share a last assignment time."""
    ids = draw(st.lists(st.uuids(), min_size=min_size, max_size=max_size, unique=True))
    shared = draw(moments)
    out = []
    for uid in ids:
        capacity = draw(st.integers(min_value=1, max_value=8))
        channel_capacity = draw(st.none() | st.integers(min_value=1, max_value=4))
        out.append(
            Candidate(
                user_id=uid,
                name=f"Agent {str(uid)[:4]}",
                state=draw(st.sampled_from(AgentState.ALL)),
                open_count=draw(st.integers(min_value=0, max_value=capacity + 2)),
                capacity=capacity,
                last_assigned_at=draw(st.just(shared) | moments),
                in_team=draw(st.booleans()) if draw(st.integers(0, 5)) == 0 else True,
                can_take=draw(st.booleans()) if draw(st.integers(0, 5)) == 0 else True,
                channel_open=draw(st.integers(min_value=0, max_value=5)),
                channel_capacity=channel_capacity,
                languages=frozenset(draw(st.sets(st.sampled_from(LANGUAGES), max_size=3))),
            )
        )
    return out


def agent(
    name: str,
    *,
    state: str = AgentState.ONLINE,
    open_count: int = 0,
    capacity: int = 3,
    last: datetime | None = None,
    uid: int | None = None,
    **extra: object,
) -> Candidate:
    user_id = uuid.UUID(int=uid) if uid is not None else uuid.uuid5(uuid.NAMESPACE_DNS, name)
    return Candidate(
        user_id=user_id,
        name=name,
        state=state,
        open_count=open_count,
        capacity=capacity,
        last_assigned_at=last,
        **extra,  # type: ignore[arg-type]
    )


def can_take_now(c: Candidate, rules: Eligibility) -> bool:
    """Eligibility written out from the product rules, independently of skip_reason."""
    if not c.can_take or not c.in_team:
        return False
    if c.state in (AgentState.BUSY, AgentState.AWAY):
        return False
    if c.state == AgentState.OFFLINE and rules.online_only:
        return False
    if rules.respect_capacity:
        if c.open_count >= c.capacity:
            return False
        if c.channel_capacity is not None and c.channel_open >= c.channel_capacity:
            return False
    return True


def idle_key(c: Candidate) -> tuple[datetime, int]:
    return (c.last_assigned_at or datetime.min.replace(tzinfo=UTC), c.user_id.int)


# --- properties ---------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(candidates(), rules_st, st.sampled_from(Strategy.ALL))
def test_nobody_who_cannot_take_work_is_ever_chosen(
    team: list[Candidate], rules: Eligibility, strategy: str
) -> None:
    decision = decide(strategy, team, rules)
    able = [c for c in team if can_take_now(c, rules)]
    assert {c.user_id for c in able} == {
        uid for uid, why in eligible(team, rules).items() if why is None
    }
    if strategy == Strategy.MANUAL or not able:
        assert decision.chosen is None
        return
    chosen = decision.chosen
    assert chosen is not None
    assert can_take_now(chosen, rules)
    assert chosen.state not in (AgentState.BUSY, AgentState.AWAY)
    if rules.online_only:
        assert chosen.state == AgentState.ONLINE
    if rules.respect_capacity:
        assert chosen.open_count < chosen.capacity
        assert chosen.channel_capacity is None or chosen.channel_open < chosen.channel_capacity


@settings(max_examples=300, deadline=None)
@given(candidates(), rules_st, st.sampled_from(Strategy.ALL))
def test_every_candidate_gets_a_reason_and_the_explanation_lists_everyone(
    team: list[Candidate], rules: Eligibility, strategy: str
) -> None:
    decision = decide(strategy, team, rules)
    assert set(decision.reasons) == {c.user_id for c in team}
    assert [c.user_id for c in decision.candidates] == sorted((c.user_id for c in team), key=str)
    for c in team:
        why = decision.reasons[c.user_id]
        if not can_take_now(c, rules):
            assert why == skip_reason(c, rules)
            assert why in SKIP_REASONS
        elif strategy == Strategy.MANUAL:
            assert why == "manual_strategy"
        elif decision.chosen is not None and c.user_id == decision.chosen.user_id:
            assert why == "chosen"
        else:
            assert why == LOSER_REASONS[strategy]
    assert list(decision.reasons.values()).count("chosen") == (decision.chosen is not None)
    rows = decision.explanation()
    assert [r["user_id"] for r in rows] == [str(c.user_id) for c in decision.candidates]
    assert all(r["reason"] for r in rows)


@settings(max_examples=300, deadline=None)
@given(candidates(), rules_st, st.sampled_from(Strategy.ALL), st.randoms(use_true_random=False))
def test_a_decision_depends_only_on_the_agents_not_on_their_order(
    team: list[Candidate], rules: Eligibility, strategy: str, rnd: random.Random
) -> None:
    first = decide(strategy, team, rules)
    shuffled = list(team)
    rnd.shuffle(shuffled)
    again = decide(strategy, shuffled, rules)
    assert again.chosen == first.chosen
    assert again.reasons == first.reasons
    assert again.explanation() == first.explanation()
    assert decide(strategy, team, rules) == first


@settings(max_examples=300, deadline=None)
@given(candidates(min_size=1), rules_st)
def test_least_open_never_picks_someone_with_more_open_conversations(
    team: list[Candidate], rules: Eligibility
) -> None:
    decision = decide(Strategy.LEAST_OPEN, team, rules)
    able = [c for c in team if can_take_now(c, rules)]
    if not able:
        assert decision.chosen is None
        return
    assert decision.chosen is not None
    assert decision.chosen.open_count == min(c.open_count for c in able)
    # Among the least loaded, the one idle longest.
    tied = [c for c in able if c.open_count == decision.chosen.open_count]
    assert idle_key(decision.chosen) == min(idle_key(c) for c in tied)


@settings(max_examples=300, deadline=None)
@given(candidates(min_size=1), rules_st)
def test_capacity_share_never_picks_someone_with_a_lower_free_share(
    team: list[Candidate], rules: Eligibility
) -> None:
    decision = decide(Strategy.CAPACITY_SHARE, team, rules)
    able = [c for c in team if can_take_now(c, rules)]
    if not able:
        assert decision.chosen is None
        return
    chosen = decision.chosen
    assert chosen is not None

    def share(c: Candidate) -> float:
        return max(0, c.capacity - c.open_count) / c.capacity

    assert all(share(chosen) >= share(c) for c in able)
    tied = [c for c in able if share(c) == share(chosen)]
    assert idle_key(chosen) == min(idle_key(c) for c in tied)


@settings(max_examples=300, deadline=None)
@given(candidates(min_size=1), rules_st)
def test_round_robin_picks_whoever_has_waited_longest_since_their_last_conversation(
    team: list[Candidate], rules: Eligibility
) -> None:
    decision = decide(Strategy.ROUND_ROBIN, team, rules)
    able = [c for c in team if can_take_now(c, rules)]
    if not able:
        assert decision.chosen is None
        return
    assert decision.chosen is not None
    assert idle_key(decision.chosen) == min(idle_key(c) for c in able)


@st.composite
def available_team(draw: st.DrawFn) -> tuple[list[Candidate], int]:
    """Online agents with room for every conversation to come (equal availability)."""
    size = draw(st.integers(min_value=1, max_value=10))
    conversations = draw(st.integers(min_value=0, max_value=60))
    ids = draw(st.lists(st.uuids(), min_size=size, max_size=size, unique=True))
    team = []
    for uid in ids:
        open_count = draw(st.integers(min_value=0, max_value=5))
        team.append(
            Candidate(
                user_id=uid,
                name="Agent",
                state=AgentState.ONLINE,
                open_count=open_count,
                capacity=open_count + conversations + draw(st.integers(0, 3)),
                last_assigned_at=draw(moments),
            )
        )
    return team, conversations


def assign_in_sequence(
    strategy: str, team: list[Candidate], count: int, rules: Eligibility
) -> dict[uuid.UUID, int]:
    """Route `count` conversations one after another, updating the agents as the engine does."""
    agents = {c.user_id: c for c in team}
    got = dict.fromkeys(agents, 0)
    for i in range(count):
        decision = decide(strategy, list(agents.values()), rules)
        assert decision.chosen is not None
        c = decision.chosen
        got[c.user_id] += 1
        agents[c.user_id] = replace(
            c, open_count=c.open_count + 1, last_assigned_at=T0 + timedelta(seconds=i + 1)
        )
    return got


@settings(max_examples=300, deadline=None)
@given(available_team(), st.booleans())
def test_round_robin_spreads_conversations_evenly(
    setup: tuple[list[Candidate], int], online_only: bool
) -> None:
    team, count = setup
    got = assign_in_sequence(
        Strategy.ROUND_ROBIN, team, count, Eligibility(online_only=online_only)
    )
    assert sum(got.values()) == count
    assert max(got.values()) - min(got.values()) <= 1
    # Whoever had waited longest at the start is served first.
    if count % len(team):
        first_in_line = sorted(team, key=idle_key)[: count % len(team)]
        assert all(got[c.user_id] == count // len(team) + 1 for c in first_in_line)


@settings(max_examples=200, deadline=None)
@given(available_team())
def test_least_open_levels_the_load(setup: tuple[list[Candidate], int]) -> None:
    team, count = setup
    got = assign_in_sequence(Strategy.LEAST_OPEN, team, count, Eligibility())
    loads = [c.open_count + got[c.user_id] for c in team]
    start = [c.open_count for c in team]
    # Nobody is given work while someone else has fewer open conversations: the final loads
    # are the initial ones filled from the bottom ("water filling").
    assert max(loads) <= max(*start, min(loads) + 1)
    for c in team:
        if got[c.user_id]:
            assert c.open_count + got[c.user_id] <= min(loads) + 1


# --- explicit cases -------------------------------------------------------------------------


def test_round_robin_ties_go_to_the_longest_idle_then_the_smaller_id() -> None:
    earlier, later = T0 - timedelta(minutes=5), T0
    never = agent("Never", uid=9)
    team = [agent("A", uid=1, last=later), agent("B", uid=2, last=earlier), never]
    assert decide(Strategy.ROUND_ROBIN, team, Eligibility()).chosen == never
    team = [agent("A", uid=2, last=earlier), agent("B", uid=1, last=earlier)]
    chosen = decide(Strategy.ROUND_ROBIN, team, Eligibility()).chosen
    assert chosen is not None
    assert chosen.name == "B"


def test_round_robin_takes_turns_around_the_team() -> None:
    team = [agent(n, uid=i) for i, n in enumerate(("Ana", "Bao", "Caio"), start=1)]
    got = []
    agents = {c.user_id: c for c in team}
    for i in range(7):
        chosen = decide(Strategy.ROUND_ROBIN, list(agents.values()), Eligibility()).chosen
        assert chosen is not None
        got.append(chosen.name)
        agents[chosen.user_id] = replace(
            chosen, open_count=chosen.open_count + 1, last_assigned_at=T0 + timedelta(seconds=i)
        )
    assert got == ["Ana", "Bao", "Caio", "Ana", "Bao", "Caio", "Ana"]


def test_least_open_prefers_the_lighter_load_even_if_they_were_assigned_just_now() -> None:
    busy_long_idle = agent("Heavy", open_count=2, last=T0 - timedelta(hours=3))
    light_just_assigned = agent("Light", open_count=1, last=T0)
    decision = decide(Strategy.LEAST_OPEN, [busy_long_idle, light_just_assigned], Eligibility())
    assert decision.chosen == light_just_assigned
    assert decision.reasons[busy_long_idle.user_id] == "more_open_or_less_idle"


def test_capacity_share_weighs_load_against_each_agents_capacity() -> None:
    # 4 of 10 open (60 % free) beats 1 of 2 open (50 % free) despite more conversations.
    senior = agent("Senior", open_count=4, capacity=10)
    junior = agent("Junior", open_count=1, capacity=2)
    assert decide(Strategy.CAPACITY_SHARE, [junior, senior], Eligibility()).chosen == senior
    assert decide(Strategy.LEAST_OPEN, [junior, senior], Eligibility()).chosen == junior


@pytest.mark.parametrize(
    ("candidate", "rules", "reason"),
    [
        (agent("Busy", state=AgentState.BUSY), Eligibility(), "busy"),
        (agent("Away", state=AgentState.AWAY), Eligibility(online_only=False), "away"),
        (agent("Off", state=AgentState.OFFLINE), Eligibility(), "offline"),
        (agent("Off", state=AgentState.OFFLINE), Eligibility(online_only=False), None),
        (agent("Full", open_count=3, capacity=3), Eligibility(), "at_capacity"),
        (agent("Over", open_count=5, capacity=3), Eligibility(), "at_capacity"),
        (agent("Full", open_count=3, capacity=3), Eligibility(respect_capacity=False), None),
        (
            agent("Chan", open_count=1, capacity=3, channel_open=2, channel_capacity=2),
            Eligibility(),
            "at_channel_capacity",
        ),
        (
            agent("Chan", open_count=1, capacity=3, channel_open=1, channel_capacity=2),
            Eligibility(),
            None,
        ),
        (agent("Stranger", in_team=False), Eligibility(), "not_in_team"),
        (agent("Viewer", can_take=False), Eligibility(), "cannot_take"),
        (agent("Viewer", can_take=False, state=AgentState.BUSY), Eligibility(), "cannot_take"),
    ],
)
def test_why_an_agent_is_passed_over(
    candidate: Candidate, rules: Eligibility, reason: str | None
) -> None:
    assert skip_reason(candidate, rules) == reason
    decision = decide(Strategy.ROUND_ROBIN, [candidate], rules)
    assert decision.chosen == (candidate if reason is None else None)
    assert decision.reasons[candidate.user_id] == (reason or "chosen")


def test_manual_strategy_chooses_nobody_but_says_who_could_have_taken_it() -> None:
    ready, away = agent("Ready"), agent("Gone", state=AgentState.AWAY)
    decision = decide(Strategy.MANUAL, [ready, away], Eligibility())
    assert decision.chosen is None
    assert decision.reasons == {ready.user_id: "manual_strategy", away.user_id: "away"}


def test_nobody_at_all_is_an_empty_decision() -> None:
    assert decide(Strategy.ROUND_ROBIN, [], Eligibility()) == Decision(chosen=None)


def test_the_explanation_is_what_the_conversation_history_shows() -> None:
    chosen = agent("Ana", uid=1, open_count=1, capacity=2, last=T0)
    full = agent("Bao", uid=2, open_count=2, capacity=2)
    lunch = agent("Caio", uid=3, state=AgentState.AWAY, state_reason="Lunch")
    decision = decide(Strategy.ROUND_ROBIN, [lunch, full, chosen], Eligibility())
    assert decision.explanation() == [
        {
            "user_id": str(chosen.user_id),
            "name": "Ana",
            "state": "online",
            "state_reason": None,
            "open": 1,
            "capacity": 2,
            "last_assigned_at": T0.isoformat(),
            "reason": "chosen",
        },
        {
            "user_id": str(full.user_id),
            "name": "Bao",
            "state": "online",
            "state_reason": None,
            "open": 2,
            "capacity": 2,
            "last_assigned_at": None,
            "reason": "at_capacity",
        },
        {
            "user_id": str(lunch.user_id),
            "name": "Caio",
            "state": "away",
            "state_reason": "Lunch",
            "open": 0,
            "capacity": 3,
            "last_assigned_at": None,
            "reason": "away",
        },
    ]


# --- language as a skill ------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(
    candidates(),
    rules_st,
    st.sampled_from(STRATEGIES),
    st.sampled_from(LANGUAGES),
    st.randoms(use_true_random=False),
)
def test_speakers_of_the_contact_s_language_come_before_the_strategy(
    team: list[Candidate], rules: Eligibility, strategy: str, language: str, rnd: random.Random
) -> None:
    decision = decide(strategy, team, rules, language)
    able = [c for c in team if can_take_now(c, rules)]
    speakers = [c for c in able if language in c.languages]
    # The strategy chooses among eligible speakers when there are any, else among everyone
    # eligible: exactly as if the others were not there.
    expected = decide(strategy, speakers or able, rules).chosen
    assert decision.chosen == expected
    if speakers:
        assert decision.chosen is not None
        assert language in decision.chosen.languages
    for c in able:
        why = decision.reasons[c.user_id]
        if c == decision.chosen:
            assert why == "chosen"
        elif speakers and c not in speakers:
            assert why == "does_not_speak_language"
        else:
            assert why == LOSER_REASONS[strategy]
    for c in team:
        if not can_take_now(c, rules):
            assert decision.reasons[c.user_id] == skip_reason(c, rules)
    rows = {r["user_id"]: r for r in decision.explanation()}
    assert all(r["language"] == language for r in rows.values())
    assert all(rows[str(c.user_id)]["speaks_language"] == (language in c.languages) for c in team)
    shuffled = list(team)
    rnd.shuffle(shuffled)
    assert decide(strategy, shuffled, rules, language) == decision


@settings(max_examples=200, deadline=None)
@given(candidates(), rules_st, st.sampled_from(Strategy.ALL))
def test_without_a_language_skills_change_nothing(
    team: list[Candidate], rules: Eligibility, strategy: str
) -> None:
    plain = decide(strategy, [replace(c, languages=frozenset()) for c in team], rules)
    decision = decide(strategy, team, rules, None)
    assert decision.chosen == (
        next(c for c in team if c.user_id == plain.chosen.user_id) if plain.chosen else None
    )
    assert decision.reasons == plain.reasons
    assert all("speaks_language" not in r for r in decision.explanation())


def test_a_vietnamese_speaker_is_chosen_over_a_longer_idle_colleague() -> None:
    ana = agent("Ana", last=T0 - timedelta(hours=2), languages=frozenset({"pt-BR", "en"}))
    minh = agent("Minh", last=T0 - timedelta(minutes=5), languages=frozenset({"vi"}))
    busy = agent("Lan", state=AgentState.BUSY, languages=frozenset({"vi"}))
    decision = decide(Strategy.ROUND_ROBIN, [ana, minh, busy], Eligibility(), "vi")
    assert decision.chosen == minh
    assert decision.reasons == {
        minh.user_id: "chosen",
        ana.user_id: "does_not_speak_language",
        busy.user_id: AgentState.BUSY,
    }
    rows = {r["name"]: r for r in decision.explanation()}
    assert (rows["Minh"]["speaks_language"], rows["Ana"]["speaks_language"]) == (True, False)
    # Nobody free speaks it: the strategy among everyone eligible, as without the rule.
    alone = decide(Strategy.ROUND_ROBIN, [ana, busy], Eligibility(), "vi")
    assert alone.chosen == ana
    assert alone.reasons[ana.user_id] == "chosen"

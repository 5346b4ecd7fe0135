"""The assignment policy, pure: who is eligible and which eligible agent a strategy picks.

No I/O here, so the rules can be tested exhaustively (tests/core/test_routing_policy.py).
Ties always go to the agent idle longest (earliest last assignment), then to the smaller id,
so a decision is deterministic for the same inputs.

Language as a skill: when the team routes by language and the contact's language is known,
eligible agents who speak it come first; the strategy chooses among them, and among everyone
eligible only when none of them can take it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from frontdesk.core.languages.codes import same_language
from frontdesk.core.routing.models import AgentState, Strategy

NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Candidate:
    user_id: uuid.UUID
    name: str
    state: str
    open_count: int
    capacity: int
    last_assigned_at: datetime | None = None
    in_team: bool = True
    can_take: bool = True
    channel_open: int = 0
    channel_capacity: int | None = None
    state_reason: str | None = None  # e.g. "Lunch" when away
    languages: frozenset[str] = frozenset()  # the languages they speak

    def speaks(self, language: str | None) -> bool:
        return any(same_language(spoken, language) for spoken in self.languages)

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.open_count)


@dataclass(frozen=True)
class Eligibility:
    online_only: bool = True
    respect_capacity: bool = True


def skip_reason(candidate: Candidate, rules: Eligibility) -> str | None:
    """Why this agent cannot take a new conversation now, or None if they can."""
    if not candidate.can_take:
        return "cannot_take"
    if not candidate.in_team:
        return "not_in_team"
    if candidate.state in (AgentState.BUSY, AgentState.AWAY):
        return candidate.state
    if candidate.state == AgentState.OFFLINE and rules.online_only:
        return "offline"
    if rules.respect_capacity:
        if candidate.open_count >= candidate.capacity:
            return "at_capacity"
        if (
            candidate.channel_capacity is not None
            and candidate.channel_open >= candidate.channel_capacity
        ):
            return "at_channel_capacity"
    return None


def _idle(candidate: Candidate) -> tuple[datetime, str]:
    return (candidate.last_assigned_at or NEVER, str(candidate.user_id))


def _rank(strategy: str, candidate: Candidate) -> tuple[Any, ...]:
    if strategy == Strategy.LEAST_OPEN:
        return (candidate.open_count, *_idle(candidate))
    if strategy == Strategy.CAPACITY_SHARE:
        share = candidate.free / candidate.capacity if candidate.capacity else 0.0
        return (-share, *_idle(candidate))
    return _idle(candidate)


@dataclass(frozen=True)
class Decision:
    chosen: Candidate | None
    # Every candidate considered, with why they were or were not chosen.
    reasons: dict[uuid.UUID, str] = field(default_factory=dict)
    candidates: tuple[Candidate, ...] = ()
    # The contact's language when the team routes by language (None: it played no part).
    language: str | None = None

    def explanation(self) -> list[dict[str, Any]]:
        return [
            {
                **(
                    {"language": self.language, "speaks_language": c.speaks(self.language)}
                    if self.language
                    else {}
                ),
                "user_id": str(c.user_id),
                "name": c.name,
                "state": c.state,
                "state_reason": c.state_reason,
                "open": c.open_count,
                "capacity": c.capacity,
                "last_assigned_at": c.last_assigned_at.isoformat() if c.last_assigned_at else None,
                "reason": self.reasons.get(c.user_id, ""),
            }
            for c in self.candidates
        ]


def eligible(candidates: list[Candidate], rules: Eligibility) -> dict[uuid.UUID, str | None]:
    return {c.user_id: skip_reason(c, rules) for c in candidates}


def decide(
    strategy: str, candidates: list[Candidate], rules: Eligibility, language: str | None = None
) -> Decision:
    """Pick an agent by the team's strategy among the eligible (speakers of `language` first,
    when given); say why for everyone."""
    ordered = tuple(sorted(candidates, key=lambda c: str(c.user_id)))
    reasons: dict[uuid.UUID, str] = {}
    pool: list[Candidate] = []
    for c in ordered:
        why = skip_reason(c, rules)
        if why is None:
            pool.append(c)
        else:
            reasons[c.user_id] = why
    if strategy == Strategy.MANUAL:
        for c in pool:
            reasons[c.user_id] = "manual_strategy"
        return Decision(chosen=None, reasons=reasons, candidates=ordered, language=language)
    if not pool:
        return Decision(chosen=None, reasons=reasons, candidates=ordered, language=language)
    chosen = rank(strategy, pool, language)[0]
    for c in pool:
        if c is chosen:
            reasons[c.user_id] = "chosen"
        elif language and chosen.speaks(language) and not c.speaks(language):
            reasons[c.user_id] = "does_not_speak_language"
        else:
            reasons[c.user_id] = _lost_because(strategy)
    return Decision(chosen=chosen, reasons=reasons, candidates=ordered, language=language)


def rank(strategy: str, pool: list[Candidate], language: str | None = None) -> list[Candidate]:
    """Eligible candidates, best first: speakers of `language` (when given) before the others,
    then by the strategy (ties: longest idle, then id)."""
    if not language:
        return sorted(pool, key=lambda c: _rank(strategy, c))
    return sorted(pool, key=lambda c: (not c.speaks(language), *_rank(strategy, c)))


def _lost_because(strategy: str) -> str:
    return {
        Strategy.LEAST_OPEN: "more_open_or_less_idle",
        Strategy.CAPACITY_SHARE: "less_free_capacity_or_less_idle",
    }.get(strategy, "assigned_more_recently")

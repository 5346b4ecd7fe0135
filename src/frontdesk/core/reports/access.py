"""Who sees which report: owners, managers and viewers see every figure; an agent sees only
their own row of the agents report and their own conversations behind it."""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.errors import Forbidden
from frontdesk.core.reports.reading import Filters


def require_supervisor(actor: Actor) -> None:
    if not actor.is_supervisor:
        raise Forbidden("only owners, managers and viewers see this report")


def visible_filters(actor: Actor, filters: Filters) -> tuple[Filters, bool]:
    """The filters narrowed to what the caller may see, and whether they see everyone."""
    if actor.is_supervisor:
        return filters, True
    if actor.user_id is None:
        raise Forbidden("only owners, managers and viewers see this report")
    return Filters(filters.team_ids, (actor.user_id,), filters.channel_ids), False

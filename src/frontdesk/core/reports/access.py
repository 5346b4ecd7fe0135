"""Who sees which report: owners, managers and viewers see every figure; an agent sees only
their own row of the agents report and their own conversations behind it; a client viewer sees
the figures of its client's teams and channels only (every filter forced into its scope)."""

from __future__ import annotations

import uuid
from dataclasses import replace

from frontdesk.core.actor import Actor
from frontdesk.core.errors import Forbidden
from frontdesk.core.reports.reading import Filters
from frontdesk.core.workspaces.client_scope import ClientScope


def require_supervisor(actor: Actor) -> None:
    """Owners, managers and viewers; a client viewer only through `supervisor_filters` (a
    report that reads `require_supervisor` alone would not be narrowed to its client)."""
    if not actor.is_supervisor:
        raise Forbidden("only owners, managers and viewers see this report")
    if actor.client_scope is not None:
        raise Forbidden("client access does not include this report")


def supervisor_filters(actor: Actor, filters: Filters) -> Filters:
    """A supervisors' report's filters: a client viewer's are narrowed to its client."""
    if actor.client_scope is not None:
        return client_filters(actor.client_scope, filters)
    require_supervisor(actor)
    return filters


def client_filters(scope: ClientScope, filters: Filters) -> Filters:
    """The filters within a client viewer's scope: the teams and channels asked for that are
    in it, or all of the scope's; asking only for others is refused (the same reply whether
    they exist or not)."""
    return replace(
        filters,
        team_ids=_within(filters.team_ids, scope.team_ids),
        channel_ids=_within(filters.channel_ids, scope.channel_ids),
    )


def _within(asked: tuple[uuid.UUID, ...], allowed: frozenset[uuid.UUID]) -> tuple[uuid.UUID, ...]:
    if not allowed:
        return asked
    kept = tuple(i for i in asked if i in allowed) if asked else tuple(sorted(allowed))
    if not kept:
        raise Forbidden("that is outside your client access")
    return kept


def visible_filters(actor: Actor, filters: Filters) -> tuple[Filters, bool]:
    """The filters narrowed to what the caller may see, and whether they see everyone (a
    client viewer: everyone of its client's teams and channels)."""
    if actor.client_scope is not None:
        return client_filters(actor.client_scope, filters), True
    if actor.is_supervisor:
        return filters, True
    if actor.user_id is None:
        raise Forbidden("only owners, managers and viewers see this report")
    return replace(filters, agent_ids=(actor.user_id,)), False

"""Setting a viewer's client scope (owners and managers), and reading it back.

A viewer limited to the teams and/or channels of one client company is a client viewer
(`docs/subsystems/client-access.md`). The scope is kept on the membership, or on the
invitation until it is accepted; every change is audited and evented (`member.changed`, which
also makes the member's live sockets listen to exactly their new scope).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.errors import Forbidden, Invalid
from frontdesk.core.events import MemberChanged, workspace_key
from frontdesk.core.workspaces.client_scope import (
    ClientScope,
    ClientScopeIn,
    ClientScopeRead,
    ScopeItem,
    client_scope_of,
)
from frontdesk.core.workspaces.models import Membership, Role, Team
from frontdesk.db.uow import UnitOfWork


def refuse_client(actor: Actor) -> None:
    """Members' emails and the workspace's settings are not a client viewer's to read."""
    if actor.client_scope is not None:
        raise Forbidden("client access does not include this")


async def checked_scope(
    db: AsyncSession, workspace_id: uuid.UUID, role: str, data: ClientScopeIn | None
) -> ClientScope | None:
    """The scope asked for, every id one of the workspace's teams or channels; 422 otherwise."""
    if data is None:
        return None
    if role != Role.VIEWER:
        raise Invalid("only a viewer can be limited to a client", field="client_scope")
    if not data.team_ids and not data.channel_ids:
        raise Invalid("choose at least one team or channel", field="client_scope")
    for name, model, ids in (
        ("team_ids", Team, set(data.team_ids)),
        ("channel_ids", Channel, set(data.channel_ids)),
    ):
        if not ids:
            continue
        found = set(
            await db.scalars(
                select(model.id).where(model.workspace_id == workspace_id, model.id.in_(ids))
            )
        )
        if found != ids:
            raise Invalid(f"unknown {name[:-4]} in the client scope", field=f"client_scope.{name}")
    return ClientScope.of(data.team_ids, data.channel_ids)


def client_stored(member: Membership) -> dict[str, Any] | None:
    """The scope a membership holds, when it is in force (a viewer's)."""
    scope = client_scope_of(member)
    return scope.stored() if scope is not None else None


def stored_scope(scope: ClientScope | None) -> dict[str, Any] | None:
    return scope.stored() if scope is not None else None


async def set_client_scope(
    uow: UnitOfWork, actor: Actor, member: Membership, data: ClientScopeIn | None
) -> Membership:
    """Limit a viewer to a client (or lift the limit with None); owners and managers."""
    actor.require_admin()
    scope = await checked_scope(uow.session, actor.workspace_id, member.role, data)
    before = member.client_scope or None
    after = stored_scope(scope)
    if before == after:
        return member
    member.client_scope = after
    record_audit(
        uow,
        actor,
        "member.client_scope_changed",
        "user",
        member.user_id,
        before=before,
        after=after,
    )
    uow.emit(
        MemberChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={"user_id": str(member.user_id), "change": "client_scope"},
        )
    )
    return member


async def scope_reads(
    db: AsyncSession, workspace_id: uuid.UUID, stored: Iterable[dict[str, Any] | None]
) -> list[ClientScopeRead | None]:
    """Each stored scope with its teams' and channels' names (two queries for all of them)."""
    scopes = [ClientScope.from_stored(s) for s in stored]
    team_ids = {t for s in scopes if s for t in s.team_ids}
    channel_ids = {c for s in scopes if s for c in s.channel_ids}
    names: dict[uuid.UUID, str] = {}
    for model, ids in ((Team, team_ids), (Channel, channel_ids)):
        if ids:
            rows = await db.execute(
                select(model.id, model.name).where(
                    model.workspace_id == workspace_id, model.id.in_(ids)
                )
            )
            names.update((row[0], row[1]) for row in rows)

    def items(ids: frozenset[uuid.UUID]) -> list[ScopeItem]:
        found = [ScopeItem(id=i, name=names[i]) for i in ids if i in names]
        return sorted(found, key=lambda item: (item.name.lower(), str(item.id)))

    return [
        ClientScopeRead(teams=items(s.team_ids), channels=items(s.channel_ids)) if s else None
        for s in scopes
    ]

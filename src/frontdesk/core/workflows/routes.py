"""Chat routes: a menu option or a keyword that sent a conversation to a team, as the routing
report counts them — offered, handled, redirected, and the time to redirect.

- `offer`: the engine calls it when a run, following a choice (or a keyword) that carries a
  route, assigns the conversation to a team. Test runs and runs without a conversation offer
  nothing.
- `settle_replies`: the report job calls it with the human replies it just read (the same
  replies that make first-response and response facts): the conversation's latest offer, made
  before the reply and not redirected before it, is marked handled by the agent who replied.
- `redirect`: a person sends the conversation back to the menu. Its open offer is marked
  redirected (by whom, when; the time to redirect is `redirected_at - offered_at`), then the
  engine starts the offering workflow again at its first step.

Each mark is written once and evented (`workflow_route.offered`, `.handled`, `.redirected`) to
those who see the conversation.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.conversations.messages import conversation_keys
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.errors import Conflict, Forbidden
from frontdesk.core.events import define_event
from frontdesk.core.workflows.models import RouteOffer, Workflow, WorkflowRun, WorkflowStatus
from frontdesk.db.uow import UnitOfWork

RouteOffered = define_event("RouteOffered", "workflow_route.offered")
RouteHandled = define_event("RouteHandled", "workflow_route.handled")
RouteRedirected = define_event("RouteRedirected", "workflow_route.redirected")
# A human reply the report job read: (workspace, conversation, agent, when).
Reply = tuple[uuid.UUID, uuid.UUID, uuid.UUID, datetime]


class RouteOfferRead(BaseModel):
    id: uuid.UUID
    workflow_id: uuid.UUID
    run_id: uuid.UUID
    conversation_id: uuid.UUID
    route_key: str
    route_label: str
    team_id: uuid.UUID | None
    offered_at: datetime
    agent_id: uuid.UUID | None = Field(
        description="The agent it was with when it was handled or redirected."
    )
    handled_at: datetime | None
    redirected_at: datetime | None
    redirected_by_id: uuid.UUID | None
    time_to_redirect: float | None = Field(description="Offered → redirected, seconds.")


class ConversationRouteRead(BaseModel):
    offer: RouteOfferRead | None = Field(description="The conversation's latest route, if any.")
    can_redirect: bool = Field(
        description="A route workflow in force holds it: it can go back to the menu."
    )


def offer_read(row: RouteOffer) -> RouteOfferRead:
    redirect = (
        (row.redirected_at - row.offered_at).total_seconds()
        if row.redirected_at is not None
        else None
    )
    return RouteOfferRead(
        id=row.id,
        workflow_id=row.workflow_id,
        run_id=row.run_id,
        conversation_id=row.conversation_id,
        route_key=row.route_key,
        route_label=row.route_label,
        team_id=row.team_id,
        offered_at=row.offered_at,
        agent_id=row.agent_id,
        handled_at=row.handled_at,
        redirected_at=row.redirected_at,
        redirected_by_id=row.redirected_by_id,
        time_to_redirect=redirect,
    )


def _emit(uow: UnitOfWork, event: type, conv: Conversation, row: RouteOffer) -> None:
    uow.emit(
        event(
            workspace_id=row.workspace_id,
            audience=conversation_keys(conv, clients=False),
            data={"route_offer": offer_read(row).model_dump(mode="json")},
        )
    )


async def offer(
    uow: UnitOfWork, *, run: WorkflowRun, key: str, label: str, team_id: uuid.UUID | None
) -> RouteOffer | None:
    """Record that the run's route `key` sent its conversation to `team_id`."""
    if run.conversation_id is None or run.is_test:
        return None
    conv = await uow.session.scalar(
        select(Conversation).where(
            Conversation.id == run.conversation_id,
            Conversation.workspace_id == run.workspace_id,
        )
    )
    if conv is None:
        return None
    row = RouteOffer(
        workspace_id=run.workspace_id,
        workflow_id=run.workflow_id,
        run_id=run.id,
        conversation_id=conv.id,
        route_key=key[:64],
        route_label=(label or key)[:120],
        team_id=team_id,
        offered_at=uow.now(),
    )
    uow.session.add(row)
    await uow.session.flush()
    _emit(uow, RouteOffered, conv, row)
    return row


# The engine's name for it.
record_route_offer = offer


async def latest_offer(
    db: AsyncSession, workspace_id: uuid.UUID, conversation_id: uuid.UUID
) -> RouteOffer | None:
    return await db.scalar(
        select(RouteOffer)
        .where(
            RouteOffer.workspace_id == workspace_id,
            RouteOffer.conversation_id == conversation_id,
        )
        .order_by(RouteOffer.offered_at.desc(), RouteOffer.id.desc())
        .limit(1)
    )


async def settle_replies(uow: UnitOfWork, replies: Iterable[Reply]) -> int:
    """Mark handled the offers these human replies answered; how many were marked."""
    by_conversation: dict[uuid.UUID, list[Reply]] = defaultdict(list)
    for reply in sorted(replies, key=lambda r: r[3]):
        by_conversation[reply[1]].append(reply)
    if not by_conversation:
        return 0
    rows = await uow.session.scalars(
        select(RouteOffer)
        .where(
            RouteOffer.workspace_id.in_({r[0] for rs in by_conversation.values() for r in rs}),
            RouteOffer.conversation_id.in_(list(by_conversation)),
            RouteOffer.handled_at.is_(None),
        )
        .order_by(RouteOffer.offered_at.desc(), RouteOffer.id.desc())
    )
    latest: dict[uuid.UUID, RouteOffer] = {}
    for row in rows:
        latest.setdefault(row.conversation_id, row)
    marked = 0
    for conversation_id, row in latest.items():
        answer = next(
            (
                r
                for r in by_conversation[conversation_id]
                if r[0] == row.workspace_id
                and r[3] >= row.offered_at
                and (row.redirected_at is None or r[3] <= row.redirected_at)
            ),
            None,
        )
        if answer is None:
            continue
        row.handled_at, row.agent_id = answer[3], answer[2]
        conv = await uow.session.get(Conversation, conversation_id)
        if conv is not None:
            _emit(uow, RouteHandled, conv, row)
        marked += 1
    return marked


async def _holding_workflow(db: AsyncSession, row: RouteOffer | None) -> Workflow | None:
    """The route workflow that made the offer, while it is in force (published, active)."""
    if row is None or row.redirected_at is not None:
        return None
    return await db.scalar(
        select(Workflow).where(
            Workflow.id == row.workflow_id,
            Workflow.workspace_id == row.workspace_id,
            Workflow.status == WorkflowStatus.ACTIVE,
            Workflow.published_version_id.is_not(None),
        )
    )


async def conversation_route(db: AsyncSession, conv: Conversation) -> ConversationRouteRead:
    row = await latest_offer(db, conv.workspace_id, conv.id)
    holding = await _holding_workflow(db, row)
    return ConversationRouteRead(
        offer=offer_read(row) if row is not None else None, can_redirect=holding is not None
    )


def _check_may_redirect(actor: Actor, conv: Conversation) -> None:
    if actor.is_client or not actor.can_write:
        raise Forbidden("only agents on the conversation and supervisors may send it back")
    if actor.is_supervisor:
        return
    on_it = (actor.user_id is not None and conv.assignee_id == actor.user_id) or (
        conv.team_id is None or conv.team_id in actor.team_ids
    )
    if not on_it:
        raise Forbidden("only agents on the conversation and supervisors may send it back")


async def redirect(uow: UnitOfWork, actor: Actor, conv: Conversation) -> RouteOfferRead:
    """Send the conversation back to its route workflow's menu (409 when none holds it)."""
    _check_may_redirect(actor, conv)
    row = await latest_offer(uow.session, conv.workspace_id, conv.id)
    workflow = await _holding_workflow(uow.session, row)
    if row is None or workflow is None:
        raise Conflict("no chat-route workflow holds this conversation")
    from frontdesk.core.workflows import runs  # the engine, which imports this module

    row.redirected_at = uow.now()
    row.redirected_by_id = actor.user_id
    row.agent_id = row.agent_id or conv.assignee_id
    await uow.session.flush()
    _emit(uow, RouteRedirected, conv, row)
    await runs.redirect_to_step(
        uow, conversation=conv, workflow=workflow, step_id=None, actor=actor
    )
    return offer_read(row)

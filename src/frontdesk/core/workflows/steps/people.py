"""Steps that change who has the conversation and what is known of it: assign, hand over,
tag or untag, update the contact, and open / close / snooze."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any, Literal

from pydantic import Field, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.contacts.actions import tag_contact, untag_contact, update_contact
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.schemas import ContactUpdate
from frontdesk.core.conversations.actions import (
    assign_conversation,
    close_conversation,
    set_conversation_status,
    set_conversation_tags,
    snooze_conversation,
    transfer_conversation,
)
from frontdesk.core.conversations.models import Conversation, ConversationStatus
from frontdesk.core.errors import DomainError
from frontdesk.core.routing.models import Assignment
from frontdesk.core.tags.models import ConversationTag
from frontdesk.core.workflows.steps.base import (
    Config,
    Outcome,
    StepContext,
    StepFailed,
    StepType,
    save_target_problems,
)
from frontdesk.core.workflows.steps.effects import end_bot_handling, save_value, send_bot_message


async def offer_route(
    ctx: StepContext, team_id: uuid.UUID | None, own: dict[str, Any] | None = None
) -> dict[str, Any] | None:
    """The chat routes: the option or keyword that chose this team (the step's own `route`,
    else the run's) is recorded as a route offer (core/workflows/routes.py)."""
    route = own if own and own.get("key") else ctx.run.variables.get("_route")
    if not isinstance(route, dict) or ctx.is_test or ctx.conversation is None:
        return None
    from frontdesk.core.workflows import routes  # owned by the chat routes

    await routes.offer(
        ctx.uow,
        run=ctx.run,
        key=str(route.get("key", "")),
        label=str(route.get("label", "")),
        team_id=team_id,
    )
    return {"key": route.get("key"), "label": route.get("label")}


class AssignConfig(Config):
    to: Literal["team", "agent", "owner", "previous_agent"]
    team_id: uuid.UUID | None = None
    user_id: uuid.UUID | None = None
    # A keyword route's key and label: counted by the chat routes when this step assigns.
    route: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _target(self) -> AssignConfig:
        if self.to == "team" and self.team_id is None:
            raise ValueError("pick the team")
        if self.to == "agent" and self.user_id is None:
            raise ValueError("pick the agent")
        return self


async def _previous_agent(session: AsyncSession, conv: Conversation) -> uuid.UUID | None:
    found: uuid.UUID | None = await session.scalar(
        select(Assignment.user_id)
        .join(Conversation, Conversation.id == Assignment.conversation_id)
        .where(
            Assignment.workspace_id == conv.workspace_id,
            Conversation.contact_id == conv.contact_id,
            Assignment.conversation_id != conv.id,
            Assignment.user_id.is_not(None),
        )
        .order_by(Assignment.decided_at.desc())
        .limit(1)
    )
    return found


async def assign(ctx: StepContext, config: AssignConfig) -> Outcome:
    if ctx.is_test:
        return Outcome(outlet="next", output={**config.model_dump(mode="json"), "test": True})
    conv = ctx.require_conversation()
    uow, actor = ctx.uow, ctx.actor
    handed = await end_bot_handling(uow, ctx.run, conv, "assign")
    output: dict[str, Any] = {"to": config.to, "handed_over": handed}
    try:
        if config.to == "team" and config.team_id is not None:
            if conv.team_id != config.team_id:
                await transfer_conversation(uow, actor, conv, config.team_id)
            output["team_id"] = str(config.team_id)
            route = await offer_route(ctx, config.team_id, config.route)
            if route:
                output["route"] = route
            return Outcome(outlet="next", output=output)
        user_id = config.user_id
        if config.to == "owner":
            contact = await uow.session.get(Contact, conv.contact_id)
            user_id = contact.owner_id if contact else None
        elif config.to == "previous_agent":
            user_id = await _previous_agent(uow.session, conv)
        if user_id is not None:
            await assign_conversation(uow, actor, conv, user_id)
        output["assignee_id"] = str(user_id) if user_id else None
    except DomainError as exc:
        raise StepFailed(f"could not assign: {exc}") from exc
    return Outcome(outlet="next", output=output)


class HandoverConfig(Config):
    text: str = Field(default="", max_length=4096)
    team_id: uuid.UUID | None = None


async def handover(ctx: StepContext, config: HandoverConfig) -> Outcome:
    output: dict[str, Any] = {}
    if config.text.strip():
        output["message"] = await send_bot_message(ctx, ctx.render(config.text))
    if ctx.is_test:
        return Outcome(end="handover", output={**output, "test": True})
    conv = ctx.require_conversation()
    output["handed_over"] = await end_bot_handling(ctx.uow, ctx.run, conv, "handover")
    if config.team_id is not None and conv.team_id != config.team_id:
        try:
            await transfer_conversation(ctx.uow, ctx.actor, conv, config.team_id)
        except DomainError as exc:
            raise StepFailed(f"could not hand over to the team: {exc}") from exc
        output["team_id"] = str(config.team_id)
    return Outcome(end="handover", output=output)


class TagConfig(Config):
    target: Literal["conversation", "contact"] = "conversation"
    action: Literal["add", "remove"] = "add"
    tag_ids: list[uuid.UUID] = Field(min_length=1, max_length=20)


async def tag(ctx: StepContext, config: TagConfig) -> Outcome:
    output = config.model_dump(mode="json")
    if ctx.is_test:
        return Outcome(outlet="next", output={**output, "test": True})
    uow, actor = ctx.uow, ctx.actor
    try:
        if config.target == "contact":
            contact_id = ctx.contact_id()
            contact = await uow.session.get(Contact, contact_id) if contact_id else None
            if contact is None:
                raise StepFailed("this run has no contact to tag")
            for tag_id in config.tag_ids:
                change = tag_contact if config.action == "add" else untag_contact
                await change(uow, actor, contact, tag_id)
        else:
            conv = ctx.require_conversation()
            current = set(
                await uow.session.scalars(
                    select(ConversationTag.tag_id).where(ConversationTag.conversation_id == conv.id)
                )
            )
            wanted = (
                current | set(config.tag_ids)
                if config.action == "add"
                else current - set(config.tag_ids)
            )
            await set_conversation_tags(uow, actor, conv, sorted(wanted))
    except DomainError as exc:
        raise StepFailed(f"could not change tags: {exc}") from exc
    return Outcome(outlet="next", output=output)


class UpdateContactConfig(Config):
    field: str = Field(min_length=1, max_length=100)  # contact.fields.<key>, contact.name, ...
    value: Any = None


def _update_problems(config: UpdateContactConfig) -> list[str]:
    if config.field == "contact.lifecycle_stage":
        return []
    if config.field.startswith("vars."):
        return ["update_contact changes the contact: use contact.<...>"]
    return save_target_problems(config.field)


async def update_contact_step(ctx: StepContext, config: UpdateContactConfig) -> Outcome:
    value = ctx.render_value(config.value)
    if config.field != "contact.lifecycle_stage":
        return Outcome(outlet="next", output=await save_value(ctx, config.field, value))
    if ctx.is_test:
        return Outcome(outlet="next", output={"lifecycle_stage": value, "test": True})
    contact_id = ctx.contact_id()
    contact = await ctx.uow.session.get(Contact, contact_id) if contact_id else None
    if contact is None:
        raise StepFailed("this run has no contact")
    try:
        await update_contact(
            ctx.uow, ctx.actor, contact, ContactUpdate.model_validate({"lifecycle_stage": value})
        )
    except (DomainError, ValueError) as exc:
        raise StepFailed(f"could not change the lifecycle stage: {exc}") from exc
    return Outcome(outlet="next", output={"lifecycle_stage": value})


class SetStatusConfig(Config):
    status: Literal["open", "pending", "closed", "snoozed"]
    outcome: str | None = Field(default=None, max_length=80)
    note: str | None = Field(default=None, max_length=2000)
    snooze_minutes: int | None = Field(default=None, ge=1, le=60 * 24 * 90)

    @model_validator(mode="after")
    def _snooze(self) -> SetStatusConfig:
        if self.status == "snoozed" and self.snooze_minutes is None:
            raise ValueError("say for how long to snooze")
        return self


async def set_status(ctx: StepContext, config: SetStatusConfig) -> Outcome:
    output = config.model_dump(mode="json")
    if ctx.is_test:
        return Outcome(outlet="next", output={**output, "test": True})
    conv = ctx.require_conversation()
    uow, actor = ctx.uow, ctx.actor
    try:
        if config.status == "closed":
            if conv.status != ConversationStatus.CLOSED:
                conv.bot_run_id = None  # closed by the bot: nobody needs to take it over
                await close_conversation(uow, actor, conv, config.outcome, config.note)
        elif config.status == "snoozed" and config.snooze_minutes:
            until = uow.now() + timedelta(minutes=config.snooze_minutes)
            await snooze_conversation(uow, actor, conv, until)
        else:
            await set_conversation_status(uow, actor, conv, config.status)
    except DomainError as exc:
        raise StepFailed(f"could not set the status: {exc}") from exc
    return Outcome(outlet="next", output=output)


TYPES = {
    "assign": StepType(AssignConfig, assign),
    "handover": StepType(HandoverConfig, handover),
    "tag": StepType(TagConfig, tag),
    "update_contact": StepType(UpdateContactConfig, update_contact_step, _update_problems),
    "set_status": StepType(SetStatusConfig, set_status),
}

"""Effects steps share: a bot message, a value saved on the contact or in the run's variables,
and the end of the conversation's bot handling (handover to people)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from frontdesk.core.attachments.queries import attachments_for_message
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.actions import set_contact_fields, update_contact
from frontdesk.core.contacts.models import Contact
from frontdesk.core.contacts.schemas import ContactUpdate
from frontdesk.core.conversations.compose import compose
from frontdesk.core.conversations.emit import emit_conversation
from frontdesk.core.conversations.messages import find_by_client_id, send_automatic_message
from frontdesk.core.conversations.models import Conversation, SenderType
from frontdesk.core.conversations.schemas import Interactive, MessageCreate, TemplateParameters
from frontdesk.core.errors import DomainError
from frontdesk.core.routing import ledger
from frontdesk.core.workflows.events import ConversationHandedOver
from frontdesk.core.workflows.models import WorkflowRun
from frontdesk.core.workflows.steps.base import StepContext, StepFailed
from frontdesk.db.uow import UnitOfWork


async def send_bot_message(
    ctx: StepContext,
    body: str,
    *,
    interactive: Interactive | None = None,
    template: TemplateParameters | None = None,
    attachment_ids: list[Any] | None = None,
    suffix: str = "",
) -> dict[str, Any]:
    """Send as the bot, once per key: a step taken again finds its message instead."""
    client_id = ctx.message_key + suffix
    sent: dict[str, Any] = {"body": body}
    if interactive is not None:
        sent["interactive"] = interactive.model_dump(mode="json", exclude_none=True)
    if ctx.is_test:
        return {**sent, "sent": False, "test": True}
    conv = ctx.require_conversation()
    session = ctx.uow.session
    existing = await find_by_client_id(session, conv.id, client_id)
    if existing is not None:
        return {**sent, "message_id": str(existing.id), "repeated": True}
    channel_type = await session.scalar(select(Channel.type).where(Channel.id == conv.channel_id))
    try:
        attachments = await attachments_for_message(
            session, conv.workspace_id, conv.id, list(attachment_ids or [])
        )
        data = MessageCreate(
            body=body,
            client_message_id=client_id,
            attachment_ids=list(attachment_ids or []),
            template=template,
            interactive=interactive,
        )
        content = await compose(
            ctx.uow, conv, channel_type or "", data, attachments=attachments, now=ctx.uow.now()
        )
    except DomainError as exc:
        raise StepFailed(f"the message was refused: {exc}") from exc
    read = await send_automatic_message(
        ctx.uow,
        conv,
        content.body,
        notice="workflow",
        kind=content.kind,
        payload=content.payload,
        sender_type=SenderType.BOT,
        client_message_id=client_id,
        attachments=attachments,
    )
    return {**sent, "message_id": str(read.id)}


async def save_value(ctx: StepContext, save_to: str, value: Any) -> dict[str, Any]:
    """Keep an answer or a response field where the step says: a variable, a contact field,
    or the contact's name, email or phone (a test run keeps it in its variables only)."""
    if save_to.startswith("vars."):
        ctx.run.variables = {**ctx.run.variables, save_to[5:]: value}
        ctx.data.setdefault("vars", {})[save_to[5:]] = value
        return {"saved_to": save_to, "value": value}
    contact_id = ctx.contact_id()
    if ctx.is_test or contact_id is None:
        ctx.run.variables = {**ctx.run.variables, save_to: value}
        return {"saved_to": save_to, "value": value, "test": True}
    contact = await ctx.uow.session.get(Contact, contact_id)
    if contact is None:
        raise StepFailed("the contact is gone")
    try:
        if save_to.startswith("contact.fields."):
            key = save_to[len("contact.fields.") :]
            await set_contact_fields(ctx.uow, ctx.actor, contact, {key: value})
            ctx.data.setdefault("contact", {}).setdefault("fields", {})[key] = value
        else:
            name = save_to[len("contact.") :]
            await update_contact(
                ctx.uow, ctx.actor, contact, ContactUpdate.model_validate({name: value})
            )
            ctx.data.setdefault("contact", {})[name] = value
    except DomainError as exc:
        raise StepFailed(f"could not save {save_to}: {exc}") from exc
    except ValueError as exc:
        raise StepFailed(f"could not save {save_to}: {exc}") from exc
    return {"saved_to": save_to, "value": value}


async def end_bot_handling(
    uow: UnitOfWork, run: WorkflowRun, conv: Conversation | None, reason: str
) -> bool:
    """The run lets go of the conversation: people have it now (it is queued as a new one
    would be). False when the run did not hold it."""
    if conv is None or conv.bot_run_id != run.id:
        return False
    conv.bot_run_id = None
    await ledger.queue_for_routing(uow, conv)
    if conv.queued_at is not None:
        # Now, not when a routing job held back for the bot (a new conversation's) comes due.
        ledger.request_route(uow, conv)
    await emit_conversation(
        uow,
        ConversationHandedOver,
        conv,
        change={"run_id": str(run.id), "workflow_id": str(run.workflow_id), "reason": reason},
    )
    return True

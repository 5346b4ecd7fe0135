"""What an agent's reply is made of, checked before it is accepted: a quoted message, a
template with its parameters, buttons or a list, and the customer-service window."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.contacts.optout import check_not_opted_out
from frontdesk.core.conversations.interactive import check_interactive
from frontdesk.core.conversations.models import Conversation, Message, MessageKind
from frontdesk.core.conversations.schemas import MessageCreate, TemplateParameters
from frontdesk.core.conversations.window import check_window, message_tag
from frontdesk.core.errors import Invalid
from frontdesk.core.templates.models import MessageTemplate, TemplateStatus
from frontdesk.db.uow import UnitOfWork

PLACEHOLDER = re.compile(r"{{\s*(\d+)\s*}}")


@dataclass(frozen=True)
class Content:
    kind: str
    body: str
    payload: dict[str, Any] | None
    reply_to_message_id: uuid.UUID | None
    reply_to_provider_id: str | None


def template_body(template: MessageTemplate) -> str:
    for component in template.components or []:
        if str(component.get("type", "")).upper() == "BODY":
            return str(component.get("text", ""))
    return ""


def placeholder_count(text: str) -> int:
    return max((int(n) for n in PLACEHOLDER.findall(text)), default=0)


def render(text: str, parameters: list[str]) -> str:
    def fill(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return parameters[index] if 0 <= index < len(parameters) else match.group(0)

    return PLACEHOLDER.sub(fill, text)


async def _template(
    uow: UnitOfWork, conv: Conversation, data: TemplateParameters
) -> tuple[str, dict[str, Any]]:
    template = await uow.session.scalar(
        select(MessageTemplate).where(
            MessageTemplate.id == data.template_id,
            MessageTemplate.workspace_id == conv.workspace_id,
            MessageTemplate.channel_id == conv.channel_id,
        )
    )
    if template is None:
        raise Invalid("no such template on this channel", field="template.template_id")
    if template.status != TemplateStatus.APPROVED:
        raise Invalid(
            f"the template is {template.status.lower()}, not approved",
            field="template.template_id",
        )
    text = template_body(template)
    wanted = placeholder_count(text)
    if len(data.parameters) != wanted:
        raise Invalid(
            f"the template needs {wanted} parameter(s), {len(data.parameters)} given",
            field="template.parameters",
            expected=wanted,
        )
    return render(text, data.parameters), {
        "template": {
            "id": str(template.id),
            "name": template.name,
            "provider_id": template.provider_template_id,
            "language": template.language,
            "category": template.category,
            "parameters": list(data.parameters),
        }
    }


async def _quoted(
    uow: UnitOfWork, conv: Conversation, message_id: uuid.UUID
) -> tuple[uuid.UUID, str | None]:
    quoted = await uow.session.scalar(
        select(Message).where(
            Message.id == message_id,
            Message.workspace_id == conv.workspace_id,
            Message.conversation_id == conv.id,
            Message.kind != MessageKind.NOTE,
        )
    )
    if quoted is None:
        raise Invalid("no such message in this conversation", field="reply_to_message_id")
    return quoted.id, quoted.provider_message_id


async def compose(
    uow: UnitOfWork,
    conv: Conversation,
    channel_type: str,
    data: MessageCreate,
    *,
    attachments: list[dict[str, Any]],
    now: datetime,
) -> Content:
    """The reply's kind, text and payload; refuses what the channel's policy does not allow."""
    if data.template is not None and (data.interactive is not None or attachments):
        raise Invalid("a template is sent on its own", field="template")
    if data.interactive is not None and attachments:
        raise Invalid("buttons and lists cannot carry files", field="interactive")
    body, payload = data.body, None
    if data.template is not None:
        kind = MessageKind.TEMPLATE
        body, payload = await _template(uow, conv, data.template)
    elif data.interactive is not None:
        kind = MessageKind.INTERACTIVE
        payload = check_interactive(channel_type, data.interactive, data.body)
    elif attachments:
        kind = MessageKind.MEDIA
    else:
        kind = MessageKind.TEXT
        if not data.body.strip():
            raise Invalid("write a message or attach a file", field="body")
    check_window(channel_type, conv.last_inbound_at, conv.opened_at, now, kind=kind)
    await check_not_opted_out(uow, conv.workspace_id, conv.channel_id, conv.contact_id)
    tag = message_tag(channel_type, conv.last_inbound_at, conv.opened_at, now)
    if tag is not None:  # past the standard window: a human agent's reply, tagged so
        payload = {**(payload or {}), "message_tag": tag}
    reply_id, reply_provider_id = None, None
    if data.reply_to_message_id is not None:
        reply_id, reply_provider_id = await _quoted(uow, conv, data.reply_to_message_id)
    return Content(kind, body, payload, reply_id, reply_provider_id)

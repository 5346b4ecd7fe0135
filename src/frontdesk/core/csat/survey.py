"""Sending the survey when a member closes a conversation.

Sent once per close (a segment), only when the workspace has it on for the conversation's team,
the closer is a member (not an API token, a bot or an automatic close), and the channel can
still reach the customer: active, and inside its customer-service window. It is an automatic
message in the customer's language, stored before it is sent and delivered like any other:
1-5 as a list (WhatsApp's list menu, Telegram's inline keyboard, Messenger's and Instagram's
quick replies) where the channel has choices, else as text saying how to answer.
"""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.actor import Actor
from frontdesk.core.channels.choices import CHOICE_LIMITS
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.interactive import check_interactive
from frontdesk.core.conversations.messages import conversation_keys, send_automatic_message
from frontdesk.core.conversations.models import Conversation, MessageKind
from frontdesk.core.conversations.schemas import Interactive
from frontdesk.core.conversations.window import is_standard_window_open
from frontdesk.core.csat.models import CsatResponse
from frontdesk.core.csat.schemas import response_read
from frontdesk.core.csat.settings import (
    ANSWER_WITHIN,
    CHOICE_TITLES,
    LIST_LABELS,
    TEXT_INSTRUCTIONS,
    applies_to,
    load_csat_settings,
    question,
)
from frontdesk.core.events import define_event
from frontdesk.core.routing.notices import language_of
from frontdesk.core.workspaces.settings import load_conversation_settings
from frontdesk.db.uow import UnitOfWork

CsatSent = define_event("CsatSent", "csat.sent")
CHOICE_PREFIX = "csat:"


def survey_choices(language: str) -> Interactive:
    titles = CHOICE_TITLES[language]
    return Interactive.model_validate(
        {
            "type": "list",
            "button_label": LIST_LABELS[language],
            "sections": [
                {
                    "rows": [
                        {"id": f"{CHOICE_PREFIX}{n}", "title": titles[n - 1]}
                        for n in (5, 4, 3, 2, 1)
                    ]
                }
            ],
        }
    )


async def send_survey_on_close(
    uow: UnitOfWork, actor: Actor, conv: Conversation, *, by_workflow: bool = False
) -> bool:
    """Called by the close action once the conversation is closed; True if a survey went.

    A member's close sends it where the workspace has surveys on for the team. A workflow's
    survey step (`by_workflow`) is itself the decision to ask: it sends whoever closed and
    whatever the setting, with the workspace's question; either way one survey per close."""
    if conv.closed_at is None or (actor.user_id is None and not by_workflow):
        return False
    settings = await load_csat_settings(uow.session, conv.workspace_id)
    if not by_workflow and not applies_to(settings, conv.team_id):
        return False
    channel = await uow.session.scalar(select(Channel).where(Channel.id == conv.channel_id))
    now = uow.now()
    if (
        channel is None
        or not channel.is_active
        or not is_standard_window_open(channel.type, conv.last_inbound_at, now)
        or conv.last_inbound_at is None  # the customer never wrote: nobody to ask
    ):
        return False
    already = await uow.session.scalar(
        select(CsatResponse.id).where(
            CsatResponse.conversation_id == conv.id, CsatResponse.closed_at == conv.closed_at
        )
    )
    if already is not None:
        return False
    contact_language = await uow.session.scalar(
        select(Contact.language).where(Contact.id == conv.contact_id)
    )
    default_language = (
        await load_conversation_settings(uow.session, conv.workspace_id)
    ).default_language
    language = language_of(contact_language, default_language)
    text = question(settings, language)
    if channel.type in CHOICE_LIMITS:
        choices = survey_choices(language)
        payload = check_interactive(channel.type, choices, text)
        message = await send_automatic_message(
            uow, conv, text, notice="csat", kind=MessageKind.INTERACTIVE, payload=payload
        )
    else:
        body = f"{text}\n{TEXT_INSTRUCTIONS[language]}"
        message = await send_automatic_message(uow, conv, body, notice="csat")
    segment = 1 + int(
        await uow.session.scalar(
            select(func.count())
            .select_from(CsatResponse)
            .where(CsatResponse.conversation_id == conv.id)
        )
        or 0
    )
    response = CsatResponse(
        workspace_id=conv.workspace_id,
        conversation_id=conv.id,
        segment=segment,
        channel_id=conv.channel_id,
        contact_id=conv.contact_id,
        team_id=conv.team_id,
        agent_id=conv.assignee_id,
        closed_by_id=conv.closed_by_id,
        closed_at=conv.closed_at,
        message_id=message.id,
        language=language,
        sent_at=now,
        expires_at=now + ANSWER_WITHIN,
    )
    uow.session.add(response)
    await uow.session.flush()
    uow.emit(
        CsatSent(
            workspace_id=conv.workspace_id,
            audience=conversation_keys(conv),
            data={"csat": response_read(response).model_dump(mode="json")},
        )
    )
    return True

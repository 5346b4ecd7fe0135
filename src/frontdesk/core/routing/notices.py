"""Automatic customer messages: default texts per language, how variables are filled in, and
sending one (shared by the routing engine and the manual assignment actions).

Variables are written `{{contact_name}}`, `{{agent_name}}`, `{{expected_reply}}`,
`{{queue_position}}`, `{{estimated_wait}}`, `{{next_opening}}` and `{{team_name}}`. Durations and
dates are written in the contact's language (Babel) and, for dates, in the schedule's time zone.
`{{contact_name}}` is the name the customer is called by: the first word of their name, or the
last when it starts with a Vietnamese family name (the given name comes last). When the customer
gave no name (a website visitor known only as "Visitor 1A2B", a phone number) it is left out with
the comma or space before it, so "Hi {{contact_name}}!" reads "Hi!".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta
from sqlalchemy import select

from frontdesk.core.canned.queries import render_template
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.messages import send_automatic_message
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.conversations.window import is_standard_window_open
from frontdesk.core.languages.codes import DEFAULT_LANGUAGE, PRODUCT_LANGUAGES, normalise_language
from frontdesk.core.routing.schemas import AutomaticMessage, RoutingSettings
from frontdesk.core.routing.snapshot import team_snapshot
from frontdesk.core.workspaces.settings import load_conversation_settings
from frontdesk.db.uow import UnitOfWork

DEFAULTS: dict[str, dict[str, str]] = {
    "assigned": {
        "en": "Hi {{contact_name}}! You're now chatting with {{agent_name}}; we usually reply "
        "within {{expected_reply}}.",
        "pt-BR": "Olá, {{contact_name}}! Agora você está falando com {{agent_name}}; costumamos "
        "responder em até {{expected_reply}}.",
        "vi": "Chào {{contact_name}}! Bạn đang trò chuyện với {{agent_name}}; chúng tôi thường "
        "trả lời trong vòng {{expected_reply}}.",
    },
    "outside_hours": {
        "en": "Thanks for your message! We're closed right now and will reply when we open "
        "({{next_opening}}).",
        "pt-BR": "Obrigado pela mensagem! Estamos fechados agora e responderemos quando abrirmos "
        "({{next_opening}}).",
        "vi": "Cảm ơn bạn đã nhắn tin! Hiện chúng tôi đã nghỉ và sẽ trả lời khi mở cửa lại "
        "({{next_opening}}).",
    },
    "queued": {
        "en": "All our agents are busy. You're number {{queue_position}} in the queue; the "
        "expected wait is about {{estimated_wait}}.",
        "pt-BR": "Todos os nossos atendentes estão ocupados. Você é o número {{queue_position}} "
        "na fila; a espera prevista é de cerca de {{estimated_wait}}.",
        "vi": "Tất cả nhân viên đều đang bận. Bạn đang ở vị trí số {{queue_position}} trong "
        "hàng chờ; thời gian chờ dự kiến khoảng {{estimated_wait}}.",
    },
    "no_agent": {
        "en": "No agent is available right now. Your message is saved and we'll reply as soon "
        "as someone is back.",
        "pt-BR": "Nenhum atendente está disponível agora. Sua mensagem foi registrada e "
        "responderemos assim que alguém voltar.",
        "vi": "Hiện chưa có nhân viên nào sẵn sàng. Tin nhắn của bạn đã được lưu và chúng tôi "
        "sẽ trả lời ngay khi có người quay lại.",
    },
}

BABEL_LOCALES = {"en": "en", "pt-BR": "pt_BR", "vi": "vi"}
# `{{contact_name}}` with the comma or spaces before it, dropped when the name is not known.
UNNAMED = re.compile(r"[ ,]*\{\{\s*contact_name\s*\}\}")
# Names the product makes up for a customer who gave none: the website chat's "Visitor 1A2B".
PLACEHOLDER_NAME = re.compile(r"^Visitor [0-9A-Z]{4}$")


# The family names of most Vietnamese people (and, without diacritics, those that are no common
# word or Western name): a name that starts with one is written family name first, and its
# bearer is called by the last word ("Nguyễn Văn Minh" is greeted "Minh").
VIETNAMESE_FAMILY_NAMES = frozenset(
    {
        *("nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng"),
        *("bùi", "đỗ", "hồ", "ngô", "dương", "lý"),
        *("nguyen", "tran", "pham", "hoang", "huynh", "dang", "bui", "duong"),
    }
)


def called_by(name: str | None) -> str:
    """The name to greet a customer by: the first word of the name they gave, or the last for a
    Vietnamese name written family name first; empty for a made-up name or a phone number."""
    words = (name or "").split()
    if not words or PLACEHOLDER_NAME.match(" ".join(words)):
        return ""
    if not any(c.isalpha() for c in "".join(words)):
        return ""
    if len(words) > 1 and words[0].casefold() in VIETNAMESE_FAMILY_NAMES:
        return words[-1]
    return words[0]


def language_of(contact_language: str | None, default_language: str = DEFAULT_LANGUAGE) -> str:
    """The language to write to the contact in: theirs when the product writes it, else the
    workspace's default (their language unknown yet, or one without texts) — never silently
    English."""
    code = normalise_language(contact_language) if contact_language else None
    if code in PRODUCT_LANGUAGES:
        return str(code)
    return default_language if default_language in PRODUCT_LANGUAGES else DEFAULT_LANGUAGE


def duration(seconds: float, language: str) -> str:
    """'5 minutes', '5 minutos', '5 phút'; never less than a minute."""
    return format_timedelta(
        timedelta(seconds=max(60.0, seconds)),
        threshold=1.1,
        locale=BABEL_LOCALES.get(language, "en"),
    )


def opening(at: datetime, time_zone: str, language: str) -> str:
    """When the next opening is, in the schedule's time zone and the customer's language."""
    local = at.astimezone(ZoneInfo(time_zone))
    return format_datetime(local, "EEEE HH:mm", locale=BABEL_LOCALES.get(language, "en"))


@dataclass(frozen=True)
class NoticeValues:
    agent_name: str = ""
    contact_name: str = ""
    team_name: str = ""
    expected_reply_seconds: float | None = None
    queue_position: int | None = None
    estimated_wait_seconds: float | None = None
    next_opening: datetime | None = None
    time_zone: str = "UTC"


def render_notice(
    key: str,
    message: AutomaticMessage,
    contact_language: str | None,
    values: NoticeValues,
    default_language: str = DEFAULT_LANGUAGE,
) -> str:
    """The text to send: the team's template in the contact's language, else the default."""
    language = language_of(contact_language, default_language)
    template = message.templates.get(language) or DEFAULTS[key][language]
    contact_name = called_by(values.contact_name)
    if not contact_name:
        template = UNNAMED.sub("", template)
    filled = {
        "contact_name": contact_name,
        "agent_name": called_by(values.agent_name),
        "team_name": values.team_name,
        "queue_position": str(values.queue_position or ""),
        "expected_reply": duration(values.expected_reply_seconds, language)
        if values.expected_reply_seconds is not None
        else "",
        "estimated_wait": duration(values.estimated_wait_seconds, language)
        if values.estimated_wait_seconds is not None
        else "",
        "next_opening": opening(values.next_opening, values.time_zone, language)
        if values.next_opening is not None
        else "",
    }
    return render_template(template, filled).body


async def send_notice(
    uow: UnitOfWork, conv: Conversation, key: str, settings: RoutingSettings, values: NoticeValues
) -> bool:
    """Send the automatic message `key` in the contact's language; True if it was sent.

    Not sent on a disabled channel, nor outside the customer-service window (the provider
    would refuse free-form text there and the agent would see a failed message).
    """
    channel = (
        await uow.session.execute(
            select(Channel.type, Channel.is_active).where(Channel.id == conv.channel_id)
        )
    ).first()
    if (
        channel is None
        or not channel.is_active
        or not is_standard_window_open(channel.type, conv.last_inbound_at, uow.now())
    ):
        return False
    # Routing has the contact in the session already (no second read), and the team's snapshot.
    contact = await uow.session.get(Contact, conv.contact_id)
    contact_language, contact_name = (contact.language, contact.name) if contact else (None, "")
    if conv.team_id is not None:
        team = await team_snapshot(uow.session, conv.workspace_id, conv.team_id)
        team_name, default_language = team.team_name, team.default_language
    else:
        team_name = ""
        default_language = (
            await load_conversation_settings(uow.session, conv.workspace_id)
        ).default_language
    values = NoticeValues(
        **{**values.__dict__, "team_name": team_name, "contact_name": contact_name}
    )
    body = render_notice(
        key, getattr(settings.messages, key), contact_language, values, default_language
    )
    await send_automatic_message(uow, conv, body, notice=key)
    return True


async def tell_assigned(
    uow: UnitOfWork, conv: Conversation, agent_name: str, settings: RoutingSettings
) -> bool:
    """Tell the customer who now talks to them, whoever assigned it: a rule or a person."""
    if not settings.messages.assigned.enabled:
        return False
    values = NoticeValues(
        agent_name=agent_name, expected_reply_seconds=settings.expected_reply_minutes * 60
    )
    return await send_notice(uow, conv, "assigned", settings, values)

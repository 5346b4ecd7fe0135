"""Automatic customer messages: default texts per language and how variables are filled in.

Variables are written `{{agent_name}}`, `{{expected_reply}}`, `{{queue_position}}`,
`{{estimated_wait}}`, `{{next_opening}}` and `{{team_name}}`. Durations and dates are written
in the contact's language (Babel) and, for dates, in the schedule's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_timedelta

from frontdesk.core.canned.queries import render_template
from frontdesk.core.routing.schemas import AutomaticMessage

DEFAULTS: dict[str, dict[str, str]] = {
    "assigned": {
        "en": "You're now chatting with {{agent_name}}; we usually reply within "
        "{{expected_reply}}.",
        "pt-BR": "Agora você está falando com {{agent_name}}; costumamos responder em até "
        "{{expected_reply}}.",
        "vi": "Bạn đang trò chuyện với {{agent_name}}; chúng tôi thường trả lời trong vòng "
        "{{expected_reply}}.",
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


def language_of(contact_language: str | None) -> str:
    """The supported language closest to the contact's (English when unknown)."""
    tag = (contact_language or "").lower()
    if tag.startswith("pt"):
        return "pt-BR"
    if tag.startswith("vi"):
        return "vi"
    return "en"


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
    team_name: str = ""
    expected_reply_seconds: float | None = None
    queue_position: int | None = None
    estimated_wait_seconds: float | None = None
    next_opening: datetime | None = None
    time_zone: str = "UTC"


def render_notice(
    key: str, message: AutomaticMessage, contact_language: str | None, values: NoticeValues
) -> str:
    """The text to send: the team's template in the contact's language, else the default."""
    language = language_of(contact_language)
    template = message.templates.get(language) or DEFAULTS[key][language]
    filled = {
        "agent_name": values.agent_name.split()[0] if values.agent_name.split() else "",
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

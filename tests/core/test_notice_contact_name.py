"""`{{contact_name}}` in automatic messages: the customer greeted by the name they are called by,
and left out, with its comma, when they gave none."""

from __future__ import annotations

import pytest

from frontdesk.core.routing.notices import NoticeValues, called_by, render_notice
from frontdesk.core.routing.schemas import AutomaticMessage


@pytest.mark.parametrize(
    ("name", "called"),
    [
        ("Renata Alves", "Renata"),
        ("Nguyễn Văn Minh", "Minh"),
        ("Tran Thi Hoa", "Hoa"),
        ("Ana Souza", "Ana"),
        ("Lê", "Lê"),  # one word: that is the name
        ("Visitor 1A2B", ""),  # the website chat's made-up name
        ("+55 11 95555-0001", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_the_name_a_customer_is_called_by(name: str | None, called: str) -> None:
    assert called_by(name) == called


def assigned(name: str, language: str) -> str:
    values = NoticeValues(
        agent_name="Tomás Rodrigues", contact_name=name, expected_reply_seconds=300
    )
    return render_notice("assigned", AutomaticMessage(), language, values)


def test_the_default_assigned_message_greets_the_customer_by_name_in_their_language() -> None:
    assert assigned("Renata Alves", "pt-BR") == (
        "Olá, Renata! Agora você está falando com Tomás; costumamos responder em até 5 minutos."
    )
    assert assigned("Nguyễn Văn Minh", "vi") == (
        "Chào Minh! Bạn đang trò chuyện với Tomás; chúng tôi thường trả lời trong vòng 5 phút."
    )
    assert assigned("Renata Alves", "en") == (
        "Hi Renata! You're now chatting with Tomás; we usually reply within 5 minutes."
    )


def test_without_a_name_the_greeting_reads_whole() -> None:
    assert assigned("Visitor 9F3C", "pt-BR") == (
        "Olá! Agora você está falando com Tomás; costumamos responder em até 5 minutos."
    )
    # An agent is introduced by the name they are called by too.
    values = NoticeValues(agent_name="Nguyễn Thị Lan", contact_name="Renata Alves")
    assert render_notice("assigned", AutomaticMessage(), "vi", values).startswith(
        "Chào Renata! Bạn đang trò chuyện với Lan;"
    )
    assert assigned("+84 90 123 4567", "vi").startswith("Chào! Bạn đang trò chuyện với Tomás")
    assert assigned("", "en").startswith("Hi! You're now chatting with Tomás")
    own = AutomaticMessage(templates={"en": "Hello {{contact_name}}, {{agent_name}} here."})
    values = NoticeValues(agent_name="Bob", contact_name="Visitor 0A0B")
    assert render_notice("assigned", own, "en", values) == "Hello, Bob here."

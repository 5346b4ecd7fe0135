"""Detecting a customer's language from short chat messages, and the product's language codes."""

from __future__ import annotations

import pytest

from frontdesk.core.contacts.language import is_settled
from frontdesk.core.contacts.models import Contact
from frontdesk.core.languages.codes import normalise_language, same_language
from frontdesk.core.languages.evidence import decided_language, weigh_message
from frontdesk.core.routing.notices import language_of


def decide(*messages: str) -> str | None:
    evidence: dict[str, float] = {}
    for text in messages:
        evidence = weigh_message(evidence, text)
    return decided_language(evidence)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("oi, tudo bem?", "pt-BR"),
        ("vaga de emprego", "pt-BR"),
        ("tenho interesse na vaga de atendente", "pt-BR"),
        ("chào bạn", "vi"),
        ("tôi muốn ứng tuyển", "vi"),
        ("công việc này lương bao nhiêu", "vi"),
        ("I want to apply", "en"),
        ("is this position still available?", "en"),
    ],
)
def test_one_chat_message_is_enough_when_it_is_plain(text: str, language: str) -> None:
    assert decide(text) == language


@pytest.mark.parametrize("text", ["ok", "hello", "alo", "sim", "👍", "12345", "", "https://x.y"])
def test_a_greeting_a_word_shared_by_languages_or_no_words_is_unsure(text: str) -> None:
    assert decide(text) is None


def test_evidence_adds_up_over_a_contact_s_messages() -> None:
    # Each alone is unsure (or even leans Spanish); together they are plainly Portuguese.
    assert decide("olá") is None
    assert decide("olá", "sim", "quanto custa?", "já mandei o documento") == "pt-BR"
    assert decide("ok", "cảm ơn", "vâng", "tôi đã gửi rồi") == "vi"


def test_evidence_keeps_the_few_leading_languages() -> None:
    evidence: dict[str, float] = {}
    for text in ["hola", "bonjour", "hallo", "ciao", "olá", "xin chào", "hello", "salam"]:
        evidence = weigh_message(evidence, text)
    assert 0 < len(evidence) <= 6
    assert all(v > 0 for v in evidence.values())


def test_an_other_language_keeps_its_iso_code() -> None:
    assert decide("hola, quiero postularme para el puesto de trabajo") == "es"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("pt", "pt-BR"),
        ("pt_BR", "pt-BR"),
        ("PT-pt", "pt-BR"),
        ("por", "pt-BR"),
        ("vi", "vi"),
        ("vi-VN", "vi"),
        ("en-US", "en"),
        ("es-419", "es"),
        ("fil", "fil"),
        ("x1", None),
        ("english", None),
        ("", None),
    ],
)
def test_language_codes_have_one_spelling(raw: str, code: str | None) -> None:
    assert normalise_language(raw) == code


def test_same_language_ignores_the_region() -> None:
    assert same_language("pt-BR", "pt-BR")
    assert same_language("en", "en")
    assert not same_language("pt-BR", "es")
    assert not same_language(None, "vi")


@pytest.mark.parametrize(
    ("contact", "default", "written"),
    [
        ("pt-BR", "en", "pt-BR"),
        ("vi", "pt-BR", "vi"),
        (None, "vi", "vi"),  # unknown yet: the workspace's default, not English
        ("es", "pt-BR", "pt-BR"),  # a language without texts: the default
        ("en", "vi", "en"),
    ],
)
def test_automatic_messages_use_the_contact_s_language_else_the_workspace_default(
    contact: str | None, default: str, written: str
) -> None:
    assert language_of(contact, default) == written


def test_a_contact_s_messages_stop_being_weighed_once_nothing_new_can_be_learnt() -> None:
    def contact(source: str | None, evidence: dict[str, float]) -> Contact:
        return Contact(language_source=source, language_evidence=evidence)

    assert not is_settled(contact(None, {}))
    assert not is_settled(contact("detected", {"pt": 2.9, "es": 0.4}))
    assert is_settled(contact("detected", {"pt": 3.0, "es": 0.4}))
    # Plenty said, never one clear language: a mix, or one outside the detector's set.
    assert not is_settled(contact(None, {"es": 3.5, "pt": 3.0, "it": 2.0}))
    assert is_settled(contact(None, {"es": 5.0, "pt": 4.5, "it": 2.5}))

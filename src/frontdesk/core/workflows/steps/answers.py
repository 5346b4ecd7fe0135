"""Checking a customer's answer to a question by its type: text, number, email, phone, CPF
(the Brazilian tax id, with its two check digits), date, or one of the options."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email

from frontdesk.core.contacts.actions import normalise_phone
from frontdesk.core.errors import Invalid
from frontdesk.core.workflows.matching import fold, words

ANSWER_TYPES = ("text", "number", "email", "phone", "cpf", "date", "choice", "file")
# Message kinds that carry a file (a document, a photo, a voice note ...): a `file` answer.
FILE_KINDS = frozenset({"media"})
PHONE_DIGITS = 8  # the fewest digits an answer to a phone question has
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")


def cpf_digits(text: str) -> str | None:
    """The 11 digits of a valid CPF (punctuation allowed), or None."""
    digits = re.sub(r"[.\-\s/]", "", text)
    if not re.fullmatch(r"\d{11}", digits) or len(set(digits)) == 1:
        return None
    numbers = [int(d) for d in digits]
    for length in (9, 10):
        total = sum(n * (length + 1 - i) for i, n in enumerate(numbers[:length]))
        check = (total * 10) % 11 % 10
        if check != numbers[length]:
            return None
    return digits


def _number(text: str) -> float | int | None:
    cleaned = text.strip().replace(" ", "")
    if re.fullmatch(r"-?\d+", cleaned):
        return int(cleaned)
    if re.fullmatch(r"-?\d+[.,]\d+", cleaned):
        return float(cleaned.replace(",", "."))
    return None


def _date(text: str) -> str | None:
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return None


def choose(options: list[dict[str, Any]], text: str, choice_id: str | None) -> str | None:
    """The option the answer picks: a tapped button's id, the option's number ("2"), its title
    or one of its keywords (case- and accent-insensitive); None when it picks none."""
    ids = [str(o["id"]) for o in options]
    if choice_id is not None and choice_id in ids:
        return choice_id
    answer = fold(text)
    if answer.isdigit() and 1 <= int(answer) <= len(options):
        return ids[int(answer) - 1]
    for option in options:
        if answer == fold(str(option.get("title", ""))) or answer == fold(str(option["id"])):
            return str(option["id"])
    said = set(words(text))
    for option in options:
        for keyword in option.get("keywords") or []:
            wanted = words(str(keyword))
            if wanted and all(w in said for w in wanted):
                return str(option["id"])
    return None


def check_answer(answer_type: str, text: str) -> tuple[bool, Any]:
    """(is valid, the value to save) for a typed answer (not `choice`)."""
    text = text.strip()
    if not text:
        return False, None
    value: Any
    if answer_type == "text":
        value = text[:2000]
    elif answer_type == "number":
        value = _number(text)
    elif answer_type == "email":
        try:
            value = validate_email(text, check_deliverability=False).normalized
        except EmailNotValidError:
            value = None
    elif answer_type == "phone":
        try:
            value = normalise_phone(text) if len(re.sub(r"\D", "", text)) >= PHONE_DIGITS else None
        except Invalid:
            value = None
    elif answer_type == "cpf":
        value = cpf_digits(text)
    elif answer_type == "date":
        value = _date(text)
    else:
        value = None
    return value is not None, value

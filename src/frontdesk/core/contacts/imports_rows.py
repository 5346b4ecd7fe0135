"""One CSV row as a contact: each mapped cell checked, or the reasons the row is refused.

Phones are read with the `phonenumbers` library and kept in E.164 ("+5511987654321"); a
number written without "+" is read in the import's country. Emails are lower-cased. A
lifecycle stage may be written as its key or its English name ("Hot lead"); languages as
any ISO code ("pt" -> "pt-BR"); tags by name, separated by commas or "|"; custom fields by
their type (numbers, yes/no, ISO dates, one of a select's options).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from frontdesk.core.contacts.fields import check_value
from frontdesk.core.contacts.models import LIFECYCLE_STAGES, CustomFieldDefinition
from frontdesk.core.errors import Invalid
from frontdesk.core.languages.codes import normalise_language

TARGETS = ("name", "phone", "email", "language", "lifecycle_stage", "tags")
FIELD_PREFIX = "field:"
MAX_NAME = 200
TRUE_WORDS = {"true", "yes", "y", "1", "sim", "s", "co", "có"}
FALSE_WORDS = {"false", "no", "n", "0", "nao", "não", "khong", "không"}


@dataclass(frozen=True)
class Vocabulary:
    """What a row's cells are checked against: the workspace's tags and fields."""

    tags: dict[str, uuid.UUID]  # lower-cased name -> id
    fields: dict[str, CustomFieldDefinition]  # key -> definition
    region: str | None


@dataclass
class ParsedRow:
    number: int  # the line in the file, the header being line 1
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    language: str | None = None
    lifecycle_stage: str | None = None
    tag_ids: list[uuid.UUID] = field(default_factory=list)
    fields: dict[uuid.UUID, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    code: str
    value: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "value": self.value}


def normalise_import_phone(raw: str, region: str | None) -> str | None:
    """E.164, or None when it is no valid number."""
    try:
        number = phonenumbers.parse(raw, None if raw.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(raw: str) -> str | None:
    try:
        checked = validate_email(
            raw, check_deliverability=False, globally_deliverable=False, test_environment=True
        )
    except EmailNotValidError:
        return None
    return checked.normalized.lower()


def _stage(raw: str) -> str | None:
    key = re.sub(r"[\s-]+", "_", raw.strip().lower())
    return key if key in LIFECYCLE_STAGES else None


def _field_value(definition: CustomFieldDefinition, raw: str) -> Any:
    value: Any = raw
    if definition.field_type == "number":
        try:
            value = float(raw.replace(",", ".")) if re.search(r"[.,]", raw) else int(raw)
        except ValueError:
            value = raw
    elif definition.field_type == "boolean":
        lowered = raw.lower()
        value = True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else raw
    return check_value(definition, value)


def _cell(parsed: ParsedRow, target: str, raw: str, words: Vocabulary) -> str | None:
    """Fill one target from one cell; the error code when the cell is refused."""
    if target == "name":
        parsed.name = raw[:MAX_NAME]
    elif target == "phone":
        parsed.phone = normalise_import_phone(raw, words.region)
        return None if parsed.phone else "invalid_phone"
    elif target == "email":
        parsed.email = _email(raw)
        return None if parsed.email else "invalid_email"
    elif target == "language":
        parsed.language = normalise_language(raw)
        return None if parsed.language else "unknown_language"
    elif target == "lifecycle_stage":
        parsed.lifecycle_stage = _stage(raw)
        return None if parsed.lifecycle_stage else "unknown_lifecycle_stage"
    elif target == "tags":
        names = [n.strip().lower() for n in re.split(r"[,|]", raw) if n.strip()]
        if any(n not in words.tags for n in names):
            return "unknown_tag"
        parsed.tag_ids = list(dict.fromkeys(words.tags[n] for n in names))
    elif target.startswith(FIELD_PREFIX):
        definition = words.fields[target.removeprefix(FIELD_PREFIX)]
        try:
            parsed.fields[definition.id] = _field_value(definition, raw)
        except Invalid:
            return "invalid_field_value"
    return None


def parse_row(
    number: int, cells: list[str], positions: dict[int, tuple[str, str]], words: Vocabulary
) -> ParsedRow | list[RowError]:
    """`positions`: cell index -> (column name, target). Empty cells are left alone."""
    parsed = ParsedRow(number)
    errors: list[RowError] = []
    for index, (column, target) in positions.items():
        raw = cells[index] if index < len(cells) else ""
        if not raw:
            continue
        code = _cell(parsed, target, raw, words)
        if code:
            errors.append(RowError(number, column, code, raw[:200]))
    if errors:
        return errors
    if not (parsed.name or parsed.phone or parsed.email):
        return [RowError(number, "", "no_name_phone_or_email", "")]
    return parsed


def check_mapping(
    columns: list[str], mapping: dict[str, str], fields: dict[str, CustomFieldDefinition]
) -> dict[int, tuple[str, str]]:
    """Cell index -> (column, target), or 422 for an unknown column or target, a target
    mapped twice, or a mapping without a name, phone or email column."""
    positions: dict[int, tuple[str, str]] = {}
    seen: set[str] = set()
    for column, target in mapping.items():
        if column not in columns:
            raise Invalid(f"the file has no column {column!r}", field="mapping")
        known = target in TARGETS or (
            target.startswith(FIELD_PREFIX) and target.removeprefix(FIELD_PREFIX) in fields
        )
        if not known:
            raise Invalid(f"{target!r} is not something a column can fill", field="mapping")
        if target in seen:
            raise Invalid(f"two columns fill {target!r}", field="mapping")
        seen.add(target)
        positions[columns.index(column)] = (column, target)
    if not seen & {"name", "phone", "email"}:
        raise Invalid("map a column to the name, the phone or the email", field="mapping")
    return positions

"""Demo candidates: names and numbers by language, their WhatsApp identities and field values."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from frontdesk.core.accounts.models import User
from frontdesk.core.contacts.models import Contact, ContactFieldValue, ContactIdentity
from frontdesk.core.tags.models import ContactTag
from frontdesk.db.base import Base
from frontdesk.db.ids import new_id
from frontdesk.demo import names
from frontdesk.demo.spec import chance, pick
from frontdesk.demo.workspace import DemoChannel, DemoWorkspace


@dataclass
class DemoContact:
    row: Contact
    channel: DemoChannel
    language: str
    first: str
    position: str
    digits: str  # the WhatsApp id: the phone number without "+"
    is_vip: bool
    outcomes: list[str] = field(default_factory=list)
    handled_by: list[User] = field(default_factory=list)


def first_name(full: str) -> str:
    """The name people are greeted by: the given name comes last in Vietnamese."""
    parts = full.split()
    return parts[-1] if parts[0] in names.VN_LAST else parts[0]


def make_contacts(
    dw: DemoWorkspace, rng: random.Random, now: datetime, phones: set[str]
) -> list[DemoContact]:
    """Candidates spread over the workspace's numbers, each writing in the language of its ad."""
    found: list[DemoContact] = []
    for _ in range(dw.spec.contacts):
        channel = rng.choice(dw.channels)
        language = pick(rng, channel.client.languages)
        name = _name(rng, language)
        digits = _phone_digits(rng, language, phones)
        email = _email(name, rng) if chance(rng, 0.25) else None
        contact = Contact(
            id=new_id(),
            workspace_id=dw.row.id,
            name=name,
            email=email,
            phone=f"+{digits}",
            language=language,
            avatar_url=None,
            lifecycle_stage="new_lead",
            owner_id=None,
            notes="",
            merged_into_id=None,
            version=1,
            created_at=now,
            updated_at=now,
        )
        found.append(
            DemoContact(
                row=contact,
                channel=channel,
                language=language,
                first=first_name(name),
                position=rng.choice(names.POSITIONS),
                digits=digits,
                is_vip=chance(rng, 0.06),
            )
        )
    return found


def finish_contacts(
    dw: DemoWorkspace, contacts: list[DemoContact], rng: random.Random, now: datetime
) -> list[Base]:
    """Once conversations are known: stages, owners, identities, field values and tags."""
    ws_id = dw.row.id
    rows: list[Base] = []
    for c in contacts:
        contact = c.row
        contact.lifecycle_stage = _stage(c.outcomes)
        if c.handled_by and (c.is_vip or ("hired" in c.outcomes and chance(rng, 0.5))):
            contact.owner_id = c.handled_by[-1].id
        at = contact.created_at
        rows.append(contact)
        rows.append(
            ContactIdentity(
                id=new_id(),
                workspace_id=ws_id,
                contact_id=contact.id,
                channel_id=c.channel.row.id,
                provider_id=c.digits,
                profile_name=c.first,
                extra={},
                created_at=at,
            )
        )
        for key, value in _field_values(c, rng, now).items():
            rows.append(
                ContactFieldValue(
                    id=new_id(),
                    workspace_id=ws_id,
                    contact_id=contact.id,
                    field_id=dw.fields[key].id,
                    value=value,
                    updated_at=at,
                )
            )
        if c.is_vip:
            rows.append(
                ContactTag(
                    id=new_id(),
                    workspace_id=ws_id,
                    contact_id=contact.id,
                    tag_id=dw.tags["vip"].id,
                    created_at=at,
                )
            )
    return rows


def _stage(outcomes: list[str]) -> str:
    if "hired" in outcomes:
        return "customer"
    if "interview scheduled" in outcomes:
        return "hot_lead"
    if outcomes and all(o in ("not selected", "no show") for o in outcomes):
        return "lost"
    return "new_lead"


def _field_values(c: DemoContact, rng: random.Random, now: datetime) -> dict[str, str]:
    values = {"position": c.position, "city": rng.choice(names.CITIES[c.language])}
    if c.language == "pt-BR":
        values["cpf"] = _cpf(rng)
    if chance(rng, 0.6):
        values["available_from"] = (now + timedelta(days=rng.randint(0, 30))).date().isoformat()
    return values


def _name(rng: random.Random, language: str) -> str:
    if language == "vi":
        return f"{rng.choice(names.VN_LAST)} {rng.choice(names.VN_MIDDLE)} {rng.choice(names.VN_GIVEN)}"
    if language == "en":
        return f"{rng.choice(names.EN_FIRST)} {rng.choice(names.EN_LAST)}"
    last = rng.choice(names.BR_LAST)
    if chance(rng, 0.4):
        last = f"{rng.choice(names.BR_LAST)} {last}"
    return f"{rng.choice(names.BR_FIRST)} {last}"


def _phone_digits(rng: random.Random, language: str, taken: set[str]) -> str:
    """A mobile number by where candidates usually come from: Brazil, Vietnam or Malaysia."""
    while True:
        if language == "vi":
            digits = f"849{rng.choice('0136789')}{rng.randint(0, 9_999_999):07d}"
        elif language == "en" and chance(rng, 0.5):
            digits = f"601{rng.choice('2379')}{rng.randint(0, 9_999_999):07d}"
        else:
            digits = f"55{rng.choice(('11', '11', '11', '19', '13', '15'))}9{rng.randint(0, 99_999_999):08d}"
        if digits not in taken:
            taken.add(digits)
            return digits


def _email(name: str, rng: random.Random) -> str:
    plain = unicodedata.normalize("NFKD", name.replace("đ", "d").replace("Đ", "D"))
    ascii_name = "".join(ch for ch in plain if ch.isascii() and (ch.isalnum() or ch == " ")).lower()
    parts = ascii_name.split()
    return f"{parts[0]}.{parts[-1]}{rng.randint(1, 99)}@example.com"


def _cpf(rng: random.Random) -> str:
    """A well-formed (check digits included) but invented CPF number."""
    digits = [rng.randint(0, 9) for _ in range(9)]
    for size in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(size, 1, -1), strict=False))
        digits.append(total * 10 % 11 % 10)
    s = "".join(map(str, digits))
    return f"{s[:3]}.{s[3:6]}.{s[6:9]}-{s[9:]}"

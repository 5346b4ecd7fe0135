"""WhatsApp messages holding NUL or lone surrogates are stored, not refused with a 500 on every
redelivery: the text shown is cleaned, the raw payload kept exactly (`core.text`)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp.conftest import WhatsApp, messages_of
from tests.fakes.meta import FIXTURES, fixture, text_webhook
from tests.security.unstorable import POISONS, poisoned, restored

ROUTING = frozenset({"phone_number_id", "object", "field", "messaging_product"})
SHAPE = ROUTING | {"type", "timestamp", "status"}


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_a_text_with_nul_or_a_lone_surrogate_is_stored_cleaned_with_its_raw_payload(
    whatsapp: WhatsApp, runtime: Runtime, poison: str
) -> None:
    bad = POISONS[poison]
    body = text_webhook(whatsapp.number, "60111222333", f"Nu{bad}no", f"line one{bad} line two")
    first = await whatsapp.post(body)
    again = await whatsapp.post(body)  # Meta redelivers: still 200, still one message
    assert (first.status_code, again.status_code) == (200, 200), first.text
    [message] = await messages_of(runtime, whatsapp.channel_id)
    shown = "line one line two" if poison == "nul" else "line one\ufffd line two"
    assert message.body == shown
    assert restored(message.raw) == body["entry"][0]["changes"][0]["value"]["messages"][0]
    async with runtime.database.read_session() as db:
        conversation = await db.get_one(Conversation, message.conversation_id)
        contact = await db.get_one(Contact, conversation.contact_id)
    assert contact.name == ("Nuno" if poison == "nul" else "Nu\ufffdno")


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_every_recorded_shape_poisoned_everywhere_is_answered_200(
    whatsapp: WhatsApp, runtime: Runtime, poison: str
) -> None:
    answers = {}
    for path in sorted(FIXTURES.glob("*.json")):
        payload = fixture(path.stem)
        for keep in (SHAPE, ROUTING):
            answer = await whatsapp.post(poisoned(payload, POISONS[poison], keep))
            answers[f"{path.stem} (kept: {len(keep)})"] = answer.status_code
    assert set(answers.values()) == {200}, answers
    async with runtime.database.read_session() as db:
        set_aside = list(await db.scalars(select(QuarantinedPayload.payload)))
    for stored in set_aside:  # an unusable payload is kept exactly as it came
        assert json.dumps(restored(stored))

"""Messenger events holding NUL or lone surrogates are stored, not refused with a 500 on every
redelivery: the text shown is cleaned, the raw payload kept exactly (`core.text`)."""

from __future__ import annotations

from typing import Any

import pytest

from frontdesk.core.runtime import Runtime
from tests.channels.messenger.conftest import MetaChannel, messages_of
from tests.fakes.messenger import fixture
from tests.security.unstorable import POISONS, poisoned, restored

ROUTING = frozenset({"object", "id"})
CUSTOMER = "3135154219859294"


def _event(**kind: Any) -> dict[str, Any]:
    return {
        "sender": {"id": CUSTOMER},
        "recipient": {"id": "113159190077727"},
        "timestamp": 1569232043248,
        **kind,
    }


EVENTS = [
    _event(message={"mid": "m-text", "text": "Hello there"}),
    _event(message={"mid": "m-quick", "text": "Yes", "quick_reply": {"payload": "YES"}}),
    _event(message={"mid": "m-reply", "text": "re", "reply_to": {"mid": "m-text"}}),
    _event(message={"mid": "m-img", "attachments": [{"type": "image", "payload": {"url": "u"}}]}),
    _event(postback={"mid": "m-post", "title": "Get started", "payload": "START"}),
    _event(reaction={"mid": "m-text", "action": "react", "reaction": "love", "emoji": "x"}),
    _event(delivery={"mids": ["m-out"], "watermark": 1569232043248}),
    _event(read={"watermark": 1569232043248}),
    _event(message={"mid": "m-del", "is_deleted": True}),
]


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_a_text_with_nul_or_a_lone_surrogate_is_stored_cleaned_with_its_raw_payload(
    messenger: MetaChannel, runtime: Runtime, poison: str
) -> None:
    entry = fixture("text_message_entry")
    entry["messaging"][0]["message"]["text"] = f"Te{POISONS[poison]}st"
    body = {"object": "page", "entry": [entry]}
    first, again = await messenger.post(body), await messenger.post(body)
    assert (first.status_code, again.status_code) == (200, 200), first.text
    [message] = await messages_of(runtime, messenger.channel_id)
    assert message.body == ("Test" if poison == "nul" else "Te\ufffdst")
    assert restored(message.raw) == entry["messaging"][0]


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_every_kind_of_event_poisoned_everywhere_is_answered_200(
    messenger: MetaChannel, poison: str
) -> None:
    answers = {}
    for event in [*EVENTS, fixture("text_message_entry")["messaging"][0]]:
        for keep in (ROUTING | {"sender", "recipient"}, ROUTING):
            entry = {"id": "113159190077727", "time": 1569232043573, "messaging": [event]}
            body = poisoned({"object": "page", "entry": [entry]}, POISONS[poison], keep)
            answer = await messenger.post(body)
            answers[f"{sorted(event)} {sorted(keep)}"] = answer.status_code
    assert set(answers.values()) == {200}, answers

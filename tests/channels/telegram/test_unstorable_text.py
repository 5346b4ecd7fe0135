"""Telegram updates holding NUL or lone surrogates are stored, not refused with a 500 on every
redelivery: the text shown is cleaned, the raw update kept exactly (`core.text`)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.runtime import Runtime
from tests.channels.telegram.conftest import FIXTURES, Connected, fixture, messages_of
from tests.security.unstorable import POISONS, poisoned, restored

SHAPE = frozenset({"type"})  # a chat's type: private chats are the ones recorded


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_a_text_with_nul_or_a_lone_surrogate_is_stored_cleaned_with_its_raw_update(
    connected: Connected, runtime: Runtime, poison: str
) -> None:
    update = fixture("message_text")
    update["message"]["text"] = f"Hi,{POISONS[poison]} world!"
    first, again = await connected.post(update), await connected.post(update)
    assert (first.status_code, again.status_code) == (200, 200), first.text
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == ("Hi, world!" if poison == "nul" else "Hi,\ufffd world!")
    assert restored(message.raw) in (update, update["message"])


@pytest.mark.parametrize("poison", sorted(POISONS))
async def test_every_recorded_update_poisoned_everywhere_is_answered_200_and_set_aside_once(
    connected: Connected, runtime: Runtime, poison: str
) -> None:
    answers = {}
    for path in sorted(FIXTURES.glob("*.json")):
        for keep in (SHAPE, frozenset()):
            update = poisoned(fixture(path.stem), POISONS[poison], keep)
            answers[f"{path.stem} {sorted(keep)}"] = (await connected.post(update)).status_code
    assert set(answers.values()) == {200}, answers
    async with runtime.database.read_session() as db:
        set_aside = list(await db.scalars(select(QuarantinedPayload.payload)))
        before = await db.scalar(select(func.count()).select_from(QuarantinedPayload))
    assert set_aside
    assert all(json.dumps(restored(p)) for p in set_aside)
    group = poisoned(fixture("group_message"), POISONS[poison], frozenset())
    assert (await connected.post(group)).status_code == 200  # redelivered: not kept twice
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(QuarantinedPayload)) == before

"""A language the provider gives (Telegram's app language) is a hint: taken while nothing is
known, replaced by what the customer's own messages show, never over an agent's choice."""

from __future__ import annotations

import copy
from typing import Any

from sqlalchemy import select

from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.runtime import Runtime
from tests.channels.telegram import conftest as telegram_tests
from tests.channels.telegram.conftest import Connected, fixture
from tests.conftest import World

# The Telegram tests' fixtures: a fake Bot API and a bot connected to acme.
telegram, settings, connected = (
    telegram_tests.telegram,
    telegram_tests.settings,
    telegram_tests.connected,
)


def update(text: str, language_code: str | None, update_id: int) -> dict[str, Any]:
    body = copy.deepcopy(fixture("message_text"))
    body["update_id"] = update_id
    body["message"]["message_id"] = update_id
    body["message"]["text"] = text
    if language_code is None:
        body["message"]["from"].pop("language_code")
    else:
        body["message"]["from"]["language_code"] = language_code
    return body


async def the_contact(runtime: Runtime, connected: Connected) -> Contact:
    async with runtime.database.read_session() as db:
        contact = await db.scalar(
            select(Contact)
            .join(ContactIdentity, ContactIdentity.contact_id == Contact.id)
            .where(ContactIdentity.channel_id == connected.channel_id)
        )
        assert contact is not None
        return contact


async def test_telegram_s_app_language_starts_as_the_contact_s_then_their_words_decide(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(update("Hi", "ru", 1))).status_code == 200
    contact = await the_contact(runtime, connected)
    assert (contact.language, contact.language_source) == ("ru", "provider")
    # The app's language changes: followed while it is only a hint.
    assert (await connected.post(update("ok", "pt-br", 2))).status_code == 200
    contact = await the_contact(runtime, connected)
    assert (contact.language, contact.language_source) == ("pt-BR", "provider")
    # Their words are plainly Vietnamese: that wins, and the hint no longer moves it.
    assert (await connected.post(update("tôi muốn ứng tuyển", "pt-br", 3))).status_code == 200
    assert (await connected.post(update("ok", "en", 4))).status_code == 200
    contact = await the_contact(runtime, connected)
    assert (contact.language, contact.language_source) == ("vi", "detected")


async def test_the_provider_s_language_never_overrides_an_agent_s(
    connected: Connected, runtime: Runtime, world: World
) -> None:
    assert (await connected.post(update("Hi", None, 1))).status_code == 200
    contact = await the_contact(runtime, connected)
    assert (contact.language, contact.language_source) == (None, None)
    async with world.client("bob") as bob:
        r = await bob.patch(f"/api/v1/contacts/{contact.id}", json={"language": "vi"})
        assert r.status_code == 200, r.text
    assert (await connected.post(update("Hi", "ru", 2))).status_code == 200
    contact = await the_contact(runtime, connected)
    assert (contact.language, contact.language_source) == ("vi", "agent")

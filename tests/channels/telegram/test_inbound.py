"""Every update shape Telegram sends, posted by the fake to the real webhook, as the inbox
records it: recorded fixtures (2017 format) and constructed ones for the other shapes."""

from __future__ import annotations

import copy
import io

from PIL import Image
from sqlalchemy import select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.channels.telegram.conftest import (
    Connected,
    fixture,
    messages_of,
    run_jobs,
)
from tests.conftest import Published, World


def jpeg(width: int = 40, height: int = 30) -> bytes:
    """Telegram re-encodes every photo as JPEG."""
    out = io.BytesIO()
    Image.new("RGB", (width, height), "navy").save(out, format="JPEG")
    return out.getvalue()


async def quarantined(runtime: Runtime) -> list[QuarantinedPayload]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(QuarantinedPayload)))


async def job_kinds(runtime: Runtime) -> list[str]:
    async with runtime.database.read_session() as db:
        return sorted(await db.scalars(select(Job.kind)))


async def test_a_text_message_starts_a_conversation_with_a_contact_named_after_the_profile(
    connected: Connected, runtime: Runtime, world: World, published: Published
) -> None:
    r = await connected.post(fixture("message_text"))
    assert r.status_code == 200, r.text

    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "Hi, world!"
    assert message.kind == "text"
    assert message.direction == "inbound"
    assert message.provider_message_id == "12345678:11223"
    assert message.raw == fixture("message_text")
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == connected.channel_id)
        )
        assert identity is not None
        contact = await db.get_one(Contact, identity.contact_id)
        conversation = await db.get_one(Conversation, message.conversation_id)
    assert identity.provider_id == "12345678"
    assert identity.profile_name == "FirstName LastName"
    # The profile picture is asked of the Bot API afterwards, by a job.
    assert identity.extra == {
        "username": "username",
        "language_code": "ru",
        "profile_lookup": "queued",
    }
    assert contact.name == "FirstName LastName"
    assert conversation.team_id == world.acme.teams["support"].id
    assert conversation.last_message_preview == "Hi, world!"
    assert "message.created" in published.types()


async def test_a_second_message_of_the_same_chat_joins_the_conversation(
    connected: Connected, runtime: Runtime
) -> None:
    first = fixture("message_text")
    second = copy.deepcopy(first)
    second["update_id"] += 1
    second["message"]["message_id"] += 1
    second["message"]["text"] = "Is the job still open?"
    assert (await connected.post(first)).status_code == 200
    assert (await connected.post(second)).status_code == 200
    messages = await messages_of(runtime, connected.channel_id)
    assert sorted(m.body for m in messages) == ["Hi, world!", "Is the job still open?"]
    assert len({m.conversation_id for m in messages}) == 1


async def test_a_photo_keeps_its_caption_and_the_largest_size_is_fetched_by_a_job(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_photo")
    largest = update["message"]["photo"][-1]["file_id"]
    connected.fake.add_file(jpeg(), file_path="photos/file_7.jpg", file_id=largest)

    assert (await connected.post(update)).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.kind == "media"
    assert message.body == "photo description"
    assert message.payload is not None
    [media] = message.payload["media"]
    assert media["provider_media_id"] == largest
    assert media["kind"] == "image"
    assert media["status"] == "pending"
    assert "fetch_inbound_media" in await job_kinds(runtime)

    await run_jobs(runtime)
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.payload is not None
    assert message.payload["media"][0]["status"] == "stored"
    [attachment] = message.attachments
    assert attachment["content_type"] == "image/jpeg"
    assert attachment["name"] == "file_7.jpg"
    assert (attachment["width"], attachment["height"]) == (40, 30)
    assert [c.params["file_id"] for c in connected.fake.calls_of("getFile")] == [largest]
    assert connected.fake.downloads == ["photos/file_7.jpg"]


async def test_a_document_is_fetched_and_one_of_a_type_not_kept_fails_with_why(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_document")
    file_id = update["message"]["document"]["file_id"]
    connected.fake.add_file(b"PK\x03\x04 not really a docx", "documents/file_3.docx", file_id)
    assert (await connected.post(update)).status_code == 200
    await run_jobs(runtime)
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "doc description"
    assert message.payload is not None
    [media] = message.payload["media"]
    assert media["name"] == "test.docx"
    assert media["content_type"].endswith("wordprocessingml.document")
    assert media["status"] == "failed"
    assert "not accepted" in media["error"]
    assert message.attachments == []


async def test_a_pdf_document_is_stored_under_its_name(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_document")
    document = update["message"]["document"]
    document.update(file_name="cv.pdf", mime_type="application/pdf", file_size=30)
    connected.fake.add_file(b"%PDF-1.4\n%%EOF\n", "documents/file_4.pdf", document["file_id"])
    assert (await connected.post(update)).status_code == 200
    await run_jobs(runtime)
    [message] = await messages_of(runtime, connected.channel_id)
    [attachment] = message.attachments
    assert (attachment["name"], attachment["content_type"]) == ("cv.pdf", "application/pdf")


async def test_a_file_telegram_no_longer_has_fails_without_blocking_the_message(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(fixture("voice_message"))).status_code == 200
    await run_jobs(runtime)  # the fake holds no such file: getFile answers 400
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.kind == "media"
    assert message.payload is not None
    assert message.payload["media"][0]["status"] == "failed"
    assert "invalid file_id" in message.payload["media"][0]["error"]


async def test_voice_video_and_sticker_are_media_of_their_kind(
    connected: Connected, runtime: Runtime
) -> None:
    for name in ("voice_message", "video_message", "sticker_message"):
        assert (await connected.post(fixture(name))).status_code == 200
    messages = {m.provider_message_id: m for m in await messages_of(runtime, connected.channel_id)}
    kinds = {key: (m.payload or {})["media"][0]["kind"] for key, m in messages.items() if m.payload}
    assert kinds == {"1111111:1371": "voice", "1111111:1372": "video", "1111111:1373": "sticker"}
    voice = (messages["1111111:1371"].payload or {})["media"][0]
    assert voice["content_type"] == "audio/ogg"
    assert messages["1111111:1372"].body == "My portfolio"


async def test_a_location_and_a_venue(connected: Connected, runtime: Runtime) -> None:
    assert (await connected.post(fixture("message_location"))).status_code == 200
    assert (await connected.post(fixture("venue_message"))).status_code == 200
    by_key = {m.provider_message_id: m for m in await messages_of(runtime, connected.channel_id)}
    location = by_key["12345678:12345"]
    assert location.kind == "location"
    assert location.payload is not None
    assert location.payload["location"]["latitude"] == 55.693416
    assert location.payload["location"]["longitude"] == 37.624605
    venue = by_key["1111111:1374"]
    assert venue.kind == "location"
    assert venue.payload is not None
    assert venue.payload["location"]["name"] == "MASP"
    assert venue.body == "MASP"


async def test_a_shared_contact_card(connected: Connected, runtime: Runtime) -> None:
    assert (await connected.post(fixture("contact_message"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.kind == "contacts"
    assert message.payload is not None
    assert message.payload["contacts"] == [
        {"name": "Test User", "phones": ["+15555550123"], "emails": []}
    ]


async def test_a_reply_names_the_message_it_quotes(connected: Connected, runtime: Runtime) -> None:
    """The recorded fixture quotes a message; here the quoted one is in the inbox too."""
    quoted = fixture("message_text")
    quoted["message"]["chat"]["id"] = quoted["message"]["from"]["id"] = 12345678
    quoted["message"]["message_id"] = 12000
    reply = fixture("reply_message")
    reply["message"]["reply_to_message"]["message_id"] = 12000
    assert (await connected.post(quoted)).status_code == 200
    assert (await connected.post(reply)).status_code == 200
    by_key = {m.provider_message_id: m for m in await messages_of(runtime, connected.channel_id)}
    answer = by_key["12345678:12345"]
    assert answer.body == "Reply to quoted message"
    assert answer.reply_to_provider_id == "12345678:12000"
    assert answer.reply_to_message_id == by_key["12345678:12000"].id


async def test_the_recorded_reply_fixture_as_it_is(connected: Connected, runtime: Runtime) -> None:
    assert (await connected.post(fixture("reply_message"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.reply_to_provider_id == "12345678:12345"
    assert message.body == "Reply to quoted message"


async def test_an_edit_changes_the_text_and_keeps_the_first_one(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(fixture("edited_message_original"))).status_code == 200
    assert (await connected.post(fixture("edited_message"))).status_code == 200
    assert (await connected.post(fixture("edited_message"))).status_code == 200  # redelivered
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "I can start on Monday (edited)"
    assert message.payload == {"original_body": "I can start on Tuesday"}
    assert message.edited_at is not None
    assert message.edited_at.timestamp() == 1700000160
    assert message.version == 2


async def test_an_edit_that_arrives_first_records_the_message_once_as_edited(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(fixture("edited_message"))).status_code == 200
    assert (await connected.post(fixture("edited_message_original"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "I can start on Monday (edited)"
    assert message.edited_at is not None


async def test_a_reaction_shows_on_the_message_it_reacts_to(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(fixture("edited_message_original"))).status_code == 200
    assert (await connected.post(fixture("message_reaction"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.reactions is not None
    assert [(r["by"], r["emoji"]) for r in message.reactions] == [("contact", "👍")]

    taken_back = fixture("message_reaction")
    taken_back["update_id"] += 1
    body = taken_back["message_reaction"]
    body["date"] += 10
    body["old_reaction"], body["new_reaction"] = body["new_reaction"], []
    assert (await connected.post(taken_back)).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert [r["emoji"] for r in message.reactions or []] == [""]


async def test_a_button_press_is_recorded_and_answered_once(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("callback_query")
    assert (await connected.post(update)).status_code == 200
    assert (await connected.post(update)).status_code == 200  # redelivered
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.kind == "interactive_reply"
    assert message.body == "Yes"
    assert message.payload is not None
    assert message.payload["choice"] == {"id": "vote:yes", "title": "Yes", "description": None}
    assert message.provider_message_id == "callback:4382bfdwdsb323b2d9"
    assert message.reply_to_provider_id == "1111111:1365"

    await run_jobs(runtime)
    answers = connected.fake.calls_of("answerCallbackQuery")
    assert [a.params["callback_query_id"] for a in answers] == ["4382bfdwdsb323b2d9"]
    assert answers[0].token == connected.bot.token


async def test_a_press_that_can_no_longer_be_answered_does_not_retry_for_ever(
    connected: Connected, runtime: Runtime
) -> None:
    connected.fake.fail(
        "answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired"
    )
    assert (await connected.post(fixture("callback_query"))).status_code == 200
    await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        jobs = list(await db.scalars(select(Job).where(Job.kind.like("telegram.%"))))
    assert [(j.status, j.attempts) for j in jobs] == [("dead", 1)]
    assert jobs[0].last_error is not None
    assert "query is too old" in jobs[0].last_error


async def test_a_message_type_frontdesk_cannot_show_is_kept_as_unsupported(
    connected: Connected, runtime: Runtime
) -> None:
    assert (await connected.post(fixture("dice_message"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.kind == "unsupported"
    assert message.payload is not None
    assert message.payload["provider_type"] == "dice"
    assert message.raw == fixture("dice_message")


async def test_a_forwarded_message_says_so(connected: Connected, runtime: Runtime) -> None:
    assert (await connected.post(fixture("forwarded_message"))).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "Can you see my friend's CV?"
    assert message.payload is not None
    assert message.payload["details"] == {"forwarded": True}


async def test_group_messages_and_unknown_update_kinds_are_kept_aside_once(
    connected: Connected, runtime: Runtime
) -> None:
    for name in ("group_message", "my_chat_member", "my_chat_member"):
        assert (await connected.post(fixture(name))).status_code == 200
    assert await messages_of(runtime, connected.channel_id) == []
    kept = sorted(await quarantined(runtime), key=lambda q: q.payload["update_id"])
    assert [q.payload for q in kept] == [fixture("group_message"), fixture("my_chat_member")]
    assert kept[0].reason == "a message from a supergroup chat"
    assert kept[1].reason == "update kind 'my_chat_member' is not read"
    assert {q.channel_id for q in kept} == {connected.channel_id}


async def test_a_known_kind_with_wrong_types_is_kept_raw_and_answered_200(
    connected: Connected, runtime: Runtime
) -> None:
    broken = fixture("message_text")
    broken["message"]["chat"] = "not a chat"
    r = await connected.post(broken)
    assert r.status_code == 200
    assert await messages_of(runtime, connected.channel_id) == []
    [kept] = await quarantined(runtime)
    assert kept.payload == broken
    assert kept.reason.startswith("message could not be read: message.chat")


async def test_newer_fields_and_unknown_ones_are_ignored(
    connected: Connected, runtime: Runtime
) -> None:
    update = fixture("message_text")
    update["message"]["from"]["is_premium"] = True
    update["message"]["entities"] = [{"type": "bold", "offset": 0, "length": 2}]
    update["message"]["link_preview_options"] = {"is_disabled": True}
    update["business_connection_id"] = "abc"
    assert (await connected.post(update)).status_code == 200
    [message] = await messages_of(runtime, connected.channel_id)
    assert message.body == "Hi, world!"


async def test_the_contact_follows_the_profile_name_until_an_agent_renames_them(
    connected: Connected, runtime: Runtime
) -> None:
    first = fixture("message_text")
    renamed = copy.deepcopy(first)
    renamed["update_id"] += 1
    renamed["message"]["message_id"] += 1
    renamed["message"]["from"]["first_name"] = "Firstname2"
    assert (await connected.post(first)).status_code == 200
    assert (await connected.post(renamed)).status_code == 200
    async with runtime.database.read_session() as db:
        identities = list(
            await db.scalars(
                select(ContactIdentity).where(ContactIdentity.channel_id == connected.channel_id)
            )
        )
        [identity] = identities
        contact = await db.get_one(Contact, identity.contact_id)
    assert identity.profile_name == "Firstname2 LastName"
    assert contact.name == "Firstname2 LastName"

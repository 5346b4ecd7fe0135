"""A Telegram customer's profile picture, asked of the Bot API after the webhook: once per new
identity, one small size downloaded, the webhook's name kept, a picture the contact already has
kept, and a user who hides their pictures (or a refusal) leaves the contact as it was."""

from __future__ import annotations

import asyncio
import io
import random
import uuid
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import delete, select, update

from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.demo.telegram_demo import drive_telegram, start_telegram
from frontdesk.settings import Settings
from tests.channels.telegram.conftest import Connected, messages_of, run_jobs
from tests.conftest import World
from tests.demo_snapshot import DemoSnapshot, play_demo
from tests.realtime.conftest import Live, live, realtime_settings

__all__ = ["live", "realtime_settings"]

CUSTOMER = 4242


def portrait(side: int, colour: tuple[int, int, int] = (40, 120, 200)) -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(picture, format="JPEG")
    return picture.getvalue()


def sizes() -> dict[int, bytes]:
    """A profile picture as Telegram keeps it: 160, 320 and 640 pixels square."""
    return {side: portrait(side) for side in (160, 320, 640)}


async def write(connected: Connected, text: str, chat_id: int = CUSTOMER) -> None:
    update = connected.fake.text_update(chat_id, text, "Maria", "Silva", username="maria_s")
    answer = await connected.post(update)
    assert answer.status_code == 200, answer.text


def lookups(connected: Connected) -> list[dict[str, Any]]:
    return [c.params for c in connected.fake.calls_of("getUserProfilePhotos")]


async def contact_of(
    runtime: Runtime, world: World, connected: Connected, chat_id: int = CUSTOMER
) -> dict[str, Any]:
    """The contact behind the chat, as the API shows it to bob (an agent)."""
    async with runtime.database.read_session() as db:
        contact_id = await db.scalar(
            select(ContactIdentity.contact_id).where(
                ContactIdentity.channel_id == connected.channel_id,
                ContactIdentity.provider_id == str(chat_id),
            )
        )
    assert contact_id is not None
    async with world.client("bob") as bob:
        found = await bob.get(f"/api/v1/contacts/{contact_id}")
    assert found.status_code == 200, found.text
    return dict(found.json())


async def lookup_jobs(runtime: Runtime) -> list[Job]:
    async with runtime.database.read_session() as db:
        return list(await db.scalars(select(Job).where(Job.kind == "fetch_contact_profile")))


async def lookup_state(runtime: Runtime, connected: Connected) -> Any:
    async with runtime.database.read_session() as db:
        extra = await db.scalar(
            select(ContactIdentity.extra).where(
                ContactIdentity.channel_id == connected.channel_id,
                ContactIdentity.provider_id == str(CUSTOMER),
            )
        )
    return (extra or {}).get("profile_lookup")


async def test_a_new_customer_gets_their_profile_picture(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    ids = connected.fake.add_profile_photo(CUSTOMER, sizes())
    await write(connected, "Is the driver job still open?")
    assert lookups(connected) == []  # asked after the webhook's answer, in a job

    await run_jobs(runtime)

    assert lookups(connected) == [{"user_id": CUSTOMER, "limit": 1}]
    assert connected.fake.downloads == [connected.fake.files[ids[320]].file_path]
    contact = await contact_of(runtime, world, connected)
    assert contact["name"] == "Maria Silva"  # the webhook's name, not asked again
    assert [i["profile_name"] for i in contact["identities"]] == ["Maria Silva"]
    avatar = contact["avatar_url"]
    assert avatar.startswith("/api/v1/attachments/")
    async with world.client("bob") as bob:
        served = await bob.get(avatar)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/")
    assert Image.open(io.BytesIO(served.content)).size[0] <= 320
    async with world.client("oscar") as oscar:  # another workspace sees nothing
        assert (await oscar.get(avatar)).status_code == 404
    async with runtime.database.read_session() as db:
        updated = list(
            await db.scalars(
                select(EventLogEntry)
                .where(EventLogEntry.type == "contact.updated")
                .order_by(EventLogEntry.id)
            )
        )
    assert [
        (e.payload["name"], e.payload["avatar_url"], e.payload["language"]) for e in updated
    ] == [
        ("Maria Silva", None, "en"),  # learnt as the message was recorded
        ("Maria Silva", avatar, "en"),
    ]
    assert await lookup_jobs(runtime) == []
    assert await lookup_state(runtime, connected) == "done"


async def test_the_smallest_size_is_taken_when_all_are_large(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    ids = connected.fake.add_profile_photo(CUSTOMER, {640: portrait(640), 1280: portrait(1280)})
    await write(connected, "Oi")
    await run_jobs(runtime)

    assert connected.fake.downloads == [connected.fake.files[ids[640]].file_path]
    assert (await contact_of(runtime, world, connected))["avatar_url"]


async def test_a_customer_who_hides_their_pictures_stays_without_and_is_not_asked_again(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    await write(connected, "first")
    await write(connected, "second, before the lookup ran")
    assert len(await lookup_jobs(runtime)) == 1
    await run_jobs(runtime)

    connected.fake.add_profile_photo(CUSTOMER, sizes())  # set later: not looked for again
    await write(connected, "third")
    await run_jobs(runtime)

    assert len(lookups(connected)) == 1
    assert connected.fake.downloads == []
    contact = await contact_of(runtime, world, connected)
    assert (contact["name"], contact["avatar_url"]) == ("Maria Silva", None)
    assert await lookup_jobs(runtime) == []
    assert await lookup_state(runtime, connected) == "done"


async def test_a_picture_the_contact_already_has_is_kept(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    connected.fake.add_profile_photo(CUSTOMER, sizes())
    await write(connected, "Hello")
    contact_id = uuid.UUID((await contact_of(runtime, world, connected))["id"])
    kept = "/api/v1/attachments/00000000-0000-0000-0000-000000000001/thumbnail"
    async with runtime.database.write_session() as db, db.begin():
        # Set between the message and the lookup (by another of the contact's identities).
        await db.execute(update(Contact).where(Contact.id == contact_id).values(avatar_url=kept))

    await run_jobs(runtime)

    assert (await contact_of(runtime, world, connected))["avatar_url"] == kept
    async with runtime.database.read_session() as db:
        updated = await db.scalar(
            select(EventLogEntry.id).where(EventLogEntry.type == "contact.updated")
        )
    assert updated is None

    # An identity from before lookups existed, whose contact is named and pictured, is not
    # looked up at all.
    await write(connected, "Hello again", chat_id=5151)
    async with runtime.database.write_session() as db, db.begin():
        await db.execute(delete(Job).where(Job.kind == "fetch_contact_profile"))
        other = await db.scalar(
            select(ContactIdentity.contact_id).where(ContactIdentity.provider_id == "5151")
        )
        await db.execute(update(Contact).where(Contact.id == other).values(avatar_url=kept))
        await db.execute(
            update(ContactIdentity)
            .where(ContactIdentity.provider_id == "5151")
            .values(extra={"username": "maria_s"})
        )
    await write(connected, "Still there?", chat_id=5151)
    assert await lookup_jobs(runtime) == []


async def test_a_refusal_marks_the_lookup_failed_and_keeps_the_message(
    world: World, runtime: Runtime, connected: Connected
) -> None:
    connected.fake.add_profile_photo(CUSTOMER, sizes())
    connected.fake.fail("getUserProfilePhotos", 403, "Forbidden: bot was blocked by the user")
    await write(connected, "Do you ship to Recife?")
    await run_jobs(runtime)

    assert len(lookups(connected)) == 1
    contact = await contact_of(runtime, world, connected)
    assert (contact["name"], contact["avatar_url"]) == ("Maria Silva", None)
    assert [m.body for m in await messages_of(runtime, connected.channel_id)] == [
        "Do you ship to Recife?"
    ]
    assert await lookup_jobs(runtime) == []  # ended, not retried
    assert await lookup_state(runtime, connected) == "failed"

    await write(connected, "Hello?")  # nor asked again on the next message
    await run_jobs(runtime)
    assert len(lookups(connected)) == 1


async def test_flood_control_waits_retry_after_then_the_picture_arrives(
    world: World, runtime: Runtime, connected: Connected, clock: FrozenClock
) -> None:
    connected.fake.add_profile_photo(CUSTOMER, sizes())
    connected.fake.throttle("getUserProfilePhotos", retry_after=30)
    await write(connected, "Hi")
    await run_jobs(runtime)

    [job] = await lookup_jobs(runtime)
    assert (job.status, job.attempts) == ("pending", 0)
    assert job.run_at == clock.now() + timedelta(seconds=30)
    assert (await contact_of(runtime, world, connected))["avatar_url"] is None

    clock.advance(seconds=30)
    await run_jobs(runtime)
    assert len(lookups(connected)) == 2
    assert (await contact_of(runtime, world, connected))["avatar_url"]


async def test_a_server_error_is_retried_with_backoff(
    world: World, runtime: Runtime, connected: Connected, clock: FrozenClock
) -> None:
    connected.fake.add_profile_photo(CUSTOMER, sizes())
    connected.fake.fail("getFile", 502, "Bad Gateway")
    await write(connected, "Hi")
    await run_jobs(runtime)

    [job] = await lookup_jobs(runtime)
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.run_at > clock.now()

    clock.advance(seconds=3600)
    await run_jobs(runtime)
    assert len(connected.fake.calls_of("getFile")) == 2
    assert (await contact_of(runtime, world, connected))["avatar_url"]
    assert await lookup_state(runtime, connected) == "done"


async def test_the_demo_bot_s_customers_show_their_pictures_unless_they_hide_them(
    live: Live, runtime: Runtime, settings: Settings, demo_snapshot: DemoSnapshot
) -> None:
    await play_demo(runtime, demo_snapshot)
    demo = await start_telegram(runtime, settings, live.http_url)
    assert demo is not None
    try:
        driver = asyncio.create_task(drive_telegram(demo, every=0.02, rng=random.Random(2)))
        try:
            for _ in range(400):
                if len(await demo_contacts(runtime)) >= 6:
                    break
                await asyncio.sleep(0.02)
        finally:
            driver.cancel()
        await run_jobs(runtime, rounds=30)
        contacts = await demo_contacts(runtime)
        pictured = {chat for chat, avatar in contacts.items() if avatar}
        assert pictured == set(contacts) & set(demo.fake.profile_photos)
        assert pictured  # most show a picture,
        assert pictured != set(contacts)  # some hide it
    finally:
        await demo.close()


async def demo_contacts(runtime: Runtime) -> dict[int, str | None]:
    """The demo bot's customers (chat id) and their contacts' pictures."""
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(ContactIdentity.provider_id, Contact.avatar_url)
            .join(Contact, Contact.id == ContactIdentity.contact_id)
            .join(Channel, Channel.id == ContactIdentity.channel_id)
            .where(Channel.type == "telegram")  # the demo bot's channel is the only one
        )
        return {int(chat): avatar for chat, avatar in rows}

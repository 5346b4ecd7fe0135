"""A Messenger sender's name and picture, asked of the User Profile API after the webhook: once
per new identity, never over a name an agent typed, and a refusal leaves the contact as it was."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.profiles import fetch_contact_profile
from tests.channels.messenger.conftest import MetaChannel, connect, messages_of, run_jobs
from tests.fakes.messenger import messaging_webhook, text_event

CUSTOMER = "6012345678901234"


def portrait() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (480, 480), (200, 120, 40)).save(picture, format="JPEG")
    return picture.getvalue()


async def write(channel: MetaChannel, text: str, sender: str = CUSTOMER) -> None:
    body = messaging_webhook(channel.page, text_event(channel.page, sender, text))
    answer = await channel.post(body)
    assert answer.status_code == 200, answer.text


def profile_requests(channel: MetaChannel, user_id: str = CUSTOMER) -> list[Any]:
    return [
        r for r in channel.graph.requests if r.method == "GET" and r.path.endswith(f"/{user_id}")
    ]


async def contact_of(channel: MetaChannel, user_id: str = CUSTOMER) -> dict[str, Any]:
    """The contact behind `user_id`, as the API shows it to bob (an agent)."""
    async with channel.runtime.database.read_session() as db:
        contact_id = await db.scalar(
            select(ContactIdentity.contact_id).where(
                ContactIdentity.channel_id == channel.channel_id,
                ContactIdentity.provider_id == user_id,
            )
        )
    assert contact_id is not None
    async with channel.world.client("bob") as bob:
        found = await bob.get(f"/api/v1/contacts/{contact_id}")
    assert found.status_code == 200, found.text
    return dict(found.json())


async def pending_lookups(channel: MetaChannel) -> int:
    async with channel.runtime.database.read_session() as db:
        rows = await db.scalars(select(Job.id).where(Job.kind == "fetch_contact_profile"))
        return len(list(rows))


async def test_a_new_sender_gets_the_name_and_picture_of_their_profile(
    messenger: MetaChannel,
) -> None:
    messenger.graph.add_profile(
        messenger.page.id,
        CUSTOMER,
        first_name="Beatriz",
        last_name="Lima",
        picture=(portrait(), "image/jpeg"),
    )
    await write(messenger, "Oi! Tem o tênis 38?")
    assert (await contact_of(messenger))["name"] == CUSTOMER  # the webhook names only the PSID
    assert profile_requests(messenger) == []  # asked after the webhook's answer, in a job

    await run_jobs(messenger.runtime)

    [asked] = profile_requests(messenger)
    assert asked.headers["authorization"] == f"Bearer {messenger.page.access_token}"
    contact = await contact_of(messenger)
    assert contact["name"] == "Beatriz Lima"
    assert [i["profile_name"] for i in contact["identities"]] == ["Beatriz Lima"]
    avatar = contact["avatar_url"]
    assert avatar.startswith("/api/v1/attachments/")
    async with messenger.world.client("bob") as bob:
        served = await bob.get(avatar)
    assert served.status_code == 200
    assert served.headers["content-type"].startswith("image/")
    assert Image.open(io.BytesIO(served.content)).size[0] <= 320  # the thumbnail
    async with messenger.world.client("oscar") as oscar:  # another workspace sees nothing
        assert (await oscar.get(avatar)).status_code == 404
    async with messenger.runtime.database.read_session() as db:
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
        (CUSTOMER, None, "pt-BR"),  # learnt from "Oi! Tem o tênis 38?" as it was recorded
        ("Beatriz Lima", avatar, "pt-BR"),
    ]


async def test_the_lookup_happens_once_per_new_identity(messenger: MetaChannel) -> None:
    messenger.graph.add_profile(messenger.page.id, CUSTOMER, first_name="Rafael")
    await write(messenger, "first")
    await write(messenger, "second, before the lookup ran")
    assert await pending_lookups(messenger) == 1
    await run_jobs(messenger.runtime)
    await write(messenger, "third")
    await run_jobs(messenger.runtime)

    assert len(profile_requests(messenger)) == 1
    assert await pending_lookups(messenger) == 0
    contact = await contact_of(messenger)
    assert (contact["name"], contact["avatar_url"]) == ("Rafael", None)  # no picture set


async def test_a_name_an_agent_typed_is_not_overwritten(messenger: MetaChannel) -> None:
    messenger.graph.add_profile(messenger.page.id, CUSTOMER, first_name="Linh", last_name="Tran")
    await write(messenger, "Hello")
    contact_id = (await contact_of(messenger))["id"]
    async with messenger.world.client("bob") as bob:
        renamed = await bob.patch(
            f"/api/v1/contacts/{contact_id}", json={"name": "Linh (VIP, Hanoi store)"}
        )
    assert renamed.status_code == 200, renamed.text

    await run_jobs(messenger.runtime)

    assert len(profile_requests(messenger)) == 1
    contact = await contact_of(messenger)
    assert contact["name"] == "Linh (VIP, Hanoi store)"
    assert [i["profile_name"] for i in contact["identities"]] == ["Linh Tran"]


async def test_a_refused_lookup_leaves_the_contact_and_keeps_the_message(
    messenger: MetaChannel,
) -> None:
    await write(messenger, "Do you ship to Recife?")  # a PSID Meta has no profile for
    await run_jobs(messenger.runtime)

    [asked] = profile_requests(messenger)
    assert asked.path.endswith(f"/{CUSTOMER}")
    contact = await contact_of(messenger)
    assert (contact["name"], contact["avatar_url"]) == (CUSTOMER, None)
    inbound = [
        m.body
        for m in await messages_of(messenger.runtime, messenger.channel_id)
        if m.direction == "inbound"
    ]
    assert inbound == ["Do you ship to Recife?"]
    assert await pending_lookups(messenger) == 0  # ended, not retried

    await write(messenger, "Hello?")  # nor asked again on the next message
    await run_jobs(messenger.runtime)
    assert len(profile_requests(messenger)) == 1
    assert await pending_lookups(messenger) == 0


async def test_a_server_error_is_retried_with_backoff_then_the_name_arrives(
    messenger: MetaChannel, clock: FrozenClock
) -> None:
    messenger.graph.add_profile(messenger.page.id, CUSTOMER, first_name="Emma", last_name="Clarke")
    messenger.graph.fail_next_profile("server")
    await write(messenger, "Hi")
    await run_jobs(messenger.runtime)

    assert (await contact_of(messenger))["name"] == CUSTOMER
    async with messenger.runtime.database.read_session() as db:
        job = await db.scalar(select(Job).where(Job.kind == "fetch_contact_profile"))
    assert job is not None
    assert (job.status, job.attempts) == ("pending", 1)
    assert job.run_at > clock.now()

    clock.advance(seconds=3600)
    await run_jobs(messenger.runtime)
    assert len(profile_requests(messenger)) == 2
    assert (await contact_of(messenger))["name"] == "Emma Clarke"


async def test_each_page_asks_about_its_own_psid_with_its_own_token(
    messenger: MetaChannel,
) -> None:
    """Two Pages see the same person under different PSIDs: each asks with its own token."""
    second = await connect(messenger.world, messenger.graph, "200000000000001")
    messenger.graph.add_profile(messenger.page.id, CUSTOMER, first_name="Júlia")
    other_psid = "7000000000000001"
    messenger.graph.add_profile(second.page.id, other_psid, first_name="Júlia", last_name="R.")
    await write(messenger, "Oi")
    await write(second, "Oi de novo", sender=other_psid)
    await run_jobs(messenger.runtime)

    assert (await contact_of(messenger))["name"] == "Júlia"
    assert (await contact_of(second, other_psid))["name"] == "Júlia R."
    [to_second] = profile_requests(second, other_psid)
    assert to_second.headers["authorization"] == f"Bearer {second.page.access_token}"


async def test_a_picture_that_is_not_an_image_is_left_out_but_the_name_is_kept(
    messenger: MetaChannel,
) -> None:
    page = b"<!doctype html><title>Login required</title>"
    messenger.graph.add_profile(
        messenger.page.id, CUSTOMER, first_name="Ana", picture=(page, "text/html")
    )
    await write(messenger, "Oi")
    await run_jobs(messenger.runtime)

    contact = await contact_of(messenger)
    assert (contact["name"], contact["avatar_url"]) == ("Ana", None)
    assert any(r.path.startswith("/cdn/") for r in messenger.graph.requests)  # it was fetched


async def test_a_lookup_only_reaches_an_identity_of_its_own_workspace(
    messenger: MetaChannel,
) -> None:
    """The job names its workspace; an identity of another workspace is not found, not asked
    about and not changed."""
    messenger.graph.add_profile(messenger.page.id, CUSTOMER, first_name="Beatriz")
    await write(messenger, "Oi!")
    async with messenger.runtime.database.read_session() as db:
        identity = (
            await db.scalars(select(ContactIdentity).where(ContactIdentity.provider_id == CUSTOMER))
        ).one()
    other = messenger.world.other.workspace.id
    await fetch_contact_profile(
        messenger.runtime, {"workspace_id": str(other), "identity_id": str(identity.id)}
    )
    assert profile_requests(messenger) == []
    assert (await contact_of(messenger))["name"] == CUSTOMER

"""An Instagram sender's name, username and picture, asked of the User Profile API after the
webhook (`fields=name,username,profile_pic`) with the account's token."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.contacts.models import ContactIdentity
from tests.channels.instagram.test_instagram import IG_ID, graph, settings
from tests.channels.messenger.conftest import MetaChannel, connect, messages_of, run_jobs
from tests.channels.messenger.test_profiles import (
    contact_of,
    pending_lookups,
    portrait,
    profile_requests,
    write,
)
from tests.conftest import World
from tests.fakes.messenger import FakeGraph

__all__ = ["graph", "settings"]

IGSID = "1254459154682919"


@pytest.fixture
async def instagram(world: World, graph: FakeGraph) -> MetaChannel:
    return await connect(world, graph, IG_ID, kind="instagram")


async def _identity(channel: MetaChannel) -> ContactIdentity:
    async with channel.runtime.database.read_session() as db:
        found = await db.scalar(
            select(ContactIdentity).where(
                ContactIdentity.channel_id == channel.channel_id,
                ContactIdentity.provider_id == IGSID,
            )
        )
    assert found is not None
    return found


async def test_a_new_sender_gets_their_name_username_and_picture(
    instagram: MetaChannel,
) -> None:
    instagram.graph.add_profile(
        IG_ID,
        IGSID,
        name="Júlia Rocha",
        username="julia.rocha",
        picture=(portrait(), "image/jpeg"),
    )
    await write(instagram, "Mandei meu currículo pelo direct, chegou?", sender=IGSID)
    await write(instagram, "?", sender=IGSID)
    await run_jobs(instagram.runtime)

    [asked] = profile_requests(instagram, IGSID)
    assert asked.headers["authorization"] == f"Bearer {instagram.page.access_token}"
    contact = await contact_of(instagram, IGSID)
    assert contact["name"] == "Júlia Rocha"
    assert contact["avatar_url"].startswith("/api/v1/attachments/")
    identity = await _identity(instagram)
    assert identity.extra["username"] == "julia.rocha"
    assert identity.profile_name == "Júlia Rocha"


async def test_a_sender_without_a_name_is_shown_by_their_username(
    instagram: MetaChannel,
) -> None:
    instagram.graph.add_profile(IG_ID, IGSID, username="linh.tran")
    await write(instagram, "Chào bạn", sender=IGSID)
    await run_jobs(instagram.runtime)

    contact: dict[str, Any] = await contact_of(instagram, IGSID)
    assert (contact["name"], contact["avatar_url"]) == ("linh.tran", None)


async def test_a_refused_lookup_leaves_the_contact_and_is_not_retried(
    instagram: MetaChannel,
) -> None:
    await write(instagram, "Oi!", sender=IGSID)  # an IGSID the account cannot see
    await run_jobs(instagram.runtime)
    await write(instagram, "Oi de novo", sender=IGSID)
    await run_jobs(instagram.runtime)

    assert len(profile_requests(instagram, IGSID)) == 1
    assert await pending_lookups(instagram) == 0
    assert (await contact_of(instagram, IGSID))["name"] == IGSID
    inbound = [
        m.body
        for m in await messages_of(instagram.runtime, instagram.channel_id)
        if m.direction == "inbound"
    ]
    assert sorted(inbound) == ["Oi de novo", "Oi!"]

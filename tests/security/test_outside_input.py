"""Input that names things outside the product is refused: a profile picture must be one
uploaded to Frontdesk (never an outside URL every agent's and visitor's browser would load),
and per-channel limits name channel types the workspace has."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from frontdesk.core.routing.models import AgentStatus
from frontdesk.core.runtime import Runtime
from tests.conftest import World

PICTURE = f"/api/v1/attachments/{uuid.UUID(int=7)}/thumbnail"


@pytest.mark.parametrize(
    "outside",
    [
        "https://tracker.example/pixel.png",
        "//tracker.example/pixel.png",
        "javascript:alert(1)",
        "data:image/svg+xml,<svg onload=alert(1)>",
        f"{PICTURE}?then=https://tracker.example",
        f"/api/v1/attachments/{uuid.UUID(int=7)}/../../me",
    ],
)
async def test_a_profile_picture_from_outside_is_refused(world: World, outside: str) -> None:
    async with world.client("bob") as bob:
        refused = await bob.patch("/api/v1/me", json={"avatar_url": outside})
        me = await bob.get("/api/v1/me")
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"]["details"]["field"] == "avatar_url"
    assert me.json()["user"]["avatar_url"] is None


async def test_an_uploaded_picture_is_accepted_and_can_be_removed(world: World) -> None:
    from io import BytesIO

    from PIL import Image

    png = BytesIO()
    Image.new("RGB", (32, 32)).save(png, format="PNG")
    async with world.client("bob") as bob:
        up = await bob.post("/api/v1/attachments", files={"file": ("me.png", png.getvalue())})
        picture = f"/api/v1/attachments/{up.json()['id']}/thumbnail"
        kept = await bob.patch("/api/v1/me", json={"avatar_url": picture})
        removed = await bob.patch("/api/v1/me", json={"avatar_url": None})
    assert kept.status_code == 200, kept.text
    assert kept.json()["user"]["avatar_url"] == picture
    assert removed.status_code == 200


async def test_channel_limits_name_the_workspace_s_channel_types(
    world: World, runtime: Runtime
) -> None:
    bob = world.persona("bob")
    url = f"/api/v1/agents/{bob.user.id}/capacity"
    async with world.client("alice") as alice:
        unknown = await alice.put(url, json={"capacity": 3, "channel_capacity": {"fax": 2}})
        absent = await alice.put(url, json={"capacity": 3, "channel_capacity": {"webchat": 1}})
        kept = await alice.put(
            url, json={"capacity": 3, "channel_capacity": {"whatsapp": 2, "email": 1}}
        )
    for refused in (unknown, absent):  # webchat: a type, but this workspace has no such channel
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["details"]["field"] == "channel_capacity"
    assert kept.status_code == 200, kept.text
    assert kept.json()["channel_capacity"] == {"whatsapp": 2, "email": 1}
    async with runtime.database.read_session() as db:
        status = await db.scalar(
            select(AgentStatus).where(
                AgentStatus.workspace_id == world.acme.id, AgentStatus.user_id == bob.id
            )
        )
    assert status is not None
    assert status.channel_capacity == {"whatsapp": 2, "email": 1}

"""Acme's objects for the tenant sweep: a draft broadcast on its WhatsApp channel."""

from __future__ import annotations

from frontdesk.core.runtime import Runtime
from tests.conftest import World


async def acme_broadcasts_objects(runtime: Runtime, world: World) -> dict[str, str]:
    async with world.client("alice") as alice:
        made = await alice.post(
            "/api/v1/broadcasts",
            json={
                "name": "Open day",
                "channel_id": str(world.acme.channels["whatsapp"].id),
                "content": {"kind": "text", "body": "Come and see us on Saturday"},
            },
        )
    assert made.status_code == 201, made.text
    return {"broadcast_id": made.json()["id"]}

"""Acme for the tenant sweep: similar conversations turned on through the settings action, so
the similar-conversation and suggested-reply routes answer acme's members. No new parameter
names: those routes take a conversation id."""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.similarity.schemas import SimilaritySettingsUpdate
from frontdesk.core.similarity.settings import update_similarity_settings
from tests.conftest import World


async def acme_similar_objects(runtime: Runtime, world: World) -> dict[str, str]:
    alice = world.acme.members["alice"]
    actor = Actor(workspace_id=world.acme.id, role="owner", user_id=alice.id)
    async with runtime.uow() as uow:
        await update_similarity_settings(uow, actor, SimilaritySettingsUpdate(is_enabled=True))
        await uow.commit()
    return {}

"""Similar conversations in the demo: each workspace's owner turns the feature on (the
settings action, audited like any change), then the embeddings job runs one small batch, the
most recent conversations first, so the conversations at the top of the inbox show their
similar ones and suggested replies at once. The job's chain embeds the rest once the server
runs.
"""

from __future__ import annotations

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.similarity.schemas import SimilaritySettingsUpdate
from frontdesk.core.similarity.settings import update_similarity_settings
from frontdesk.core.workspaces.models import Role
from frontdesk.demo.workspace import DemoWorkspace
from frontdesk.jobs.embeddings import embed_conversations

# Conversations (and canned responses) embedded while the demo is made: a batch the size of a
# screenful of the inbox, so making the demo stays quick on two cores.
DEMO_BATCH = {"once": True, "max_batches": 1, "batch_size": 20}


async def seed_similarity(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    for dw in workspaces:
        actor = Actor(workspace_id=dw.row.id, role=Role.OWNER, user_id=dw.owner.id)
        async with runtime.uow() as uow:
            await update_similarity_settings(uow, actor, SimilaritySettingsUpdate(is_enabled=True))
            await uow.commit()
    await embed_conversations(runtime, DEMO_BATCH)

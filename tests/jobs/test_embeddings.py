"""The embeddings job: batched, idempotent, only for workspaces that turned the feature on."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update

from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.similarity.models import CannedResponseEmbedding, ConversationEmbedding
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.jobs.embeddings import EMBED_JOB, embed_conversations, ensure_embedding_chain
from tests.api.test_canned_responses import add_canned
from tests.api.test_similar import enable
from tests.conftest import FrozenClock, World


async def rows(runtime: Runtime) -> dict[str, datetime]:
    async with runtime.database.read_session() as db:
        found = await db.execute(
            select(ConversationEmbedding.conversation_id, ConversationEmbedding.computed_at)
        )
        return {str(cid): at for cid, at in found}


async def computed_events(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return int(
            await db.scalar(
                select(func.count())
                .select_from(EventLogEntry)
                .where(EventLogEntry.type == "similarity.embeddings_computed")
            )
            or 0
        )


async def customer_writes(runtime: Runtime, conversation: Conversation, body: str) -> None:
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        s.add(
            Message(
                workspace_id=conversation.workspace_id,
                conversation_id=conversation.id,
                channel_id=conversation.channel_id,
                direction="inbound",
                sender_type="contact",
                kind="text",
                body=body,
                attachments=[],
                mentions=[],
                status="received",
                created_at=now,
                updated_at=now,
            )
        )
        await s.execute(
            update(Conversation)
            .where(Conversation.id == conversation.id)
            .values(last_inbound_at=now, last_activity_at=now)
        )
        await s.commit()


async def test_nothing_is_embedded_while_the_feature_is_off(world: World, runtime: Runtime) -> None:
    await embed_conversations(runtime, {"once": True})
    assert await rows(runtime) == {}


async def test_the_job_is_idempotent_and_redoes_only_what_changed(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    await enable(world)
    await add_canned(runtime, world.acme.id, "hello", "Hello! How can we help?")
    await embed_conversations(runtime, {"once": True})
    first = await rows(runtime)
    assert len(first) == 3  # acme's three conversations; `other` has the feature off
    assert await computed_events(runtime) == 1
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(CannedResponseEmbedding)) == 1

    clock.advance(minutes=5)
    await embed_conversations(runtime, {"once": True})
    assert await rows(runtime) == first
    assert await computed_events(runtime) == 1

    erin = world.acme.conversations["erin_support"]
    await customer_writes(runtime, erin, "And my invoice is wrong too")
    await embed_conversations(runtime, {"once": True})
    again = await rows(runtime)
    assert [cid for cid in again if again[cid] != first[cid]] == [str(erin.id)]
    assert await computed_events(runtime) == 2


async def test_one_chain_runs_and_schedules_its_next_look(world: World, runtime: Runtime) -> None:
    assert await ensure_embedding_chain(runtime)
    assert not await ensure_embedding_chain(runtime)
    await embed_conversations(runtime, {})
    async with runtime.database.read_session() as db:
        jobs = await db.scalar(select(func.count()).select_from(Job).where(Job.kind == EMBED_JOB))
    assert jobs == 2  # the one started, and the next run it scheduled

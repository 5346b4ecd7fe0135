"""A send-message step's file: uploaded for no conversation (as the builder uploads it), the
same file goes out with the step's message in every conversation the workflow runs in."""

from __future__ import annotations

from frontdesk.core.attachments.models import Attachment
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import RunStatus
from tests.conftest import World
from tests.workflows.conftest import (
    bot_messages,
    definition,
    publish,
    run_jobs,
    runs_of,
    start,
    step,
    webchat,
)


async def test_a_workflow_picture_goes_out_in_each_conversation(
    runtime: Runtime, world: World
) -> None:
    first = await webchat(runtime, world)
    second = await webchat(runtime, world)
    async with runtime.database.write_session() as s:
        picture = Attachment(
            workspace_id=world.acme.id,
            conversation_id=None,
            uploaded_by_user_id=None,
            uploaded_by_contact_id=None,
            name="menu.png",
            content_type="image/png",
            size=68,
            storage_key=f"{world.acme.id}/menu/original",
            thumbnail_key=None,
            width=1,
            height=1,
            created_at=runtime.clock.now(),
        )
        s.add(picture)
        await s.commit()
    flow = await publish(
        runtime,
        world,
        definition(
            [
                step(
                    "say",
                    "send_message",
                    {"text": "Our menu", "attachment_ids": [str(picture.id)]},
                    next="done",
                ),
                step("done", "end"),
            ]
        ),
    )
    for chat in (first, second):
        await start(runtime, flow, chat.conversation_id)
    await run_jobs(runtime)

    assert [r.status for r in await runs_of(runtime, flow.id)] == [RunStatus.COMPLETED] * 2
    for chat in (first, second):
        [sent] = await bot_messages(runtime, chat.conversation_id)
        assert sent.body == "Our menu"
        assert [a["id"] for a in sent.attachments] == [str(picture.id)]
        assert sent.attachments[0]["name"] == "menu.png"
    async with runtime.database.read_session() as db:
        # Still no conversation's: the next run may send it again.
        assert (await db.get_one(Attachment, picture.id)).conversation_id is None

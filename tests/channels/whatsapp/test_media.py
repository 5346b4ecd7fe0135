"""Files customers send: fetched in a job through Meta's media flow (id → URL → bytes with the
token) and stored as attachments of their message."""

from __future__ import annotations

import io

from PIL import Image

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.channels.whatsapp.conftest import WhatsApp, messages_of, run_jobs, runner
from tests.conftest import Published
from tests.fakes.meta import fixture


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(picture, format="PNG")
    return picture.getvalue()


def _image_webhook(media_id: str) -> dict[str, object]:
    body = fixture("image_message")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["image"] = {"mime_type": "image/png", "sha256": "ignored-base64", "id": media_id}
    message["id"] = f"wamid.image-{media_id}"
    return body


async def test_an_image_is_fetched_and_attached_to_its_message(
    whatsapp: WhatsApp, runtime: Runtime, published: Published
) -> None:
    data = _png()
    media_id = whatsapp.graph.add_media(data, "image/png")
    assert (await whatsapp.post(_image_webhook(media_id))).status_code == 200
    published.events.clear()
    await run_jobs(runtime)
    [message] = [m for m in await messages_of(runtime, whatsapp.channel_id) if m.kind == "media"]
    [attachment] = message.attachments
    assert (attachment["content_type"], attachment["size"]) == ("image/png", len(data))
    assert (attachment["width"], attachment["height"]) == (40, 30)
    assert attachment["has_thumbnail"] is True
    media = (message.payload or {})["media"][0]
    assert (media["status"], media["attachment_id"]) == ("stored", attachment["id"])
    assert runtime.storage is not None
    assert await runtime.storage.exists(f"{whatsapp.workspace_id}/{attachment['id']}/original")
    # Meta's flow: the media id with the token, then the URL it gave, with the token again.
    # (The routing notice the new conversation earned goes out to /messages meanwhile.)
    fetches = [r for r in whatsapp.graph.requests if not r.path.endswith("/messages")]
    assert [r.path for r in fetches] == [f"/v25.0/{media_id}", f"/media-download/{media_id}"]
    assert all(
        r.headers["authorization"] == f"Bearer {whatsapp.number.access_token}" for r in fetches
    )
    assert "message.updated" in published.types()
    # The agent sees it with a signed link.
    async with whatsapp.world.client("bob") as bob:
        page = (await bob.get(f"/api/v1/conversations/{message.conversation_id}/messages")).json()
        shown = next(m for m in page["items"] if m["id"] == str(message.id))
        picture = await bob.get(shown["attachments"][0]["url"])
    assert picture.content == data


async def test_a_media_id_meta_no_longer_knows_marks_the_file_failed(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    assert (await whatsapp.post(_image_webhook("expired-id"))).status_code == 200
    await run_jobs(runtime)
    [message] = [m for m in await messages_of(runtime, whatsapp.channel_id) if m.kind == "media"]
    assert message.attachments == []
    media = (message.payload or {})["media"][0]
    assert media["status"] == "failed"
    assert "expired-id" in media["error"]


async def test_a_download_that_fails_for_a_while_is_retried(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    media_id = whatsapp.graph.add_media(_png(), "image/png")
    whatsapp.graph.fail_next("server", times=2, path_contains="/media-download/")
    await whatsapp.post(_image_webhook(media_id))
    await runner(runtime).run_once()
    for _ in range(4):
        clock.advance(minutes=1)
        await run_jobs(runtime)
    [message] = [m for m in await messages_of(runtime, whatsapp.channel_id) if m.kind == "media"]
    assert (message.payload or {})["media"][0]["status"] == "stored"
    assert len(message.attachments) == 1


async def test_a_file_of_a_type_the_inbox_does_not_keep_is_marked_failed(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    media_id = whatsapp.graph.add_media(b"PK\x03\x04 not really a docx", "application/zip")
    body = fixture("document_message")
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message["document"] = {"mime_type": "application/zip", "id": media_id, "filename": "cv.zip"}
    await whatsapp.post(body)
    await run_jobs(runtime)
    [stored] = [m for m in await messages_of(runtime, whatsapp.channel_id) if m.kind == "media"]
    media = (stored.payload or {})["media"][0]
    assert media["status"] == "failed"
    assert stored.attachments == []

"""MMS files fetched from Twilio with the account's credentials, and WhatsApp through Twilio:
`whatsapp:` addresses, the customer's profile name, the 24-hour window and Content templates."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from tests.channels.twilio.conftest import (
    CUSTOMER,
    WHATSAPP_NUMBER,
    Twilio,
    connect,
    messages_of,
    reply,
    run_jobs,
)
from tests.conftest import World
from tests.fakes.twilio import FakeTwilio


def _png() -> bytes:
    picture = io.BytesIO()
    Image.new("RGB", (32, 24), "orange").save(picture, format="PNG")
    return picture.getvalue()


async def test_an_mms_picture_is_fetched_with_the_account_s_credentials(
    sms: Twilio, runtime: Runtime
) -> None:
    data = _png()
    url = sms.fake.add_media(sms.account, data, "image/png")
    sent = await sms.customer_writes("My licence", media=[(url, "image/png")])
    assert sent.status_code == 200
    [message] = await messages_of(runtime, sms.channel_id, "inbound")
    assert (message.kind, message.body) == ("media", "My licence")
    assert (message.provider_message_id or "").startswith("MM")
    await run_jobs(runtime)
    [message] = await messages_of(runtime, sms.channel_id, "inbound")
    [attachment] = message.attachments
    assert (attachment["content_type"], attachment["size"]) == ("image/png", len(data))
    assert (message.payload or {})["media"][0]["status"] == "stored"


async def test_an_agent_s_file_goes_out_as_a_media_url_twilio_can_download(
    sms: Twilio, runtime: Runtime
) -> None:
    await sms.customer_writes("Can I send my CV later?")
    [inbound] = await messages_of(runtime, sms.channel_id, "inbound")
    data = _png()
    async with sms.world.client("alice") as alice:
        uploaded = await alice.post(
            "/api/v1/attachments",
            files={"file": ("map.png", data, "image/png")},
            data={"conversation_id": str(inbound.conversation_id)},
        )
        assert uploaded.status_code == 201, uploaded.text
        sent = await reply(
            sms, inbound.conversation_id, "Here is the map", attachment_ids=[uploaded.json()["id"]]
        )
        assert sent.status_code == 201, sent.text
        await run_jobs(runtime)
        [message] = [m for m in sms.fake.sent if m.body == "Here is the map"]
        assert message.sid.startswith("MM")
        [url] = [v for k, v in message.params if k == "MediaUrl"]
        # A signed link to this Frontdesk that Twilio fetches without signing in.
        assert url.startswith(runtime.public_url)
    async with sms.client() as anyone:
        fetched = await anyone.get(url.removeprefix(runtime.public_url))
    assert fetched.status_code == 200
    assert fetched.content == data


async def test_whatsapp_through_twilio_keeps_the_window_and_sends_templates(
    world: World, fake: FakeTwilio, runtime: Runtime, clock: FrozenClock
) -> None:
    whatsapp = await connect(world, fake, whatsapp=True, name="WhatsApp via Twilio")
    written = await whatsapp.customer_writes("Olá, a vaga ainda está aberta?", profile_name="Ana")
    assert written.status_code == 200
    [inbound] = await messages_of(runtime, whatsapp.channel_id, "inbound")
    conversation = inbound.conversation_id
    async with world.client("bob") as bob:
        read = (await bob.get(f"/api/v1/conversations/{conversation}")).json()
    assert read["window_expires_at"] is not None
    assert (await reply(whatsapp, conversation, "Sim, está!")).status_code == 201
    await run_jobs(runtime)
    [answer] = [m for m in fake.sent if m.body == "Sim, está!"]
    assert (answer.to, answer.from_) == (f"whatsapp:{CUSTOMER}", f"whatsapp:{WHATSAPP_NUMBER}")

    clock.advance(hours=24, minutes=1)
    refused = await reply(whatsapp, conversation, "Still there?")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "window_closed"
    content_sid = fake.add_content(
        whatsapp.account, "interview_reminder", "Hi {{1}}, your interview is at {{2}}."
    )
    fake.add_content(whatsapp.account, "new_offer", "A new job for you: {{1}}", status="pending")
    async with world.client("alice") as alice:
        synced = await alice.post(f"/api/v1/channels/{whatsapp.channel_id}/twilio/templates/sync")
        assert synced.status_code == 200, synced.text
        assert (synced.json()["count"], synced.json()["approved"]) == (2, 1)
        listed = (await alice.get(f"/api/v1/channels/{whatsapp.channel_id}/templates")).json()
    [template_id] = [t["id"] for t in listed if t["name"] == "interview_reminder"]
    template = await reply(
        whatsapp,
        conversation,
        "",
        template={"template_id": template_id, "parameters": ["Ana", "10:00"]},
    )
    assert template.status_code == 201, template.text
    await run_jobs(runtime)
    sent = dict(fake.sent[-1].params)
    assert sent["ContentSid"] == content_sid
    assert sent["ContentVariables"] == '{"1": "Ana", "2": "10:00"}'
    assert "Body" not in sent
    # WhatsApp reports "read" through Twilio's status callback.
    async with whatsapp.client() as http:
        assert (await fake.post_status(fake.sent[-1].sid, "read", client=http)).status_code == 200
    [message] = [
        m
        for m in await messages_of(runtime, whatsapp.channel_id, "outbound")
        if m.id == uuid.UUID(template.json()["id"])
    ]
    assert message.status == "read"

"""An SMS number through Twilio, end to end: signed inbound messages, replies through the fake
Twilio API with their segments, status callbacks in any order, STOP and UNSTOP, MMS files."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select

from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation, DeliveryReceipt, Message
from frontdesk.core.runtime import Runtime
from tests.channels.twilio.conftest import CUSTOMER, Twilio, messages_of, reply, run_jobs
from tests.fakes.twilio import FakeTwilio, twilio_signature


async def _stored_on(runtime: Runtime, channel_id: uuid.UUID) -> list[int]:
    """How many messages, conversations and customer identities the channel has."""
    counts = []
    async with runtime.database.read_session() as db:
        for model in (Message, Conversation, ContactIdentity):
            query = select(func.count()).select_from(model).where(model.channel_id == channel_id)
            counts.append(int(await db.scalar(query) or 0))
    return counts


async def _message(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


async def test_a_forged_signature_gets_403_and_stores_nothing(
    sms: Twilio, runtime: Runtime
) -> None:
    form = sms.form("Is the driver job open?")
    forged = await sms.post(form, signature="AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "forbidden"
    # Signed with another account's token, or with the body changed after signing.
    other = sms.fake.add_account("+15005550009")
    async with sms.client() as http:
        wrong_key = await sms.fake.post_inbound(other, sms.url, form, client=http)
    assert wrong_key.status_code == 403
    signed = twilio_signature(sms.account.auth_token, sms.url, form)
    altered = [(k, "Send me your bank details" if k == "Body" else v) for k, v in form]
    assert (await sms.post(altered, signature=signed)).status_code == 403
    unsigned = await sms.client().post(sms.url, data=dict(form))
    assert unsigned.status_code == 403
    assert await _stored_on(runtime, sms.channel_id) == [0, 0, 0]


async def test_a_customer_texts_in_and_an_agent_replies_with_segments_and_statuses(
    sms: Twilio, runtime: Runtime
) -> None:
    first = await sms.customer_writes("Is the driver job open?")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/xml")
    assert first.text.endswith("<Response></Response>")
    # Twilio does not retry, but a proxy might: the same MessageSid is stored once.
    [(_, form, _)] = sms.fake.posted
    assert (await sms.post(form)).status_code == 200
    [inbound] = await messages_of(runtime, sms.channel_id, "inbound")
    assert inbound.body == "Is the driver job open?"
    assert inbound.provider_message_id == dict(form)["MessageSid"]
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == sms.channel_id)
        )
    assert identity is not None
    assert identity.provider_id == CUSTOMER

    long_reply = "Yes, it is open: " + " ".join(["the route covers the whole north side."] * 5)
    gsm = await reply(sms, inbound.conversation_id, long_reply)
    assert gsm.status_code == 201, gsm.text
    unicode_reply = " ".join(["Olá! A vaga é sua se quiser 🚚"] * 3)  # 92 UTF-16 units
    ucs2 = await reply(sms, inbound.conversation_id, unicode_reply)
    assert ucs2.status_code == 201
    await run_jobs(runtime)
    # (routing may have sent the customer an automatic notice first)
    by_body = {m.body: m for m in sms.fake.sent}
    first_sent, second_sent = by_body[long_reply], by_body[unicode_reply]
    assert (first_sent.to, first_sent.from_, first_sent.body) == (CUSTOMER, sms.number, long_reply)
    assert len(long_reply) == 211  # past 160 GSM-7 characters: two segments of up to 153
    assert (first_sent.encoding, first_sent.num_segments) == ("GSM-7", 2)
    assert (second_sent.encoding, second_sent.num_segments) == ("UCS-2", 2)
    assert first_sent.status_callback == f"{sms.url}/status"
    message = await _message(runtime, gsm.json()["id"])
    assert (message.status, message.provider_message_id) == ("sent", first_sent.sid)

    # Status callbacks in any order: delivered, then a late sent; the status never goes back.
    assert (await sms.status(first_sent.sid, "delivered")).status_code == 200
    assert (await sms.status(first_sent.sid, "sent")).status_code == 200
    assert (await sms.status(first_sent.sid, "delivered")).status_code == 200  # duplicate
    assert (await _message(runtime, gsm.json()["id"])).status == "delivered"
    # A failure with Twilio's error code, shown in words.
    assert (await sms.status(second_sent.sid, "undelivered", error_code=30003)).status_code == 200
    failed = await _message(runtime, ucs2.json()["id"])
    assert failed.status == "failed"
    assert failed.error is not None
    assert failed.error["code"] == "30003"
    assert "unreachable" in failed.error["message"]
    async with runtime.database.read_session() as db:
        stored = await db.scalar(
            select(func.count())
            .select_from(DeliveryReceipt)
            .where(DeliveryReceipt.provider_message_id == first_sent.sid)
        )
    assert stored == 2  # delivered and sent, each once


async def test_a_status_that_arrives_before_its_message_is_applied_later(
    sms: Twilio, runtime: Runtime, fake: FakeTwilio
) -> None:
    """Twilio's callback can beat the API's own answer being recorded: the report is parked
    and applied once the message knows its sid."""
    await sms.customer_writes("Hello")
    [inbound] = await messages_of(runtime, sms.channel_id, "inbound")
    sent = await reply(sms, inbound.conversation_id, "Hi! How can we help?")
    assert sent.status_code == 201
    # The fake accepts the send and reports "delivered" before answering the API call, so
    # the report reaches the app before the delivery job records the sid.
    async with sms.client() as http:
        fake.webhook_client, fake.status_before_answer = http, "delivered"
        await run_jobs(runtime)
    [ours] = [m for m in fake.sent if m.body == "Hi! How can we help?"]
    [(_, report, code)] = [p for p in fake.posted if ("MessageSid", ours.sid) in p[1]]
    assert code == 200
    assert dict(report)["MessageStatus"] == "delivered"
    async with runtime.database.read_session() as db:
        receipt = await db.scalar(
            select(DeliveryReceipt).where(DeliveryReceipt.provider_message_id == ours.sid)
        )
    assert receipt is not None  # stored at once, though no message had this sid yet
    message = await _message(runtime, sent.json()["id"])
    assert message.provider_message_id == ours.sid
    assert message.status == "delivered"

"""STOP and UNSTOP on an SMS number: the keyword is kept as the customer's message, the customer
is marked opted out on that number (an event says so), a reply is refused with a clear 409
before anything is stored, and START / UNSTOP lets agents write again."""

from __future__ import annotations

from sqlalchemy import select

from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from tests.channels.twilio.conftest import CUSTOMER, Twilio, messages_of, reply, run_jobs
from tests.conftest import Published


async def _opted_out(runtime: Runtime, twilio: Twilio) -> object:
    async with runtime.database.read_session() as db:
        identity = await db.scalar(
            select(ContactIdentity).where(ContactIdentity.channel_id == twilio.channel_id)
        )
    assert identity is not None
    return (identity.extra or {}).get("opted_out")


def _opt_outs_published(published: Published, twilio: Twilio) -> list[bool]:
    """Whether each `contact.updated` event showed the customer opted out on the channel,
    each time that changed."""
    seen: list[bool] = []
    for event in published.events:
        if event.type not in ("contact.created", "contact.updated"):
            continue
        for identity in event.payload["identities"]:
            if identity["channel_id"] == str(twilio.channel_id):
                state = "opted_out_at" in identity
                if not seen or seen[-1] != state:
                    seen.append(state)
    return seen


async def test_stop_refuses_replies_until_unstop(
    sms: Twilio, runtime: Runtime, published: Published
) -> None:
    await sms.customer_writes("Hi, I applied last week")
    [first] = await messages_of(runtime, sms.channel_id, "inbound")
    conversation = first.conversation_id
    async with runtime.database.read_session() as db:
        contact_id = (await db.get_one(Conversation, conversation)).contact_id
    assert await _opted_out(runtime, sms) is None
    assert (await reply(sms, conversation, "Thanks, we are on it")).status_code == 201

    assert (await sms.customer_writes(" Stop ")).status_code == 200
    state = await _opted_out(runtime, sms)
    assert isinstance(state, dict)
    assert state["keyword"] == "STOP"
    assert _opt_outs_published(published, sms) == [False, True]
    texts = [m.body for m in await messages_of(runtime, sms.channel_id, "inbound")]
    assert texts == ["Hi, I applied last week", " Stop "]  # the keyword is kept as written

    # The contact shows it, on that channel's identity.
    async with sms.world.client("bob") as bob:
        contact = (await bob.get(f"/api/v1/contacts/{contact_id}")).json()
    [identity] = [i for i in contact["identities"] if i["channel_id"] == str(sms.channel_id)]
    assert identity["opted_out_at"] is not None
    outbound_before = len(await messages_of(runtime, sms.channel_id, "outbound"))
    refused = await reply(sms, conversation, "Are you sure?")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "opted_out"
    assert "START" in error["message"]
    assert error["details"]["keyword"] == "STOP"
    assert len(await messages_of(runtime, sms.channel_id, "outbound")) == outbound_before

    assert (await sms.customer_writes("UNSTOP")).status_code == 200
    assert await _opted_out(runtime, sms) is None
    async with sms.world.client("bob") as bob:
        contact = (await bob.get(f"/api/v1/contacts/{contact_id}")).json()
    assert [i.get("opted_out_at") for i in contact["identities"]] == [None]
    again = await reply(sms, conversation, "Welcome back!")
    assert again.status_code == 201, again.text
    await run_jobs(runtime)
    assert "Welcome back!" in [m.body for m in sms.fake.sent]
    assert _opt_outs_published(published, sms) == [False, True, False]
    # HELP changes nothing.
    await sms.customer_writes("help")
    assert await _opted_out(runtime, sms) is None

    # A STOP Frontdesk never saw (sent before the channel was connected): Twilio refuses the
    # send with 21610, and the message fails as opted out, not retried.
    sms.fake.opted_out.add((sms.number, CUSTOMER))
    late = await reply(sms, conversation, "One more thing")
    assert late.status_code == 201
    await run_jobs(runtime)
    [failed] = [
        m
        for m in await messages_of(runtime, sms.channel_id, "outbound")
        if m.body == "One more thing"
    ]
    assert failed.status == "failed"
    assert failed.error is not None
    assert failed.error["code"] == "opted_out"

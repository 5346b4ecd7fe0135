"""Agents answering on WhatsApp: delivery jobs calling the fake Graph API over real HTTP."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import DeliveryReceipt, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import Job
from tests.channels.whatsapp.conftest import WhatsApp, messages_of, run_jobs, runner
from tests.fakes.meta import status_webhook, text_webhook

CUSTOMER = "5511987654321"


async def _customer_writes(whatsapp: WhatsApp, text: str = "Hi, is the job open?") -> str:
    """The customer writes in and routing has its say (its queue notice goes out); returns the
    conversation id, with the fake's record cleared."""
    body = text_webhook(whatsapp.number, CUSTOMER, "Carla", text, wamid="wamid.in-" + text[:4])
    assert (await whatsapp.post(body)).status_code == 200
    runtime: Runtime = whatsapp.world.app.state.runtime  # type: ignore[attr-defined]
    await run_jobs(runtime)
    whatsapp.graph.sent.clear()
    whatsapp.graph.requests.clear()
    inbound = [
        m for m in await messages_of(runtime, whatsapp.channel_id) if m.direction == "inbound"
    ]
    return str(inbound[-1].conversation_id)


async def _reply(whatsapp: WhatsApp, conversation_id: str, **fields: Any) -> Any:
    body = {"client_message_id": uuid.uuid4().hex, **fields}
    async with whatsapp.world.client("bob") as bob:
        return await bob.post(f"/api/v1/conversations/{conversation_id}/messages", json=body)


async def _message(runtime: Runtime, message_id: str) -> Message:
    async with runtime.database.read_session() as db:
        return await db.get_one(Message, uuid.UUID(message_id))


def _sent_bodies(whatsapp: WhatsApp) -> list[dict[str, Any]]:
    return [{k: v for k, v in s.items() if not k.startswith("_")} for s in whatsapp.graph.sent]


async def test_a_text_reply_is_sent_and_then_follows_meta_s_statuses(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp)
    sent = await _reply(whatsapp, conversation, body="Yes! Send us your CV: https://acme.test/cv")
    assert sent.status_code == 201, sent.text
    whatsapp.graph.next_wamids.append("wamid.reply-1")
    await run_jobs(runtime)
    assert _sent_bodies(whatsapp) == [
        {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": CUSTOMER,
            "type": "text",
            "text": {"preview_url": True, "body": "Yes! Send us your CV: https://acme.test/cv"},
            # Echoed in the message's status reports (test_unconfirmed_sends.py).
            "biz_opaque_callback_data": sent.json()["id"],
        }
    ]
    request = whatsapp.graph.requests[-1]
    assert request.headers["authorization"] == f"Bearer {whatsapp.number.access_token}"
    message = await _message(runtime, sent.json()["id"])
    assert (message.status, message.provider_message_id) == ("sent", "wamid.reply-1")
    # Meta reports read, then a late delivered: read stays.
    for status in ("read", "delivered", "sent"):
        report = status_webhook(whatsapp.number, "wamid.reply-1", status, CUSTOMER)
        assert (await whatsapp.post(report)).status_code == 200
    assert (await _message(runtime, sent.json()["id"])).status == "read"


async def test_a_quoted_reply_carries_the_context_of_the_customer_s_message(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp, "Which shift?")
    [inbound] = [
        m
        for m in await messages_of(runtime, whatsapp.channel_id)
        if m.kind == "text" and m.direction == "inbound"
    ]
    sent = await _reply(
        whatsapp, conversation, body="The morning one", reply_to_message_id=str(inbound.id)
    )
    assert sent.status_code == 201
    assert sent.json()["reply_to_message_id"] == str(inbound.id)
    await run_jobs(runtime)
    assert whatsapp.graph.sent[0]["context"] == {"message_id": inbound.provider_message_id}


async def test_outside_the_24_hour_window_only_a_template_is_accepted(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await _customer_writes(whatsapp)
    whatsapp.graph.add_template(
        whatsapp.number.business_account_id, "follow_up", "Hi {{1}}, still interested?"
    )
    async with whatsapp.world.client("alice") as alice:
        synced = await alice.post(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/templates/sync")
    assert synced.status_code == 200
    clock.advance(hours=23, minutes=59)
    assert (await _reply(whatsapp, conversation, body="still inside")).status_code == 201
    clock.advance(minutes=2)
    refused = await _reply(whatsapp, conversation, body="too late")
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "window_closed"
    assert error["details"]["allowed_kinds"] == ["template"]
    async with whatsapp.world.client("bob") as bob:
        read = (await bob.get(f"/api/v1/conversations/{conversation}")).json()
        templates = (await bob.get(f"/api/v1/channels/{whatsapp.channel_id}/templates")).json()
    assert read["window_expires_at"] == error["details"]["window_expires_at"].replace("+00:00", "Z")
    template = await _reply(
        whatsapp,
        conversation,
        template={"template_id": templates[0]["id"], "parameters": ["Carla"]},
    )
    assert template.status_code == 201, template.text
    assert template.json()["kind"] == "template"
    assert template.json()["body"] == "Hi Carla, still interested?"
    await run_jobs(runtime)
    assert _sent_bodies(whatsapp)[-1]["template"] == {
        "name": "follow_up",
        "language": {"code": "en_US"},
        "components": [{"type": "body", "parameters": [{"type": "text", "text": "Carla"}]}],
    }
    assert (await _message(runtime, template.json()["id"])).status == "sent"


async def test_templates_are_synced_with_paging_and_checked_before_sending(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    account = whatsapp.number.business_account_id
    for n in range(104):
        whatsapp.graph.add_template(account, f"notice_{n:03}", "Notice {{1}} of {{2}}")
    whatsapp.graph.add_template(account, "draft", "Not yet", status="PENDING")
    async with whatsapp.world.client("alice") as alice:
        synced = await alice.post(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/templates/sync")
        assert synced.json() == {"count": 105, "approved": 104, "removed": 0}
        whatsapp.graph.templates[account] = whatsapp.graph.templates[account][:1]
        again = await alice.post(f"/api/v1/channels/{whatsapp.channel_id}/whatsapp/templates/sync")
        assert again.json() == {"count": 1, "approved": 1, "removed": 104}
        listed = (await alice.get(f"/api/v1/channels/{whatsapp.channel_id}/templates")).json()
    assert [(t["name"], t["parameter_count"], t["status"]) for t in listed] == [
        ("notice_000", 2, "APPROVED")
    ]
    conversation = await _customer_writes(whatsapp)
    wrong = await _reply(
        whatsapp, conversation, template={"template_id": listed[0]["id"], "parameters": ["1"]}
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["field"] == "template.parameters"
    unknown = await _reply(
        whatsapp, conversation, template={"template_id": str(uuid.uuid4()), "parameters": []}
    )
    assert unknown.status_code == 422


async def test_buttons_and_lists_go_out_as_interactive_messages(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp)
    buttons = await _reply(
        whatsapp,
        conversation,
        body="Can you come on Monday?",
        interactive={
            "type": "buttons",
            "buttons": [{"id": "yes", "title": "Yes"}, {"id": "no", "title": "No"}],
        },
    )
    listing = await _reply(
        whatsapp,
        conversation,
        body="Pick a store",
        interactive={
            "type": "list",
            "button_label": "Stores",
            "sections": [
                {"title": "São Paulo", "rows": [{"id": "sp1", "title": "Paulista"}]},
                {
                    "title": "Rio",
                    "rows": [{"id": "rj1", "title": "Copacabana", "description": "Av. Atlântica"}],
                },
            ],
        },
    )
    assert (buttons.status_code, listing.status_code) == (201, 201)
    await run_jobs(runtime)
    first, second = _sent_bodies(whatsapp)
    assert first["interactive"] == {
        "type": "button",
        "body": {"text": "Can you come on Monday?"},
        "action": {
            "buttons": [
                {"type": "reply", "reply": {"id": "yes", "title": "Yes"}},
                {"type": "reply", "reply": {"id": "no", "title": "No"}},
            ]
        },
    }
    assert second["interactive"]["action"] == {
        "button": "Stores",
        "sections": [
            {"title": "São Paulo", "rows": [{"id": "sp1", "title": "Paulista"}]},
            {
                "title": "Rio",
                "rows": [{"id": "rj1", "title": "Copacabana", "description": "Av. Atlântica"}],
            },
        ],
    }
    too_many = await _reply(
        whatsapp,
        conversation,
        body="?",
        interactive={
            "type": "buttons",
            "buttons": [{"id": str(i), "title": "x"} for i in range(4)],
        },
    )
    assert too_many.status_code == 422


async def test_a_file_is_uploaded_to_meta_then_sent_with_the_text_as_caption(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp)
    picture = io.BytesIO()
    Image.new("RGB", (16, 16), "blue").save(picture, format="PNG")
    async with whatsapp.world.client("bob") as bob:
        uploaded = await bob.post(
            "/api/v1/attachments",
            files={"file": ("map.png", picture.getvalue(), "image/png")},
            data={"conversation_id": conversation},
        )
    assert uploaded.status_code == 201
    sent = await _reply(
        whatsapp, conversation, body="Here is the map", attachment_ids=[uploaded.json()["id"]]
    )
    assert sent.status_code == 201
    await run_jobs(runtime)
    upload = next(r for r in whatsapp.graph.requests if r.path.endswith("/media"))
    assert upload.form is not None
    assert upload.form["file"][0] == picture.getvalue()
    assert upload.form["messaging_product"] == "whatsapp"
    [media] = _sent_bodies(whatsapp)
    assert media["type"] == "image"
    assert media["image"]["caption"] == "Here is the map"
    assert whatsapp.graph.media[media["image"]["id"]] == (picture.getvalue(), "image/png")
    assert (await _message(runtime, sent.json()["id"])).status == "sent"


async def test_throttling_waits_and_keeps_the_conversation_s_order(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await _customer_writes(whatsapp)
    whatsapp.graph.fail_next("throttle")
    first = await _reply(whatsapp, conversation, body="first")
    second = await _reply(whatsapp, conversation, body="second")
    await run_jobs(runtime)
    assert whatsapp.graph.sent == []  # 130429 on the first; the second waits behind it
    statuses = [(await _message(runtime, r.json()["id"])).status for r in (first, second)]
    assert statuses == ["pending", "pending"]
    async with runtime.database.read_session() as db:
        jobs = list(
            await db.scalars(select(Job).where(Job.kind == "deliver_message").order_by(Job.id))
        )
    assert [j.attempts for j in jobs] == [0, 0]  # waiting is not failing
    assert "130429" in (jobs[0].last_error or "")
    for _ in range(20):
        clock.advance(seconds=5)
        await run_jobs(runtime)
    assert [s["text"]["body"] for s in whatsapp.graph.sent] == ["first", "second"]
    statuses = [(await _message(runtime, r.json()["id"])).status for r in (first, second)]
    assert statuses == ["sent", "sent"]


async def test_server_errors_are_retried_with_backoff_and_sent_once(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    conversation = await _customer_writes(whatsapp)
    whatsapp.graph.fail_next("server", times=2)
    sent = await _reply(whatsapp, conversation, body="hello")
    await runner(runtime).run_once()
    assert (await _message(runtime, sent.json()["id"])).status == "pending"
    for _ in range(3):
        clock.advance(minutes=1)
        await run_jobs(runtime)
    assert len(whatsapp.graph.sent) == 1
    assert (await _message(runtime, sent.json()["id"])).status == "sent"


@pytest.mark.parametrize(
    ("kind", "code", "reason"),
    [
        ("undeliverable", "131026", "Unable to deliver message"),
        ("window", "131047", "More than 24 hours have passed since the recipient last replied"),
    ],
)
async def test_a_permanent_error_shows_meta_s_reason_on_the_message(
    whatsapp: WhatsApp, runtime: Runtime, kind: str, code: str, reason: str
) -> None:
    conversation = await _customer_writes(whatsapp)
    whatsapp.graph.fail_next(kind)
    sent = await _reply(whatsapp, conversation, body="hello")
    await run_jobs(runtime)
    message = await _message(runtime, sent.json()["id"])
    assert message.status == "failed"
    assert message.error == {"code": code, "message": reason}
    async with runtime.database.read_session() as db:
        assert list(await db.scalars(select(Job).where(Job.kind == "deliver_message"))) == []


async def test_a_failed_status_from_meta_shows_its_error(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp)
    sent = await _reply(whatsapp, conversation, body="hello")
    whatsapp.graph.next_wamids.append("wamid.will-fail")
    await run_jobs(runtime)
    report = status_webhook(
        whatsapp.number,
        "wamid.will-fail",
        "failed",
        CUSTOMER,
        error=(130472, "User's number is part of an experiment"),
    )
    await whatsapp.post(report)
    message = await _message(runtime, sent.json()["id"])
    assert message.status == "failed"
    assert message.error == {
        "code": "130472",
        "message": "User's number is part of an experiment",
        "title": "User's number is part of an experiment",
    }


async def test_a_status_that_beats_the_send_s_answer_is_parked_then_applied(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp)
    sent = await _reply(whatsapp, conversation, body="hello")
    for status in ("delivered", "read"):
        report = status_webhook(whatsapp.number, "wamid.early", status, CUSTOMER)
        assert (await whatsapp.post(report)).status_code == 200
    async with runtime.database.read_session() as db:
        parked = list(await db.scalars(select(DeliveryReceipt)))
    # Both reports are parked (in no particular order: the rows have no order of their own).
    assert sorted((r.status, r.message_id) for r in parked) == [("delivered", None), ("read", None)]
    whatsapp.graph.next_wamids.append("wamid.early")
    await runner(runtime).run_once()  # the delivery (the parked retries are not due yet)
    message = await _message(runtime, sent.json()["id"])
    assert (message.provider_message_id, message.status) == ("wamid.early", "read")


async def test_a_status_for_a_message_never_known_is_kept_then_let_go(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    report = status_webhook(whatsapp.number, "wamid.elsewhere", "delivered", CUSTOMER)
    assert (await whatsapp.post(report)).status_code == 200
    for _ in range(70):
        clock.advance(seconds=31)
        await run_jobs(runtime)
    async with runtime.database.read_session() as db:
        jobs = list(await db.scalars(select(Job)))
        receipts = list(await db.scalars(select(DeliveryReceipt)))
    assert [j.kind for j in jobs if j.kind == "retry_parked_receipt"] == []
    assert [j.status for j in jobs if j.status == "dead"] == []
    assert [(r.status, r.message_id) for r in receipts] == [("delivered", None)]


async def test_reading_the_conversation_sends_a_read_receipt_for_the_last_message(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    conversation = await _customer_writes(whatsapp, "one")
    await _customer_writes(whatsapp, "two!")
    async with whatsapp.world.client("bob") as bob:
        marked = await bob.post(f"/api/v1/conversations/{conversation}/read")
        again = await bob.post(f"/api/v1/conversations/{conversation}/read")
    assert marked.json() == {"marked_read": 2}
    assert again.json() == {"marked_read": 0}
    await run_jobs(runtime)
    assert whatsapp.graph.read_receipts == ["wamid.in-two!"]


async def test_a_number_s_throughput_limit_makes_later_sends_wait_without_failing(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    async with whatsapp.world.client("alice") as alice:
        r = await alice.patch(
            f"/api/v1/channels/{whatsapp.channel_id}", json={"settings": {"messages_per_second": 1}}
        )
    assert r.status_code == 200, r.text
    first = await _customer_writes(whatsapp, "one customer")
    body = text_webhook(whatsapp.number, "5511900001111", "Davi", "another", wamid="wamid.in-2")
    assert (await whatsapp.post(body)).status_code == 200
    await run_jobs(runtime)
    clock.advance(seconds=5)  # routing's notice to the second customer waited its turn
    await run_jobs(runtime)
    assert len(whatsapp.graph.sent) == 1
    whatsapp.graph.sent.clear()
    second = next(
        m.conversation_id
        for m in await messages_of(runtime, whatsapp.channel_id)
        if m.direction == "inbound" and str(m.conversation_id) != first
    )
    clock.advance(seconds=5)  # the number's budget is full again
    replies = [
        await _reply(whatsapp, first, body="to the first"),
        await _reply(whatsapp, str(second), body="to the second"),
    ]
    await run_jobs(runtime)
    assert [s["text"]["body"] for s in whatsapp.graph.sent] == ["to the first"]
    async with runtime.database.read_session() as db:
        waiting = await db.scalar(select(Job).where(Job.kind == "deliver_message"))
    assert waiting is not None
    assert waiting.attempts == 0  # waiting for room is not a failed attempt
    assert 0 < (waiting.run_at - clock.now()).total_seconds() <= 1
    clock.advance(seconds=1)
    await run_jobs(runtime)
    assert [s["text"]["body"] for s in whatsapp.graph.sent] == ["to the first", "to the second"]
    assert [(await _message(runtime, r.json()["id"])).status for r in replies] == ["sent"] * 2


async def test_a_retry_after_a_failure_half_way_sends_only_the_parts_not_yet_sent(
    whatsapp: WhatsApp, runtime: Runtime, clock: FrozenClock
) -> None:
    """A long text goes on its own, then each picture; Meta fails the first upload: the retry
    does not send the text again."""
    conversation = await _customer_writes(whatsapp)
    ids = []
    for color in ("red", "green"):
        picture = io.BytesIO()
        Image.new("RGB", (8, 8), color).save(picture, format="PNG")
        async with whatsapp.world.client("bob") as bob:
            uploaded = await bob.post(
                "/api/v1/attachments",
                files={"file": (f"{color}.png", picture.getvalue(), "image/png")},
                data={"conversation_id": conversation},
            )
        ids.append(uploaded.json()["id"])
    text = "Here are both photos of the shop front. " * 30  # past a caption's 1,024 characters
    whatsapp.graph.next_wamids.append("wamid.text-part")
    whatsapp.graph.fail_next("server", path_contains="/media")
    sent = await _reply(whatsapp, conversation, body=text, attachment_ids=ids)
    await run_jobs(runtime)
    assert [s["type"] for s in whatsapp.graph.sent] == ["text"]
    assert (await _message(runtime, sent.json()["id"])).status == "pending"
    for _ in range(3):
        clock.advance(minutes=1)
        await run_jobs(runtime)
    assert [s["type"] for s in whatsapp.graph.sent] == ["text", "image", "image"]
    message = await _message(runtime, sent.json()["id"])
    assert (message.status, message.provider_message_id) == ("sent", "wamid.text-part")


async def test_a_report_on_any_part_of_a_message_reaches_the_message(
    whatsapp: WhatsApp, runtime: Runtime
) -> None:
    """A long text and a picture go as two WhatsApp messages: Meta delivers the text and fails
    the picture, and the agent sees the message failed with Meta's reason."""
    conversation = await _customer_writes(whatsapp)
    picture = io.BytesIO()
    Image.new("RGB", (8, 8), "purple").save(picture, format="PNG")
    async with whatsapp.world.client("bob") as bob:
        uploaded = await bob.post(
            "/api/v1/attachments",
            files={"file": ("shop.png", picture.getvalue(), "image/png")},
            data={"conversation_id": conversation},
        )
    text = "The shop front, as promised. " * 40  # past a caption: the text goes on its own
    sent = await _reply(whatsapp, conversation, body=text, attachment_ids=[uploaded.json()["id"]])
    await run_jobs(runtime)
    text_part, picture_part = whatsapp.graph.sent
    assert (text_part["type"], picture_part["type"]) == ("text", "image")
    reports = [
        status_webhook(whatsapp.number, text_part["_wamid"], "delivered", CUSTOMER),
        status_webhook(
            whatsapp.number,
            picture_part["_wamid"],
            "failed",
            CUSTOMER,
            error=(131053, "Media upload error"),
        ),
    ]
    for report in reports:
        assert (await whatsapp.post(report)).status_code == 200
    message = await _message(runtime, sent.json()["id"])
    assert message.status == "failed"
    assert "Media upload error" in str(message.error)
    async with runtime.database.read_session() as db:
        parked = await db.scalar(
            select(DeliveryReceipt).where(DeliveryReceipt.message_id.is_(None))
        )
    assert parked is None  # both reports found their message

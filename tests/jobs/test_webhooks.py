"""Outbound webhooks end to end: subscriptions made over the API, events read from the log by
the dispatcher job, signed POSTs to a real HTTP receiver on loopback (signatures checked here
with an independent implementation of the Standard Webhooks algorithm), the retry schedule on
the frozen clock, disabling after persistent failure with a notice, replay, and Slack-compatible
team chat posts on an SLA breach, a raised hand and a team mentioned in a note."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.webhooks.catalogue import ALLOW_PRIVATE_ENV, RETRY_SCHEDULE_SECONDS
from frontdesk.core.webhooks.models import WebhookDelivery
from frontdesk.db.outbox import EventLogEntry
from frontdesk.demo.api_channel_demo import serve
from frontdesk.demo.webhooks_demo import Received, WebhookReceiver
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.runner import JobRunner
from frontdesk.jobs.sla import track_sla_targets
from tests.api.test_reports_scenario import Visitor, ok
from tests.api.test_sla import support_chat
from tests.conftest import World

API = "/api/v1/webhook-subscriptions"


@pytest.fixture
async def receiver(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[WebhookReceiver]:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")  # the receiver is on loopback
    fake = WebhookReceiver()
    async with serve(fake):  # type: ignore[arg-type]
        yield fake


def expected_signature(secret: str, headers: dict[str, str], body: bytes) -> str:
    """The Standard Webhooks signature, written here from the specification."""
    key = base64.b64decode(secret.split("_", 1)[1])
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


async def run_jobs(runtime: Runtime, rounds: int = 10) -> None:
    """Run due jobs until none is left, as a worker would."""
    runner = JobRunner(runtime, build_registry(), worker_id="webhooks-test")
    for _ in range(rounds):
        if not await runner.run_once():
            return


async def subscribe(world: World, url: str, types: list[str]) -> dict[str, Any]:
    body = {"url": url, "description": "CRM", "event_types": types}
    return dict(await ok(world.client("alice").post(API, json=body)))


async def note(world: World, member: str, conversation: uuid.UUID, text: str) -> None:
    path = f"/api/v1/conversations/{conversation}/notes"
    await ok(world.client(member).post(path, json={"body": text}))


async def deliveries(runtime: Runtime) -> list[WebhookDelivery]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(select(WebhookDelivery).order_by(WebhookDelivery.created_at))
        return list(rows)


async def test_a_subscription_receives_its_events_signed_and_only_its_workspaces(
    runtime: Runtime, world: World, receiver: WebhookReceiver, clock: FrozenClock
) -> None:
    created = await subscribe(world, receiver.url(), ["message.created"])
    secret, sub_id = created["secret"], created["subscription"]["id"]
    assert secret.startswith("whsec_")
    erin = world.acme.conversations["erin_support"].id
    await note(world, "bob", erin, "Checking her CV now")
    await ok(world.client("bob").post(f"/api/v1/conversations/{erin}/close", json={}))
    await note(world, "oscar", world.other.conversations["olga"].id, "Other workspace's note")
    await run_jobs(runtime)

    [got] = receiver.received
    payload = got.payload
    assert payload["type"] == "message.created"
    assert payload["data"]["message"]["body"] == "Checking her CV now"
    assert payload["data"]["message"]["conversation_id"] == str(erin)
    assert got.headers["webhook-timestamp"] == str(int(clock.now().timestamp()))
    assert got.headers["webhook-signature"] == expected_signature(secret, got.headers, got.body)
    other_secret = "whsec_" + base64.b64encode(b"x" * 32).decode()
    assert got.headers["webhook-signature"] != expected_signature(
        other_secret, got.headers, got.body
    )
    [row] = await deliveries(runtime)
    assert got.headers["webhook-id"] == f"msg_{row.id.hex}"
    log = await ok(world.client("dave").get(f"{API}/{sub_id}/deliveries"))
    [item] = log["items"]
    assert (item["status"], item["attempts"], item["last_status_code"]) == ("delivered", 1, 200)
    assert item["last_response"] == '{"ok":true}'

    # The dispatcher reading the same events again makes nothing twice.
    await run_jobs(runtime)
    clock.advance(seconds=3)
    await run_jobs(runtime)
    assert len(receiver.received) == 1


async def test_a_failing_endpoint_is_retried_on_schedule_then_disabled_with_a_notice(
    runtime: Runtime,
    world: World,
    receiver: WebhookReceiver,
    clock: FrozenClock,
    mailer: LogMailer,
) -> None:
    receiver.otherwise = 503
    created = await subscribe(world, receiver.url(), ["message.created"])
    sub_id = created["subscription"]["id"]
    erin = world.acme.conversations["erin_support"].id
    for n in range(5):
        await note(world, "bob", erin, f"Note {n}")
    await run_jobs(runtime)
    assert len(receiver.received) == 5
    for attempt, wait in enumerate(RETRY_SCHEDULE_SECONDS, start=1):
        rows = await deliveries(runtime)
        assert {(r.status, r.attempts) for r in rows} == {("retrying", attempt)}
        due = clock.now() + timedelta(seconds=wait)
        assert {r.next_attempt_at for r in rows} == {due}
        clock.set(due - timedelta(seconds=1))
        await run_jobs(runtime)
        assert len(receiver.received) == 5 * attempt  # nothing before its time
        clock.set(due)
        await run_jobs(runtime)
    rows = await deliveries(runtime)
    assert {(r.status, r.attempts, r.next_attempt_at) for r in rows} == {("failed", 8, None)}
    assert len(receiver.received) == 40
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 5

    sub = await ok(world.client("alice").get(f"{API}/{sub_id}"))
    assert sub["is_enabled"] is False
    assert (sub["disabled_reason"], sub["failed_in_a_row"]) == ("failed_deliveries", 5)
    [mail] = mailer.sent
    assert mail["To"] == "alice@acme.test"
    assert "was disabled" in mail["Subject"]
    assert "its last 5 deliveries failed every attempt." in mail.get_content()
    async with runtime.database.read_session() as db:
        changes = list(
            await db.scalars(
                select(EventLogEntry.payload)
                .where(EventLogEntry.type == "webhook_subscription.changed")
                .order_by(EventLogEntry.id)
            )
        )
    assert [c["change"] for c in changes] == ["created", "disabled"]

    # Disabled: new events are not sent; replaying is refused until it is turned on again.
    await note(world, "bob", erin, "After the disabling")
    clock.advance(seconds=3)
    await run_jobs(runtime)
    assert len(receiver.received) == 40
    last = rows[-1]
    replay = f"{API}/{sub_id}/deliveries/{last.id}/replay"
    r = await world.client("alice").post(replay)
    assert r.status_code == 409, r.text
    await ok(world.client("alice").patch(f"{API}/{sub_id}", json={"is_enabled": True}))
    receiver.otherwise = 200
    r = await world.client("alice").post(replay)
    assert (r.status_code, r.json()["status"]) == (202, "pending")
    await run_jobs(runtime)
    assert receiver.received[-1].headers["webhook-id"] == f"msg_{last.id.hex}"
    after = await ok(world.client("alice").get(f"{API}/{sub_id}/deliveries/{last.id}"))
    assert (after["status"], after["attempts"], after["last_status_code"]) == ("delivered", 9, 200)
    assert len(after["history"]) == 9


async def _slack_posts(receiver: WebhookReceiver) -> list[Received]:
    return [r for r in receiver.received if r.path == "/slack"]


async def test_team_chat_is_told_of_a_breach_a_raised_hand_and_a_team_mention(
    runtime: Runtime, world: World, receiver: WebhookReceiver, clock: FrozenClock
) -> None:
    support = world.acme.teams["support"]
    hook = {
        "name": "#support-escalations",
        "url": receiver.url("/slack"),
        "team_id": str(support.id),
        "escalations": ["sla_breached", "help_raised", "team_mentioned"],
    }
    created = await ok(world.client("dave").post("/api/v1/team-chat-hooks", json=hook))
    assert created["url_hint"].endswith("/…lack")
    await ok(
        world.client("alice").patch(
            "/api/v1/workspaces/current", json={"default_language": "pt-BR"}
        )
    )
    body = {"name": "Support", "team_id": str(support.id), "first_response_minutes": 10}
    await ok(
        world.client("alice").post(
            "/api/v1/sla-policies", json={**body, "is_business_hours": False}
        )
    )
    channel = await support_chat(runtime, world)
    ana = await Visitor(world, channel, "Ana").writes("Hello?")
    clock.advance(minutes=11)
    await track_sla_targets(runtime, {})
    await run_jobs(runtime)
    erin = world.acme.conversations["erin_support"].id
    raised = await world.client("bob").post(
        f"/api/v1/conversations/{erin}/help", json={"note": "VIP angry"}
    )
    assert raised.status_code == 204, raised.text

    await note(world, "bob", erin, "Can @support take a look?")
    await note(world, "bob", erin, "Sales would know, @sales")  # not this hook's team
    clock.advance(seconds=3)
    await run_jobs(runtime)

    posts = [p.payload for p in await _slack_posts(receiver)]
    assert [p["text"].splitlines()[0] for p in posts] == [
        ":rotating_light: SLA estourado (primeira resposta) na conversa de Ana em Support",
        ":raised_hand: Bob pediu ajuda na conversa de Erin em Support",
        ":mega: Bob mencionou @Support na conversa de Erin",
    ]
    assert posts[0]["text"].endswith(f"http://testserver/conversations/{ana}")
    assert posts[1]["blocks"][0]["text"]["text"].endswith("Nota: VIP angry")
    tested = await world.client("dave").post(f"/api/v1/team-chat-hooks/{created['id']}/test")
    assert tested.status_code == 202, tested.text
    await run_jobs(runtime)
    [*_, test] = await _slack_posts(receiver)
    assert test.payload["text"] == (
        ":white_check_mark: O Frontdesk está conectado: #support-escalations será publicado aqui."
    )
    listed = await ok(world.client("dave").get("/api/v1/team-chat-hooks"))
    assert listed[0]["last_posted_at"] is not None
    assert listed[0]["last_error"] is None

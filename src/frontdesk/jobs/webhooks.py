"""Outbound webhook jobs: the dispatcher chain (`webhook_dispatch`) that reads the event log
after the cursor it carries in its own payload, the delivery job (`webhook_deliver`) that
POSTs one signed delivery on the retry schedule, the notice to owners of a subscription that
was disabled (`webhook_notify_disabled`), and the team chat post (`team_chat_post`).

HTTP is made here (core has no client): httpx with a timeout, no redirects followed, and
private, loopback and link-local addresses refused unless `FRONTDESK_WEBHOOKS_ALLOW_PRIVATE=1`.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta
from typing import Any

import httpx

from frontdesk.channels.addresses import blocked_reason
from frontdesk.channels.http_client import http_client
from frontdesk.core.runtime import Runtime
from frontdesk.core.standard_webhooks import body_of, signed_headers
from frontdesk.core.webhooks.catalogue import TIMEOUT_SECONDS, allow_private
from frontdesk.core.webhooks.chat import TEAM_CHAT_POST_JOB
from frontdesk.core.webhooks.deliveries import (
    WEBHOOK_DELIVER_JOB,
    WEBHOOK_DISABLED_JOB,
    Attempt,
    DeliveryStatus,
    claim_delivery,
    record_delivery_attempt,
)
from frontdesk.core.webhooks.dispatch import (
    BATCH_SIZE,
    WEBHOOK_DISPATCH_JOB,
    dispatch_webhook_events,
)
from frontdesk.core.webhooks.models import TeamChatHook, WebhookSubscription
from frontdesk.core.webhooks.notices import disabled_notice
from frontdesk.core.webhooks.subscriptions import open_secret
from frontdesk.core.webhooks.team_chat import hook_url, record_team_chat_post
from frontdesk.jobs.registry import RetryJobLater

log = logging.getLogger("frontdesk.jobs.webhooks")

DISPATCH_EVERY = timedelta(seconds=2)
MAX_BATCHES = 20
USER_AGENT = "Frontdesk-Webhooks/1"
RESPONSE_EXCERPT = 500

__all__ = [
    "TEAM_CHAT_POST_JOB",
    "WEBHOOK_DELIVER_JOB",
    "WEBHOOK_DISABLED_JOB",
    "WEBHOOK_DISPATCH_JOB",
    "deliver_webhook",
    "dispatch_webhooks",
    "notify_webhook_disabled",
    "post_team_chat",
]


async def dispatch_webhooks(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Batches until the log is read, then the next run of the chain."""
    after = int(payload.get("after", 0))
    for _ in range(MAX_BATCHES):
        async with runtime.uow() as uow:
            result = await dispatch_webhook_events(uow, after, runtime.public_url)
            done = result.events_read < BATCH_SIZE
            if done:
                after_read = {"after": result.last_event_id}
                uow.enqueue(WEBHOOK_DISPATCH_JOB, after_read, delay=DISPATCH_EVERY)
            await uow.commit()
        after = result.last_event_id
        if done:
            return
    async with runtime.uow() as uow:
        uow.enqueue(WEBHOOK_DISPATCH_JOB, {"after": after})
        await uow.commit()


def _client() -> httpx.AsyncClient:
    return http_client(timeout=TIMEOUT_SECONDS)


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def post_signed(
    url: str, secret: str, webhook_id: str, payload: dict[str, Any], now: int
) -> Attempt:
    """One signed POST; its answer (status and the start of its body), or why none came."""
    blocked = await blocked_reason(url, allow_private=allow_private())
    if blocked:
        return Attempt(None, f"The URL is refused: {blocked}.", 0, final=True)
    body = body_of(payload)
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        **signed_headers(secret, webhook_id, now, body),
    }
    started = time.monotonic()
    try:
        async with _client() as http:
            response = await http.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        return Attempt(None, f"No answer within {TIMEOUT_SECONDS:g} s.", _ms(started))
    except httpx.HTTPError as exc:
        return Attempt(None, f"{type(exc).__name__}: {exc}"[:300], _ms(started))
    excerpt = response.text[:RESPONSE_EXCERPT] or None
    error = None if response.is_success else f"HTTP {response.status_code}"
    return Attempt(response.status_code, error, _ms(started), excerpt)


async def deliver_webhook(runtime: Runtime, payload: dict[str, Any]) -> None:
    """One attempt of a delivery when it is due; the next is the job's own retry."""
    delivery_id, replay = uuid.UUID(payload["delivery_id"]), bool(payload.get("replay"))
    async with runtime.uow() as uow:
        claim = await claim_delivery(uow, delivery_id, replay=replay)
        now = int(uow.now().timestamp())
        await uow.commit()
    if claim is None or claim.done:
        return
    if claim.wait_seconds > 0:
        raise RetryJobLater(claim.wait_seconds, "the next webhook attempt is not due")
    secret = open_secret(runtime.secrets, claim.secret_sealed)
    attempt = await post_signed(claim.url, secret, claim.webhook_id, claim.payload, now)
    async with runtime.uow() as uow:
        outcome = await record_delivery_attempt(uow, delivery_id, attempt, replay=replay)
        await uow.commit()
    if outcome is None:
        return
    if outcome.status == DeliveryStatus.RETRYING and outcome.next_attempt_at is not None:
        delay = max((outcome.next_attempt_at - runtime.clock.now()).total_seconds(), 0.05)
        raise RetryJobLater(delay, f"webhook attempt failed: {attempt.error}")


async def notify_webhook_disabled(runtime: Runtime, payload: dict[str, Any]) -> None:
    """Mail the workspace's owners that a subscription was disabled, and why."""
    async with runtime.database.read_session() as db:
        sub = await db.get(WebhookSubscription, uuid.UUID(payload["subscription_id"]))
        if sub is None:
            return
        notice = await disabled_notice(db, sub, runtime.public_url)
    for to in notice.recipients:
        await runtime.mailer.send(to, notice.subject, notice.body)


async def post_team_chat(runtime: Runtime, payload: dict[str, Any]) -> None:
    """POST one message to a team chat hook; a failure is retried by the job runner."""
    hook_id = uuid.UUID(payload["hook_id"])
    async with runtime.database.read_session() as db:
        hook = await db.get(TeamChatHook, hook_id)
        url = hook_url(runtime.secrets, hook) if hook is not None and hook.is_enabled else ""
    if not url:
        return
    error = await _post_chat(url, payload["message"])
    async with runtime.uow() as uow:
        await record_team_chat_post(uow, hook_id, error)
        await uow.commit()
    if error is not None:
        raise RuntimeError(f"team chat post failed: {error}")


async def _post_chat(url: str, message: dict[str, Any]) -> str | None:
    blocked = await blocked_reason(url, allow_private=allow_private())
    if blocked:
        return f"The URL is refused: {blocked}."
    try:
        async with _client() as http:
            response = await http.post(url, json=message, headers={"user-agent": USER_AGENT})
    except httpx.HTTPError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return None if response.is_success else f"HTTP {response.status_code}: {response.text[:200]}"

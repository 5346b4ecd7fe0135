"""Outbound webhooks in the demo, and the receiver tests use.

`WebhookReceiver` is a small HTTP server on a loopback port that keeps every POST it gets
(headers, body) and answers with the statuses it is told to (a 503 now and then, 410 for
good...). It checks nothing itself: whoever reads what it kept verifies the signatures.

In the demo the retail workspace gets a subscription to its conversations' events whose URL is
a receiver served while the demo is made; three pings go through the delivery job (delivered,
refused with 503 and retried, delivered), so the delivery log has something to show. The
receiver stops with the loader: later events fail and are retried on the schedule, as for any
receiver that went away.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.webhooks.catalogue import ALLOW_PRIVATE_ENV
from frontdesk.core.webhooks.queries import access_webhook_subscription
from frontdesk.core.webhooks.schemas import WebhookSubscriptionCreate
from frontdesk.core.webhooks.subscriptions import (
    create_webhook_subscription,
    ping_webhook_subscription,
)
from frontdesk.core.workspaces.models import Role
from frontdesk.demo.api_channel_demo import serve
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.demo.workspace import DemoWorkspace
from frontdesk.jobs.registry import RetryJobLater
from frontdesk.jobs.webhooks import deliver_webhook

DEMO_EVENT_TYPES = ["conversation.assigned", "conversation.closed", "conversation.created"]
DEMO_ANSWERS = [200, 503, 200]


@dataclass
class Received:
    """One POST as it arrived."""

    path: str
    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def payload(self) -> Any:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    received: list[Received] = field(default_factory=list)
    # Statuses to answer the next POSTs with, in order; then `otherwise`.
    script: list[int] = field(default_factory=list)
    otherwise: int = 200
    base_url: str = ""
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str = "/hooks") -> str:
        return f"{self.base_url}{path}"

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/{path:path}", self._receive, methods=["POST"])])

    async def _receive(self, request: Request) -> Response:
        status = self.script.pop(0) if self.script else self.otherwise
        headers = {k.lower(): v for k, v in request.headers.items()}
        self.received.append(Received(request.url.path, headers, await request.body(), status))
        self.changed.set()
        body = {"ok": True} if status < 300 else {"error": "unavailable"}  # noqa: PLR2004
        return JSONResponse(body, status_code=status)


async def seed_webhooks(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    """A subscription of the retail workspace with a few deliveries in its log."""
    dw = next((w for w in workspaces if w.spec.slug == DEMO_SLUG), None)
    if dw is None:
        return
    os.environ.setdefault(ALLOW_PRIVATE_ENV, "1")  # the receiver is on loopback
    receiver = WebhookReceiver(script=list(DEMO_ANSWERS))
    actor = Actor(workspace_id=dw.row.id, role=Role.OWNER, user_id=dw.owner.id)
    async with serve(receiver):  # type: ignore[arg-type]
        async with runtime.uow() as uow:
            data = WebhookSubscriptionCreate.model_validate(
                {
                    "url": receiver.url("/frontdesk-events"),
                    "description": "Demo: the recruiting CRM's receiver",
                    "event_types": DEMO_EVENT_TYPES,
                }
            )
            created = await create_webhook_subscription(uow, actor, runtime.secrets, data)
            await uow.commit()
        for _ in DEMO_ANSWERS:
            await _ping(runtime, actor, created.subscription.id)


async def _ping(runtime: Runtime, actor: Actor, subscription_id: uuid.UUID) -> None:
    """A ping through the delivery job, as the job runner would run it."""
    async with runtime.uow() as uow:
        sub = await access_webhook_subscription(uow.session, actor, subscription_id)
        delivery = await ping_webhook_subscription(uow, actor, sub)
        delivery_id = str(delivery.id)
        await uow.commit()
    with contextlib.suppress(RetryJobLater):  # the 503: its retry is left to the job runner
        await deliver_webhook(runtime, {"delivery_id": delivery_id})

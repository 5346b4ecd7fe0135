"""The WhatsApp Cloud API webhook of a workspace: one URL for all of its numbers (the URL of a
Meta app, for numbers in several workspaces, is `webhooks/meta.py`).

GET answers Meta's subscription handshake. POST reads the raw body (413 past the limit), checks
`X-Hub-Signature-256` against the app secret of the workspace's WhatsApp channels before
parsing (401, nothing stored), decodes it (400 for invalid UTF-8 or JSON), records every
message and status in one transaction, and only then answers 200. An authentic body of an
unknown shape is kept raw and answered 200, so Meta neither retries it for days nor disables
the webhook. The workspace's channels and their app secrets are kept in memory between
deliveries (`webhooks.channels` says how changes reach them). The size limit, decoding, dedupe
and commit-before-2xx are the shared toolkit's (`webhooks/toolkit.py`).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.api.webhooks.channels import OpenChannel, WebhookChannels
from frontdesk.api.webhooks.toolkit import (
    Deliveries,
    body_limit,
    deliveries,
    json_object,
    persist,
    read_body,
)
from frontdesk.channels.whatsapp.inbound import WHATSAPP, record_webhook
from frontdesk.channels.whatsapp.signature import HEADER, signature_ok, verify_token
from frontdesk.core.channels.models import Channel
from frontdesk.core.errors import Unauthenticated
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import tokens_equal

__all__ = ["read_body", "receive", "router", "verify_subscription"]  # read_body: the toolkit's

log = logging.getLogger("frontdesk.webhooks.whatsapp")

router = APIRouter()


@router.get("/{workspace_id}", include_in_schema=False)
async def verify_subscription(
    workspace_id: uuid.UUID, request: Request, runtime: RuntimeDep
) -> Response:
    """Meta's handshake: echo `hub.challenge` when `hub.verify_token` is this workspace's."""
    query = request.query_params
    token = query.get("hub.verify_token") or ""
    challenge = query.get("hub.challenge") or ""
    expected = verify_token(runtime.secrets, workspace_id)
    if query.get("hub.mode") == "subscribe" and challenge and tokens_equal(token, expected):
        return PlainTextResponse(challenge)
    return error_response(403, "forbidden", "the verify token does not match")


def _signed_numbers(
    channels: Sequence[OpenChannel], body: bytes, header: str | None
) -> dict[str, Channel]:
    """The numbers whose app secret signed this body: the ones it may speak for."""
    numbers: dict[str, Channel] = {}
    for opened in channels:
        number = str((opened.channel.settings or {}).get("phone_number_id") or "")
        app_secret = str(opened.secrets.get("app_secret") or "")
        if number and signature_ok(body, header, app_secret):
            numbers[number] = opened.channel
    return numbers


def named_numbers(payload: dict[str, Any]) -> set[str]:
    """The business numbers a body's changes name (`value.metadata.phone_number_id`)."""
    named: set[str] = set()
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        changes = entry.get("changes") if isinstance(entry, dict) else None
        for change in changes if isinstance(changes, list) else []:
            value = change.get("value") if isinstance(change, dict) else None
            metadata = value.get("metadata") if isinstance(value, dict) else None
            number = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
            if number is not None:
                named.add(str(number))
    return named


@router.post("/{workspace_id}", include_in_schema=False)
async def receive(workspace_id: uuid.UUID, request: Request, runtime: RuntimeDep) -> Response:
    body = await read_body(request, body_limit(request))
    header = request.headers.get(HEADER)
    key = Deliveries.key(request.url.path, body, {HEADER: header or ""})
    return await deliveries(request).once(
        key, lambda: _receive(workspace_id, request, runtime, body, header)
    )


async def _receive(
    workspace_id: uuid.UUID, request: Request, runtime: Runtime, body: bytes, header: str | None
) -> Response:
    cache: WebhookChannels = request.app.state.webhook_channels
    numbers = _signed_numbers(await cache.active(runtime, workspace_id, WHATSAPP), body, header)
    fresh = False
    if not numbers:  # perhaps a number connected or a secret changed a moment ago elsewhere
        channels, fresh = await cache.active(runtime, workspace_id, WHATSAPP, fresh=True), True
        numbers = _signed_numbers(channels, body, header)
    if not numbers:
        log.warning("whatsapp webhook for workspace %s: signature not valid", workspace_id)
        raise Unauthenticated("the X-Hub-Signature-256 signature is missing or not valid")
    payload = json_object(body)
    if isinstance(payload, str):
        return error_response(400, "bad_request", payload)
    if not fresh and not named_numbers(payload) <= numbers.keys():
        channels = await cache.active(runtime, workspace_id, WHATSAPP, fresh=True)
        numbers = _signed_numbers(channels, body, header)
    result = await persist(runtime, lambda uow: record_webhook(uow, workspace_id, numbers, payload))
    return JSONResponse(
        {
            "recorded": len(result.recorded),
            "ignored_numbers": result.ignored_numbers,
            "set_aside": result.quarantined,
        }
    )

"""The WhatsApp Cloud API webhook of a workspace: one URL for all of its numbers.

GET answers Meta's subscription handshake. POST reads the raw body (413 past the limit), checks
`X-Hub-Signature-256` against the app secret of the workspace's WhatsApp channels before
parsing (401, nothing stored), decodes it (400 for invalid UTF-8 or JSON), records every
message and status in one transaction, and only then answers 200. An authentic body of an
unknown shape is kept raw and answered 200, so Meta neither retries it for days nor disables
the webhook.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from frontdesk.api.deps import ReaderDep, RuntimeDep, UowDep
from frontdesk.api.errors import error_response
from frontdesk.channels.whatsapp.inbound import WHATSAPP, record_webhook
from frontdesk.channels.whatsapp.signature import HEADER, signature_ok, verify_token
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import active_channels_of_type
from frontdesk.core.errors import TooLarge, Unauthenticated
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import tokens_equal

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


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the body is larger than {limit} bytes", max_bytes=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is larger than {limit} bytes", max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _signed_numbers(
    channels: list[Channel], secrets: list[dict[str, Any]], body: bytes, header: str | None
) -> dict[str, Channel]:
    """The numbers whose app secret signed this body: the ones it may speak for."""
    numbers: dict[str, Channel] = {}
    for channel, opened in zip(channels, secrets, strict=True):
        number = str((channel.settings or {}).get("phone_number_id") or "")
        app_secret = str(opened.get("app_secret") or "")
        if number and signature_ok(body, header, app_secret):
            numbers[number] = channel
    return numbers


def _open(runtime: Runtime, channel: Channel) -> dict[str, Any]:
    if not channel.secrets_encrypted:
        return {}
    try:
        return runtime.secrets.open(channel.secrets_encrypted)
    except ValueError:  # sealed with another secret key: this channel cannot verify anything
        log.error("whatsapp channel %s: its credentials cannot be decrypted", channel.id)
        return {}


@router.post("/{workspace_id}", include_in_schema=False)
async def receive(
    workspace_id: uuid.UUID, request: Request, runtime: RuntimeDep, db: ReaderDep, uow: UowDep
) -> Response:
    limit = getattr(request.app.state.settings, "webhook_max_bytes", 3 * 1024 * 1024)
    body = await read_body(request, limit)
    channels = await active_channels_of_type(db, workspace_id, WHATSAPP)
    await db.close()
    opened = [_open(runtime, c) for c in channels]
    numbers = _signed_numbers(channels, opened, body, request.headers.get(HEADER))
    if not numbers:
        log.warning("whatsapp webhook for workspace %s: signature not valid", workspace_id)
        raise Unauthenticated("the X-Hub-Signature-256 signature is missing or not valid")
    try:
        payload = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return error_response(400, "bad_request", "the body is not UTF-8 JSON")
    if not isinstance(payload, dict):
        payload = {"body": payload}
    result = await record_webhook(uow, workspace_id, numbers, payload)
    await uow.commit()
    return JSONResponse(
        {
            "recorded": len(result.recorded),
            "ignored_numbers": result.ignored_numbers,
            "set_aside": result.quarantined,
        }
    )

"""Twilio's messaging webhooks, one URL per channel (mounted at `/webhooks/twilio`):

- `POST /{workspace_id}/{channel_id}`: "A message comes in" (SMS, MMS or WhatsApp);
- `POST /{workspace_id}/{channel_id}/status`: the status callback of each message sent.

Order matters: the channel is found by the path (404 if it is not an active Twilio channel of
the workspace), the form is read with a size limit, `X-Twilio-Signature` is checked against the
channel's Auth Token over the URL Twilio called (this Frontdesk's public URL and the path, or
the URL as received, each with and without the default port) and every form parameter: a
forged or unsigned request gets 403 and nothing is stored. The message or status is recorded
and committed before the 200 (empty TwiML, so Twilio sends no automatic reply) goes back.
"""

from __future__ import annotations

import logging
import uuid
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response

from frontdesk.api.deps import RuntimeDep, UowDep
from frontdesk.api.errors import error_response
from frontdesk.api.webhooks.channels import OpenChannel, WebhookChannels
from frontdesk.channels.twilio.inbound import SMS, record_form, record_status
from frontdesk.channels.twilio.payloads import Form
from frontdesk.channels.twilio.signature import HEADER, signature_ok
from frontdesk.channels.twilio.spec import is_twilio
from frontdesk.core.errors import TooLarge
from frontdesk.core.runtime import Runtime

log = logging.getLogger("frontdesk.webhooks.twilio")

router = APIRouter(tags=["webhooks"])

# Twilio's forms are small (a body is at most 1,600 characters, ten media URLs).
MAX_BODY_BYTES = 256 * 1024
TWIML_EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'
FORM_TYPE = "application/x-www-form-urlencoded"


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused (413) as soon as it passes `limit` bytes."""
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


async def _channel(
    request: Request, runtime: Runtime, workspace_id: uuid.UUID, channel_id: uuid.UUID
) -> OpenChannel | None:
    cache: WebhookChannels = request.app.state.webhook_channels
    for fresh in (False, True):
        for type_ in (SMS, "whatsapp"):
            for opened in await cache.active(runtime, workspace_id, type_, fresh=fresh):
                if opened.channel.id == channel_id and is_twilio(opened.channel):
                    return opened
    return None


def _urls(request: Request, runtime: Runtime) -> list[str]:
    """The URLs Twilio may have signed: behind a proxy the public one, else the one received."""
    query = request.url.query
    path = request.url.path + (f"?{query}" if query else "")
    return list(dict.fromkeys([runtime.public_url.rstrip("/") + path, str(request.url)]))


async def _receive(
    request: Request,
    runtime: Runtime,
    workspace_id: uuid.UUID,
    channel_id: uuid.UUID,
) -> tuple[OpenChannel, Form] | Response:
    opened = await _channel(request, runtime, workspace_id, channel_id)
    if opened is None:
        return error_response(404, "not_found", "no active Twilio channel at this URL")
    body = await read_body(request, MAX_BODY_BYTES)
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type != FORM_TYPE:
        return error_response(415, "unsupported_media_type", f"Twilio posts {FORM_TYPE}")
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False)
    except UnicodeDecodeError:
        return error_response(400, "bad_request", "the form is not UTF-8")
    token = str(opened.secrets.get("auth_token") or "")
    if not signature_ok(token, _urls(request, runtime), pairs, request.headers.get(HEADER)):
        log.warning("twilio webhook for channel %s: signature not valid", channel_id)
        return error_response(403, "forbidden", f"the {HEADER} signature is missing or not valid")
    return opened, Form.of(pairs)


def _twiml() -> Response:
    return Response(TWIML_EMPTY, media_type="text/xml")


@router.post("/{workspace_id}/{channel_id}", include_in_schema=False)
async def receive_message(
    workspace_id: uuid.UUID,
    channel_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    uow: UowDep,
) -> Response:
    received = await _receive(request, runtime, workspace_id, channel_id)
    if isinstance(received, Response):
        return received
    opened, form = received
    await record_form(uow, opened.channel, form)
    await uow.commit()
    return _twiml()


@router.post("/{workspace_id}/{channel_id}/status", include_in_schema=False)
async def receive_status(
    workspace_id: uuid.UUID,
    channel_id: uuid.UUID,
    request: Request,
    runtime: RuntimeDep,
    uow: UowDep,
) -> Response:
    received = await _receive(request, runtime, workspace_id, channel_id)
    if isinstance(received, Response):
        return received
    opened, form = received
    await record_status(uow, opened.channel, form)
    await uow.commit()
    return _twiml()

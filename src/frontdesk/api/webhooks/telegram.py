"""The Telegram webhook: `POST /webhooks/telegram/{channel_id}` (mounted by the app), one URL
per connected bot.

Order matters: the channel is looked up by the path, the secret token header is checked
(before a byte of the body is read), the body is read with a size limit and decoded, and the
update is recorded and committed before the 200 goes back. Anything malformed is a 4xx that
stores nothing; an authentic update Frontdesk does not read is kept raw and answered 200, so
Telegram does not resend it for a day. A database failure is a 5xx, so Telegram retries. The
size limit, dedupe and commit-before-2xx are the shared toolkit's (`webhooks/toolkit.py`).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.api.webhooks.toolkit import Deliveries, body_limit, deliveries, persist, read_body
from frontdesk.channels.telegram import TELEGRAM
from frontdesk.channels.telegram.inbound import record_update
from frontdesk.channels.telegram.signature import SECRET_HEADER, secret_token_matches
from frontdesk.core.channels.models import Channel
from frontdesk.core.errors import TooLarge
from frontdesk.core.runtime import Runtime

router = APIRouter(tags=["webhooks"])

# Updates are small (a text is at most 4,096 characters): 1 MB is far above any real one.
MAX_BODY_BYTES = 1024 * 1024


def _parse(body: bytes) -> dict[str, Any] | str:
    """The update as a JSON object with an integer update_id, or why it is not one."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "the body is not UTF-8"
    try:
        update = json.loads(text)
    except ValueError:
        return "the body is not JSON"
    if not isinstance(update, dict):
        return "the body is not a JSON object"
    update_id = update.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return "the update has no integer update_id"
    return update


@router.post("/{channel_id}", include_in_schema=False)
async def receive_telegram_update(
    channel_id: uuid.UUID, request: Request, runtime: RuntimeDep
) -> Response:
    async with runtime.database.read_session() as db:
        channel = await db.scalar(
            select(Channel).where(Channel.id == channel_id, Channel.type == TELEGRAM)
        )
    if channel is None or not channel.is_active:
        return error_response(404, "not_found", "no such Telegram channel")
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    expected = secrets.get("webhook_secret")
    presented = request.headers.get(SECRET_HEADER)
    if not secret_token_matches(expected if isinstance(expected, str) else None, presented):
        return error_response(401, "unauthenticated", "wrong or missing secret token")
    limit = body_limit(request, MAX_BODY_BYTES)
    try:
        body = await read_body(request, limit)
    except TooLarge:
        return error_response(
            413, "payload_too_large", "the update is too large", {"max_bytes": limit}
        )
    key = Deliveries.key(request.url.path, body, {SECRET_HEADER: presented or ""})
    return await deliveries(request).once(key, lambda: _receive(runtime, channel, body))


async def _receive(runtime: Runtime, channel: Channel, body: bytes) -> Response:
    update = _parse(body)
    if isinstance(update, str):
        return error_response(400, "bad_request", update)
    await persist(runtime, lambda uow: record_update(uow, channel, update))
    return Response(status_code=200)

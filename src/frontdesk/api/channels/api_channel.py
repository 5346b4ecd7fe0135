"""The API channel's inbound endpoint: `POST /api/channels/v1/{channel_id}/messages`.

Mounted beside the widget's public API (`/api/widget/v1`): a versioned API for outside
systems, authenticated by the channel's own bearer token rather than a member's session or API
token. Order matters: the channel is looked up by the path and the token checked before a byte
of the body is read; the body is read with a size limit, parsed and validated (any fault is a
4xx in the project's error shape that stores nothing); the message is recorded and committed
before the answer goes back. A repeated idempotency key answers 200 with the first message's
ids (`Idempotent-Replayed: true`) and stores nothing more; the same key with another body is
refused (409).
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ValidationError
from sqlalchemy import select

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.channels.api_channel import API
from frontdesk.channels.api_channel.inbound import (
    MAX_KEY_LENGTH,
    ApiInboundMessage,
    earlier_copy,
    record_api_message,
)
from frontdesk.channels.api_channel.setup import TOKEN_HASH_NAME
from frontdesk.channels.api_channel.signature import token_matches
from frontdesk.core.channels.models import Channel

router = APIRouter(tags=["api-channel"])

MAX_BODY_BYTES = 256 * 1024
KEY_HEADER = "idempotency-key"


class ApiInboundResult(BaseModel):
    message_id: uuid.UUID
    conversation_id: uuid.UUID
    duplicate: bool


class BodyTooLarge(Exception):
    pass


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


BODY_SCHEMA: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "customer {external_id, name?, email?, phone?}, text, attachments "
        "[{url, name?, content_type?}], metadata, message_id?, sent_at? (docs/channels/api.md)",
        "content": {"application/json": {"schema": {"type": "object"}}},
    },
    "parameters": [
        {
            "name": "Idempotency-Key",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
            "description": "Unique per message; else the body's message_id. One is required.",
        }
    ],
}


@router.post(
    "/{channel_id}/messages",
    status_code=201,
    response_model=ApiInboundResult,
    openapi_extra=BODY_SCHEMA,
    responses={
        200: {"model": ApiInboundResult, "description": "A repeated key: the first result."}
    },
)
async def post_customer_message(
    channel_id: uuid.UUID, request: Request, runtime: RuntimeDep
) -> Response:
    """Post a customer's message into Frontdesk: it opens or continues their conversation.

    Authenticate with `Authorization: Bearer <the channel's inbound token>`. Send an
    `Idempotency-Key` header (or `message_id` in the body): a repeat with the same key stores
    nothing and answers 200 with the first message's ids."""
    async with runtime.database.read_session() as db:
        channel = await db.scalar(
            select(Channel).where(Channel.id == channel_id, Channel.type == API)
        )
    if channel is None:
        return error_response(404, "not_found", "no such API channel")
    stored = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    expected = stored.get(TOKEN_HASH_NAME)
    if not token_matches(expected if isinstance(expected, str) else None, _bearer(request)):
        return error_response(
            401, "unauthenticated", "wrong or missing bearer token for this channel"
        )
    if not channel.is_active:
        return error_response(403, "forbidden", "this channel is deactivated")
    try:
        body = await _read_body(request)
    except BodyTooLarge:
        return error_response(
            413, "payload_too_large", "the message is too large", {"max_bytes": MAX_BODY_BYTES}
        )
    try:
        raw = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return error_response(400, "bad_request", "the body is not JSON")
    if not isinstance(raw, dict):
        return error_response(400, "bad_request", "the body is not a JSON object")
    try:
        data = ApiInboundMessage.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e.get("loc", ()))} for e in exc.errors()]
        ) from None
    key = (request.headers.get(KEY_HEADER) or "").strip() or data.message_id
    if not key:
        return error_response(
            400,
            "bad_request",
            "send an Idempotency-Key header or a message_id",
            {"field": "Idempotency-Key"},
        )
    if len(key) > MAX_KEY_LENGTH:
        return error_response(
            422, "invalid", f"the idempotency key is longer than {MAX_KEY_LENGTH} characters"
        )
    async with runtime.database.read_session() as db:
        earlier = await earlier_copy(db, channel, key, raw)
    if earlier is not None and not earlier.same_body:
        return error_response(
            409,
            "conflict",
            "this idempotency key was used for a different message: use a new key per message",
            {"field": "Idempotency-Key", "message_id": str(earlier.message_id)},
        )
    if earlier is not None:
        return _answer(earlier.message_id, earlier.conversation_id, duplicate=True)
    async with runtime.uow() as uow:
        recorded = await record_api_message(uow, channel, data, key, raw)
        await uow.commit()
    if recorded.message_id is None or recorded.conversation_id is None:
        return error_response(409, "conflict", "the message could not be stored")
    return _answer(
        recorded.message_id, recorded.conversation_id, duplicate=recorded.outcome != "created"
    )


def _answer(message_id: uuid.UUID, conversation_id: uuid.UUID, *, duplicate: bool) -> Response:
    result = ApiInboundResult(
        message_id=message_id, conversation_id=conversation_id, duplicate=duplicate
    )
    return JSONResponse(
        result.model_dump(mode="json"),
        status_code=200 if duplicate else 201,
        headers={"Idempotent-Replayed": "true"} if duplicate else None,
    )

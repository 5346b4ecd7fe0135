"""The forwarding route: `POST /webhooks/email/{channel_id}`, a mail provider posting one raw
RFC 822 mail (the body, as received) for an email channel.

Order: the channel is looked up by the path, the per-channel secret (header
`X-Frontdesk-Mail-Secret`) is compared in constant time before a byte of the body is read, the
body is read with a size limit, and the mail is stored and committed before the 200. A mail
seen before (same Message-ID) answers 200 and changes nothing. Anything unreadable is a 4xx
that stores nothing; a database failure a 5xx, so the provider retries.
"""

from __future__ import annotations

import hmac
import uuid

from fastapi import APIRouter, Request, Response
from sqlalchemy import select

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.channels.email import EMAIL
from frontdesk.channels.email.inbound import record_mail
from frontdesk.channels.email.parse import NotAMail, parse_mail
from frontdesk.core.channels.models import Channel

router = APIRouter(tags=["webhooks"])

SECRET_HEADER = "X-Frontdesk-Mail-Secret"  # noqa: S105 - a header name
# Most mail servers refuse mail past 25 MB; base64 makes files a third larger.
MAX_BODY_BYTES = 40 * 1024 * 1024


class BodyTooLarge(Exception):
    pass


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BodyTooLarge
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


def _matches(expected: object, presented: str | None) -> bool:
    if not isinstance(expected, str) or not expected or presented is None:
        return False
    return hmac.compare_digest(expected.encode(), presented.encode())


@router.post("/{channel_id}", include_in_schema=False)
async def receive_forwarded_mail(
    channel_id: uuid.UUID, request: Request, runtime: RuntimeDep
) -> Response:
    async with runtime.database.read_session() as db:
        channel = await db.scalar(
            select(Channel).where(Channel.id == channel_id, Channel.type == EMAIL)
        )
    if channel is None or not channel.is_active:
        return error_response(404, "not_found", "no such email channel")
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    if not _matches(secrets.get("forward_secret"), request.headers.get(SECRET_HEADER)):
        return error_response(401, "unauthenticated", "wrong or missing mail secret")
    try:
        raw = await _read_body(request, MAX_BODY_BYTES)
    except BodyTooLarge:
        return error_response(
            413, "payload_too_large", "the mail is too large", {"max_bytes": MAX_BODY_BYTES}
        )
    if not raw.strip():
        return error_response(400, "bad_request", "the body is empty: send the raw mail")
    try:
        parse_mail(raw)
    except NotAMail as exc:
        return error_response(400, "bad_request", f"not a mail: {exc}")
    address = str((channel.settings or {}).get("address") or "")
    async with runtime.uow() as uow:
        await record_mail(uow, channel, raw, mailbox_address=address, source="forwarding")
        await uow.commit()
    return Response(status_code=200)

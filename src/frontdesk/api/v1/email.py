"""REST API v1: connecting mailboxes (the password is write-only and never returned)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from frontdesk.api.deps import ActorDep, RuntimeDep
from frontdesk.api.openapi_errors import error_responses
from frontdesk.channels.email import setup
from frontdesk.channels.email.setup import (
    ConnectionCheck,
    EmailConnect,
    ForwardingRoute,
    MailboxSettings,
)
from frontdesk.core.channels.schemas import ChannelRead

router = APIRouter()


@router.post("/email", status_code=201, responses=error_responses(409))
async def connect_mailbox(data: EmailConnect, actor: ActorDep, runtime: RuntimeDep) -> ChannelRead:
    """Log in to the mailbox's IMAP and SMTP servers with these credentials, store them
    encrypted, and read the mail that arrives from now on (or the whole folder with
    `read_existing`). A server that refuses answers 422 saying which and why; nothing is kept."""
    return await setup.connect_mailbox(runtime, actor, data)


@router.post("/email/test")
async def test_mailbox(data: MailboxSettings, actor: ActorDep) -> ConnectionCheck:
    """Try the IMAP and SMTP servers with these settings without keeping anything: `ok`, or
    what each server answered."""
    return await setup.test_connection(actor, data)


@router.get("/{channel_id}/email/forwarding")
async def email_forwarding_route(
    channel_id: uuid.UUID, actor: ActorDep, runtime: RuntimeDep
) -> ForwardingRoute:
    """The URL a mail provider posts inbound mail to (raw RFC 822), and the secret it sends in
    the `X-Frontdesk-Mail-Secret` header."""
    return await setup.forwarding_route(runtime, actor, channel_id)

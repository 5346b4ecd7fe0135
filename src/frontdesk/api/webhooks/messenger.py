"""The Messenger webhook of a workspace (one URL for all of its Pages), and the builder the
Instagram webhook shares.

GET answers Meta's subscription handshake. POST reads the raw body (413 past the limit), checks
`X-Hub-Signature-256` against the app secrets of the workspace's channels of the type before
parsing (401, nothing stored), decodes it (400 for invalid UTF-8 or JSON), records every event
in one transaction, and only then answers 200 (the shared steps are `webhooks/toolkit.py`'s).
The URL of a Meta app, for Pages or accounts in several workspaces, is `webhooks/meta.py`. An
authentic body of an unknown shape is kept raw and answered 200, so Meta neither retries it nor
unsubscribes the app.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.api.webhooks.toolkit import (
    Deliveries,
    body_limit,
    deliveries,
    json_object,
    persist,
    read_body,
)
from frontdesk.channels.messenger.flavor import MESSENGER, Flavor
from frontdesk.channels.messenger.inbound import record_webhook
from frontdesk.channels.messenger.signature import HEADER, signature_ok, verify_token
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import active_channels_of_type
from frontdesk.core.errors import Unauthenticated
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import tokens_equal

log = logging.getLogger("frontdesk.webhooks.messenger")


def _open(runtime: Runtime, channel: Channel) -> dict[str, Any]:
    if not channel.secrets_encrypted:
        return {}
    try:
        return runtime.secrets.open(channel.secrets_encrypted)
    except ValueError:  # sealed with another secret key: this channel cannot verify anything
        log.error("%s channel %s: its credentials cannot be decrypted", channel.type, channel.id)
        return {}


def signed_accounts(
    flavor: Flavor, runtime: Runtime, channels: list[Channel], body: bytes, header: str | None
) -> dict[str, Channel]:
    """The Pages / accounts whose app secret signed this body: the ones it may speak for."""
    accounts: dict[str, Channel] = {}
    for channel in channels:
        account = str((channel.settings or {}).get(flavor.id_setting) or "")
        app_secret = str(_open(runtime, channel).get("app_secret") or "")
        if account and signature_ok(body, header, app_secret):
            accounts[account] = channel
    return accounts


async def _receive(
    flavor: Flavor, workspace_id: uuid.UUID, runtime: Runtime, body: bytes, header: str | None
) -> Response:
    async with runtime.database.read_session() as db:
        channels = await active_channels_of_type(db, workspace_id, flavor.channel_type)
    accounts = signed_accounts(flavor, runtime, channels, body, header)
    if not accounts:
        log.warning("%s webhook for workspace %s: signature not valid", flavor.label, workspace_id)
        raise Unauthenticated("the X-Hub-Signature-256 signature is missing or not valid")
    payload = json_object(body)
    if isinstance(payload, str):
        return error_response(400, "bad_request", payload)
    result = await persist(
        runtime, lambda uow: record_webhook(uow, flavor, workspace_id, accounts, payload)
    )
    return JSONResponse(
        {
            "recorded": len(result.recorded),
            "ignored_accounts": result.ignored_accounts,
            "echoes": result.echoes,
            "set_aside": result.quarantined,
        }
    )


def build_router(flavor: Flavor) -> APIRouter:
    router = APIRouter()

    @router.get("/{workspace_id}", include_in_schema=False)
    async def verify_subscription(
        workspace_id: uuid.UUID, request: Request, runtime: RuntimeDep
    ) -> Response:
        """Meta's handshake: echo `hub.challenge` when `hub.verify_token` is this workspace's."""
        query = request.query_params
        token = query.get("hub.verify_token") or ""
        challenge = query.get("hub.challenge") or ""
        expected = verify_token(runtime.secrets, flavor, workspace_id)
        if query.get("hub.mode") == "subscribe" and challenge and tokens_equal(token, expected):
            return PlainTextResponse(challenge)
        return error_response(403, "forbidden", "the verify token does not match")

    @router.post("/{workspace_id}", include_in_schema=False)
    async def receive(workspace_id: uuid.UUID, request: Request, runtime: RuntimeDep) -> Response:
        body = await read_body(request, body_limit(request))
        header = request.headers.get(HEADER)
        key = Deliveries.key(request.url.path, body, {HEADER: header or ""})
        return await deliveries(request).once(
            key, lambda: _receive(flavor, workspace_id, runtime, body, header)
        )

    return router


router = build_router(MESSENGER)

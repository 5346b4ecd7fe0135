"""The webhook of a Meta app: `GET/POST /webhooks/meta/{app_id}`, one URL for the app's
WhatsApp numbers, Facebook Pages and Instagram accounts, in every workspace that connected one.

GET answers Meta's handshake with the app's verify token. POST reads the raw body (413 past the
limit), verifies `X-Hub-Signature-256` with the app secret of the app's channels (the channels
whose `settings.app_id` is `app_id`) before parsing anything: a body no channel of the app
signed is refused with 403 and stores nothing. It is then decoded (400), split by account among
the channels that connected it (`channels/meta_app.py`), each part recorded by its channel
type's inbound recorder in that channel's workspace, all in one transaction committed before
the 200. A number, Page or account no channel of the app connected, and a body of a shape Meta's
messaging products do not send, are acknowledged (200, so Meta does not retry for days) and
stored nowhere. The per-workspace URLs (`/webhooks/whatsapp|messenger|instagram/{workspace}`)
keep working beside it.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse, PlainTextResponse

from frontdesk.api.deps import RuntimeDep
from frontdesk.api.errors import error_response
from frontdesk.api.webhooks.toolkit import (
    META_SIGNATURE_HEADER,
    Deliveries,
    body_limit,
    deliveries,
    json_object,
    meta_signed,
    persist,
    read_body,
)
from frontdesk.channels.meta_app import META_TYPES, app_verify_token, route
from frontdesk.channels.spec import spec_for
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import active_channels_of_app
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import tokens_equal
from frontdesk.db.uow import UnitOfWork

log = logging.getLogger("frontdesk.webhooks.meta")

router = APIRouter()

MAX_APP_ID = 64


def _app_id_ok(app_id: str) -> bool:
    return 0 < len(app_id) <= MAX_APP_ID and app_id.isdigit()


@router.get("/{app_id}", include_in_schema=False)
async def verify_app_subscription(app_id: str, request: Request, runtime: RuntimeDep) -> Response:
    """Meta's handshake: echo `hub.challenge` when `hub.verify_token` is this app's."""
    query = request.query_params
    token = query.get("hub.verify_token") or ""
    challenge = query.get("hub.challenge") or ""
    expected = app_verify_token(runtime.secrets, app_id)
    if (
        _app_id_ok(app_id)
        and query.get("hub.mode") == "subscribe"
        and challenge
        and tokens_equal(token, expected)
    ):
        return PlainTextResponse(challenge)
    return error_response(403, "forbidden", "the verify token does not match")


@router.post("/{app_id}", include_in_schema=False)
async def receive_for_app(app_id: str, request: Request, runtime: RuntimeDep) -> Response:
    body = await read_body(request, body_limit(request))
    header = request.headers.get(META_SIGNATURE_HEADER)
    key = Deliveries.key(request.url.path, body, {META_SIGNATURE_HEADER: header or ""})
    return await deliveries(request).once(key, lambda: _receive(app_id, runtime, body, header))


def _secret(runtime: Runtime, channel: Channel) -> str:
    if not channel.secrets_encrypted:
        return ""
    try:
        return str(runtime.secrets.open(channel.secrets_encrypted).get("app_secret") or "")
    except ValueError:  # sealed with another secret key: it verifies nothing
        log.error("%s channel %s: its credentials cannot be decrypted", channel.type, channel.id)
        return ""


async def _receive(app_id: str, runtime: Runtime, body: bytes, header: str | None) -> Response:
    channels: list[Channel] = []
    if _app_id_ok(app_id):
        async with runtime.database.read_session() as db:
            channels = await active_channels_of_app(db, app_id, META_TYPES)
    signed = meta_signed(channels, lambda c: _secret(runtime, c), body, header)
    if not signed:
        log.warning("webhook of Meta app %s: signature not valid", app_id)
        return error_response(
            403, "forbidden", "the X-Hub-Signature-256 signature is missing or not valid"
        )
    payload = json_object(body)
    if isinstance(payload, str):
        return error_response(400, "bad_request", payload)
    routing = route(payload, signed)
    if routing.unknown_shape:
        log.warning("webhook of Meta app %s: object %r not handled", app_id, payload.get("object"))
    if routing.ignored:
        log.warning(
            "webhook of Meta app %s for %s, not connected: ignored", app_id, routing.ignored
        )

    async def record(uow: UnitOfWork) -> dict[str, Any]:
        recorded = set_aside = 0
        for part in routing.parts:
            spec = spec_for(part.channel_type)
            if spec is None or spec.inbound is None:
                continue
            result = await spec.inbound(
                uow, part.workspace_id, part.accounts, part.body(str(payload["object"]))
            )
            recorded += len(result.recorded)
            set_aside += result.quarantined
        return {
            "recorded": recorded,
            "workspaces": len({p.workspace_id for p in routing.parts}),
            "ignored_accounts": routing.ignored,
            "set_aside": set_aside,
        }

    return JSONResponse(await persist(runtime, record))

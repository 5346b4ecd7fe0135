"""WhatsApp set-up of a channel (owners and managers): what to paste in Meta's console, a
connection test, and syncing the number's message templates. Templates are listed for anyone
who may send on the channel."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.errors import error_response
from frontdesk.channels.outbound import ProviderError
from frontdesk.channels.whatsapp.inbound import WHATSAPP
from frontdesk.channels.whatsapp.setup import (
    ConnectionCheck,
    WhatsAppSetup,
    check_connection,
    graph_for,
    setup_info,
)
from frontdesk.channels.whatsapp.templates import fetch_templates
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel
from frontdesk.core.errors import NotFound
from frontdesk.core.runtime import Runtime
from frontdesk.core.templates.actions import sync_templates
from frontdesk.core.templates.queries import list_templates
from frontdesk.core.templates.schemas import TemplateRead, TemplateSync

router = APIRouter()

PROVIDER_FAILED: dict[int | str, dict[str, Any]] = {
    502: {"description": "WhatsApp refused or could not be reached; `details.code` is Meta's code."}
}


def _whatsapp(channel: Channel) -> Channel:
    if channel.type != WHATSAPP:
        raise NotFound("WhatsApp channel")
    return channel


def _secrets(runtime: Runtime, channel: Channel) -> dict[str, Any]:
    return runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}


@router.get("/{channel_id}/whatsapp")
async def read_whatsapp_setup(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> WhatsAppSetup:
    """The webhook URL and verify token to paste in Meta's console; which credentials are set."""
    actor.require_admin()
    channel = _whatsapp(await access_channel(db, actor, channel_id))
    return setup_info(channel, _secrets(runtime, channel), runtime.secrets, runtime.public_url)


@router.post("/{channel_id}/whatsapp/test")
async def test_whatsapp_connection(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> ConnectionCheck:
    """Ask Meta about the number with the stored token; `ok` false says what Meta answered."""
    actor.require_admin()
    channel = _whatsapp(await access_channel(db, actor, channel_id))
    return await check_connection(channel, _secrets(runtime, channel), runtime.provider_urls)


@router.post(
    "/{channel_id}/whatsapp/templates/sync", response_model=TemplateSync, responses=PROVIDER_FAILED
)
async def sync_whatsapp_templates(
    channel_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> TemplateSync | JSONResponse:
    """Read the account's templates from Meta; the channel's list becomes exactly those."""
    actor.require_admin()
    channel = _whatsapp(await access_channel(uow.session, actor, channel_id))
    account = str((channel.settings or {}).get("business_account_id") or "")
    try:
        graph = graph_for(channel, _secrets(runtime, channel), runtime.provider_urls)
        found = await fetch_templates(graph, account)
    except ProviderError as exc:
        return error_response(502, "provider_error", exc.message, {"code": exc.code})
    result = await sync_templates(uow, actor, channel, found)
    await uow.commit()
    return result


@router.get("/{channel_id}/templates")
async def read_templates(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep
) -> list[TemplateRead]:
    """The channel's message templates as last synced; only APPROVED ones can be sent."""
    channel = await access_channel(db, actor, channel_id)
    return await list_templates(db, channel)

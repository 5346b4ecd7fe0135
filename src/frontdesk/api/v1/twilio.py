"""Twilio set-up of an SMS channel or a WhatsApp channel carried by Twilio (owners and
managers): the webhook URL to paste in Twilio's console, and a connection test."""

from __future__ import annotations

import uuid

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from frontdesk.api.deps import ActorDep, ReaderDep, RuntimeDep, UowDep
from frontdesk.api.errors import error_response
from frontdesk.channels.outbound import ProviderError
from frontdesk.channels.twilio.setup import (
    TwilioConnectionCheck,
    TwilioSetup,
    check_connection,
    setup_info,
)
from frontdesk.channels.twilio.spec import is_twilio
from frontdesk.channels.twilio.templates import fetch_content_templates
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import access_channel
from frontdesk.core.errors import NotFound
from frontdesk.core.templates.actions import sync_templates
from frontdesk.core.templates.schemas import TemplateSync

router = APIRouter()


def _twilio(channel: Channel) -> Channel:
    if not is_twilio(channel):
        raise NotFound("Twilio channel")
    return channel


@router.get("/{channel_id}/twilio")
async def read_twilio_setup(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> TwilioSetup:
    """The URL to paste as the number's "A message comes in" webhook; which credentials are set."""
    actor.require_admin()
    channel = _twilio(await access_channel(db, actor, channel_id))
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    return setup_info(channel, secrets, runtime.secrets, runtime.public_url)


@router.post("/{channel_id}/twilio/test")
async def test_twilio_connection(
    channel_id: uuid.UUID, actor: ActorDep, db: ReaderDep, runtime: RuntimeDep
) -> TwilioConnectionCheck:
    """Ask Twilio for the account with the stored credentials; `ok` false says what it answered."""
    actor.require_admin()
    channel = _twilio(await access_channel(db, actor, channel_id))
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    return await check_connection(channel, secrets, runtime.provider_urls)


@router.post("/{channel_id}/twilio/templates/sync", response_model=TemplateSync)
async def sync_twilio_templates(
    channel_id: uuid.UUID, actor: ActorDep, uow: UowDep, runtime: RuntimeDep
) -> TemplateSync | JSONResponse:
    """A WhatsApp channel through Twilio: its templates become the account's Content templates
    (approved for WhatsApp or not), each with its Content SID."""
    actor.require_admin()
    channel = _twilio(await access_channel(uow.session, actor, channel_id))
    if channel.type != "whatsapp":
        raise NotFound("WhatsApp channel through Twilio")
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    try:
        found = await fetch_content_templates(
            channel.settings or {}, secrets, runtime.provider_urls
        )
    except ProviderError as exc:
        return error_response(502, "provider_error", exc.message, {"code": exc.code})
    result = await sync_templates(uow, actor, channel, found)
    await uow.commit()
    return result

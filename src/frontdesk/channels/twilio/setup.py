"""What an admin pastes in Twilio's console for a Twilio channel, and a connection test.

Twilio has no subscription handshake: the number's (or Messaging Service's) "A message comes
in" webhook is set to the channel's message URL, method POST. Status callbacks need no set-up:
each message sent names its own `StatusCallback` URL.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, Field

from frontdesk.channels.outbound import ProviderError
from frontdesk.channels.twilio.rest import Account
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

WEBHOOK_PATH = "/webhooks/twilio"


class TwilioSetup(BaseModel):
    kind: str = Field(description="sms, or whatsapp (WhatsApp through Twilio).")
    message_url: str = Field(description='Paste as the number\'s "A message comes in" webhook.')
    status_callback_url: str = Field(description="Sent with every message; nothing to paste.")
    account_sid: str | None
    phone_number: str | None
    messaging_service_sid: str | None
    has_auth_token: bool


class TwilioConnectionCheck(BaseModel):
    ok: bool
    detail: str
    friendly_name: str | None = None


def message_url(public_url: str, channel: Channel) -> str:
    return f"{public_url.rstrip('/')}{WEBHOOK_PATH}/{channel.workspace_id}/{channel.id}"


def setup_info(
    channel: Channel, secrets: Mapping[str, Any], _box: SecretBox, public_url: str
) -> TwilioSetup:
    settings = channel.settings or {}
    url = message_url(public_url, channel)
    return TwilioSetup(
        kind=channel.type,
        message_url=url,
        status_callback_url=f"{url}/status",
        account_sid=settings.get("account_sid"),
        phone_number=settings.get("phone_number"),
        messaging_service_sid=settings.get("messaging_service_sid"),
        has_auth_token=bool(secrets.get("auth_token") or secrets.get("api_key_secret")),
    )


async def check_connection(
    channel: Channel, secrets: Mapping[str, Any], urls: Mapping[str, str]
) -> TwilioConnectionCheck:
    """Ask Twilio for the account with the stored credentials."""
    try:
        account = Account.of(channel.settings or {}, secrets, urls)
        found = await account.get(".json")
    except ProviderError as exc:
        return TwilioConnectionCheck(ok=False, detail=exc.message)
    name = found.get("friendly_name")
    status = str(found.get("status") or "active")
    if status != "active":
        return TwilioConnectionCheck(ok=False, detail=f"the Twilio account is {status}")
    return TwilioConnectionCheck(
        ok=True, detail="Twilio accepted the credentials", friendly_name=name
    )

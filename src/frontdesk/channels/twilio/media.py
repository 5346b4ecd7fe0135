"""Fetching a file a customer sent by MMS or WhatsApp through Twilio.

The webhook gives each file's URL (`MediaUrlN`, under the account on api.twilio.com) and type
(`MediaContentTypeN`). The URL answers with the file, or redirects to Twilio's store; the
account's credentials are sent (to Twilio's API host only), as accounts that enforce HTTP auth
on media URLs require.
"""

from __future__ import annotations

from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.twilio.rest import Account
from frontdesk.channels.whatsapp.media import file_name


async def fetch_twilio_media(request: MediaRequest) -> FetchedMedia:
    url = str(request.media.get("provider_media_id") or "")
    if not url.startswith(("https://", "http://")):
        raise PermanentProviderError("no_media_url", "the message names no file URL")
    account = Account.of(request.channel.settings or {}, request.secrets, request.provider_urls)
    data, served_type = await account.download(url, request.max_bytes)
    content_type = str(request.media.get("content_type") or served_type or "")
    content_type = content_type.split(";", maxsplit=1)[0].strip() or "application/octet-stream"
    kind = str(request.media.get("kind") or "file")
    name = file_name(kind, content_type, None)
    return FetchedMedia(data=data, content_type=content_type, name=name)

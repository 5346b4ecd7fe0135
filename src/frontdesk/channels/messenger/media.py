"""Fetching a file a customer sent: Meta gives a signed CDN URL in the webhook, fetched as is
(it expires, so the job runs promptly) and stored as the message's attachment."""

from __future__ import annotations

from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.messenger.graph import download
from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.whatsapp.media import file_name


async def fetch_attachment(request: MediaRequest) -> FetchedMedia:
    url = str(request.media.get("url") or request.media.get("provider_media_id") or "")
    if not url.startswith(("https://", "http://")):
        raise PermanentProviderError("no_url", "the attachment has no URL")
    data, served = await download(url, max_bytes=request.max_bytes, label=request.channel.type)
    content_type = (served or "application/octet-stream").split(";", maxsplit=1)[0].strip()
    kind = str(request.media.get("kind") or "file")
    return FetchedMedia(
        data=data, content_type=content_type, name=file_name(kind, content_type, None)
    )

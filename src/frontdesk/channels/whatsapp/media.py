"""Fetching a file a customer sent: media id → short-lived URL → bytes (with the token).

Meta's media URLs last about five minutes, so each try asks for a fresh one. The bytes are
checked against Meta's sha256 when it gives one in hex.
"""

from __future__ import annotations

import hashlib
import re

from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.outbound import PermanentProviderError, TemporaryProviderError
from frontdesk.channels.whatsapp.graph import Graph, graph_url

HEX_SHA256 = re.compile(r"^[0-9a-f]{64}$")
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "audio/ogg": ".ogg",
    "audio/mpeg": ".mp3",
    "audio/mp4": ".m4a",
    "video/mp4": ".mp4",
    "application/pdf": ".pdf",
}


def file_name(kind: str, content_type: str | None, given: str | None) -> str:
    if given:
        return given
    base = (content_type or "").split(";", maxsplit=1)[0].strip().lower()
    return f"{kind or 'file'}{EXTENSIONS.get(base, '')}"


async def fetch_whatsapp_media(request: MediaRequest) -> FetchedMedia:
    token = str(request.secrets.get("access_token") or "")
    media_id = str(request.media.get("provider_media_id") or "")
    if not token or not media_id:
        raise PermanentProviderError("channel_not_connected", "no access token or media id")
    graph = Graph(graph_url(request.provider_urls), token)
    number_id = request.channel.settings.get("phone_number_id")
    info = await graph.call(
        "GET", media_id, params={"phone_number_id": number_id} if number_id else None
    )
    url = info.get("url")
    if not isinstance(url, str) or not url:
        raise PermanentProviderError("unexpected_answer", "WhatsApp gave no URL for the file")
    declared = str(info.get("file_size") or "")
    if declared.isdigit() and int(declared) > request.max_bytes:
        raise PermanentProviderError(
            "too_large", f"the file is larger than {request.max_bytes} bytes"
        )
    data, served_type = await graph.download(url, max_bytes=request.max_bytes)
    expected = str(info.get("sha256") or "").lower()
    if HEX_SHA256.match(expected) and hashlib.sha256(data).hexdigest() != expected:
        raise TemporaryProviderError("checksum", "the downloaded file does not match its sha256")
    content_type = str(info.get("mime_type") or request.media.get("content_type") or served_type)
    kind = str(request.media.get("kind") or "file")
    name = file_name(kind, content_type, request.media.get("name"))
    return FetchedMedia(
        data=data, content_type=content_type.split(";", maxsplit=1)[0].strip(), name=name
    )

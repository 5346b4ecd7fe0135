"""Fetching a file an integrator named by URL (the `fetch_inbound_media` job's adapter).

The URL is checked like a callback URL (no private addresses unless allowed), fetched without
following redirects, and read up to the workspace's attachment limit.
"""

from __future__ import annotations

import httpx

from frontdesk.channels.addresses import blocked_reason
from frontdesk.channels.api_channel.outbound import allow_private
from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.http_client import http_client
from frontdesk.channels.outbound import PermanentProviderError, TemporaryProviderError

TIMEOUT_SECONDS = 20.0
HTTP_OK = 200
SERVER_ERRORS = 500
RETRYABLE_STATUSES = frozenset({408, 429})


async def fetch_api_media(request: MediaRequest) -> FetchedMedia:
    url = str(request.media.get("url") or request.media.get("provider_media_id") or "")
    blocked = await blocked_reason(url, allow_private=allow_private())
    if blocked:
        raise PermanentProviderError("api_media_refused", f"The file URL is refused: {blocked}")
    chunks: list[bytes] = []
    size = 0
    try:
        async with (
            http_client(timeout=TIMEOUT_SECONDS) as http,
            http.stream("GET", url) as response,
        ):
            if response.status_code >= SERVER_ERRORS or response.status_code in RETRYABLE_STATUSES:
                raise TemporaryProviderError(
                    f"api_media_{response.status_code}", "the file's server failed"
                )
            if response.status_code != HTTP_OK:
                raise PermanentProviderError(
                    f"api_media_{response.status_code}",
                    f"The file's server answered {response.status_code}.",
                )
            async for chunk in response.aiter_bytes():
                size += len(chunk)
                if size > request.max_bytes:
                    raise PermanentProviderError(
                        "api_media_too_big", f"The file is larger than {request.max_bytes} bytes."
                    )
                chunks.append(chunk)
            header_type = response.headers.get("content-type", "").split(";")[0].strip()
    except httpx.HTTPError as exc:
        raise TemporaryProviderError("api_media_unreachable", str(exc)[:200]) from None
    declared = request.media.get("content_type")
    name = request.media.get("name")
    return FetchedMedia(
        data=b"".join(chunks),
        content_type=declared if isinstance(declared, str) and declared else header_type or None,
        name=name if isinstance(name, str) else None,
    )

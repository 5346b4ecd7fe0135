"""Calls to Meta's Graph API for one WhatsApp number, with Meta's errors sorted for retrying.

Meta answers errors as `{"error": {"message", "type", "code", "error_data": {"details"}}}`;
`code` decides: throttling waits (130429 throughput, 131056 pair rate, 80007 / 4 account and
app limits), transient faults retry (5xx, 131000, 131016, 133004, network), everything else is
permanent and shown to the agent with Meta's reason.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from frontdesk.channels.outbound import (
    PermanentProviderError,
    ProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)

log = logging.getLogger("frontdesk.channels.whatsapp")

GRAPH = "meta_graph"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0"
TIMEOUT_SECONDS = 20.0
HTTP_TOO_MANY = 429
HTTP_SERVER_ERROR = 500
# Seconds to wait before trying again, by Meta error code (Meta sends no Retry-After).
THROTTLE_SECONDS: dict[int, float] = {
    130429: 30.0,  # Cloud API throughput (messages per second) exceeded
    131056: 6.0,  # too many messages to the same user: about one per 6 s
    80007: 300.0,  # WhatsApp Business Account rate limit
    4: 300.0,  # app-level call limit
    613: 60.0,  # calls limit
}
TRANSIENT_CODES = frozenset({1, 2, 131000, 131016, 133004})
DEFAULT_THROTTLE_SECONDS = 30.0


def graph_url(provider_urls: Mapping[str, str]) -> str:
    return provider_urls.get(GRAPH, DEFAULT_GRAPH_URL).rstrip("/")


def provider_error(status: int, body: Any, retry_after: str | None = None) -> ProviderError:
    """The error to raise for a Graph API answer that is not a success."""
    found = body.get("error") if isinstance(body, dict) else None
    error: dict[str, Any] = found if isinstance(found, dict) else {}
    raw_code = error.get("code")
    code = raw_code if isinstance(raw_code, int) else None
    extra = error.get("error_data")
    data: dict[str, Any] = extra if isinstance(extra, dict) else {}
    text = str(data.get("details") or error.get("message") or f"HTTP {status} from WhatsApp")
    label = str(code) if code is not None else f"http_{status}"
    if code in THROTTLE_SECONDS or status == HTTP_TOO_MANY:
        wait = THROTTLE_SECONDS.get(code or 0, DEFAULT_THROTTLE_SECONDS)
        if retry_after and retry_after.isdigit():
            wait = float(retry_after)
        return RateLimitedByProvider(wait, f"{label}: {text}")
    if code in TRANSIENT_CODES or status >= HTTP_SERVER_ERROR:
        return TemporaryProviderError(label, text)
    return PermanentProviderError(label, text)


@dataclass(frozen=True)
class Graph:
    """One access token against one Graph API base URL (with its version)."""

    base_url: str
    token: str
    timeout: float = TIMEOUT_SECONDS

    async def call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """A JSON call; `path` is relative to the versioned base URL, or absolute."""
        url = path if path.startswith("http") else f"{self.base_url}/{path.lstrip('/')}"
        response = await self._send(method, url, json=json, params=params, files=files, data=data)
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 300 or not isinstance(body, dict):  # noqa: PLR2004
            raise provider_error(response.status_code, body, response.headers.get("retry-after"))
        return body

    async def download(self, url: str, *, max_bytes: int) -> tuple[bytes, str | None]:
        """The bytes behind a media URL (with the token, as Meta requires) and their type."""
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with (
                httpx.AsyncClient(timeout=self.timeout) as client,
                client.stream("GET", url, headers=headers) as response,
            ):
                if response.status_code >= 300:  # noqa: PLR2004
                    await response.aread()
                    body = _json_or_none(response)
                    raise provider_error(response.status_code, body)
                chunks, size = [], 0
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise PermanentProviderError(
                            "too_large", f"the file is larger than {max_bytes} bytes"
                        )
                    chunks.append(chunk)
                return b"".join(chunks), response.headers.get("content-type")
        except httpx.HTTPError as exc:
            raise TemporaryProviderError(
                "network", f"WhatsApp could not be reached: {exc}"
            ) from exc

    async def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with httpx.AsyncClient(timeout=self.timeout) as client:
                return await client.request(method, url, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            raise TemporaryProviderError(
                "network", f"WhatsApp could not be reached: {exc}"
            ) from exc


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None

"""Calls to Meta's Graph API for one WhatsApp number, with Meta's errors sorted for retrying.

Meta answers errors as `{"error": {"message", "type", "code", "error_data": {"details"}}}`;
`code` decides: throttling waits (130429 throughput, 131056 pair rate, 80007 / 4 account and
app limits), transient faults retry (5xx, 131000, 131016, 133004, network), everything else is
permanent and shown to the agent with Meta's reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import httpx

from frontdesk.channels.graph_errors import (
    TIMEOUT_SECONDS,
    GraphError,
    GraphErrorCodes,
    graph_url,
    sort_graph_error,
)
from frontdesk.channels.http_client import http_client
from frontdesk.channels.outbound import (
    PermanentProviderError,
    ProviderError,
    TemporaryProviderError,
)

__all__ = ["Graph", "graph_url", "provider_error"]

log = logging.getLogger("frontdesk.channels.whatsapp")

# Seconds to wait before trying again, by Meta error code (Meta sends no Retry-After).
CODES = GraphErrorCodes(
    throttle_seconds={
        130429: 30.0,  # Cloud API throughput (messages per second) exceeded
        131056: 6.0,  # too many messages to the same user: about one per 6 s
        80007: 300.0,  # WhatsApp Business Account rate limit
        4: 300.0,  # app-level call limit
        613: 60.0,  # calls limit
    },
    transient=frozenset({1, 2, 131000, 131016, 133004}),
)


def provider_error(status: int, body: Any, retry_after: str | None = None) -> ProviderError:
    """The error to raise for a Graph API answer that is not a success."""
    error = GraphError.of(body)
    text = error.details or error.message or f"HTTP {status} from WhatsApp"
    return sort_graph_error(
        CODES, status, error.code, name=error.name(status), text=text, retry_after=retry_after
    )


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
                http_client(timeout=self.timeout) as client,
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
            async with http_client(timeout=self.timeout) as client:
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

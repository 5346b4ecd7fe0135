"""Calls to Meta's Send API for a Facebook Page (Messenger) or an Instagram professional
account, with Meta's errors sorted for retrying.

Meta answers errors as `{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}`.
Throttling waits (613 calls limit, 4 / 17 / 32 app, user and Page limits, HTTP 429), transient
faults retry (codes 1, 2 and 1200, 5xx, network); everything else is permanent and shown to the
agent with Meta's message (10 / 2018278 outside the allowed window, 551 person unavailable,
190 token, 200 permissions...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from frontdesk.channels.graph_errors import (
    HTTP_SERVER_ERROR,
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

__all__ = ["SendApi", "download", "graph_url", "provider_error"]

CODES = GraphErrorCodes(
    throttle_seconds={613: 60.0, 4: 300.0, 17: 300.0, 32: 300.0},
    transient=frozenset({1, 2, 1200}),
)


def provider_error(
    status: int, body: Any, label: str, retry_after: str | None = None
) -> ProviderError:
    """The error to raise for a Send API answer that is not a success."""
    error = GraphError.of(body)
    name = error.name(status)
    if error.subcode is not None:
        name = f"{name}/{error.subcode}"
    text = error.message or f"HTTP {status} from {label}"
    return sort_graph_error(
        CODES, status, error.code, name=name, text=text, retry_after=retry_after
    )


@dataclass(frozen=True)
class SendApi:
    """One access token against one Graph API base URL (with its version)."""

    base_url: str
    token: str
    label: str = "Messenger"
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
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {"Authorization": f"Bearer {self.token}"}
        try:
            async with http_client(timeout=self.timeout) as client:
                response = await client.request(
                    method, url, headers=headers, json=json, params=params, files=files, data=data
                )
        except httpx.HTTPError as exc:
            raise TemporaryProviderError(
                "network", f"{self.label} could not be reached: {exc}"
            ) from exc
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code >= 300 or not isinstance(body, dict):  # noqa: PLR2004
            raise provider_error(
                response.status_code, body, self.label, response.headers.get("retry-after")
            )
        return body


async def download(url: str, *, max_bytes: int, label: str) -> tuple[bytes, str | None]:
    """The bytes behind an attachment's CDN URL (signed by Meta: no token is sent)."""
    try:
        async with (
            http_client(timeout=TIMEOUT_SECONDS, follow_redirects=True) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 300:  # noqa: PLR2004
                await response.aread()
                if response.status_code >= HTTP_SERVER_ERROR:
                    raise TemporaryProviderError(
                        f"http_{response.status_code}", "the file could not be fetched"
                    )
                raise PermanentProviderError(
                    f"http_{response.status_code}", "the file's link has expired or is not valid"
                )
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
        raise TemporaryProviderError("network", f"{label} could not be reached: {exc}") from exc

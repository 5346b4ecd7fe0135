"""Meta's Graph API errors sorted for retrying: the part WhatsApp, Messenger and Instagram share.

Meta answers errors as `{"error": {"message", "type", "code", "error_subcode", "error_data",
"fbtrace_id"}}`. Each product throttles and fails transiently with its own codes
(`GraphErrorCodes`); the sorting is the same: a throttling code or HTTP 429 waits (Retry-After
when Meta sends one, else the code's own wait), a transient code or a 5xx retries, and
everything else is permanent and shown to the agent with Meta's reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from frontdesk.channels.outbound import (
    PermanentProviderError,
    ProviderError,
    RateLimitedByProvider,
    TemporaryProviderError,
)

GRAPH = "meta_graph"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v25.0"
TIMEOUT_SECONDS = 20.0
HTTP_TOO_MANY = 429
HTTP_SERVER_ERROR = 500
DEFAULT_THROTTLE_SECONDS = 30.0


def graph_url(provider_urls: Mapping[str, str]) -> str:
    return provider_urls.get(GRAPH, DEFAULT_GRAPH_URL).rstrip("/")


@dataclass(frozen=True)
class GraphErrorCodes:
    """One product's codes: seconds to wait for each throttling code, and the transient ones."""

    throttle_seconds: Mapping[int, float]
    transient: frozenset[int]


@dataclass(frozen=True)
class GraphError:
    """What an error body says, each part None when absent or not of the expected type."""

    code: int | None
    subcode: int | None
    message: str | None
    details: str | None

    @classmethod
    def of(cls, body: Any) -> GraphError:
        found = body.get("error") if isinstance(body, dict) else None
        error: dict[str, Any] = found if isinstance(found, dict) else {}
        raw_code, raw_sub = error.get("code"), error.get("error_subcode")
        extra = error.get("error_data")
        data: dict[str, Any] = extra if isinstance(extra, dict) else {}
        message, details = error.get("message"), data.get("details")
        return cls(
            code=raw_code if isinstance(raw_code, int) else None,
            subcode=raw_sub if isinstance(raw_sub, int) else None,
            message=str(message) if message else None,
            details=str(details) if details else None,
        )

    def name(self, status: int) -> str:
        """The error's code as shown to the agent: Meta's, or the HTTP status without one."""
        return str(self.code) if self.code is not None else f"http_{status}"


def sort_graph_error(
    codes: GraphErrorCodes,
    status: int,
    code: int | None,
    *,
    name: str,
    text: str,
    retry_after: str | None = None,
) -> ProviderError:
    """The error to raise: rate limited, temporary (retried) or permanent."""
    if code in codes.throttle_seconds or status == HTTP_TOO_MANY:
        wait = codes.throttle_seconds.get(code or 0, DEFAULT_THROTTLE_SECONDS)
        if retry_after and retry_after.isdigit():
            wait = float(retry_after)
        return RateLimitedByProvider(wait, f"{name}: {text}")
    if code in codes.transient or status >= HTTP_SERVER_ERROR:
        return TemporaryProviderError(name, text)
    return PermanentProviderError(name, text)

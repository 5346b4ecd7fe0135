"""Calls to Twilio's REST API for one account: HTTP Basic auth (Account SID and Auth Token, or
an API key's SID and secret), form-encoded bodies, Twilio's errors sorted for retrying."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import httpx

from frontdesk.channels.http_client import http_client
from frontdesk.channels.outbound import PermanentProviderError, TemporaryProviderError
from frontdesk.channels.twilio.errors import provider_error

log = logging.getLogger("frontdesk.channels.twilio")

DEFAULT_API_URL = "https://api.twilio.com"
PROVIDER_URL_KEY = "twilio"
TIMEOUT_SECONDS = 15.0


def api_url(provider_urls: Mapping[str, str]) -> str:
    return (provider_urls.get(PROVIDER_URL_KEY) or DEFAULT_API_URL).rstrip("/")


@dataclass(frozen=True)
class Account:
    base_url: str
    account_sid: str
    username: str  # the Account SID, or an API key's SID (SK…)
    password: str

    @classmethod
    def of(
        cls, settings: Mapping[str, Any], secrets: Mapping[str, Any], urls: Mapping[str, str]
    ) -> Account:
        account_sid = str(settings.get("account_sid") or "")
        key_sid = str(secrets.get("api_key_sid") or "")
        key_secret = str(secrets.get("api_key_secret") or "")
        token = str(secrets.get("auth_token") or "")
        if not account_sid or not (token or (key_sid and key_secret)):
            raise PermanentProviderError(
                "channel_not_connected",
                "This Twilio channel has no Account SID or Auth Token: finish its set-up.",
            )
        if key_sid and key_secret:
            return cls(api_url(urls), account_sid, key_sid, key_secret)
        return cls(api_url(urls), account_sid, account_sid, token)

    def url(self, path: str) -> str:
        """`path` under the account (".json" is the account itself)."""
        separator = "" if path.startswith(".") else "/"
        return f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}{separator}{path}"

    async def post(self, path: str, form: Sequence[tuple[str, str]]) -> dict[str, Any]:
        return await self._call("POST", path, form)

    async def get(self, path: str) -> dict[str, Any]:
        return await self._call("GET", path, None)

    async def get_url(self, url: str) -> dict[str, Any]:
        """GET a full URL of another Twilio API (Content) with the account's credentials."""
        return await self._call("GET", url, None, absolute=True)

    async def _call(
        self,
        method: str,
        path: str,
        form: Sequence[tuple[str, str]] | None,
        *,
        absolute: bool = False,
    ) -> dict[str, Any]:
        try:
            async with http_client(timeout=TIMEOUT_SECONDS) as http:
                answer = await http.request(
                    method,
                    path if absolute else self.url(path),
                    content=urlencode(list(form)) if form is not None else None,
                    headers={"Content-Type": "application/x-www-form-urlencoded"}
                    if form is not None
                    else None,
                    auth=(self.username, self.password),
                )
        except httpx.HTTPError as exc:
            raise TemporaryProviderError("network", f"Twilio could not be reached: {exc}") from exc
        try:
            body = answer.json()
        except ValueError:
            body = None
        if answer.status_code >= HTTPStatus.BAD_REQUEST:
            raise provider_error(answer.status_code, body, answer.headers.get("retry-after"))
        if not isinstance(body, dict):
            raise PermanentProviderError("unexpected_answer", "Twilio answered without JSON")
        return body

    async def download(self, url: str, max_bytes: int) -> tuple[bytes, str | None]:
        """A media file (Twilio redirects to its store; the account's auth may be required)."""
        try:
            async with http_client(timeout=TIMEOUT_SECONDS, follow_redirects=True) as http:
                # The account's credentials go only to Twilio's own API host.
                auth = (self.username, self.password) if url.startswith(self.base_url) else None
                async with http.stream("GET", url, auth=auth) as answer:
                    if answer.status_code >= HTTPStatus.BAD_REQUEST:
                        await answer.aread()
                        raise provider_error(answer.status_code, None)
                    chunks, size = [], 0
                    async for chunk in answer.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise PermanentProviderError(
                                "too_large", f"the file is larger than {max_bytes} bytes"
                            )
                        chunks.append(chunk)
                    return b"".join(chunks), answer.headers.get("content-type")
        except httpx.HTTPError as exc:
            raise TemporaryProviderError("network", f"Twilio could not be reached: {exc}") from exc

"""A small client of the Telegram Bot API: `POST <server>/bot<token>/<method>`.

The server URL is configuration (FRONTDESK_TELEGRAM_API_URL, handed over as
`provider_urls["telegram"]`), so a local Bot API server or a test fake can stand in for
api.telegram.org. The bot token sits in every URL path, so it is
scrubbed from httpx's request log and never appears in an error this module raises.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any, TypeVar

import httpx
from pydantic import ValidationError

from frontdesk.channels.http_client import http_client
from frontdesk.channels.telegram.payloads import BotUser, RemoteFile, SentMessage

DEFAULT_API_URL = "https://api.telegram.org"
PROVIDER_URL_KEY = "telegram"
TIMEOUT_SECONDS = 15.0
CONNECT_TIMEOUT_SECONDS = 5.0
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # what the Bot API lets a bot download
TOKEN_IN_PATH = re.compile(r"/(file/)?bot[^/\s]+")
MAX_DESCRIPTION = 500
HTTP_SERVER_ERROR = 500
HTTP_TOO_MANY_REQUESTS = 429


_T = TypeVar("_T", BotUser, RemoteFile, SentMessage)


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(lambda m: f"/{m.group(1) or ''}bot<token>", text)


class _RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            record.args = tuple(
                redact(str(a)) if isinstance(a, (str, httpx.URL)) else a
                for a in (record.args if isinstance(record.args, tuple) else (record.args,))
            )
        record.msg = redact(str(record.msg))
        return True


logging.getLogger("httpx").addFilter(_RedactTokens())


class TelegramApiError(Exception):
    """Telegram answered `{"ok": false, ...}`: its error code and description."""

    def __init__(
        self,
        error_code: int,
        description: str,
        *,
        retry_after: float | None = None,
        migrate_to_chat_id: int | None = None,
    ) -> None:
        super().__init__(f"{error_code}: {description}")
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after
        self.migrate_to_chat_id = migrate_to_chat_id

    @property
    def is_temporary(self) -> bool:
        return self.error_code >= HTTP_SERVER_ERROR or self.error_code == HTTP_TOO_MANY_REQUESTS


class TelegramUnreachable(Exception):
    """No usable answer: a network error, a timeout, or a body that is not the Bot API's."""


def _parse_error(status: int, body: Any) -> TelegramApiError:
    if not isinstance(body, dict):
        return TelegramApiError(status, f"HTTP {status}")
    raw = body.get("parameters")
    params: dict[str, Any] = raw if isinstance(raw, dict) else {}
    retry = params.get("retry_after")
    migrate = params.get("migrate_to_chat_id")
    code = body.get("error_code")
    return TelegramApiError(
        code if isinstance(code, int) else status,
        str(body.get("description") or f"HTTP {status}")[:MAX_DESCRIPTION],
        retry_after=float(retry) if isinstance(retry, (int, float)) else None,
        migrate_to_chat_id=migrate if isinstance(migrate, int) else None,
    )


def _form_value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class BotApi:
    """One bot's calls. Each call opens its own connection: calls are rare and short."""

    def __init__(self, token: str, base_url: str = DEFAULT_API_URL) -> None:
        self._token = token
        self._base_url = base_url.rstrip("/")

    @classmethod
    def for_urls(cls, token: str, provider_urls: Mapping[str, str]) -> BotApi:
        """The client for the Bot API server of the settings (`provider_urls["telegram"]`)."""
        return cls(token, provider_urls.get(PROVIDER_URL_KEY) or DEFAULT_API_URL)

    def _client(self) -> httpx.AsyncClient:
        return http_client(timeout=httpx.Timeout(TIMEOUT_SECONDS, connect=CONNECT_TIMEOUT_SECONDS))

    async def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Any:
        """The method's `result`; raises TelegramApiError or TelegramUnreachable."""
        url = f"{self._base_url}/bot{self._token}/{method}"
        body = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            async with self._client() as http:
                if files:
                    data = {k: _form_value(v) for k, v in body.items()}
                    response = await http.post(url, data=data, files=files)
                else:
                    response = await http.post(url, json=body)
        except httpx.HTTPError as exc:
            raise TelegramUnreachable(f"{method}: {type(exc).__name__}") from None
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
            return answer["result"]
        if isinstance(answer, dict) and answer.get("ok") is False:
            raise _parse_error(response.status_code, answer)
        if response.status_code >= HTTP_SERVER_ERROR:
            raise TelegramApiError(response.status_code, f"HTTP {response.status_code}")
        raise TelegramUnreachable(f"{method}: HTTP {response.status_code} without a Bot API answer")

    async def get_me(self) -> BotUser:
        return _model(BotUser, await self.call("getMe"))

    async def set_webhook(
        self, url: str, secret_token: str, allowed_updates: tuple[str, ...]
    ) -> None:
        await self.call(
            "setWebhook",
            {
                "url": url,
                "secret_token": secret_token,
                "allowed_updates": list(allowed_updates),
                "drop_pending_updates": False,
            },
        )

    async def webhook_url(self) -> str:
        """The URL the bot's updates are posted to now (getWebhookInfo); empty when none."""
        info = await self.call("getWebhookInfo")
        return str(info.get("url") or "") if isinstance(info, dict) else ""

    async def delete_webhook(self) -> None:
        """Stop posting updates to the webhook; undelivered ones stay for the next one."""
        await self.call("deleteWebhook", {"drop_pending_updates": False})

    async def send_message(self, chat_id: str, text: str, **extra: Any) -> SentMessage:
        return _model(
            SentMessage, await self.call("sendMessage", {"chat_id": chat_id, "text": text, **extra})
        )

    async def send_file(
        self, method: str, field: str, chat_id: str, upload: tuple[str, bytes, str], **extra: Any
    ) -> SentMessage:
        """sendPhoto / sendDocument with the file's bytes uploaded (multipart)."""
        result = await self.call(method, {"chat_id": chat_id, **extra}, files={field: upload})
        return _model(SentMessage, result)

    async def answer_callback_query(self, callback_query_id: str, text: str | None = None) -> None:
        await self.call(
            "answerCallbackQuery", {"callback_query_id": callback_query_id, "text": text}
        )

    async def get_file(self, file_id: str) -> RemoteFile:
        return _model(RemoteFile, await self.call("getFile", {"file_id": file_id}))

    async def download(self, file_path: str, max_bytes: int = MAX_DOWNLOAD_BYTES) -> bytes:
        """A file's bytes from `<server>/file/bot<token>/<file_path>`, refusing past `max_bytes`."""
        url = f"{self._base_url}/file/bot{self._token}/{file_path.lstrip('/')}"
        chunks: list[bytes] = []
        size = 0
        try:
            async with self._client() as http, http.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    await response.aread()
                    raise _parse_error(response.status_code, _json_or_none(response))
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise TelegramApiError(413, f"the file is larger than {max_bytes} bytes")
                    chunks.append(chunk)
        except httpx.HTTPError as exc:
            raise TelegramUnreachable(f"file download: {type(exc).__name__}") from None
        return b"".join(chunks)


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _model(model: type[_T], value: Any) -> _T:
    try:
        return model.model_validate(value)
    except ValidationError:
        raise TelegramUnreachable(f"unexpected {model.__name__} from the Bot API") from None

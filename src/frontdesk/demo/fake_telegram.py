"""A fake Telegram Bot API server: the real wire protocol over HTTP, on a loopback port.

It implements what Frontdesk uses — `POST /bot<token>/<method>` for getMe, setWebhook,
getWebhookInfo, deleteWebhook, sendMessage, sendPhoto, sendDocument, getFile,
getUserProfilePhotos (the pictures given by `add_profile_photo`; anyone else has none, as when
privacy settings hide them) and answerCallbackQuery, and `GET /file/bot<token>/<file_path>` —
answers with Telegram's envelope
(`{"ok": true, "result": ...}` or `{"ok": false, "error_code", "description", "parameters"}`),
records every call, can be told to fail (429 with retry_after, 5xx, a user who blocked the
bot), and posts updates to the webhook a bot registered, with its secret token.

Parameters are read the ways the Bot API accepts them: a JSON body, a form (urlencoded or
multipart, where objects such as `reply_markup` arrive JSON-encoded) or the query string.

`frontdesk demo --fake-providers` runs it beside the app; the tests drive it through
`tests/fakes/telegram.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
import re
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontdesk.channels.http_client import http_client

# Spelled out here, not imported from the product, so the fake checks it independently.
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
MAX_PHOTOS_LIMIT = 100
BLOCKED = "Forbidden: bot was blocked by the user"


@dataclass
class Bot:
    token: str
    username: str
    first_name: str
    webhook_url: str = ""
    secret_token: str | None = None
    allowed_updates: list[str] = field(default_factory=list)

    @property
    def id(self) -> int:
        return int(self.token.split(":", 1)[0])

    def user(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }


@dataclass(frozen=True)
class Call:
    """One request the fake received (also those it refused)."""

    method: str
    token: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes, str]]


@dataclass
class Failure:
    method: str
    error_code: int
    description: str
    parameters: dict[str, Any] | None
    times: int
    token: str | None = None  # only this bot's calls; None: every bot's


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes


class FakeTelegram:
    """The fake's state; `app` is its ASGI application."""

    def __init__(self, *, require_https: bool = False) -> None:
        self.require_https = require_https
        self.base_url = ""  # where it is reachable, once served
        self.bots: dict[str, Bot] = {}
        self.calls: list[Call] = []
        self.failures: list[Failure] = []
        self.blocked_chats: set[int] = set()
        self.files: dict[str, StoredFile] = {}
        # Each user's profile pictures, newest first, each as its sizes' file ids by side.
        self.profile_photos: dict[int, list[dict[int, str]]] = {}
        self.sent: list[dict[str, Any]] = []  # Message objects the bots sent, in order
        self.downloads: list[str] = []  # file paths fetched from the file server
        # Every update posted (webhook URL, exact body, headers), so a test can deliver them
        # all again.
        self.updates_posted: list[tuple[str, bytes, dict[str, str]]] = []
        self._message_ids = itertools.count(5001)
        self._update_ids = itertools.count(700_000_001)
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._method, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
            ]
        )

    # ---- set-up by the test ----------------------------------------------------------

    def add_bot(
        self, username: str = "acme_jobs_bot", first_name: str = "Acme Jobs", token: str = ""
    ) -> Bot:
        token = token or f"{7_000_000_000 + len(self.bots)}:{secrets.token_urlsafe(26)}"
        bot = Bot(token=token, username=username, first_name=first_name)
        self.bots[token] = bot
        return bot

    def add_file(
        self, content: bytes, file_path: str = "photos/file_0.jpg", file_id: str = ""
    ) -> str:
        """A file the bot may fetch with getFile; returns its file_id."""
        file_id = file_id or f"AgAC{secrets.token_urlsafe(24)}"
        self.files[file_id] = StoredFile(
            file_id=file_id,
            file_unique_id=f"AQAD{secrets.token_urlsafe(8)}",
            file_path=file_path,
            content=content,
        )
        return file_id

    def add_profile_photo(self, user_id: int, sizes: dict[int, bytes]) -> dict[int, str]:
        """A new profile picture of `user_id`, square, in the given sizes (side in pixels:
        JPEG bytes); getUserProfilePhotos shows it first. Returns the file id of each size."""
        ids = {
            side: self.add_file(content, f"profile_photos/file_{len(self.files)}.jpg")
            for side, content in sorted(sizes.items())
        }
        self.profile_photos.setdefault(user_id, []).insert(0, ids)
        return ids

    def fail(
        self,
        method: str,
        error_code: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        bot: Bot | None = None,
    ) -> None:
        """The next `times` calls of `method` (by `bot`, or any) answer this error instead."""
        parameters = {"retry_after": retry_after} if retry_after is not None else None
        token = bot.token if bot else None
        self.failures.append(Failure(method, error_code, description, parameters, times, token))

    def throttle(
        self, method: str, retry_after: int, times: int = 1, bot: Bot | None = None
    ) -> None:
        """Telegram's flood control: 429 with `parameters.retry_after`."""
        self.fail(
            method,
            429,
            f"Too Many Requests: retry after {retry_after}",
            retry_after=retry_after,
            times=times,
            bot=bot,
        )

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to them answers 403."""
        self.blocked_chats.add(chat_id)

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def next_update_id(self) -> int:
        return next(self._update_ids)

    def text_update(
        self, chat_id: int, text: str, first_name: str, last_name: str = "", username: str = ""
    ) -> dict[str, Any]:
        """An update as Telegram sends it when a customer writes to the bot in private."""
        return self.message_update(chat_id, {"text": text}, first_name, last_name, username)

    def photo_update(
        self, chat_id: int, content: bytes, caption: str, first_name: str, last_name: str = ""
    ) -> dict[str, Any]:
        """A customer's photo: the file is kept for getFile, the update names its sizes."""
        file_id = self.add_file(content, f"photos/file_{len(self.files)}.jpg")
        stored = self.files[file_id]
        size = {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(content),
            "width": 320,
            "height": 240,
        }
        photo = {"photo": [size], "caption": caption} if caption else {"photo": [size]}
        return self.message_update(chat_id, photo, first_name, last_name)

    def message_update(
        self,
        chat_id: int,
        content: dict[str, Any],
        first_name: str,
        last_name: str = "",
        username: str = "",
    ) -> dict[str, Any]:
        """A private chat's message with `content` (its text, photo, location... fields)."""
        person: dict[str, Any] = {"id": chat_id, "first_name": first_name}
        if last_name:
            person["last_name"] = last_name
        if username:
            person["username"] = username
        return {
            "update_id": self.next_update_id(),
            "message": {
                "message_id": next(self._message_ids),
                "from": {**person, "is_bot": False, "language_code": "en"},
                "chat": {**person, "type": "private"},
                "date": int(time.time()),
                **content,
            },
        }

    async def post_update(
        self,
        bot: Bot,
        update: dict[str, Any] | bytes,
        *,
        secret: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """POST an update to the bot's webhook, as Telegram does (with its secret token).

        `secret` overrides the registered one (to test a forged request); `client` reaches an
        app without a network (httpx's ASGI transport), else a real HTTP client is used.
        """
        if not bot.webhook_url:
            raise AssertionError(f"bot {bot.username} has no webhook registered")
        token = bot.secret_token if secret is None else secret
        headers = {"Content-Type": "application/json"}
        if token:
            headers[SECRET_HEADER] = token
        body = update if isinstance(update, bytes) else json.dumps(update).encode()
        self.updates_posted.append((bot.webhook_url, body, headers))
        if client is not None:
            return await client.post(bot.webhook_url, content=body, headers=headers)
        async with http_client(timeout=10) as http:
            return await http.post(bot.webhook_url, content=body, headers=headers)

    # ---- the Bot API ---------------------------------------------------------------------

    async def _file(self, request: Request) -> Response:
        bot = self.bots.get(request.path_params["token"])
        path = request.path_params["path"]
        found = next((f for f in self.files.values() if f.file_path == path), None)
        if bot is None or found is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
            )
        self.downloads.append(path)
        return Response(found.content, media_type="application/octet-stream")

    async def _method(self, request: Request) -> Response:
        token, method = request.path_params["token"], request.path_params["method"]
        params, files = await _read_params(request)
        self.calls.append(Call(method=method, token=token, params=params, files=files))
        bot = self.bots.get(token)
        if bot is None:
            return _error(401, "Unauthorized")
        failure = next(
            (
                f
                for f in self.failures
                if f.method == method and f.times > 0 and f.token in (None, token)
            ),
            None,
        )
        if failure is not None:
            failure.times -= 1
            return _error(failure.error_code, failure.description, failure.parameters)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found")
        try:
            result = handler(bot, params, files)
        except ApiError as exc:
            return _error(exc.code, exc.description)
        return JSONResponse({"ok": True, "result": result})

    def _api_getMe(self, bot: Bot, _params: dict[str, Any], _files: Any) -> dict[str, Any]:  # noqa: N802
        return bot.user()

    def _api_setWebhook(self, bot: Bot, params: dict[str, Any], _files: Any) -> bool:  # noqa: N802
        url = str(params.get("url", ""))
        secret = params.get("secret_token")
        if url and self.require_https and not url.startswith("https://"):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if url and not url.startswith(("http://", "https://")):
            raise ApiError(400, "Bad Request: bad webhook: Failed to resolve host")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        bot.webhook_url = url
        bot.secret_token = str(secret) if secret is not None else None
        updates = params.get("allowed_updates")
        if updates is not None:
            bot.allowed_updates = list(_json_value(updates))
        return True

    def _api_deleteWebhook(self, bot: Bot, _params: dict[str, Any], _files: Any) -> bool:  # noqa: N802
        bot.webhook_url, bot.secret_token = "", None
        return True

    def _api_getWebhookInfo(self, bot: Bot, _params: Any, _files: Any) -> dict[str, Any]:  # noqa: N802
        return {
            "url": bot.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": 0,
            "allowed_updates": bot.allowed_updates,
        }

    def _api_sendMessage(self, bot: Bot, params: dict[str, Any], _files: Any) -> dict[str, Any]:  # noqa: N802
        text = str(params.get("text", ""))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        message = self._message(bot, params)
        message["text"] = text
        return self._keep(message)

    def _api_sendPhoto(self, bot: Bot, params: dict[str, Any], files: Any) -> dict[str, Any]:  # noqa: N802
        stored = self._media(params, files, "photo")
        message = self._message(bot, params)
        message["photo"] = [
            {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.content),
                "width": 800,
                "height": 600,
            }
        ]
        return self._keep(_with_caption(message, params))

    def _api_sendDocument(self, bot: Bot, params: dict[str, Any], files: Any) -> dict[str, Any]:  # noqa: N802
        stored = self._media(params, files, "document")
        name = files["document"][0] if "document" in files else stored.file_path.rsplit("/")[-1]
        message = self._message(bot, params)
        message["document"] = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": name,
            "file_size": len(stored.content),
        }
        return self._keep(_with_caption(message, params))

    def _api_getFile(self, _bot: Bot, params: dict[str, Any], _files: Any) -> dict[str, Any]:  # noqa: N802
        found = self.files.get(str(params.get("file_id", "")))
        if found is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": found.file_id,
            "file_unique_id": found.file_unique_id,
            "file_size": len(found.content),
            "file_path": found.file_path,
        }

    def _api_getUserProfilePhotos(self, _bot: Bot, params: dict[str, Any], _files: Any) -> Any:  # noqa: N802
        try:
            user_id = int(str(params.get("user_id", "")))
            offset = int(str(params.get("offset", 0)))
            limit = int(str(params.get("limit", 100)))
        except ValueError:
            raise ApiError(400, "Bad Request: invalid user_id specified") from None
        if user_id <= 0:
            raise ApiError(400, "Bad Request: user not found")
        if not 1 <= limit <= MAX_PHOTOS_LIMIT:
            raise ApiError(400, "Bad Request: limit must be between 1 and 100")
        photos = self.profile_photos.get(user_id, [])
        return {
            "total_count": len(photos),
            "photos": [
                [self._photo_size(file_id, side) for side, file_id in sizes.items()]
                for sizes in photos[offset : offset + limit]
            ],
        }

    def _photo_size(self, file_id: str, side: int) -> dict[str, Any]:
        stored = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.content),
            "width": side,
            "height": side,
        }

    def _api_answerCallbackQuery(self, _bot: Bot, params: dict[str, Any], _files: Any) -> bool:  # noqa: N802
        if not params.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        return True

    def _message(self, bot: Bot, params: dict[str, Any]) -> dict[str, Any]:
        """The Message a send returns, after the checks every send shares."""
        raw_chat = params.get("chat_id")
        try:
            chat_id = int(str(raw_chat))
        except ValueError:
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id in self.blocked_chats:
            raise ApiError(403, BLOCKED)
        markup = params.get("reply_markup")
        if markup is not None:
            for row in _json_value(markup).get("inline_keyboard", []):
                for button in row:
                    data = button.get("callback_data")
                    if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "from": bot.user(),
            "chat": {"id": chat_id, "type": "private"},
            "date": 1_767_600_000,
        }
        reply = params.get("reply_parameters")
        if reply is not None:
            message["reply_to_message"] = {
                "message_id": int(_json_value(reply)["message_id"]),
                "chat": message["chat"],
                "date": 1_767_600_000,
            }
        if markup is not None:
            message["reply_markup"] = _json_value(markup)
        return message

    def _media(
        self, params: dict[str, Any], files: dict[str, tuple[str, bytes, str]], kind: str
    ) -> StoredFile:
        if kind in files:
            name, content, _type = files[kind]
            file_id = self.add_file(content, f"{kind}s/{name}")
            return self.files[file_id]
        ref = str(params.get(kind, ""))
        if ref in self.files:
            return self.files[ref]
        if ref.startswith("https://"):
            return self.files[self.add_file(b"", f"{kind}s/remote")]
        raise ApiError(400, f"Bad Request: there is no {kind} in the request")

    def _keep(self, message: dict[str, Any]) -> dict[str, Any]:
        self.sent.append(message)
        return message


class ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code, self.description = code, description


def _error(code: int, description: str, parameters: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=code)


def _with_caption(message: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    caption = params.get("caption")
    if caption:
        if len(str(caption)) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        message["caption"] = str(caption)
    return message


def _json_value(value: Any) -> Any:
    """Objects come as JSON in a JSON body, or JSON-encoded strings in a form."""
    return json.loads(value) if isinstance(value, str) else value


async def _read_params(
    request: Request,
) -> tuple[dict[str, Any], dict[str, tuple[str, bytes, str]]]:
    params: dict[str, Any] = dict(request.query_params)
    files: dict[str, tuple[str, bytes, str]] = {}
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        body = await request.body()
        if body:
            params.update(json.loads(body))
    elif kind.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        form = await request.form()
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                files[key] = (
                    value.filename or key,
                    await value.read(),
                    value.content_type or "application/octet-stream",
                )
            else:
                params[key] = value
    return params, files


class _HideTokens(logging.Filter):
    """The bot token is in every path: keep it out of the (process-wide) access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                TOKEN_PATH.sub(r"/\1bot<token>", a) if isinstance(a, str) else a
                for a in record.args
            )
        return True


TOKEN_PATH = re.compile(r"/(file/)?bot[^/\s]+")
logging.getLogger("uvicorn.access").addFilter(_HideTokens())


@contextlib.asynccontextmanager
async def serve(fake: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the fake (port 0: a free one); yields its base URL, FRONTDESK_TELEGRAM_API_URL."""
    config = uvicorn.Config(fake.app, host=host, port=port, lifespan="off", log_level="warning")
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            await task
        await asyncio.sleep(0.01)
    bound = server.servers[0].sockets[0].getsockname()[1]
    fake.base_url = f"http://{host}:{bound}"
    try:
        yield fake.base_url
    finally:
        server.should_exit = True
        await task

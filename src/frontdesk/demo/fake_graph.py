"""A fake of Meta's Graph API for WhatsApp: the real HTTP shapes, on a loopback port.

It serves what Frontdesk calls — `POST /{ver}/{phone_number_id}/messages` (sends and read
receipts, answering a wamid), `POST /{ver}/{phone_number_id}/media`, `GET /{ver}/{media_id}`
(→ a download URL), `GET /media-download/{media_id}` (the bytes, with the token),
`GET /{ver}/{waba_id}/message_templates` (paged) and `GET /{ver}/{phone_number_id}` — checks
the bearer token and the request body as Meta does, answers Meta's error JSON and codes,
records every request, can be told to fail (5xx, 130429 throttling, permanent 131xxx errors),
and posts signed webhooks (messages and statuses) to a URL.

It also plays Messenger and Instagram Messaging (`fake_graph_messaging`): Pages and accounts
added with `add_page`, the Send API on `POST /{ver}/{page-id | ig-id | me}/messages`, their
`GET /{ver}/{id}`, their customers' profiles (`add_profile`) on `GET /{ver}/{psid | igsid}`,
and attachment URLs on `GET /cdn/{media_id}` (no token, as Meta's CDN);
with `auto_statuses` a Page reports delivery and read (an Instagram account, seen) back.

`frontdesk demo --fake-providers` runs it beside the app; the tests drive it through
`tests/fakes/meta.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import re
import secrets
import time
from collections import deque
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
from frontdesk.channels.whatsapp.signature import HEADER, sign
from frontdesk.demo.fake_graph_messaging import (
    SEND_API_FAILURES,
    CustomerProfile,
    Page,
    check_send,
    form_body,
    messaging_webhook,
    profile_answer,
    receipt_event,
    seen_event,
    send_api_error,
)
from frontdesk.demo.fake_graph_webhooks import Number, status_webhook

MESSAGE_TYPES = frozenset(
    {"text", "image", "video", "audio", "document", "sticker", "template", "interactive"}
    | {"reaction", "location", "contacts"}
)
PLACEHOLDER = re.compile(r"{{\s*(\d+)\s*}}")
MAX_TEXT = 4096
MAX_BUTTONS = 3
MAX_CALLBACK_DATA = 512


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    json: Any = None
    form: dict[str, Any] | None = None


@dataclass
class Failure:
    """A planned failure for the next matching calls."""

    status: int
    code: int
    message: str
    details: str
    path_contains: str = "/messages"
    times: int = 1


def graph_error(status: int, code: int, message: str, details: str = "") -> JSONResponse:
    """Meta's error shape."""
    body = {
        "error": {
            "message": f"(#{code}) {message}",
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": details or message},
            "fbtrace_id": secrets.token_urlsafe(12),
        }
    }
    return JSONResponse(body, status_code=status)


FAILURES = {
    "server": (500, 131000, "Something went wrong", "Internal server error"),
    "unavailable": (503, 131016, "Service unavailable", "A service is temporarily unavailable"),
    "throttle": (429, 130429, "Rate limit hit", "Cloud API message throughput has been reached"),
    "pair": (400, 131056, "Pair rate limit hit", "Too many messages sent to this user"),
    "undeliverable": (400, 131026, "Message undeliverable", "Unable to deliver message"),
    "window": (
        400,
        131047,
        "Re-engagement message",
        "More than 24 hours have passed since the recipient last replied",
    ),
    "not_allowed": (400, 131030, "Recipient phone number not in allowed list", "Not allowed"),
}


@dataclass
class FakeGraph:
    """State and ASGI app of the fake. `base_url` is where it is reachable (set once served)."""

    version: str = "v25.0"
    base_url: str = "http://127.0.0.1"
    numbers: dict[str, Number] = field(default_factory=dict)
    templates: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    sent: list[dict[str, Any]] = field(default_factory=list)
    read_receipts: list[str] = field(default_factory=list)
    failures: deque[Failure] = field(default_factory=deque)
    # Ids the next accepted messages get (then random ones), for tests that need to know them.
    next_wamids: deque[str] = field(default_factory=deque)
    # Post sent / delivered / read webhooks for each accepted message (the demo turns it on).
    auto_statuses: bool = False
    # When given, a send is taken (recorded) and answered only once this is set: a sender that
    # dies meanwhile never hears its wamid.
    answer_gate: asyncio.Event | None = None
    status_delays: tuple[float, float, float] = (0.3, 1.5, 4.0)
    # Messenger Pages and Instagram accounts, by id; what their Send API accepted.
    pages: dict[str, Page] = field(default_factory=dict)
    send_api_sent: list[dict[str, Any]] = field(default_factory=list)
    send_api_failures: deque[list[Any]] = field(default_factory=deque)
    profile_failures: deque[list[Any]] = field(default_factory=deque)
    # Every webhook posted (URL, exact body, headers), so a test can deliver them all again.
    webhooks_posted: list[tuple[str, bytes, dict[str, str]]] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        v = "{version}"
        self.app = Starlette(
            routes=[
                Route("/media-download/{media_id}", self._download, methods=["GET"]),
                Route("/cdn/{media_id}", self._cdn, methods=["GET"]),
                Route(f"/{v}/{{node}}/messages", self._messages, methods=["POST"]),
                Route(f"/{v}/{{node}}/media", self._upload, methods=["POST"]),
                Route(f"/{v}/{{node}}/message_templates", self._templates, methods=["GET"]),
                Route(f"/{v}/{{node}}", self._node, methods=["GET"]),
            ]
        )

    @property
    def graph_url(self) -> str:
        """What FRONTDESK_META_GRAPH_URL should be to talk to this fake."""
        return f"{self.base_url}/{self.version}"

    # --- set-up ---------------------------------------------------------------------------

    def add_number(
        self,
        phone_number_id: str,
        *,
        access_token: str | None = None,
        app_secret: str | None = None,
        business_account_id: str | None = None,
        display_phone_number: str = "+1 555 0100",
        webhook_url: str | None = None,
    ) -> Number:
        number = Number(
            phone_number_id=phone_number_id,
            access_token=access_token or f"EAAG{secrets.token_hex(16)}",
            app_secret=app_secret or secrets.token_hex(16),
            business_account_id=business_account_id or f"waba-{phone_number_id}",
            display_phone_number=display_phone_number,
            webhook_url=webhook_url,
        )
        self.numbers[phone_number_id] = number
        return number

    def add_page(
        self,
        page_id: str,
        *,
        instagram: bool = False,
        name: str = "Frontdesk Demo",
        access_token: str | None = None,
        app_secret: str | None = None,
        webhook_url: str | None = None,
    ) -> Page:
        """A Facebook Page (or, with `instagram`, an Instagram account) and its credentials."""
        page = Page(
            id=page_id,
            access_token=access_token or f"EAAP{secrets.token_hex(16)}",
            app_secret=app_secret or secrets.token_hex(16),
            name=name,
            instagram=instagram,
            webhook_url=webhook_url,
        )
        self.pages[page_id] = page
        return page

    def add_profile(
        self,
        page_id: str,
        user_id: str,
        *,
        name: str | None = None,
        first_name: str | None = None,
        last_name: str | None = None,
        username: str | None = None,
        picture: tuple[bytes, str] | None = None,
    ) -> CustomerProfile:
        """A customer of the Page or account, as its User Profile API shows them; `picture`
        (bytes, type) is served behind an expiring-looking CDN link."""
        url = self.cdn_url(*picture) if picture is not None else None
        profile = CustomerProfile(user_id, name, first_name, last_name, username, url)
        self.pages[page_id].profiles[user_id] = profile
        return profile

    def fail_next_profile(self, kind: str = "server", *, times: int = 1) -> None:
        """Make the next `times` profile lookups fail as `kind` (see `fail_next_send`)."""
        self.profile_failures.append([kind, times])

    def cdn_url(self, data: bytes, mime_type: str) -> str:
        """An attachment URL as a Messenger / Instagram webhook carries it."""
        media_id = self.add_media(data, mime_type)
        return f"{self.base_url}/cdn/{media_id}?oh={secrets.token_hex(8)}"

    def fail_next_send(self, kind: str = "server", *, times: int = 1) -> None:
        """Make the next `times` Send API calls fail as `kind`: server (2), temporary (1200),
        rate_limit (613), window (10 / 2018278), unavailable (551), no_user (100 / 2018001)."""
        self.send_api_failures.append([kind, times])

    def add_media(self, data: bytes, mime_type: str, media_id: str | None = None) -> str:
        media_id = media_id or str(9_000_000 + next(self._ids))
        self.media[media_id] = (data, mime_type)
        return media_id

    def add_template(
        self,
        business_account_id: str,
        name: str,
        body: str,
        *,
        language: str = "en_US",
        status: str = "APPROVED",
        category: str = "UTILITY",
    ) -> dict[str, Any]:
        template = {
            "id": str(7_000_000 + next(self._ids)),
            "name": name,
            "language": language,
            "status": status,
            "category": category,
            "components": [{"type": "BODY", "text": body}],
        }
        self.templates.setdefault(business_account_id, []).append(template)
        return template

    def fail_next(
        self, kind: str = "server", *, times: int = 1, path_contains: str = "/messages"
    ) -> None:
        """Make the next `times` calls whose path contains `path_contains` fail as `kind`:
        server, unavailable, throttle (130429), pair (131056), undeliverable (131026),
        window (131047), not_allowed (131030)."""
        status, code, message, details = FAILURES[kind]
        self.failures.append(Failure(status, code, message, details, path_contains, times))

    # --- webhooks ---------------------------------------------------------------------------

    def new_wamid(self) -> str:
        if self.next_wamids:
            return self.next_wamids.popleft()
        return "wamid." + secrets.token_urlsafe(24)

    async def post_webhook(
        self,
        url: str,
        body: dict[str, Any],
        app_secret: str,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """POST `body` as Meta does: compact JSON with non-ASCII escaped, signed."""
        raw = json.dumps(body, separators=(",", ":")).encode()
        headers = {"Content-Type": "application/json", HEADER: sign(raw, app_secret)}
        self.webhooks_posted.append((url, raw, headers))
        if client is not None:
            return await client.post(url, content=raw, headers=headers)
        async with http_client(timeout=10) as own:
            return await own.post(url, content=raw, headers=headers)

    # --- handlers ---------------------------------------------------------------------------

    def _planned(self, path: str) -> JSONResponse | None:
        for failure in list(self.failures):
            if failure.path_contains in path:
                failure.times -= 1
                if failure.times <= 0:
                    self.failures.remove(failure)
                return graph_error(failure.status, failure.code, failure.message, failure.details)
        return None

    async def _record(self, request: Request) -> Recorded:
        recorded = Recorded(request.method, request.url.path, dict(request.headers))
        kind = request.headers.get("content-type", "")
        if kind.startswith("application/json"):
            with contextlib.suppress(ValueError):
                recorded.json = await request.json()
        elif kind.startswith("multipart/"):
            form = await request.form()
            fields: dict[str, Any] = {}
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    fields[key] = (await value.read(), value.filename, value.content_type)
                else:
                    fields[key] = value
            recorded.form = fields
        self.requests.append(recorded)
        return recorded

    def _token(self, request: Request) -> str:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return token.strip() if scheme.lower() == "bearer" else ""

    def _auth(self, request: Request, number: Number | None) -> JSONResponse | None:
        token = self._token(request)
        valid = (
            {n.access_token for n in self.numbers.values()}
            if number is None
            else {number.access_token}
        )
        if not token or token not in valid:
            return graph_error(401, 190, "Invalid OAuth access token", "The token is not valid")
        return None

    async def _messages(self, request: Request) -> Response:
        recorded = await self._record(request)
        if request.path_params["node"] == "me" or request.path_params["node"] in self.pages:
            return self._send_api(request, recorded)
        number = self.numbers.get(request.path_params["node"])
        if number is None:
            return graph_error(400, 100, "Invalid parameter", "Unknown phone number id")
        if (denied := self._auth(request, number)) is not None:
            return denied
        if (planned := self._planned(request.url.path)) is not None:
            return planned
        body = recorded.json if isinstance(recorded.json, dict) else {}
        if body.get("status") == "read":
            if not str(body.get("message_id", "")).startswith("wamid."):
                return graph_error(400, 100, "Invalid parameter", "message_id is not valid")
            self.read_receipts.append(str(body["message_id"]))
            return JSONResponse({"success": True})
        if (problem := self._check_message(number, body)) is not None:
            return problem
        wamid = self.new_wamid()
        self.sent.append({**body, "_wamid": wamid, "_number": number.phone_number_id})
        if self.answer_gate is not None:
            await self.answer_gate.wait()
        recipient = str(body.get("to") or body.get("recipient"))
        answer: dict[str, Any] = {
            "messaging_product": "whatsapp",
            "contacts": [{"input": recipient, "wa_id": recipient}],
            "messages": [{"id": wamid}],
        }
        if body.get("type") == "template":
            answer["messages"][0]["message_status"] = "accepted"
        if self.auto_statuses and number.webhook_url:
            echo = body.get("biz_opaque_callback_data")
            self._spawn(self._report(number, wamid, recipient, echo))
        return JSONResponse(answer)

    def _check_message(self, number: Number, body: dict[str, Any]) -> JSONResponse | None:
        def invalid(details: str, code: int = 100) -> JSONResponse:
            return graph_error(400, code, "Invalid parameter", details)

        kind = body.get("type", "text")
        if body.get("messaging_product") != "whatsapp":
            return invalid("messaging_product must be whatsapp")
        if not body.get("to") and not body.get("recipient"):
            return invalid("The parameter to is required", 131008)
        if len(str(body.get("biz_opaque_callback_data", ""))) > MAX_CALLBACK_DATA:
            return invalid("biz_opaque_callback_data must have at most 512 characters")
        if kind not in MESSAGE_TYPES or not isinstance(body.get(kind), dict):
            return invalid(f"the {kind} object is missing", 131008)
        content = body[kind]
        if kind == "text" and not 0 < len(str(content.get("body", ""))) <= MAX_TEXT:
            return invalid("text.body must have 1 to 4096 characters")
        if kind in ("image", "video", "audio", "document", "sticker") and not (
            content.get("id") in self.media or content.get("link")
        ):
            return invalid("media id not found", 131053)
        if kind == "template":
            return self._check_template(number, content)
        if kind == "interactive":
            buttons = content.get("action", {}).get("buttons", [])
            if len(buttons) > MAX_BUTTONS or not content.get("body", {}).get("text"):
                return invalid("interactive message is not valid", 131009)
        return None

    def _check_template(self, number: Number, content: dict[str, Any]) -> JSONResponse | None:
        name, language = content.get("name"), (content.get("language") or {}).get("code")
        found = next(
            (
                t
                for t in self.templates.get(number.business_account_id, [])
                if t["name"] == name and t["language"] == language
            ),
            None,
        )
        if found is None or found["status"] != "APPROVED":
            return graph_error(
                404, 132001, "Template name does not exist in the translation", str(name)
            )
        body = next((c for c in found["components"] if c["type"] == "BODY"), {"text": ""})
        wanted = max((int(n) for n in PLACEHOLDER.findall(body["text"])), default=0)
        given = sum(
            len(c.get("parameters", []))
            for c in content.get("components", [])
            if c.get("type") == "body"
        )
        if wanted != given:
            return graph_error(
                400,
                132000,
                "Number of parameters does not match the expected number of params",
                f"body: expected {wanted}, got {given}",
            )
        return None

    async def _upload(self, request: Request) -> Response:
        recorded = await self._record(request)
        number = self.numbers.get(request.path_params["node"])
        if number is None:
            return graph_error(400, 100, "Invalid parameter", "Unknown phone number id")
        if (denied := self._auth(request, number)) is not None:
            return denied
        if (planned := self._planned(request.url.path)) is not None:
            return planned
        form = recorded.form or {}
        upload = form.get("file")
        if form.get("messaging_product") != "whatsapp" or not isinstance(upload, tuple):
            return graph_error(400, 131008, "Required parameter is missing", "file")
        data, _, content_type = upload
        return JSONResponse({"id": self.add_media(data, str(form.get("type") or content_type))})

    def _send_api(self, request: Request, recorded: Recorded) -> Response:
        node, token = request.path_params["node"], self._token(request)
        token = token or request.query_params.get("access_token", "")
        page = next((p for p in self.pages.values() if p.access_token == token), None)
        if page is None or node not in ("me", page.id):
            return send_api_error(401, 190, "Invalid OAuth access token.")
        if self.send_api_failures:
            planned = self.send_api_failures[0]
            planned[1] -= 1
            if planned[1] <= 0:
                self.send_api_failures.popleft()
            status, code, subcode, message = SEND_API_FAILURES[planned[0]]
            return send_api_error(status, code, message, subcode)
        upload = (recorded.form or {}).get("filedata")
        body = form_body(recorded.form) if recorded.form is not None else recorded.json
        body = body if isinstance(body, dict) else {}
        if (problem := check_send(page, body, has_file=isinstance(upload, tuple))) is not None:
            return problem
        mid = ("aWdf" if page.instagram else "m_") + secrets.token_urlsafe(24)
        sent = {**body, "_mid": mid, "_page": page.id}
        if isinstance(upload, tuple):
            sent["_file"] = {"data": upload[0], "name": upload[1], "content_type": upload[2]}
        self.send_api_sent.append(sent)
        if self.auto_statuses and page.webhook_url:
            self._spawn(self._report_receipts(page, str(body["recipient"]["id"]), mid))
        return JSONResponse({"recipient_id": body["recipient"]["id"], "message_id": mid})

    async def _cdn(self, request: Request) -> Response:
        await self._record(request)
        found = self.media.get(request.path_params["media_id"])
        if found is None:
            return Response(status_code=404)
        return Response(found[0], media_type=found[1])

    async def _node(self, request: Request) -> Response:
        await self._record(request)
        node = request.path_params["node"]
        if node in self.pages:
            page = self.pages[node]
            if self._token(request) != page.access_token:
                return send_api_error(401, 190, "Invalid OAuth access token.")
            key = "username" if page.instagram else "name"
            return JSONResponse({"id": page.id, key: page.name})
        if node in self.numbers:
            number = self.numbers[node]
            if (denied := self._auth(request, number)) is not None:
                return denied
            if (planned := self._planned(request.url.path)) is not None:
                return planned
            return JSONResponse(
                {
                    "id": number.phone_number_id,
                    "display_phone_number": number.display_phone_number,
                    "verified_name": number.verified_name,
                    "quality_rating": "GREEN",
                    "name_status": "APPROVED",
                }
            )
        token = self._token(request) or request.query_params.get("access_token", "")
        owner = next((p for p in self.pages.values() if p.access_token == token), None)
        if owner is not None:  # a Page's token asks about one of its customers
            return self._profile(owner, node, request.query_params.get("fields"))
        if (denied := self._auth(request, None)) is not None:
            return denied
        if (planned := self._planned(request.url.path)) is not None:
            return planned
        if node not in self.media:
            return graph_error(400, 100, "Unsupported get request", f"Object {node} not found")
        data, mime_type = self.media[node]
        return JSONResponse(
            {
                "messaging_product": "whatsapp",
                "url": f"{self.base_url}/media-download/{node}?token={secrets.token_hex(4)}",
                "mime_type": mime_type,
                "sha256": hashlib.sha256(data).hexdigest(),
                "file_size": str(len(data)),
                "id": node,
            }
        )

    def _profile(self, page: Page, user_id: str, fields: str | None) -> Response:
        if self.profile_failures:
            planned = self.profile_failures[0]
            planned[1] -= 1
            if planned[1] <= 0:
                self.profile_failures.popleft()
            status, code, subcode, message = SEND_API_FAILURES[planned[0]]
            return send_api_error(status, code, message, subcode)
        return profile_answer(page, user_id, fields)

    async def _download(self, request: Request) -> Response:
        await self._record(request)
        if (denied := self._auth(request, None)) is not None:
            return denied
        if (planned := self._planned(request.url.path)) is not None:
            return planned
        found = self.media.get(request.path_params["media_id"])
        if found is None:
            return Response(status_code=404)
        return Response(found[0], media_type=found[1])

    async def _templates(self, request: Request) -> Response:
        await self._record(request)
        account = request.path_params["node"]
        number = next((n for n in self.numbers.values() if n.business_account_id == account), None)
        if number is None:
            return graph_error(400, 100, "Invalid parameter", "Unknown business account")
        if (denied := self._auth(request, number)) is not None:
            return denied
        items = self.templates.get(account, [])
        limit = int(request.query_params.get("limit") or 25)
        start = int(request.query_params.get("after") or 0)
        page: dict[str, Any] = {"data": items[start : start + limit]}
        if start + limit < len(items):
            after = str(start + limit)
            page["paging"] = {
                "cursors": {"before": str(start), "after": after},
                "next": f"{self.graph_url}/{account}/message_templates?limit={limit}&after={after}",
            }
        return JSONResponse(page)

    # --- automatic statuses (demo) --------------------------------------------------------------

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _report(
        self, number: Number, wamid: str, recipient: str, echo: str | None = None
    ) -> None:
        for status, delay in zip(("sent", "delivered", "read"), self.status_delays, strict=True):
            await asyncio.sleep(delay)
            body = status_webhook(number, wamid, status, recipient, callback_data=echo)
            with contextlib.suppress(httpx.HTTPError):
                await self.post_webhook(str(number.webhook_url), body, number.app_secret)

    async def _report_receipts(self, page: Page, recipient: str, mid: str) -> None:
        """Messenger: a `delivery` naming the message, then a `read` watermark; Instagram
        reports no deliveries, only `messaging_seen` (a `read` naming the message)."""
        _, delivered, read = self.status_delays
        if page.instagram:
            await asyncio.sleep(delivered + read)
            await self._post_receipt(page, seen_event(page, recipient, mid, _now_ms()))
            return
        await asyncio.sleep(delivered)
        await self._post_receipt(page, receipt_event(page, recipient, "delivery", _now_ms(), [mid]))
        await asyncio.sleep(read)
        await self._post_receipt(page, receipt_event(page, recipient, "read", _now_ms()))

    async def _post_receipt(self, page: Page, event: dict[str, Any]) -> None:
        body = messaging_webhook(page, event, time=event["timestamp"])
        with contextlib.suppress(httpx.HTTPError):
            await self.post_webhook(str(page.webhook_url), body, page.app_secret)


def _now_ms() -> int:
    return int(time.time() * 1000)


@contextlib.asynccontextmanager
async def serve(fake: FakeGraph, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the fake (port 0: a free one); yields its Graph URL, version included."""
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
        yield fake.graph_url
    finally:
        server.should_exit = True
        await task

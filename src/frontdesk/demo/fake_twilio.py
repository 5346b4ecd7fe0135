"""A fake Twilio Programmable Messaging API: the real wire protocol over HTTP, on a loopback port.

It implements what Frontdesk uses:

- `POST /2010-04-01/Accounts/{AccountSid}/Messages.json` with HTTP Basic auth (Account SID
  and Auth Token, or an API key), form-encoded `To`, `From` or `MessagingServiceSid`, `Body` or
  `ContentSid`/`ContentVariables`, `MediaUrl`, `StatusCallback`; answers `201` with Twilio's
  message resource (string numbers, RFC 2822 dates, `num_segments` counted GSM-7 / UCS-2) or
  Twilio's error body (`{"code", "message", "more_info", "status"}`): 20003, 21211, 21610
  (the recipient texted STOP to that number), 21617, 21619, or any error it is told to give;
- `GET /2010-04-01/Accounts/{AccountSid}/Messages/{sid}/Media/{media_sid}`: a file a customer
  sent, behind the same auth.

It posts, signed with `X-Twilio-Signature` exactly as Twilio signs (HMAC-SHA1 of the URL and
the sorted parameters, keyed by the Auth Token), the inbound messages a test or the demo makes
customers send (`post_inbound`, with Twilio's form fields, MMS media and WhatsApp extras) and
the status callbacks of the messages sent (`post_status`, in any order; or on their own,
`sent` then `delivered`, when `auto_status` is on). Like Twilio it handles STOP / START
keywords itself: after STOP, sends from that number to that person fail with 21610.

`frontdesk demo --fake-providers` runs it beside the app; tests import it from
`tests/fakes/twilio.py`.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import re
import secrets
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from frontdesk.channels.http_client import http_client
from frontdesk.channels.twilio.segments import count_segments

# Spelled out here, not imported from the product, so the fake checks it independently.
SIGNATURE_HEADER = "X-Twilio-Signature"
E164 = re.compile(r"^\+[1-9]\d{6,14}$")
MAX_BODY = 1600
STOP_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
START_WORDS = frozenset({"START", "YES", "UNSTOP"})
WHATSAPP = "whatsapp:"


def twilio_signature(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    signed = url + "".join(n + v for n in sorted(values) for v in sorted(values[n]))
    return base64.b64encode(
        hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    ).decode()


def _sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _bare(address: str) -> str:
    return address[len(WHATSAPP) :] if address.startswith(WHATSAPP) else address


@dataclass
class Account:
    sid: str
    auth_token: str
    numbers: set[str] = field(default_factory=set)  # bare E.164 numbers it owns
    services: set[str] = field(default_factory=set)  # Messaging Service SIDs


@dataclass
class SentMessage:
    """A message the account sent through the API, as the fake stored it."""

    sid: str
    account_sid: str
    to: str
    from_: str
    body: str
    params: list[tuple[str, str]]
    num_segments: int
    encoding: str
    status_callback: str | None
    status: str = "queued"


@dataclass
class Failure:
    code: int
    status: int
    message: str
    times: int


class FakeTwilio:
    """The fake's state; `app` is its ASGI application."""

    def __init__(self, *, auto_status: bool = False) -> None:
        self.base_url = ""  # where it is reachable, once served
        self.auto_status = auto_status
        # A status to report for each message sent before the API call is answered (Twilio's
        # callbacks can beat the answer): "sent", "delivered"... or None.
        self.status_before_answer: str | None = None
        # How the fake reaches the app's webhooks when a call gives no client: None is real
        # HTTP; a test sets an httpx client on the app (ASGI transport).
        self.webhook_client: httpx.AsyncClient | None = None
        self.accounts: dict[str, Account] = {}
        self.sent: list[SentMessage] = []
        self.requests: list[tuple[str, list[tuple[str, str]]]] = []  # (path, form) received
        self.failures: list[Failure] = []
        self.opted_out: set[tuple[str, str]] = set()  # (our number, their number)
        self.media: dict[str, tuple[bytes, str]] = {}
        self.contents: dict[str, list[dict[str, Any]]] = {}  # Content templates by account
        self.posted: list[tuple[str, list[tuple[str, str]], int]] = []  # (url, form, status)
        self._tasks: set[asyncio.Task[None]] = set()
        self._counter = itertools.count(1)
        prefix = "/2010-04-01/Accounts/{account}"
        self.app = Starlette(
            routes=[
                Route(prefix + ".json", self._account, methods=["GET"]),
                Route("/v1/ContentAndApprovals", self._contents, methods=["GET"]),
                Route(prefix + "/Messages.json", self._send, methods=["POST"]),
                Route(prefix + "/Messages/{message}/Media/{media}", self._media, methods=["GET"]),
            ]
        )

    # ---- set-up by the test or the demo ------------------------------------------------

    def add_account(self, number: str = "+15005550006", *, whatsapp: str | None = None) -> Account:
        account = Account(sid=_sid("AC"), auth_token=secrets.token_hex(16))
        account.numbers.add(number)
        if whatsapp:
            account.numbers.add(whatsapp)
        self.accounts[account.sid] = account
        return account

    def fail(self, code: int, message: str, *, status: int = 400, times: int = 1) -> None:
        """The next `times` sends answer this Twilio error instead."""
        self.failures.append(Failure(code, status, message, times))

    def add_content(
        self,
        account: Account,
        name: str,
        body: str,
        *,
        language: str = "en",
        category: str = "UTILITY",
        status: str = "approved",
    ) -> str:
        """A Content template with its WhatsApp approval; returns its Content SID."""
        sid = _sid("HX")
        self.contents.setdefault(account.sid, []).append(
            {
                "sid": sid,
                "account_sid": account.sid,
                "friendly_name": name,
                "language": language,
                "variables": {},
                "types": {"twilio/text": {"body": body}},
                "approval_requests": {"name": name, "category": category, "status": status},
            }
        )
        return sid

    def add_media(self, account: Account, content: bytes, content_type: str) -> str:
        """A file a customer sends; returns its MediaUrl (served behind the account's auth)."""
        media_sid = _sid("ME")
        self.media[media_sid] = (content, content_type)
        return f"{self.base_url}/2010-04-01/Accounts/{account.sid}/Messages/{_sid('MM')}/Media/{media_sid}"

    # ---- what Twilio posts ---------------------------------------------------------------

    def inbound_form(
        self,
        account: Account,
        *,
        to: str,
        from_: str,
        body: str = "",
        media: Iterable[tuple[str, str]] = (),
        profile_name: str | None = None,
        sid: str | None = None,
    ) -> list[tuple[str, str]]:
        """The form Twilio posts when `from_` writes to `to` (prefix both with whatsapp: for
        WhatsApp); `media` is (MediaUrl, content type) pairs."""
        files = list(media)
        sid = sid or _sid("MM" if files else "SM")
        whatsapp = to.startswith(WHATSAPP)
        form = [
            ("ToCountry", "US"),
            ("SmsMessageSid", sid),
            ("NumMedia", str(len(files))),
            ("SmsSid", sid),
            ("SmsStatus", "received"),
            ("Body", body),
            ("To", to),
            ("NumSegments", str(max(count_segments(body).count, 1))),
            ("MessageSid", sid),
            ("AccountSid", account.sid),
            ("From", from_),
            ("ApiVersion", "2010-04-01"),
        ]
        for index, (url, content_type) in enumerate(files):
            form += [(f"MediaUrl{index}", url), (f"MediaContentType{index}", content_type)]
        if whatsapp:
            form += [
                ("WaId", _bare(from_).lstrip("+")),
                ("MessageType", "image" if files else "text"),
            ]
            form += [("ProfileName", profile_name or "")]
        return form

    async def post_inbound(
        self,
        account: Account,
        url: str,
        form: list[tuple[str, str]],
        *,
        signature: str | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """POST an inbound message to `url`, signed (or with `signature`, to forge one). Like
        Twilio, STOP and START from a customer change what the number may send them."""
        fields = dict(form)
        word = fields.get("Body", "").strip().upper()
        pair = (_bare(fields.get("To", "")), _bare(fields.get("From", "")))
        if word in STOP_WORDS:
            self.opted_out.add(pair)
        elif word in START_WORDS:
            self.opted_out.discard(pair)
        return await self._post(account, url, form, signature, client)

    async def post_status(
        self,
        sid: str,
        status: str,
        *,
        error_code: int | None = None,
        client: httpx.AsyncClient | None = None,
    ) -> httpx.Response:
        """The status callback of a sent message, to its StatusCallback URL, signed."""
        message = next(m for m in self.sent if m.sid == sid)
        if not message.status_callback:
            raise AssertionError(f"message {sid} was sent without a StatusCallback")
        form = [
            ("MessageSid", sid),
            ("SmsSid", sid),
            ("AccountSid", message.account_sid),
            ("From", message.from_),
            ("To", message.to),
            ("MessageStatus", status),
            ("SmsStatus", status),
            ("ApiVersion", "2010-04-01"),
        ]
        if error_code is not None:
            form.append(("ErrorCode", str(error_code)))
        if message.to.startswith(WHATSAPP):
            form.append(("ChannelPrefix", "whatsapp"))
        message.status = status
        account = self.accounts[message.account_sid]
        return await self._post(account, message.status_callback, form, None, client)

    async def _post(
        self,
        account: Account,
        url: str,
        form: list[tuple[str, str]],
        signature: str | None,
        client: httpx.AsyncClient | None,
    ) -> httpx.Response:
        headers = {
            SIGNATURE_HEADER: signature or twilio_signature(account.auth_token, url, form),
            "Content-Type": "application/x-www-form-urlencoded",
            "User-Agent": "TwilioProxy/1.1",
        }
        client = client or self.webhook_client
        if client is not None:
            answer = await client.post(url, data=dict(form), headers=headers)
        else:
            async with http_client(timeout=10) as http:
                answer = await http.post(url, data=dict(form), headers=headers)
        self.posted.append((url, form, answer.status_code))
        return answer

    # ---- the REST API ----------------------------------------------------------------------

    def _authorised(self, request: Request, account_sid: str | None = None) -> Account | None:
        account = self.accounts.get(account_sid or request.path_params["account"])
        header = request.headers.get("authorization", "")
        if account is None or not header.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        if user == account.sid and hmac.compare_digest(password, account.auth_token):
            return account
        return None

    async def _account(self, request: Request) -> Response:
        account = self._authorised(request)
        if account is None:
            return _error(20003, "Authenticate", 401)
        return JSONResponse(
            {
                "sid": account.sid,
                "friendly_name": "Frontdesk demo account",
                "status": "active",
                "type": "Full",
                "auth_token": account.auth_token,
            }
        )

    async def _contents(self, request: Request) -> Response:
        header = request.headers.get("authorization", "")
        try:
            user = base64.b64decode(header[6:]).decode().partition(":")[0]
        except ValueError:
            user = ""
        account = self._authorised(request, user)  # the Content API is not under an account
        if account is None:
            return _error(20003, "Authenticate", 401)
        items = self.contents.get(account.sid, [])
        return JSONResponse(
            {
                "contents": items,
                "meta": {"page": 0, "page_size": len(items), "next_page_url": None},
            }
        )

    async def _send(self, request: Request) -> Response:
        form = parse_qsl((await request.body()).decode(), keep_blank_values=True)
        self.requests.append((request.url.path, form))
        account = self._authorised(request)
        if account is None:
            return _error(20003, "Authenticate", 401)
        for failure in self.failures:
            if failure.times > 0:
                failure.times -= 1
                return _error(failure.code, failure.message, failure.status)
        fields = dict(form)
        to, sender = fields.get("To", ""), fields.get("From", "")
        service = fields.get("MessagingServiceSid", "")
        if not E164.match(_bare(to)):
            return _error(21211, f"The 'To' number {to} is not a valid phone number.")
        if not service and _bare(sender) not in account.numbers:
            return _error(
                21606,
                f"The From phone number {sender} is not a valid, SMS-capable inbound phone number or short code for your account.",
            )
        body, content_sid = fields.get("Body", ""), fields.get("ContentSid", "")
        if not body and not content_sid and "MediaUrl" not in fields:
            return _error(21619, "A text message body, media URL or content SID is required.")
        if len(body) > MAX_BODY:
            return _error(21617, "The concatenated message body exceeds the 1600 character limit.")
        if (_bare(sender), _bare(to)) in self.opted_out:
            return _error(21610, "Attempt to send to unsubscribed recipient")
        segments = count_segments(body)
        message = SentMessage(
            sid=_sid("MM" if "MediaUrl" in fields else "SM"),
            account_sid=account.sid,
            to=to,
            from_=sender or service,
            body=body,
            params=form,
            num_segments=max(segments.count, 1),
            encoding=segments.encoding,
            status_callback=fields.get("StatusCallback") or None,
        )
        self.sent.append(message)
        if self.status_before_answer and message.status_callback:
            await self.post_status(message.sid, self.status_before_answer)
        if self.auto_status and message.status_callback:
            task = asyncio.create_task(self._progress(message.sid))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return JSONResponse(_resource(message), status_code=201)

    async def _progress(self, sid: str) -> None:
        for status in ("sent", "delivered"):
            await asyncio.sleep(0.5)
            with contextlib.suppress(httpx.HTTPError):
                await self.post_status(sid, status)

    async def _media(self, request: Request) -> Response:
        if self._authorised(request) is None:
            return _error(20003, "Authenticate", 401)
        found = self.media.get(request.path_params["media"])
        if found is None:
            return _error(20404, "The requested resource was not found", 404)
        return Response(found[0], media_type=found[1])


def _error(code: int, message: str, status: int = 400) -> Response:
    return JSONResponse(
        {
            "code": code,
            "message": message,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


def _resource(message: SentMessage) -> dict[str, Any]:
    now = format_datetime(datetime.now(UTC), usegmt=True).replace("GMT", "+0000")
    uri = f"/2010-04-01/Accounts/{message.account_sid}/Messages/{message.sid}"
    return {
        "sid": message.sid,
        "date_created": now,
        "date_updated": now,
        "date_sent": None,
        "account_sid": message.account_sid,
        "to": message.to,
        "from": message.from_,
        "messaging_service_sid": None,
        "body": message.body,
        "status": "queued",
        "num_segments": str(message.num_segments),
        "num_media": "0",
        "direction": "outbound-api",
        "api_version": "2010-04-01",
        "price": None,
        "price_unit": "USD",
        "error_code": None,
        "error_message": None,
        "uri": uri + ".json",
        "subresource_uris": {"media": uri + "/Media.json"},
    }


@contextlib.asynccontextmanager
async def serve(fake: FakeTwilio, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Run the fake (port 0: a free one); yields its base URL (Frontdesk's `twilio` API URL)."""
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
        for pending in list(fake._tasks):
            pending.cancel()
        server.should_exit = True
        await task

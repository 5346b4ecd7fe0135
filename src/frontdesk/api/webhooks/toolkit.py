"""What every provider webhook does the same way, whatever its provider.

1. **Size limit.** `read_body` reads the raw body, refusing it (413) as soon as it passes the
   limit: `webhook_max_bytes` from the settings unless the provider states a smaller one.
2. **Signature.** The route checks the provider's signature (or secret token) over the raw bytes
   before parsing anything; a body that does not verify is refused and stores nothing. The
   check itself is the provider's (`channels/<provider>/signature.py`); `meta_signed` is the
   one Meta's three products share (`X-Hub-Signature-256`).
3. **Decoding.** `json_object` turns the bytes into a JSON object, or says why it cannot (400).
4. **Dedupe.** `Deliveries.once` answers a body this process has just recorded (the same route,
   body and signature) with the answer it gave, and makes a copy arriving while the first is
   being recorded wait for it. Core's (channel, provider message id) constraint stays the guard
   across processes: this only spares the database the work.
5. **2xx only after commit.** `persist` records in a unit of work and commits before the route
   answers: a provider that got a 2xx never loses what it sent, and a failure is a 5xx it
   retries.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Request, Response

from frontdesk.channels.whatsapp.signature import HEADER as META_SIGNATURE_HEADER
from frontdesk.channels.whatsapp.signature import signature_ok
from frontdesk.core.errors import TooLarge
from frontdesk.core.runtime import Runtime
from frontdesk.db.uow import UnitOfWork

T = TypeVar("T")
C = TypeVar("C")

DEFAULT_MAX_BYTES = 3 * 1024 * 1024
RECENT_SECONDS = 600.0
RECENT_BODIES = 2048

__all__ = [
    "META_SIGNATURE_HEADER",
    "Deliveries",
    "body_limit",
    "deliveries",
    "json_object",
    "meta_signed",
    "persist",
    "read_body",
]


def body_limit(request: Request, provider_max: int | None = None) -> int:
    """The settings' `webhook_max_bytes`, or the provider's own smaller limit."""
    configured = int(
        getattr(request.app.state.settings, "webhook_max_bytes", DEFAULT_MAX_BYTES)
        or DEFAULT_MAX_BYTES
    )
    return min(configured, provider_max) if provider_max else configured


async def read_body(request: Request, limit: int) -> bytes:
    """The raw body, refused (TooLarge, a 413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the body is larger than {limit} bytes", max_bytes=limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the body is larger than {limit} bytes", max_bytes=limit)
        chunks.append(chunk)
    return b"".join(chunks)


def json_object(body: bytes) -> dict[str, Any] | str:
    """The body as a JSON object, or why it is not UTF-8 JSON. A JSON value that is not an
    object is wrapped (`{"body": value}`) so it can be kept as received."""
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "the body is not UTF-8 JSON"
    return value if isinstance(value, dict) else {"body": value}


def meta_signed(
    candidates: Iterable[C],
    secret_of: Callable[[C], str],
    body: bytes,
    header: str | None,
) -> list[C]:
    """The candidates (channels) whose app secret signed `body` (`X-Hub-Signature-256`)."""
    if not header:
        return []
    return [c for c in candidates if signature_ok(body, header, secret_of(c))]


async def persist(runtime: Runtime, record: Callable[[UnitOfWork], Awaitable[T]]) -> T:
    """Record in one unit of work and commit; the route answers 2xx only once this returns."""
    async with runtime.uow() as uow:
        result = await record(uow)
        await uow.commit()
        return result


@dataclass(frozen=True)
class _Answer:
    status_code: int
    body: bytes
    media_type: str | None
    at: float

    def response(self) -> Response:
        return Response(self.body, status_code=self.status_code, media_type=self.media_type)


class Deliveries:
    """The bodies this process recorded a moment ago, and the ones it is recording now."""

    def __init__(
        self,
        *,
        keep_seconds: float = RECENT_SECONDS,
        size: int = RECENT_BODIES,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.keep_seconds, self.size, self._clock = keep_seconds, size, clock
        self._recent: OrderedDict[str, _Answer] = OrderedDict()
        self._running: dict[str, asyncio.Future[_Answer | None]] = {}

    @staticmethod
    def key(route: str, body: bytes, headers: Mapping[str, str] | None = None) -> str:
        digest = hashlib.sha256(route.encode())
        for name, value in sorted((headers or {}).items()):
            digest.update(b"\0" + name.lower().encode() + b"=" + value.encode())
        digest.update(b"\0" + body)
        return digest.hexdigest()

    def _remembered(self, key: str) -> _Answer | None:
        answer = self._recent.get(key)
        if answer is None:
            return None
        if self._clock() - answer.at >= self.keep_seconds:
            del self._recent[key]
            return None
        return answer

    async def once(self, key: str, work: Callable[[], Awaitable[Response]]) -> Response:
        """`work`'s answer; a copy of a body answered 2xx a moment ago gets that answer again
        without being recorded twice; one arriving while it is recorded waits for it."""
        remembered = self._remembered(key)
        if remembered is not None:
            return remembered.response()
        running = self._running.get(key)
        if running is not None:
            first = await asyncio.shield(running)
            if first is not None:
                return first.response()
            return await work()  # the first copy failed: this one tries for itself
        future: asyncio.Future[_Answer | None] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        answer: _Answer | None = None
        try:
            response = await work()
            if 200 <= response.status_code < 300 and isinstance(response.body, bytes):  # noqa: PLR2004
                answer = _Answer(
                    response.status_code, response.body, response.media_type, self._clock()
                )
                self._recent[key] = answer
                while len(self._recent) > self.size:
                    self._recent.popitem(last=False)
            return response
        finally:
            del self._running[key]
            future.set_result(answer)


def deliveries(request: Request) -> Deliveries:
    """The app's `Deliveries` (made on first use, dropped with the app's state)."""
    state = request.app.state
    found = getattr(state, "webhook_deliveries", None)
    if not isinstance(found, Deliveries):
        found = Deliveries()
        state.webhook_deliveries = found
    return found

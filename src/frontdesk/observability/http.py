"""Around every request: its id, its count and latency by route template, webhook acks and
live sockets; and `/metrics` for a scraper holding the metrics token."""

from __future__ import annotations

import functools
import hmac
import re
import time
import uuid

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from frontdesk.core.runtime import Runtime
from frontdesk.observability import metrics
from frontdesk.observability.logs import request_id

REQUEST_ID_HEADER = "X-Request-Id"
# An id a proxy or client sent is kept when it is a plain token, else a new one is made.
ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
UNMATCHED = "unmatched"
WEBHOOK_PREFIX = "/webhooks/"
ACK_OUTCOMES = {2: "accepted", 4: "refused", 5: "failed"}

router = APIRouter(include_in_schema=False)


def _incoming_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = str(value.decode("latin-1"))
            if ACCEPTED_ID.fullmatch(text):
                return text
    return uuid.uuid4().hex


def _route_of(scope: Scope) -> str:
    """The matched route's template with its routers' prefixes (FastAPI keeps it in its own
    part of the scope; `scope["route"]` has only the innermost router's part)."""
    included = scope.get("fastapi", {}).get("effective_route_context")
    path = getattr(included, "path", None) or getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED


@functools.lru_cache(maxsize=4096)  # the label lookups cost more than the counting
def _request_metrics(route: str, method: str, status: int) -> tuple[Counter, Histogram]:
    return (
        metrics.HTTP_REQUESTS.labels(route, method, str(status)),
        metrics.HTTP_LATENCY.labels(route, method),
    )


def _count_webhook(route: str, method: str, status: int) -> None:
    if method != "POST" or not route.startswith(WEBHOOK_PREFIX):
        return
    provider = route[len(WEBHOOK_PREFIX) :].split("/", maxsplit=1)[0]
    metrics.WEBHOOK_ACKS.labels(provider, ACK_OUTCOMES.get(status // 100, "other")).inc()


class RequestContext:
    """Pure ASGI middleware, outermost: a request id for the logs and the `X-Request-Id`
    answer header, the request counted and timed by its route template, and open sockets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await self._socket(scope, receive, send)
            return
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = _incoming_id(scope)
        token = request_id.set(rid)
        started, status = time.perf_counter(), 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            request_id.reset(token)
            route, method = _route_of(scope), scope["method"]
            requests, latency = _request_metrics(route, method, status)
            requests.inc()
            latency.observe(time.perf_counter() - started)
            _count_webhook(route, method, status)

    async def _socket(self, scope: Scope, receive: Receive, send: Send) -> None:
        opened = False

        async def send_counting(message: Message) -> None:
            nonlocal opened
            if message["type"] == "websocket.accept" and not opened:
                opened = True
                metrics.LIVE_SOCKETS.inc()
            await send(message)

        try:
            await self.app(scope, receive, send_counting)
        finally:
            if opened:
                metrics.LIVE_SOCKETS.dec()


def _authorised(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.encode(), token.encode())


@router.get("/metrics")
async def metrics_page(request: Request) -> Response:
    """Prometheus' text format; without a metrics token in the settings there is no such page."""
    token = getattr(request.app.state.settings, "metrics_token", None)
    if not token:
        return JSONResponse(
            {"error": {"code": "not_found", "message": "no such endpoint", "details": {}}},
            status_code=404,
        )
    if not _authorised(request, token):
        return JSONResponse(
            {
                "error": {
                    "code": "unauthenticated",
                    "message": "a metrics token is needed",
                    "details": {},
                }
            },
            status_code=401,
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    runtime: Runtime = request.app.state.runtime
    now = runtime.clock.now()
    async with runtime.database.read_session() as db:
        rows = (await db.execute(metrics.job_queue_query(now))).all()
    queue = [(kind, int(count), oldest) for kind, count, oldest in rows]
    return Response(
        metrics.exposition(queue, now),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )

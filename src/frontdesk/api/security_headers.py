"""Security headers on every HTTP response, fitted to what each part of the site is.

- The agent app (every page the SPA serves): a Content-Security-Policy allowing only its own
  scripts (the built `index.html` loads one module from `/assets/`, no inline script), its own
  styles plus inline ones (Mantine writes `<style>` elements and `style` attributes), pictures
  and media from itself or the browser (`data:`, `blob:` previews of uploads), requests and the
  live WebSocket to itself; never framed (`frame-ancestors 'none'`, `X-Frame-Options: DENY`).
- The API (JSON and stored files): nothing may load from it as a page (`default-src 'none'`,
  `sandbox`), so an uploaded HTML or SVG file opened on its own runs nothing.
- The API's documentation page (`/api/docs`): Swagger UI's script and styles from its CDN.
- The website chat: `widget.js` is loaded by customers' sites, so it is marked loadable from any
  origin (`Cross-Origin-Resource-Policy: cross-origin`) and given no page policy; the widget's
  API answers their pages through CORS (`api/widget/cors.py`).
- The demo website (`/demo/site`) is a page like a customer's: its inline styles and the widget.
- Everywhere: `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin` (page URLs, such
  as invitation links, never leave in a Referer), and, in production over https only, HSTS.

A header a route set itself is kept.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

APP_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_POLICY = "; ".join(
    (
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}",
        "img-src 'self' data: https://fastapi.tiangolo.com",
        "object-src 'none'",
        "frame-ancestors 'none'",
    )
)
DEMO_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'self'",
    )
)
HSTS = "max-age=63072000; includeSubDomains"
WIDGET_SCRIPT = "/widget.js"


def headers_for(path: str, *, hsts: bool) -> dict[str, str]:
    """The security headers of a response to `path`."""
    headers = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}
    if hsts:
        headers["Strict-Transport-Security"] = HSTS
    if path == WIDGET_SCRIPT:
        headers["Cross-Origin-Resource-Policy"] = "cross-origin"
        return headers
    if path == "/demo/site":
        headers["Content-Security-Policy"] = DEMO_POLICY
        headers["X-Frame-Options"] = "SAMEORIGIN"
        return headers
    if path.startswith("/api/docs"):
        policy = DOCS_POLICY
    elif path.startswith(("/api/", "/webhooks/", "/healthz", "/readyz")):
        policy = API_POLICY
    else:
        policy = APP_POLICY
    headers["Content-Security-Policy"] = policy
    headers["X-Frame-Options"] = "DENY"
    return headers


class SecurityHeaders:
    """ASGI middleware adding `headers_for` to every HTTP response (not WebSockets)."""

    def __init__(self, app: ASGIApp, *, hsts: bool = False) -> None:
        self.app, self.hsts = app, hsts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for(scope["path"], hsts=self.hsts)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)

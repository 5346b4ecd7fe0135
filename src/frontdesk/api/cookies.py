"""Session and CSRF cookies."""

from __future__ import annotations

from fastapi import Response

from frontdesk.api.deps import CSRF_COOKIE, SESSION_COOKIE
from frontdesk.core.runtime import Runtime


def set_session_cookies(response: Response, runtime: Runtime, token: str, csrf: str) -> None:
    secure = runtime.public_url.startswith("https://")
    max_age = runtime.session_days * 86400
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=secure,
        path="/",
    )
    # Readable by the app's script, which echoes it in the X-CSRF-Token header.
    response.set_cookie(
        CSRF_COOKIE, csrf, max_age=max_age, httponly=False, samesite="lax", secure=secure, path="/"
    )


def clear_session_cookies(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")

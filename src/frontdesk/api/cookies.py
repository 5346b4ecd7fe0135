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


# The half-done sign-in of an account with two-factor on, only for the code's endpoint.
SIGN_IN_CHALLENGE_COOKIE = "frontdesk_sign_in"
SIGN_IN_CHALLENGE_PATH = "/api/v1/auth/sign-in"


def set_sign_in_challenge_cookie(response: Response, runtime: Runtime, token: str) -> None:
    response.set_cookie(
        SIGN_IN_CHALLENGE_COOKIE,
        token,
        max_age=5 * 60,
        httponly=True,
        samesite="strict",
        secure=runtime.public_url.startswith("https://"),
        path=SIGN_IN_CHALLENGE_PATH,
    )


def clear_sign_in_challenge_cookie(response: Response) -> None:
    response.delete_cookie(SIGN_IN_CHALLENGE_COOKIE, path=SIGN_IN_CHALLENGE_PATH)

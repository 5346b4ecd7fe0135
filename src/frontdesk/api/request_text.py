"""Every API request is refused with 422 when its text holds NUL or a lone surrogate.

Neither database can store such text (PostgreSQL refuses NUL in `text` and `jsonb`; a lone
surrogate has no UTF-8 form), so it would otherwise fail deep inside an action with a 500.
Request bodies built on `core.schemas.Input` refuse it themselves; this dependency, given once
to the REST API's and the widget's routers, covers the rest in one place: JSON bodies of any
schema (map keys included), query strings and path parameters. Provider webhooks do not use it:
they must store what the provider sent, so their adapters clean the text instead (`core.text`).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError

from frontdesk.core.text import unstorable_at

MESSAGE = "text must not contain NUL characters or lone surrogates"


def _refuse(where: str, loc: tuple[str, ...]) -> RequestValidationError:
    path = tuple(p for p in where.split(".") if p) if where else ()
    return RequestValidationError(
        [{"loc": (*loc, *path), "msg": MESSAGE, "type": "unstorable_text", "input": None}]
    )


async def refuse_unstorable_text(request: Request) -> None:
    """A dependency of every API route (see the module's docstring)."""
    for name, value in request.path_params.items():
        if isinstance(value, str) and unstorable_at(value) is not None:
            raise _refuse(name, ("path",))
    for name, value in request.query_params.multi_items():
        if unstorable_at(name) is not None or unstorable_at(value) is not None:
            raise _refuse(name if unstorable_at(name) is None else "", ("query",))
    if "json" not in request.headers.get("content-type", ""):
        return
    body: Any
    try:
        body = json.loads(await request.body())
        where = unstorable_at(body)
    except ValueError:  # not JSON (or not UTF-8): the route's own parsing says so
        return
    except RecursionError:  # nested past what Python parses or walks: never a 500
        raise RequestValidationError(
            [{"loc": ("body",), "msg": "nested too deep", "type": "too_deep", "input": None}]
        ) from None
    if where is not None:
        raise _refuse(where, ("body",))

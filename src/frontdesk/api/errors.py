"""One error shape for every 4xx and 5xx: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy import exc as db_errors
from starlette.exceptions import HTTPException as StarletteHTTPException

from frontdesk.core.errors import (
    Conflict,
    DomainError,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    TooLarge,
    Unauthenticated,
)

log = logging.getLogger("frontdesk.api")

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Unauthenticated: 401,
    Forbidden: 403,
    Invalid: 422,
    Conflict: 409,
    RateLimited: 429,
    TooLarge: 413,
}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    503: "service_unavailable",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def error_response(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or str(loc[0] if loc else "")


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, DomainError):
        raise exc
    status = next((s for cls, s in STATUS_BY_ERROR.items() if isinstance(exc, cls)), 400)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, RateLimited) else None
    return error_response(status, exc.code, exc.message, exc.details, headers)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, RequestValidationError):
        raise exc
    fields = [
        {
            "field": _field_path(err.get("loc", ())),
            "message": err.get("msg", ""),
            "type": err.get("type"),
        }
        for err in exc.errors()
    ]
    first = fields[0] if fields else {"field": "", "message": "invalid input"}
    message = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    return error_response(422, "invalid", message, {"field": first["field"], "fields": fields})


# The agent app's catch-all route answers GET on every path; it does not make GET an allowed
# method of an API path (it answers those with 404).
CATCH_ALL = "/{path:path}"


def allowed_methods(app: Any, path: str) -> list[str]:
    """Every method some route of `path` answers (Starlette names only the first route's)."""
    methods: set[str] = set()
    for route in iter_route_contexts(app.routes):
        regex, route_methods = getattr(route, "path_regex", None), route.methods
        if regex is None or not route_methods or not regex.match(path):
            continue
        if route.path == CATCH_ALL and path.startswith("/api/"):
            continue
        methods |= set(route_methods)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


def _method_not_allowed(request: Request) -> JSONResponse:
    allowed = allowed_methods(request.app, request.url.path)
    if not allowed:  # only the app's catch-all matched an API path: there is no such endpoint
        return error_response(404, "not_found", "no such endpoint")
    return error_response(
        405,
        "method_not_allowed",
        f"{request.method} is not allowed here; use {', '.join(allowed)}",
        {"allowed": allowed},
        headers={"Allow": ", ".join(allowed)},
    )


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    if not isinstance(exc, StarletteHTTPException):
        raise exc
    if exc.status_code == HTTPStatus.METHOD_NOT_ALLOWED:
        return _method_not_allowed(request)
    code = CODE_BY_STATUS.get(exc.status_code, "error")
    message = exc.detail if isinstance(exc.detail, str) else code.replace("_", " ")
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


# The database cannot be reached (restarting, refusing connections, a connection cut): the
# request wrote nothing, so the caller is told to try again (providers redeliver on any 5xx).
DATABASE_RETRY_AFTER_SECONDS = 5
DATABASE_UNREACHABLE = (
    ConnectionError,
    db_errors.OperationalError,
    db_errors.InterfaceError,
    db_errors.TimeoutError,
    db_errors.DBAPIError,
)


# SQLSTATE classes: 08 connection exception, 57 operator intervention (shutting down,
# starting up, terminated by the administrator).
UNREACHABLE_SQLSTATE_CLASSES = ("08", "57")


def database_unreachable(exc: BaseException) -> bool:
    if isinstance(exc, db_errors.DBAPIError) and not isinstance(
        exc, db_errors.OperationalError | db_errors.InterfaceError
    ):
        sqlstate = str(getattr(exc.orig, "sqlstate", None) or "")
        return exc.connection_invalidated or sqlstate.startswith(UNREACHABLE_SQLSTATE_CLASSES)
    return isinstance(exc, DATABASE_UNREACHABLE)


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """Answered here, not by the catch-all: a 503 with Retry-After, one log line instead of a
    traceback per request, and the client's connection stays usable."""
    if not database_unreachable(exc):
        raise exc
    log.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc)
    return error_response(
        503,
        "service_unavailable",
        "the service is briefly unavailable; try again shortly",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "internal_error", "something went wrong on our side")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    for unreachable in DATABASE_UNREACHABLE:
        app.add_exception_handler(unreachable, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected_error)

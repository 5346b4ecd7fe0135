"""The API's schema declares the errors each route really answers, with the one error body.

Errors every route of a kind answers are derived from what the route depends on, so a new route
is declared right without anyone remembering to:

- a workspace caller (`ActorDep`: session cookie or API token): 401 (not signed in), 403 (CSRF
  on unsafe methods, or a role the action refuses), 404 (`X-Workspace-Id` names a workspace of
  which the caller is not a member), 422 (`X-Workspace-Id` is not an id);
- a signed-in user (`PrincipalDep`): 401, and 403 on unsafe methods (CSRF);
- a website visitor (`VisitorDep`): 401 (no or a bad visitor token), 403 (a page of an origin
  the channel does not allow), 404;
- a path parameter: 404 (nothing of that id in the workspace); any parameter or body: 422.

Errors only some routes answer (409 conflicts, 429 rate limits, 413 sizes, 400) are declared on
those routes with `responses=error_responses(...)`. `tests/security/test_schema_fuzz.py` calls
every operation and fails on an answer its schema does not declare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field

from frontdesk.api.deps import get_actor, get_principal

DESCRIPTIONS = {
    400: "The request cannot be read (its body is not what the route takes)",
    401: "Not signed in, or the credentials are not valid",
    403: "The caller may not do this (role, CSRF token, or origin)",
    404: "Nothing with this id in the caller's workspace",
    409: "Conflicts with what exists (a name or key taken, a state that does not allow it)",
    413: "The body or file is too large",
    422: "The input is not valid; `details.field` names the first field at fault",
    429: "Too many requests; `Retry-After` says how many seconds to wait",
}
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_REF = "#/components/schemas/ErrorBody"


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable, machine-readable code: not_found, conflict, ...")
    message: str = Field(description="What went wrong, for a person")
    details: dict[str, Any] = Field(description="More about it, such as the field at fault")


class ErrorBody(BaseModel):
    """The body of every 4xx and 5xx answer."""

    error: ErrorDetail


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that answers these errors besides its kind's own."""
    return {code: {"model": ErrorBody, "description": DESCRIPTIONS[code]} for code in codes}


def _calls(dependant: Dependant) -> Iterator[Callable[..., Any]]:
    for sub in dependant.dependencies:
        if sub.call is not None:
            yield sub.call
        yield from _calls(sub)


def kind_codes(route: APIRoute, method: str) -> set[int]:
    """The errors a route answers because of what it depends on (the module's docstring)."""
    calls = set(_calls(route.dependant))
    names = {getattr(call, "__name__", "") for call in calls}
    codes: set[int] = set()
    if get_actor in calls:
        codes |= {401, 403, 404, 422}
    elif get_principal in calls:
        codes |= {401, 403} if method in UNSAFE else {401}
    if "get_visitor" in names:
        codes |= {401, 403, 404}
    dependant = route.dependant
    if dependant.path_params:
        codes |= {404, 422}
    if dependant.query_params or dependant.header_params or route.body_field is not None:
        codes.add(422)
    return codes


def _error_response(code: int) -> dict[str, Any]:
    return {
        "description": DESCRIPTIONS[code],
        "content": {"application/json": {"schema": {"$ref": ERROR_REF}}},
    }


def _declare(schema: dict[str, Any], app: FastAPI) -> None:
    routes = {
        (str(ctx.path_format), method.lower()): ctx.original_route
        for ctx in iter_route_contexts(app.routes)
        if isinstance(ctx.original_route, APIRoute)
        for method in ctx.methods or ()
    }
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            route = routes.get((path, method))
            if route is None:
                continue
            answers = operation.setdefault("responses", {})
            for code in sorted(kind_codes(route, method.upper())):
                if str(code) not in answers:
                    answers[str(code)] = _error_response(code)
            for status, answer in answers.items():  # FastAPI's own 422 body is not the API's
                if "HTTPValidationError" in str(answer.get("content", "")):
                    answers[status] = _error_response(int(status))
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    body = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(body.pop("$defs", {}))
    components["ErrorBody"] = body
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)


def install_error_schema(app: FastAPI) -> None:
    """Make `app.openapi()` declare every route's errors (see the module's docstring)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            _declare(generate(), app)
        return app.openapi_schema or generate()

    app.openapi = openapi  # type: ignore[method-assign]

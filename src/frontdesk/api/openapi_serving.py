"""The API's schema (`/api/v1/openapi.json`) built off the event loop.

FastAPI builds the schema on its first request, inside the request's coroutine: over a second
of work for the app's routes, during which the process answered nothing else (messages,
sockets, webhooks). Here the schema's route awaits the build in a worker thread, and a lock
makes the requests that arrive meanwhile wait for that one build instead of starting theirs.
"""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


def serve_schema_off_the_loop(app: FastAPI) -> None:
    """Install last: `app.openapi` is then the whole schema (errors and frames included)."""
    generate = app.openapi
    building = threading.Lock()

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with building:
                if app.openapi_schema is None:
                    app.openapi_schema = generate()
        return app.openapi_schema

    async def schema(_: Request) -> JSONResponse:
        found = app.openapi_schema
        return JSONResponse(found if found is not None else await run_in_threadpool(openapi))

    app.openapi = openapi  # type: ignore[method-assign]
    routes = app.router.routes
    for n, route in enumerate(routes):
        if isinstance(route, Route) and route.path == app.openapi_url:
            routes[n] = Route(app.openapi_url, schema, include_in_schema=False)
            return
    raise RuntimeError("the app has no schema route to replace")

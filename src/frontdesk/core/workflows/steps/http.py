"""The HTTP request step's settings, the request it makes, and what its answer leads to.

The call itself is made by the advance outside any transaction (core has no HTTP client: the
job layer gives one, see `HttpCaller`); this module builds the request from the config and the
run's variables, and reads the answer into an outlet and variables.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field, model_validator

from frontdesk.core.workflows.steps.base import Config, Outcome, StepContext, StepType
from frontdesk.core.workflows.variables import lookup, render

OK_FIRST, OK_LAST = 200, 299  # the statuses that lead by `success`


class HttpRequestConfig(Config):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE"] = "POST"
    url: str = Field(min_length=8, max_length=2000)
    headers: dict[str, str] = Field(default_factory=dict, max_length=20)
    body: Any = None
    timeout_seconds: float = Field(default=10, ge=0.2, le=30)
    retries: int = Field(default=2, ge=0, le=5)
    # Response JSON fields into run variables: {"var_name": "path.to.value"}.
    map: dict[str, str] = Field(default_factory=dict, max_length=30)

    @model_validator(mode="after")
    def _url(self) -> HttpRequestConfig:
        if not self.url.startswith(("https://", "http://")):
            raise ValueError("the URL must start with https:// or http://")
        return self


@dataclass(frozen=True)
class HttpCall:
    method: str
    url: str
    headers: dict[str, str]
    body: Any
    timeout_seconds: float
    idempotency_key: str


@dataclass(frozen=True)
class HttpAnswer:
    """What came back: a status and JSON, or `failure` ("timeout", "blocked", "error")."""

    status: int | None = None
    json: Any = None
    failure: str | None = None
    detail: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


HttpCaller = Callable[[HttpCall], Awaitable[HttpAnswer]]


def build_call(ctx: StepContext, config: HttpRequestConfig) -> HttpCall:
    headers = {k: render(v, ctx.data) for k, v in config.headers.items()}
    headers["Idempotency-Key"] = ctx.key
    return HttpCall(
        method=config.method,
        url=render(config.url, ctx.data),
        headers=headers,
        body=ctx.render_value(config.body) if config.body is not None else None,
        timeout_seconds=config.timeout_seconds,
        idempotency_key=ctx.key,
    )


def call_input(call: HttpCall) -> dict[str, Any]:
    """The request as the run log shows it (header values that look secret are hidden)."""
    hidden = ("authorization", "cookie", "x-api-key", "token", "secret")
    headers = {
        k: ("***" if any(h in k.lower() for h in hidden) else v) for k, v in call.headers.items()
    }
    return {"method": call.method, "url": call.url, "headers": headers, "body": call.body}


def read_answer(ctx: StepContext, config: HttpRequestConfig, answer: HttpAnswer) -> Outcome:
    output: dict[str, Any] = {"status": answer.status, "failure": answer.failure}
    if answer.detail:
        output["detail"] = answer.detail[:500]
    if answer.failure == "timeout":
        return Outcome(outlet="timeout", output=output)
    if (
        answer.failure is not None
        or answer.status is None
        or not OK_FIRST <= answer.status <= OK_LAST
    ):
        return Outcome(outlet="error", output=output)
    mapped = {name: lookup({"r": answer.json}, f"r.{path}") for name, path in config.map.items()}
    if mapped:
        ctx.run.variables = {**ctx.run.variables, **mapped}
        ctx.data.setdefault("vars", {}).update(mapped)
        output["vars"] = mapped
    return Outcome(outlet="success", output=output)


async def http_request(ctx: StepContext, config: HttpRequestConfig) -> Outcome:
    """Reached only in a test run (a real run's call is made by the advance, see runs)."""
    call = build_call(ctx, config)
    return Outcome(outlet="success", output={"request": call_input(call), "test": True})


TYPES = {"http_request": StepType(HttpRequestConfig, http_request)}

"""Every operation of the published schema, called the ways clients get it wrong, answers only
what its schema declares, and never a 5xx.

For each operation: a valid body as the owner (with real ids of the workspace, so actions run),
the same as a viewer and with no credentials, a body of the wrong JSON type, and a body whose
every field has the wrong type. Deletions and sign-outs run last, so the rest find their
objects. A status missing from the operation's `responses` fails the test, naming it.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
from sqlalchemy import select

from frontdesk.core.accounts.models import User
from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.factories import Factory
from tests.security.openapi_samples import request_body

PARAM = re.compile(r"{([a-z_]+)}")
LAST = ("sign-out", "sign-in", "password")
WRONG_TYPE: dict[str, Any] = {
    "string": 12345,
    "integer": "many",
    "number": "many",
    "boolean": "perhaps",
    "array": "not a list",
    "object": "not an object",
}


def _client(world: World, name: str | None) -> httpx.AsyncClient:
    """As `name` (None: nobody); an unhandled error comes back as the 500 a browser gets."""
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)  # type: ignore[arg-type]
    if name is None:
        return httpx.AsyncClient(transport=transport, base_url="http://testserver")
    client = world.client(name)
    client._transport = transport
    return client


async def _ids(world: World, runtime: Runtime) -> dict[str, str]:
    """A real id of the first workspace for each path parameter name the API uses."""
    acme = world.acme
    async with runtime.database.write_session() as s:
        site = await Factory(s, runtime.clock.now()).channel(acme.workspace, "webchat", "Site")
        await s.commit()
        bob = await s.scalar(select(User).where(User.email == "bob@acme.test"))
    assert bob is not None
    conversation = acme.conversations["erin_support"]
    return {
        "conversation_id": str(conversation.id),
        "contact_id": str(acme.contacts["erin"].id),
        "channel_id": str(site.id),
        "team_id": str(acme.teams["sales"].id),
        "user_id": str(bob.id),
        "workspace_id": str(acme.id),
    }


def _url(path: str, ids: dict[str, str]) -> str:
    fallback = "01000000-0000-7000-8000-000000000000"
    return PARAM.sub(lambda m: ids.get(m.group(1), fallback), path)


def _wrong_types(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    props = schema.get("properties", {})
    return {name: WRONG_TYPE.get(str(prop.get("type"))) for name, prop in props.items()}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    found = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        if path.startswith("/api/")
        for method, operation in item.items()
    ]
    return sorted(found, key=lambda o: (o[1] == "delete", any(w in o[0] for w in LAST), o[0]))


async def _visitor_token(world: World, channel_id: str) -> str:
    async with _client(world, None) as visitor:
        started = await visitor.post(f"/api/widget/v1/channels/{channel_id}/sessions", json={})
    assert started.status_code == 200, started.text
    return str(started.json()["visitor_token"])


async def test_every_operation_answers_only_what_its_schema_declares(
    world: World, runtime: Runtime
) -> None:
    spec = world.app.openapi()  # type: ignore[attr-defined]
    ids = await _ids(world, runtime)
    visitor = await _visitor_token(world, ids["channel_id"])
    undeclared: list[str] = []
    callers = {name: _client(world, name) for name in ("alice", "vera")}
    callers["nobody"] = _client(world, None)
    for client in callers.values():
        client.headers["X-Visitor-Token"] = visitor
    calls = 0
    try:
        for path, method, operation in _operations(spec):
            declared = set(operation.get("responses", {}))
            url = _url(path, ids)
            sample = request_body(spec, operation, ids)
            attempts: list[tuple[str, Any]] = [("alice", sample), ("vera", sample)]
            attempts.append(("nobody", sample))
            if sample is not None and sample[0] == "json":
                schema = operation["requestBody"]["content"]["application/json"]["schema"]
                wrong = _wrong_types(spec, schema)
                attempts += [("alice", ("json", [])), ("alice", ("json", wrong))]
            for who, body in attempts:
                kwargs: dict[str, Any] = {}
                if body is not None and body[0] == "json":
                    kwargs["json"] = body[1]
                elif body is not None:
                    kwargs["files"] = {"file": ("a.txt", b"hello", "text/plain")}
                    kwargs["data"] = {k: v for k, v in body[1].items() if k != "file"}
                answer = await callers[who].request(method.upper(), url, **kwargs)
                calls += 1
                if str(answer.status_code) not in declared or answer.status_code >= 500:
                    undeclared.append(
                        f"{method.upper()} {path} as {who}: {answer.status_code} "
                        f"(declared {sorted(declared)}) {answer.text[:160]}"
                    )
    finally:
        for client in callers.values():
            await client.aclose()
    assert not undeclared, "\n".join(undeclared)
    assert calls > 300


async def test_every_declared_error_is_the_product_s_error_body(world: World) -> None:
    spec = world.app.openapi()  # type: ignore[attr-defined]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    checked = 0
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    checked += 1
                    schema = answer["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorBody"}, (path, method)
    assert checked > 300
    sign_in = spec["paths"]["/api/v1/auth/sign-in"]["post"]["responses"]
    assert {"401", "422", "429"} <= set(sign_in)
    tags = spec["paths"]["/api/v1/tags"]["post"]["responses"]
    assert {"401", "403", "409", "422"} <= set(tags)


async def test_a_wrong_method_names_every_method_of_the_path(anon: httpx.AsyncClient) -> None:
    tags = await anon.delete("/api/v1/tags")
    assert tags.status_code == 405
    assert tags.headers["allow"] == "GET, HEAD, POST"  # two routes share the path
    assert tags.json()["error"]["details"]["allowed"] == ["GET", "HEAD", "POST"]
    page = await anon.post("/inbox")
    assert (page.status_code, page.headers["allow"]) == (405, "GET, HEAD")
    nowhere = await anon.post("/api/v1/no-such-thing")  # only the app's pages match: none here
    assert nowhere.status_code == 404
    assert nowhere.json()["error"]["code"] == "not_found"

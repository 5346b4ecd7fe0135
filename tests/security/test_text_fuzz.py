"""Text no database can store (NUL, lone surrogates) is refused with 422 by every request body.

The sweep walks the OpenAPI schema: for every operation with a JSON body, every string in it
(optional fields, nested objects, list items and map keys included) is sent holding NUL, then a
lone surrogate, in an otherwise valid body. Every answer must be 422 with the product's error
shape (never a 5xx), on SQLite and PostgreSQL alike, and nothing may be written. Query strings
holding NUL are refused the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
from sqlalchemy import func, select

from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World
from tests.factories import Factory
from tests.security.openapi_samples import sample

BAD_TEXT = {"nul": "before\x00after", "surrogate": "before\ud800after"}
KEY = object()  # a path step naming a map's key rather than a value
MAX_DEPTH = 6
Path = tuple[Any, ...]


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    for key in ("anyOf", "oneOf"):
        options = [_resolve(spec, o) for o in schema.get(key, [])]
        usable = [o for o in options if o.get("type") != "null"]
        if usable:
            # A string option is the one text can be sent to; else the first usable one.
            return next((o for o in usable if o.get("type") == "string"), usable[0])
    if "allOf" in schema:
        return _resolve(spec, schema["allOf"][0])
    return schema


def text_paths(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Iterator[Path]:
    """Every place in a body that takes a string (or a map key)."""
    schema = _resolve(spec, schema)
    if depth > MAX_DEPTH:
        return
    kind = schema.get("type")
    if kind == "string" and "const" not in schema:
        yield ()
    if kind == "object" or "properties" in schema:
        for name, prop in schema.get("properties", {}).items():
            for rest in text_paths(spec, prop, depth + 1):
                yield (name, *rest)
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            yield (KEY,)
            for rest in text_paths(spec, extra, depth + 1):
                yield ("key", *rest)
    if kind == "array":
        for rest in text_paths(spec, schema.get("items", {}), depth + 1):
            yield (0, *rest)


def with_text(
    spec: dict[str, Any], schema: dict[str, Any], base: Any, path: Path, text: str
) -> Any:
    """`base` (a valid value of `schema`) with `text` put at `path`."""
    schema = _resolve(spec, schema)
    if not path:
        return text
    step, rest = path[0], path[1:]
    if step is KEY:
        extra = schema.get("additionalProperties", {})
        return {text: sample(spec, extra, name="key")}
    if isinstance(step, int):
        items = list(base) if isinstance(base, list) and base else []
        if not items:
            items = [sample(spec, schema.get("items", {}))]
        items[0] = with_text(spec, schema.get("items", {}), items[0], rest, text)
        return items
    current = dict(base) if isinstance(base, dict) else sample(spec, schema) or {}
    if step in schema.get("properties", {}):
        sub = schema["properties"][step]
    else:
        sub = schema.get("additionalProperties", {})
    current[step] = with_text(spec, sub, current.get(step), rest, text)
    return current


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("post", "put", "patch", "delete", "get"):
                yield path, method, operation


def _url(path: str, world: World) -> str:
    """A concrete URL: any id will do, since the body is refused before it is looked up."""
    for name in ("channel_id", "conversation_id", "contact_id", "message_id"):
        path = path.replace("{" + name + "}", str(world.acme.conversations["erin_support"].id))
    while "{" in path:
        start, end = path.index("{"), path.index("}")
        path = path[:start] + "01000000-0000-7000-8000-000000000000" + path[end + 1 :]
    return path


def _client(world: World, name: str) -> httpx.AsyncClient:
    """Signed in as `name`; an unhandled error comes back as the 500 a browser would get."""
    client = world.client(name)
    client._transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)  # type: ignore[arg-type]
    return client


async def _visitor_token(world: World, runtime: Runtime) -> str:
    async with runtime.database.write_session() as s:
        site = await Factory(s, runtime.clock.now()).channel(
            world.acme.workspace, "webchat", "Careers site"
        )
        await s.commit()
    async with _client(world, "alice") as client:
        started = await client.post(f"/api/widget/v1/channels/{site.id}/sessions", json={})
    assert started.status_code == 200, started.text
    return str(started.json()["visitor_token"])


async def _stored(runtime: Runtime) -> tuple[int, int]:
    async with runtime.database.read_session() as db:
        messages = await db.scalar(select(func.count()).select_from(Message))
        events = await db.scalar(select(func.count()).select_from(EventLogEntry))
    return int(messages or 0), int(events or 0)


async def test_every_text_field_of_every_request_body_refuses_nul_and_lone_surrogates(
    world: World, runtime: Runtime
) -> None:
    spec = world.app.openapi()  # type: ignore[attr-defined]
    visitor_token = await _visitor_token(world, runtime)
    before = await _stored(runtime)
    refused: list[str] = []
    wrong: list[str] = []
    async with _client(world, "alice") as alice:
        alice.headers["X-Visitor-Token"] = visitor_token  # for the widget's routes
        for path, method, operation in _operations(spec):
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            if schema is None:
                continue
            base = sample(spec, schema)
            for where in text_paths(spec, schema):
                for label, text in BAD_TEXT.items():
                    body = with_text(spec, schema, base, where, text)
                    response = await alice.request(
                        method.upper(),
                        _url(path, world),
                        content=json.dumps(body).encode(),  # ASCII: \u0000 and \ud800 escapes
                        headers={"Content-Type": "application/json"},
                    )
                    name = f"{method.upper()} {path} {'.'.join(map(str, where))} ({label})"
                    if response.status_code == 422 and response.json()["error"]["code"]:
                        refused.append(name)
                    else:
                        wrong.append(f"{name}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)
    assert len(refused) > 100  # the walk reached the bodies' fields
    assert await _stored(runtime) == before


async def test_query_strings_holding_nul_are_refused(world: World) -> None:
    spec = world.app.openapi()  # type: ignore[attr-defined]
    wrong: list[str] = []
    checked = 0
    async with _client(world, "alice") as alice:
        for path, method, operation in _operations(spec):
            if method != "get":
                continue
            for param in operation.get("parameters", []):
                if param.get("in") != "query":
                    continue
                checked += 1
                url = f"{_url(path, world)}?{param['name']}=a%00b"
                response = await alice.get(url)
                if response.status_code != 422:
                    wrong.append(f"GET {url}: {response.status_code} {response.text[:200]}")
    assert not wrong, "\n".join(wrong)
    assert checked > 10


async def test_a_visitor_s_name_with_nul_is_refused_with_the_field_named(
    world: World, anon: httpx.AsyncClient
) -> None:
    session = await anon.post(
        f"/api/widget/v1/channels/{world.acme.channels['whatsapp'].id}/sessions",
        content=b'{"name": "Nina\\u0000"}',
        headers={"Content-Type": "application/json"},
    )
    assert session.status_code == 422
    error = session.json()["error"]
    assert error["details"]["field"] == "name"
    assert "NUL" in error["message"]


async def test_an_upload_named_with_nul_is_kept_under_a_safe_name(world: World) -> None:
    conversation = str(world.acme.conversations["erin_support"].id)
    async with _client(world, "bob") as bob:
        # Built by hand: httpx would percent-encode the NUL of the file's name.
        body = (
            f'--b\r\nContent-Disposition: form-data; name="conversation_id"\r\n\r\n'
            f'{conversation}\r\n--b\r\nContent-Disposition: form-data; name="file"; '
            'filename="notes\x00.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n'
        ).encode()
        answer = await bob.post(
            "/api/v1/attachments",
            content=body,
            headers={"Content-Type": "multipart/form-data; boundary=b"},
        )
    assert answer.status_code == 201, answer.text
    assert answer.json()["name"] == "notes_.txt"

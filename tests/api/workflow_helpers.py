"""Definitions and calls the workflow API tests share."""

from __future__ import annotations

from typing import Any

import httpx

from frontdesk.core.workflows.definition import Definition

API = "/api/v1/workflows"


def definition(trigger: str = "shortcut", **config: Any) -> dict[str, Any]:
    """A publishable flow: an internal note, a five-minute wait, the end."""
    return {
        "trigger": {"type": trigger, "config": config},
        "start": "note",
        "steps": [
            {
                "id": "note",
                "type": "note",
                "name": "Note",
                "config": {"text": "Started by a workflow"},
                "next": {"next": "wait"},
            },
            {
                "id": "wait",
                "type": "wait",
                "config": {"minutes": 5},
                "next": {"next": "done"},
            },
            {"id": "done", "type": "end"},
        ],
    }


def stored(body: dict[str, Any]) -> dict[str, Any]:
    """A definition as the API gives it back (every default filled in)."""
    return Definition.model_validate(body).model_dump(mode="json")


def broken_definition() -> dict[str, Any]:
    """A wait whose outlet leads nowhere, and a step no path reaches."""
    return {
        "trigger": {"type": "shortcut", "config": {}},
        "start": "wait",
        "steps": [
            {"id": "wait", "type": "wait", "config": {"minutes": 5}, "next": {}},
            {"id": "orphan", "type": "end"},
        ],
    }


async def ok(call: Any, status: int | tuple[int, ...] = (200, 201)) -> Any:
    response = await call
    wanted = status if isinstance(status, tuple) else (status,)
    assert response.status_code in wanted, response.text
    return response.json() if response.content else None


async def create(client: httpx.AsyncClient, body: dict[str, Any] | None = None, **more: Any) -> Any:
    payload = {"name": "Greeting", "definition": body or definition(), **more}
    return await ok(client.post(API, json=payload), 201)


async def published(client: httpx.AsyncClient, body: dict[str, Any] | None = None) -> Any:
    """A workflow created from `body` and published once: (workflow, version)."""
    workflow = await create(client, body)
    version = await ok(client.post(f"{API}/{workflow['id']}/publish", json={}), 201)
    return workflow, version

"""Provider payloads poisoned with text no database stores, for the webhook tests."""

from __future__ import annotations

from typing import Any

from frontdesk.core.text import restored_json

POISONS = {"nul": "\x00", "surrogate": "\ud800"}


def poisoned(value: Any, poison: str, keep: frozenset[str], key: str | None = None) -> Any:
    """`value` with `poison` inside every string, except those under a key in `keep`."""
    if isinstance(value, str):
        return value if key in keep else f"{value[:1]}{poison}{value[1:]}"
    if isinstance(value, dict):
        return {k: poisoned(v, poison, keep, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poisoned(v, poison, keep, key) for v in value]
    return value


def restored(stored: Any) -> Any:
    """A stored raw payload as the provider sent it."""
    assert isinstance(stored, dict)
    return restored_json(stored)

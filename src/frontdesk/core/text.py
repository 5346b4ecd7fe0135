"""Text the databases cannot store: NUL (U+0000) and lone surrogates (U+D800 to U+DFFF).

PostgreSQL refuses NUL in `text` and `\\u0000` in `jsonb`, and neither engine can encode a lone
surrogate as UTF-8 (JSON's `"\\ud800"` decodes to one in Python). So:

- the API refuses such text with 422 (`Input` checks every request body with `unstorable_at`);
- a provider's webhook, which must be stored whatever it carries, has the text it shows cleaned
  (`clean_text`: NUL removed, a lone surrogate replaced by U+FFFD) and its raw payload kept
  faithfully (`storable_json`: escaped as JSON text that decodes to exactly what was sent).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Mapping
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
REPLACEMENT = "\ufffd"
# The key under which `storable_json` keeps a payload it had to escape.
ESCAPED_JSON_KEY = "escaped_json"


def is_storable(text: str) -> bool:
    if text.isascii():  # the common case: only NUL to look for
        return "\x00" not in text
    return _UNSTORABLE.search(text) is None


def unstorable_at(value: Any, path: str = "") -> str | None:
    """The path of the first key or string in a JSON-like value that cannot be stored, if any
    (`""` for the value itself, `"name"`, `"items.2.title"`)."""
    if isinstance(value, str):
        return None if is_storable(value) else path
    if isinstance(value, Mapping):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if isinstance(key, str) and not is_storable(key):
                return path or repr(key)
            found = unstorable_at(item, where)
            if found is not None:
                return found
        return None
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            found = unstorable_at(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


def _replace(match: re.Match[str]) -> str:
    return "" if match.group() == "\x00" else REPLACEMENT


def clean_text(text: str) -> str:
    """`text` without NUL, and with each lone surrogate replaced by U+FFFD."""
    return text if is_storable(text) else _UNSTORABLE.sub(_replace, text)


def cleaned(value: Any) -> Any:
    """`value` (strings, mappings, sequences, dataclasses of them) with every string cleaned;
    `value` itself when nothing needs it. A dataclass's `raw` field is left as it is: it is
    stored with `storable_json`."""
    if isinstance(value, str):
        return clean_text(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            f.name: cleaned(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "raw" and unstorable_at(_plain(getattr(value, f.name))) is not None
        }
        return dataclasses.replace(value, **changes) if changes else value
    if unstorable_at(_plain(value)) is None:
        return value
    if isinstance(value, Mapping):
        return {cleaned(k): cleaned(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(cleaned(v) for v in value)
    if isinstance(value, list):
        return [cleaned(v) for v in value]
    return value


def _plain(value: Any) -> Any:
    """Dataclasses as mappings, so `unstorable_at` looks inside them."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def storable_json(value: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object both engines can store that keeps `value` exactly: `value` itself, or, when
    it holds NUL or a lone surrogate, `{"escaped_json": <value as ASCII JSON text>}`, which
    `restored_json` (or any JSON parser) turns back into `value`."""
    if unstorable_at(value) is None and not _is_escaped(value):
        return dict(value)
    # (A payload that happens to look escaped is escaped too, so restoring it is exact.)
    return {ESCAPED_JSON_KEY: json.dumps(value, ensure_ascii=True)}


def _is_escaped(stored: Mapping[str, Any]) -> bool:
    return set(stored) == {ESCAPED_JSON_KEY} and isinstance(stored[ESCAPED_JSON_KEY], str)


def restored_json(stored: Mapping[str, Any]) -> dict[str, Any]:
    """What `storable_json` was given."""
    if _is_escaped(stored):
        restored: dict[str, Any] = json.loads(stored[ESCAPED_JSON_KEY])
        return restored
    return dict(stored)

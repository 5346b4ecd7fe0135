"""Builds a minimal valid JSON body for an OpenAPI schema, so every route can be called."""

from __future__ import annotations

import re
import uuid
from typing import Any

PATTERN_CANDIDATES = ("sample", "a", "abc", "a1", "sample_key", "+60123456789", "#336699")


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _string(schema: dict[str, Any], known: str | None) -> str:
    fmt = schema.get("format")
    if fmt == "uuid":
        return known or str(uuid.uuid4())
    if fmt == "email":
        return "someone@example.com"
    if fmt == "date-time":
        return "2031-01-01T09:00:00Z"
    if fmt == "date":
        return "2031-01-01"
    if fmt in ("uri", "url"):
        return "https://example.com/"
    min_len = int(schema.get("minLength", 1))
    pattern = schema.get("pattern")
    if pattern:
        for candidate in PATTERN_CANDIDATES:
            if re.fullmatch(pattern, candidate) and len(candidate) >= min_len:
                return candidate
    return "sample-text-value"[: max(min_len, 12)].ljust(min_len, "x")


def sample(
    spec: dict[str, Any],
    schema: dict[str, Any],
    ids: dict[str, str] | None = None,
    name: str | None = None,
) -> Any:
    """A minimal valid value; uuid fields named like a key of `ids` (`tag_id`, `tag_ids`) get it."""
    ids = ids or {}
    schema = _resolve(spec, schema)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if _resolve(spec, o).get("type") != "null"]
            return sample(spec, options[0], ids, name) if options else None
    if "allOf" in schema:
        return sample(spec, schema["allOf"][0], ids, name)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties", {})
        wanted = set(schema.get("required", [])) | {p for p in props if _known(p, ids)}
        return {p: sample(spec, props[p], ids, p) for p in props if p in wanted}
    if kind == "array":
        count = max(int(schema.get("minItems", 0)), 1 if _known(name, ids) else 0)
        return [sample(spec, schema.get("items", {}), ids, name) for _ in range(count)]
    if kind == "string":
        return _string(schema, _known(name, ids))
    if kind == "integer":
        return int(schema.get("minimum", 1))
    if kind == "number":
        return float(schema.get("minimum", 1))
    if kind == "boolean":
        return True
    return None


def _known(name: str | None, ids: dict[str, str]) -> str | None:
    if not name:
        return None
    return ids.get(name) or ids.get(name.removesuffix("s"))


def request_body(
    spec: dict[str, Any], operation: dict[str, Any], ids: dict[str, str] | None = None
) -> tuple[str, Any] | None:
    """The content type and a sample body for an operation, or None when it takes none."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        return "json", sample(spec, content["application/json"].get("schema", {}), ids)
    if "multipart/form-data" in content:
        return "files", sample(spec, content["multipart/form-data"].get("schema", {}), ids)
    return None

"""Writes the OpenAPI schema to frontend/openapi.json; the app's API client is generated from it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from frontdesk.app import build_app


def schema() -> str:
    """The schema of the app's routes: describing them needs no runtime and no database."""
    return json.dumps(build_app().openapi(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "frontend/openapi.json")
    target.write_text(schema(), encoding="utf-8")
    print(f"wrote {target}")

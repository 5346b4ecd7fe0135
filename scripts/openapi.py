"""Writes the OpenAPI schema to frontend/openapi.json; the app's API client is generated from it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from frontdesk.app import create_app
from frontdesk.settings import Settings


def schema() -> str:
    settings = Settings(env="test", secret_key="x" * 48, database_url="sqlite+aiosqlite://")
    app = create_app(settings, run_jobs=False)
    return json.dumps(app.openapi(), indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "frontend/openapi.json")
    target.write_text(schema(), encoding="utf-8")
    print(f"wrote {target}")

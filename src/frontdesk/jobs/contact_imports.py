"""The import job: brings in one CSV of contacts (core/contacts/imports_run.py)."""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.contacts.imports import IMPORT_JOB
from frontdesk.core.contacts.imports_run import fail_import, run_import
from frontdesk.core.runtime import Runtime

__all__ = ["IMPORT_JOB", "give_up_import", "import_contacts"]


async def import_contacts(runtime: Runtime, payload: dict[str, Any]) -> None:
    await run_import(runtime, uuid.UUID(str(payload["import_id"])))


async def give_up_import(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    await fail_import(runtime, uuid.UUID(str(payload["import_id"])), error)

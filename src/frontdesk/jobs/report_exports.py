"""The export job: writes one report export (core/reports/exports/run.py)."""

from __future__ import annotations

import uuid
from typing import Any

from frontdesk.core.reports.exports.actions import EXPORT_JOB
from frontdesk.core.reports.exports.run import delete_expired_exports, fail_export, run_export
from frontdesk.core.runtime import Runtime

__all__ = ["EXPORT_JOB", "delete_expired_exports", "give_up_export", "write_report_export"]


async def write_report_export(runtime: Runtime, payload: dict[str, Any]) -> None:
    await run_export(runtime, uuid.UUID(str(payload["export_id"])))


async def give_up_export(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    await fail_export(runtime, uuid.UUID(str(payload["export_id"])), error)

"""A worker process for the killed-worker test.

Usage: python claiming_worker.py DATABASE_URL NOW_ISO WORKER_ID

It runs one round of a real JobRunner at the fixed moment NOW_ISO; its `test.record` handler
announces the job on stdout ("started <n>") and then hangs, so the test can kill the process
with SIGKILL while it holds the job's lease.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from typing import Any

from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.registry import JobRegistry
from frontdesk.jobs.runner import JobRunner
from frontdesk.settings import Settings
from frontdesk.wiring import build_runtime


async def hang(_runtime: Runtime, payload: dict[str, Any]) -> None:
    print(f"started {payload['n']}", flush=True)
    await asyncio.Event().wait()


async def main(url: str, now: datetime, worker_id: str) -> None:
    settings = Settings(env="test", database_url=url, secret_key="worker-secret-" + "x" * 40)
    runtime = build_runtime(settings, clock=FrozenClock(now))
    registry = JobRegistry(handlers={"test.record": hang})
    await JobRunner(runtime, registry, worker_id=worker_id, lease_seconds=60).run_once()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], datetime.fromisoformat(sys.argv[2]), sys.argv[3]))

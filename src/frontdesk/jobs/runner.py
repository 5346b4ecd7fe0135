"""Placeholder: replaced by the real runner."""

from __future__ import annotations

import asyncio

from frontdesk.core.runtime import Runtime
from frontdesk.jobs.registry import JobRegistry


class JobRunner:
    def __init__(
        self, runtime: Runtime, registry: JobRegistry, *, poll_seconds: float = 1.0
    ) -> None:
        self.runtime, self.registry, self.poll_seconds = runtime, registry, poll_seconds
        self._stop = asyncio.Event()

    def stop(self) -> None:
        self._stop.set()

    async def run_forever(self) -> None:
        await self._stop.wait()

"""Job kinds and their handlers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from frontdesk.core.runtime import Runtime

JobHandler = Callable[[Runtime, dict[str, Any]], Awaitable[None]]
# Told when a job of its kind is given up (dead): the place to record the failure for users.
DeadHandler = Callable[[Runtime, dict[str, Any], str], Awaitable[None]]


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help: the job goes straight to dead."""


class RetryJobLater(Exception):
    """Raised by a handler to be retried after `delay_seconds` (a provider's retry_after)."""

    def __init__(self, delay_seconds: float, reason: str = "") -> None:
        super().__init__(reason or f"retry after {delay_seconds}s")
        self.delay_seconds = delay_seconds


@dataclass
class JobRegistry:
    handlers: dict[str, JobHandler] = field(default_factory=dict)
    dead_handlers: dict[str, DeadHandler] = field(default_factory=dict)

    def register(self, kind: str) -> Callable[[JobHandler], JobHandler]:
        def decorator(handler: JobHandler) -> JobHandler:
            self.handlers[kind] = handler
            return handler

        return decorator

    def get(self, kind: str) -> JobHandler | None:
        return self.handlers.get(kind)

    def on_dead(self, kind: str, handler: DeadHandler) -> None:
        self.dead_handlers[kind] = handler

"""Every job kind the product runs, wired to its handler."""

from __future__ import annotations

from frontdesk.jobs.registry import JobRegistry


def build_registry() -> JobRegistry:
    registry = JobRegistry()
    return registry

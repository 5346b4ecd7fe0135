"""The fault tests start real processes. F3 restarts a PostgreSQL cluster of its own; F1 (an
app process killed under load) and F2 (Redis down under two app processes) exercise the
production set-up, several processes on PostgreSQL and Redis. They belong to the PostgreSQL run
of the suite (deselected, not skipped, on SQLite, the one-process set-up of `make run`); the
single-process faults (F4, F10, an unreachable database) run on both."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE

POSTGRESQL_ONLY = {
    "test_f1_killed_app.py",
    "test_f2_redis_outage.py",
    "test_f2_unsent_events.py",
    "test_f3_postgres_restart.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if TEST_DATABASE == "postgresql":
        return
    here = Path(__file__).parent
    kept: list[pytest.Item] = []
    elsewhere: list[pytest.Item] = []
    for item in items:
        away = item.path.parent == here and item.path.name in POSTGRESQL_ONLY
        (elsewhere if away else kept).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept

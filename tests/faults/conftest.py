"""The fault tests start real processes. F3 restarts a PostgreSQL cluster of its own, so it
belongs to the PostgreSQL run of the suite only (deselected, not skipped, on SQLite)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE

POSTGRESQL_ONLY = {"test_f3_postgres_restart.py"}


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

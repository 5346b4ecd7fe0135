"""Several app and worker processes on one database are the production set-up: PostgreSQL and
Redis (`frontdesk serve --workers N` refuses SQLite). The tests that start them belong to the
PostgreSQL run of the suite (deselected, not skipped, on SQLite), as the fault tests' F1 and F2
do; the refusals of the command line run on the SQLite run, where the command line's tests do."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TEST_DATABASE

POSTGRESQL_ONLY = {"test_across_processes.py"}


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

"""Several processes need PostgreSQL and Redis: the command line says so and starts nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

FRONTDESK = [sys.executable, "-m", "frontdesk"]
# Never reached: the refusals come before any connection.
POSTGRES = "postgresql+asyncpg://nobody@127.0.0.1:9/nowhere"


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # our interpreter, our module
        [*FRONTDESK, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )


def test_more_processes_without_postgresql_or_redis_are_refused_clearly(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env["FRONTDESK_DATA_DIR"] = str(tmp_path / "data")
    sqlite = {**env, "FRONTDESK_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'one.db'}"}
    postgres = {**env, "FRONTDESK_DATABASE_URL": POSTGRES}
    cases = {
        # SQLite has one writer: even with Redis, more processes only queue on its lock.
        ("serve", "--workers", "2"): (
            {**sqlite, "FRONTDESK_REDIS_URL": "redis://127.0.0.1:9/0"},
            "needs PostgreSQL",
        ),
        ("serve", "--workers", "3"): (postgres, "needs Redis (FRONTDESK_REDIS_URL"),
        ("worker",): (postgres, "needs Redis (FRONTDESK_REDIS_URL"),
    }
    for args, (environment, said) in cases.items():
        result = run(list(args), environment)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert said in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr, args
        assert not (tmp_path / "one.db").exists(), "nothing is started or written"

"""A fresh, migrated database under a scenario's own name, so benchmarks can run side by side;
and the server under test started on a chosen port, given time to start on a loaded machine.

`bench_database` (common.py) always uses `frontdesk_bench` on PostgreSQL; the scenarios of
states.py, inbox.py, soak.py and restart.py each take `frontdesk_bench_<scenario>` instead, or
the name in FRONTDESK_BENCH_PG_DATABASE when it is set (one per person on a shared server).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from benchmarks.common import (
    ROOT,
    Server,
    Workdir,
    _pg_admin,
    bench_database,
    free_port,
    migrate,
    server_env,
)

PG_URL_BASE = "postgresql+asyncpg://postgres@127.0.0.1:5432"
# The app takes 20-30 s to start when the machine's two cores are shared (load around 9):
# more than common.READY_SECONDS; a server that never answers still fails after this.
READY_SECONDS = 120.0


@contextlib.asynccontextmanager
async def own_database(kind: str, scenario: str) -> AsyncIterator[Workdir]:
    """A temp SQLite file, or a PostgreSQL database dropped again at the end."""
    if kind == "sqlite":
        async with bench_database(kind) as work:
            yield work
        return
    name = os.environ.get("FRONTDESK_BENCH_PG_DATABASE") or f"frontdesk_bench_{scenario}"
    path = Path(tempfile.mkdtemp(prefix=f"frontdesk-bench-{scenario}-"))
    work = Workdir(path=path, database=kind, url=f"{PG_URL_BASE}/{name}")
    await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        migrate(work)
        yield work
    finally:
        with contextlib.suppress(Exception):
            await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def start_app(
    work: Workdir, secret: str, name: str = "frontdesk", port: int | None = None
) -> Server:
    """`python -m benchmarks.serve --port P` (P free unless given); waits until it answers."""
    port = port or free_port()
    log_path = work.path / f"{name}-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220, S603 - our own interpreter and module
        [sys.executable, "-m", "benchmarks.serve", "--port", str(port)],
        env=server_env(work, port=port, secret=secret, redis_url=None),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(name=name, port=port, process=process, log_path=log_path, _log=log)
    try:
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited:\n{server.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(server.url + "/healthz")).status_code == 200:
                        return server
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{name} did not answer in time:\n{server.log_tail()}")
                await asyncio.sleep(0.1)
    except BaseException:
        await server.stop()
        raise

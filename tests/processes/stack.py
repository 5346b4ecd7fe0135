"""Real Frontdesk processes on one database and one Redis: `frontdesk serve` (one process or
`--workers N` sharing a port) and `frontdesk worker`, each on a Redis channel of its own run so
parallel runs sharing the machine's Redis never hear each other."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from frontdesk.settings import Settings
from tests.faults.harness import ROOT, die_with_parent, free_port

REDIS_URL = os.environ.get("FRONTDESK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
READY_SECONDS = 180.0  # a shared, loaded machine starts processes slowly (language models)


def run_environment(settings: Settings, channel: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=settings.resolved_database_url(),
        FRONTDESK_DATA_DIR=str(settings.data_dir),
        FRONTDESK_SECRET_KEY=settings.resolved_secret_key(),
        FRONTDESK_REDIS_URL=REDIS_URL,
        FRONTDESK_REDIS_CHANNEL=channel,
        FRONTDESK_RUN_JOBS_IN_SERVER="false",
        FRONTDESK_JOB_POLL_SECONDS="0.2",
        FRONTDESK_DATABASE_POOL_SIZE="4",
    )
    env.update(extra)
    return env


def new_channel() -> str:
    return f"frontdesk-test:{uuid.uuid4().hex}:live"


@dataclass
class Process:
    """One command of `frontdesk`, its output in a log file."""

    name: str
    args: list[str]
    env: dict[str, str]
    workdir: Path
    port: int | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def start(self) -> Process:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # our interpreter, our module
            [sys.executable, "-m", "frontdesk", *self.args],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - a single prctl call
        )
        log.close()
        return self

    async def ready(self) -> None:
        """Until the server answers /readyz (a worker: until it says its runner started)."""
        assert self.process is not None
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                if self.port is None:
                    if re.search(r"job runner \S+ started", self.log()):
                        return
                else:
                    with contextlib.suppress(httpx.HTTPError):
                        if (await client.get(f"http://{self.base}/readyz")).status_code == 200:
                            return
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} did not start:\n{self.log()[-4000:]}")
                await asyncio.sleep(0.1)

    async def stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.terminate()
        deadline = time.monotonic() + 15
        while process.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # a child process: nothing to await but its exit
        if process.poll() is None:
            process.kill()
            process.wait(5)

    def log(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")
        return ""


def server(name: str, env: dict[str, str], workdir: Path, workers: int = 1) -> Process:
    port = free_port()
    args = ["serve", "--port", str(port), "--workers", str(workers)]
    env = {**env, "FRONTDESK_PUBLIC_URL": f"http://127.0.0.1:{port}"}
    return Process(name, args, env, workdir, port=port)


def worker(name: str, env: dict[str, str], workdir: Path) -> Process:
    return Process(name, ["worker"], env, workdir)


@dataclass
class Socket:
    """An agent's socket on one process, every frame it receives kept in order."""

    name: str
    ws: ClientConnection
    frames: list[dict[str, Any]] = field(default_factory=list)
    task: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, name: str, base: str, session_token: str) -> Socket:
        ws = await connect(
            f"ws://{base}/api/v1/realtime",
            additional_headers={"Cookie": f"frontdesk_session={session_token}"},
            max_size=2**22,
        )
        sock = cls(name, ws)
        sock.task = asyncio.create_task(sock._read())
        return sock

    async def _read(self) -> None:
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                self.frames.append(json.loads(raw))

    @property
    def cursor(self) -> int:
        hello = [f for f in self.frames if f["type"] == "hello"]
        return int(hello[0]["cursor"])

    def events(self) -> list[dict[str, Any]]:
        return [f for f in self.frames if "id" in f and f["type"] not in ("hello", "ready")]

    def has(self, frame_type: str, marker: str | None = None) -> bool:
        return any(
            f["type"] == frame_type and (marker is None or f.get("data", {}).get("m") == marker)
            for f in self.frames
        )

    async def close(self) -> None:
        await self.ws.close()
        if self.task is not None:
            await self.task

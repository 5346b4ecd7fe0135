"""Real processes to break: app servers, a private Redis, a private PostgreSQL cluster, and the
provider side (signed WhatsApp webhooks, agent sockets) that watches what survives.

Used by the fault tests (short outages) and by `python -m benchmarks.faults` (long ones).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect

from frontdesk.settings import Settings
from tests.fakes.meta import Number, sign, text_webhook

ROOT = Path(__file__).resolve().parents[2]
READY_SECONDS = 120.0  # generous: a shared, loaded machine starts a process slowly


def die_with_parent() -> None:
    """In a child before exec: the kernel kills it when the test process dies, whatever
    happens to the test (PR_SET_PDEATHSIG), so no server outlives its run."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def wait_until(check: Any, within: float, what: str, every: float = 0.05) -> None:
    """Poll `check()` (sync or async) until it is true, or fail saying `what` never happened."""
    deadline = time.monotonic() + within
    while True:
        result = check()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not happen within {within:.0f} s")
        await asyncio.sleep(every)


# --- app processes -------------------------------------------------------------------------


@dataclass
class AppProcess:
    """`frontdesk serve` on a loopback port, its output in a log file."""

    name: str
    settings: Settings
    workdir: Path
    redis_url: str | None = None
    run_jobs: bool = False
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return f"http://{self.base}"

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}-{self.port}.log"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
        env.update(
            FRONTDESK_DATABASE_URL=self.settings.resolved_database_url(),
            FRONTDESK_DATA_DIR=str(self.settings.data_dir),
            FRONTDESK_SECRET_KEY=self.settings.resolved_secret_key(),
            FRONTDESK_PUBLIC_URL=self.url,
            FRONTDESK_META_GRAPH_URL=self.settings.meta_graph_url,
            FRONTDESK_RUN_JOBS_IN_SERVER="true" if self.run_jobs else "false",
            FRONTDESK_JOB_POLL_SECONDS="0.2",
        )
        if self.redis_url:
            env["FRONTDESK_REDIS_URL"] = self.redis_url
        return env

    async def start(self) -> AppProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - our interpreter, our module
            [sys.executable, "-m", "frontdesk", "serve", "--port", str(self.port)],
            env=self.env(),
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - a single prctl call
        )
        log.close()
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=2) as client:
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(f"{self.url}/healthz")).status_code == 200:
                        return self
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise AssertionError(f"{self.name} did not start:\n{self.log_tail()}")
                await asyncio.sleep(0.1)

    def kill(self) -> None:
        """SIGKILL: no shutdown, no lease given back, requests in flight cut."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

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

    def log_tail(self, lines: int = 40) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""


# --- a private Redis -----------------------------------------------------------------------


@dataclass
class RedisServer:
    """`redis-server` on a free port, no persistence; killed and started again on that port."""

    workdir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def dir(self) -> list[str]:
        return ["--dir", str(self.workdir), "--appendonly", "no"]

    async def start(self) -> RedisServer:
        binary = shutil.which("redis-server")
        assert binary, "redis-server is needed (make test installs it)"
        log = (self.workdir / f"redis-{self.port}.log").open("ab")
        self.process = subprocess.Popen(  # noqa: ASYNC220 - the machine's redis-server
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", *self.dir],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=die_with_parent,  # noqa: PLW1509 - a single prctl call
        )
        log.close()
        await wait_until(self._answers, 10, f"redis-server on {self.port} answering")
        return self

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)


# --- a private PostgreSQL cluster ----------------------------------------------------------


def _postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    assert found, "PostgreSQL's server binaries are needed in /usr/lib/postgresql/*/bin"
    return found[-1].parent


@dataclass
class PgCluster:
    """A throwaway cluster (initdb, trust auth, fsync off) on a free port in its own directory.

    initdb refuses to run as root: as root, it runs as the `postgres` OS user.
    """

    port: int = field(default_factory=free_port)
    path: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="frontdesk-pg-")))

    @property
    def url(self) -> str:
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(_postgres_bin() / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=60)

    def init(self) -> PgCluster:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.path, user.pw_uid, user.pw_gid)
        data = str(self.path / "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.path} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        data, log = str(self.path / "data"), str(self.path / "server.log")
        self._run("pg_ctl", "-D", data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.path / "data"), "-m", "fast", "-w", "stop", check=False)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.path, ignore_errors=True)


# --- the provider: signed webhooks and who acknowledged them ------------------------------


@dataclass
class Delivery:
    """One customer message as Meta posts it: the exact signed bytes, reposted unchanged."""

    wamid: str
    wa_id: str
    raw: bytes
    signature: str


@dataclass
class Provider:
    """Posts a number's webhooks to app processes and remembers what each answer was."""

    number: Number
    workspace_id: str
    customers: int = 8
    acked: set[str] = field(default_factory=set)
    # wamid -> every answer (status code, or the transport error's class name)
    answers: dict[str, list[int | str]] = field(default_factory=dict)
    # (started, finished, wamid, answer), monotonic seconds
    log: list[tuple[float, float, str, int | str]] = field(default_factory=list)
    _n: int = 0

    def new(self) -> Delivery:
        self._n += 1
        wa_id = f"4479{self._n % self.customers:08d}"
        wamid = "wamid.fault" + secrets.token_hex(12)
        body = text_webhook(self.number, wa_id, f"Customer {wa_id[-3:]}", f"msg {self._n}")
        body["entry"][0]["changes"][0]["value"]["messages"][0]["id"] = wamid
        raw = json.dumps(body, separators=(",", ":")).encode()
        return Delivery(wamid, wa_id, raw, sign(raw, self.number.app_secret))

    async def post(self, client: httpx.AsyncClient, base: str, delivery: Delivery) -> int | str:
        started = time.monotonic()
        try:
            response = await client.post(
                f"http://{base}/webhooks/whatsapp/{self.workspace_id}",
                content=delivery.raw,
                headers={
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": delivery.signature,
                },
            )
            answer: int | str = response.status_code
        except httpx.HTTPError as exc:
            answer = type(exc).__name__
        self.log.append((started, time.monotonic(), delivery.wamid, answer))
        self.answers.setdefault(delivery.wamid, []).append(answer)
        if isinstance(answer, int) and 200 <= answer < 300:
            self.acked.add(delivery.wamid)
        return answer

    def unacknowledged(self, deliveries: Iterable[Delivery]) -> list[Delivery]:
        return [d for d in deliveries if d.wamid not in self.acked]

    def answer_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for answers in self.answers.values():
            for answer in answers:
                counts[str(answer)] = counts.get(str(answer), 0) + 1
        return counts


async def load(
    provider: Provider,
    bases: list[str],
    stop: asyncio.Event,
    *,
    senders: int = 4,
    pause: float = 0.0,
    answer_within: float = 10.0,
) -> list[Delivery]:
    """Senders post new messages round-robin to `bases` until `stop` is set."""
    sent: list[Delivery] = []

    async def sender(k: int) -> None:
        async with httpx.AsyncClient(timeout=answer_within) as client:
            turn = k
            while not stop.is_set():
                delivery = provider.new()
                sent.append(delivery)
                await provider.post(client, bases[turn % len(bases)], delivery)
                turn += 1
                if pause:
                    await asyncio.sleep(pause)

    await asyncio.gather(*(sender(k) for k in range(senders)))
    return sent


async def redeliver(
    provider: Provider, base: str, deliveries: list[Delivery], *, within: float = 60
) -> None:
    """Meta retries what was not acknowledged: repost each until it is, or fail."""
    deadline = time.monotonic() + within
    async with httpx.AsyncClient(timeout=10) as client:
        for delivery in deliveries:
            while delivery.wamid not in provider.acked:
                if time.monotonic() > deadline:
                    raise AssertionError(f"{delivery.wamid} never acknowledged on redelivery")
                if not isinstance(await provider.post(client, base, delivery), int):
                    await asyncio.sleep(0.1)


# --- agent sockets -------------------------------------------------------------------------


@dataclass
class AgentSocket:
    """An agent's live socket that records every frame it gets. Like the app, it reconnects
    with its cursor (the highest event id it has) when the server closes it — e.g. 4008 when
    a catch-up is more than its buffer holds — and the figures count those reconnects."""

    name: str
    base: str
    token: str
    ws: ClientConnection | None = None
    frames: list[dict[str, Any]] = field(default_factory=list)
    closes: list[int | None] = field(default_factory=list)
    task: asyncio.Task[None] | None = None
    closing: bool = False

    @classmethod
    async def open(cls, name: str, base: str, token: str) -> AgentSocket:
        sock = cls(name, base, token)
        sock.ws = await sock._connect(None)
        sock.task = asyncio.create_task(sock._read())
        await wait_until(lambda: sock.of_type("hello"), 60, f"{name}'s hello")
        return sock

    async def _connect(self, cursor: int | None) -> ClientConnection:
        query = f"?cursor={cursor}" if cursor is not None else ""
        return await connect(
            f"ws://{self.base}/api/v1/realtime{query}",
            additional_headers={"Cookie": f"frontdesk_session={self.token}"},
            max_size=2**22,
        )

    def cursor(self) -> int:
        ids = [int(f["id"]) for f in self.frames if "id" in f]
        return max(ids) if ids else int(self.of_type("hello")[0]["cursor"])

    async def _read(self) -> None:
        while self.ws is not None:
            with contextlib.suppress(Exception):
                async for raw in self.ws:
                    self.frames.append(json.loads(raw))
            if self.closing:
                return
            self.closes.append(self.ws.close_code)
            self.ws = None
            for _ in range(50):
                try:
                    self.ws = await self._connect(self.cursor())
                    break
                except OSError:
                    await asyncio.sleep(0.2)  # the server is not answering: try again

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [f for f in self.frames if f.get("type") == kind]

    def created_message_ids(self) -> list[str]:
        return [f["data"]["message"]["id"] for f in self.of_type("message.created")]

    async def send(self, frame: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send(json.dumps(frame))

    async def close(self) -> None:
        self.closing = True
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            await self.task

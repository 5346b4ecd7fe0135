"""What every benchmark shares: options, databases, server processes, timing and output."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import os
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = Path(__file__).resolve().parent / "results"
PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
# FRONTDESK_BENCH_PG_DATABASE: another name, for one person's runs on a shared server.
PG_DATABASE = os.environ.get("FRONTDESK_BENCH_PG_DATABASE") or "frontdesk_bench"
PG_URL = f"postgresql+asyncpg://postgres@127.0.0.1:5432/{PG_DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/0"
READY_SECONDS = 120.0  # a loaded machine imports the app slowly
STOP_SECONDS = 10.0
# The widget's rate limits (20 messages / 10 s per visitor, 30 sessions / min per IP) protect a
# public endpoint from one browser; a load generator is one loopback IP and a handful of
# visitors, so the servers under test get them raised by their settings.
RAISED_WIDGET_LIMITS = {
    f"FRONTDESK_WIDGET_{name}": "1000000"
    for name in (
        "SESSIONS_PER_IP",
        "MESSAGES_PER_VISITOR",
        "READS_PER_VISITOR",
        "UPLOADS_PER_VISITOR",
    )
}
LIMITS_NOTE = (
    "widget rate limits (20 messages / 10 s per visitor, 30 sessions / min per IP) are raised "
    "by their settings (FRONTDESK_WIDGET_*=1000000) so one loopback client can generate the "
    "load; nothing else differs from `frontdesk serve`"
)


# --- options -------------------------------------------------------------------------------


def options(description: str, argv: Sequence[str] | None = None) -> argparse.Namespace:
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(line_buffering=True)  # tables show up as they are measured
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes, under 60 seconds")
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument(
        "--broker",
        choices=("inprocess", "redis", "both"),
        default="both",
        help="realtime broker of the server under test (redis: needs Redis on 127.0.0.1)",
    )
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="sockets do not offer permessage-deflate (browsers do, so the default offers it)",
    )
    return parser.parse_args(argv)


def compression(args: argparse.Namespace) -> Literal["deflate"] | None:
    return None if args.no_compression else "deflate"


def brokers(choice: str) -> list[str]:
    wanted = ["inprocess", "redis"] if choice == "both" else [choice]
    if "redis" in wanted and not redis_available():
        print("note: Redis is not reachable on 127.0.0.1:6379; the Redis variant is skipped")
        wanted.remove("redis")
    return wanted


def redis_available() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def raise_open_files(wanted: int = 65536) -> int:
    """Lift the soft limit on open files (children inherit it): 1,000 sockets need it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],  # noqa: S607 - git from PATH, fixed arguments
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


# --- timing --------------------------------------------------------------------------------


def now() -> float:
    return time.perf_counter()


def percentile(values: Sequence[float], q: float) -> float:
    """Linear interpolation between closest ranks (q in 0..100); NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def latency_ms(values_s: Sequence[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values_s, 50) * 1000, 2),
        "p99_ms": round(percentile(values_s, 99) * 1000, 2),
        "max_ms": round(max(values_s) * 1000, 2) if values_s else float("nan"),
        "samples": len(values_s),
    }


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc), 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- databases -----------------------------------------------------------------------------


@dataclass
class Workdir:
    """A temporary directory for one run: the SQLite file, data dirs and server logs."""

    path: Path
    database: str
    url: str


@contextlib.asynccontextmanager
async def bench_database(kind: str) -> AsyncIterator[Workdir]:
    """A fresh, migrated database (temp SQLite file, or `frontdesk_bench` on PostgreSQL)."""
    path = Path(tempfile.mkdtemp(prefix="frontdesk-bench-"))
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{path / 'bench.db'}"
    else:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        await _pg_admin(f'CREATE DATABASE "{PG_DATABASE}"')
        url = PG_URL
    work = Workdir(path=path, database=kind, url=url)
    try:
        migrate(work)
        yield work
    finally:
        if kind == "postgresql":
            with contextlib.suppress(Exception):
                await _pg_admin(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        shutil.rmtree(path, ignore_errors=True)


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN_DSN, timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def server_env(work: Workdir, *, port: int, secret: str, redis_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env.update(
        FRONTDESK_DATABASE_URL=work.url,
        FRONTDESK_DATA_DIR=str(work.path / "data"),
        FRONTDESK_SECRET_KEY=secret,
        FRONTDESK_PUBLIC_URL=f"http://127.0.0.1:{port}",
        FRONTDESK_ENV="development",
        **RAISED_WIDGET_LIMITS,
    )
    if redis_url:
        env["FRONTDESK_REDIS_URL"] = redis_url
    return env


def migrate(work: Workdir) -> None:
    env = server_env(work, port=8000, secret="migrate-only-" + "x" * 32, redis_url=None)
    subprocess.run(
        [sys.executable, "-m", "frontdesk", "migrate"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        timeout=120,
    )


# --- server processes ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A server subprocess on a loopback port; its output goes to a log file."""

    name: str
    port: int
    process: subprocess.Popen[bytes]
    log_path: Path
    _log: Any = field(repr=False, default=None)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def cpu(self) -> float:
        return cpu_seconds(self.process.pid)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_size(self) -> int:
        try:
            return self.log_path.stat().st_size
        except OSError:
            return 0

    def log_findings(self, start: int = 0, end: int | None = None) -> dict[str, int]:
        """How often the server dropped a socket or logged an error between two log sizes."""
        try:
            text = self.log_path.read_bytes()[start:end].decode(errors="replace")
        except OSError:
            return {}
        return {
            "sockets_dropped": text.count("dropping socket"),
            "errors_logged": text.count(" ERROR ") + text.count("Traceback"),
        }

    async def wait_ready(self, path: str = "/healthz") -> None:
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=2) as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name} exited:\n{self.log_tail()}")
                with contextlib.suppress(httpx.HTTPError):
                    if (await client.get(self.url + path)).status_code == 200:
                        return
                await asyncio.sleep(0.1)
        raise RuntimeError(f"{self.name} did not answer {path} in time:\n{self.log_tail()}")

    async def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            deadline = time.monotonic() + STOP_SECONDS
            while self.process.poll() is None and time.monotonic() < deadline:  # noqa: ASYNC110
                await asyncio.sleep(0.05)  # a child process: nothing to wait on but polling
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(5)
        if self._log is not None:
            self._log.close()


async def start_server(
    name: str, module: str, work: Workdir, *, secret: str, redis_url: str | None = None
) -> Server:
    """Start `python -m <module> --port P` with the run's environment and wait until it answers."""
    port = free_port()
    log_path = work.path / f"{name}-{port}.log"
    log = log_path.open("wb")
    process = subprocess.Popen(  # noqa: ASYNC220, S603 - our own interpreter and module
        [sys.executable, "-m", module, "--port", str(port)],
        env=server_env(work, port=port, secret=secret, redis_url=redis_url),
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    server = Server(name=name, port=port, process=process, log_path=log_path, _log=log)
    try:
        await server.wait_ready()
    except BaseException:
        await server.stop()
        raise
    return server


def new_secret() -> str:
    return secrets.token_urlsafe(48)


# --- output --------------------------------------------------------------------------------


def fmt(value: object) -> str:
    if isinstance(value, float):
        if abs(value) >= 10:
            return f"{value:.1f}"
        return f"{value:.6f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:.1f}"
    return str(value)


def print_table(title: str, rows: Sequence[Sequence[object]]) -> None:
    header = ("figure", "value", "reference (R5)", "ratio", "target", "pass")
    body = [tuple(fmt(c) for c in row) for row in rows]
    widths = [max(len(str(r[i])) for r in (header, *body)) for i in range(len(header))]
    print(f"\n{title}")
    for row in (header, tuple("-" * w for w in widths), *body):
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=False)))


def result_line(scenario: str, figures: dict[str, object], passed: bool) -> str:
    parts = " ".join(f"{k}={fmt(v)}" for k, v in figures.items())
    return f"RESULT {scenario} {parts} pass={'true' if passed else 'false'}"


def write_json(
    scenario: str,
    *,
    database: str,
    broker: str,
    quick: bool,
    references: dict[str, Any],
    figures: dict[str, Any],
    targets: dict[str, Any],
    passed: bool,
    notes: Sequence[str] = (),
    ws_compression: bool = True,
) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    suffix = "" if broker == "inprocess" else f"-{broker}"
    suffix += "" if ws_compression else "-nodeflate"
    path = RESULTS_DIR / f"{scenario}-{database}{suffix}.json"
    document = {
        "id": scenario,
        "git_revision": git_revision(),
        "database": database,
        "broker": broker,
        "ws_compression": "permessage-deflate" if ws_compression else "none",
        "cpu_count": os.cpu_count(),
        "quick": quick,
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
        "references": references,
        "figures": figures,
        "targets": targets,
        "pass": passed,
        "notes": list(notes),
    }
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    return path

"""The `frontdesk` command as an operator runs it: real processes, real exit codes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from frontdesk.demo import AGENT_EMAIL, DEMO_PASSWORD, OWNER_EMAIL
from frontdesk.demo.spec import MANAGER_EMAIL, VIEWER_EMAIL

FRONTDESK = [sys.executable, "-m", "frontdesk"]
PUBLIC = "http://demo.test:8000"


def run(
    args: list[str], env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FRONTDESK, *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTDESK_")}
    env["FRONTDESK_DEMO_VOLUME"] = os.environ.get("FRONTDESK_DEMO_VOLUME", "1")
    # The suite's span of history too (tests/conftest.py), not the 60 days of `make run`.
    env["FRONTDESK_DEMO_DAYS"] = os.environ.get("FRONTDESK_DEMO_DAYS", "60")
    env["FRONTDESK_DATA_DIR"] = str(tmp_path / "data")
    env["FRONTDESK_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    return env


def test_bad_arguments_get_a_clear_message_and_a_non_zero_exit(cli_env: dict[str, str]) -> None:
    cases = {
        ("serve", "--port", "0"): "--port",
        ("serve", "--port", "http"): "--port",
        ("serve", "--workers", "0"): "--workers",
        ("create-user", "--email", "a@b.example", "--name", "A", "--role", "boss"): "--role",
        ("no-such-command",): "No such command",
        ("migrate", "--revision"): "--revision",
    }
    for args, mentioned in cases.items():
        result = run(list(args), cli_env)
        assert result.returncode != 0, args
        assert mentioned in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr, args


def test_production_refuses_to_start_without_a_real_secret_key(cli_env: dict[str, str]) -> None:
    env = {**cli_env, "FRONTDESK_ENV": "production", "FRONTDESK_PUBLIC_URL": "https://desk.example"}
    missing = run(["migrate"], env)
    placeholder = run(["migrate"], {**env, "FRONTDESK_SECRET_KEY": "change-me"})
    for result in (missing, placeholder):
        assert result.returncode == 2
        assert "FRONTDESK_SECRET_KEY" in result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_setting_is_named(cli_env: dict[str, str]) -> None:
    result = run(["migrate"], {**cli_env, "FRONTDESK_ENV": "staging-ish"})
    assert result.returncode == 2
    assert "env" in result.stderr.lower()


def test_migrate_then_create_user_then_duplicate(cli_env: dict[str, str]) -> None:
    migrated = run(["migrate"], cli_env)
    assert migrated.returncode == 0, migrated.stderr
    assert "head" in migrated.stdout
    args = ["create-user", "--email", "Ana@Example.com", "--name", "Ana", "--password"]
    created = run([*args, "a long enough password"], cli_env)
    assert created.returncode == 0, created.stderr
    assert "ana@example.com" in created.stdout
    again = run([*args, "a long enough password"], cli_env)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    short = run(
        ["create-user", "--email", "b@example.com", "--name", "B", "--password", "x"], cli_env
    )
    assert short.returncode == 1
    assert "password" in short.stderr
    no_tty = run(["create-user", "--email", "c@example.com", "--name", "C"], cli_env, stdin="")
    assert no_tty.returncode == 2
    assert "--password" in no_tty.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serving(process: subprocess.Popen[str], port: int, *, within: float) -> httpx.Response:
    """The first answer of `/healthz` from the process's server, once it is listening."""
    deadline = time.monotonic() + within
    while True:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
        except httpx.TransportError:
            assert process.poll() is None, process.stdout.read() if process.stdout else ""
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)


def test_serve_answers_health_and_readiness(cli_env: dict[str, str]) -> None:
    assert run(["migrate"], cli_env).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [*FRONTDESK, "serve", "--port", str(port)],
        env=cli_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = serving(server, port, within=30)
        ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=5)
        docs = httpx.get(f"http://127.0.0.1:{port}/api/docs", timeout=5)
        # The document is built on its first request: over a second of processor time, more
        # than five on a machine whose cores the other test processes share.
        spec = httpx.get(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=60)
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert health.status_code == 200
    assert ready.status_code == 200
    assert docs.status_code == 200
    assert "/api/v1/conversations" in spec.json()["paths"]


@pytest.mark.timeout(600)  # the demo plays two weeks through the actions before serving
def test_the_demo_command_loads_once_then_serves_with_fake_providers(
    cli_env: dict[str, str], tmp_path: Path
) -> None:
    """`demo` loads the demo once and prints the sign-in; run again it loads nothing. Then
    `demo --fake-providers --port N` serves that demo and prints (and signs) links on port N,
    not the default."""
    # What the command prints and serves is checked here, the demo itself in test_demo.py: its
    # smallest size.
    cli_env = {**cli_env, "FRONTDESK_DEMO_VOLUME": "0.05"}
    assert run(["migrate"], cli_env).returncode == 0
    elsewhere = {**cli_env, "FRONTDESK_ENV": "development", "FRONTDESK_PUBLIC_URL": PUBLIC}
    first = run(["demo"], elsewhere)
    assert first.returncode == 0, first.stderr
    assert "loaded the demo organisation" in first.stdout
    assert f"with password {DEMO_PASSWORD}" in first.stdout
    for address in (OWNER_EMAIL, MANAGER_EMAIL, VIEWER_EMAIL, AGENT_EMAIL):
        assert address in first.stdout
    assert PUBLIC in first.stdout
    second = run(["demo"], elsewhere)
    assert second.returncode == 0, second.stderr
    assert "already loaded" in second.stdout
    assert OWNER_EMAIL in second.stdout

    port = _free_port()
    # The output goes to a file: the demo logs as it runs, and a pipe nobody reads until the
    # end fills up and stops the process mid-write.
    log_path = tmp_path / "demo.log"
    with log_path.open("w") as log:
        demo = subprocess.Popen(
            [*FRONTDESK, "demo", "--fake-providers", "--port", str(port), "--fake-port", "0"],
            env=cli_env,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            health = serving(demo, port, within=300)
            signed_in = httpx.post(
                f"http://127.0.0.1:{port}/api/v1/auth/sign-in",
                json={"email": OWNER_EMAIL, "password": DEMO_PASSWORD},
                timeout=30,
            )
        finally:
            demo.terminate()
            demo.wait(timeout=30)
    out = log_path.read_text()
    assert health.status_code == 200
    assert signed_in.status_code == 200, signed_in.text
    assert f"sign in at http://127.0.0.1:{port} with password" in out
    assert f"http://127.0.0.1:{port}/demo/site" in out
    assert "127.0.0.1:8000" not in out

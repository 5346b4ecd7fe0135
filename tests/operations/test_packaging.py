"""The Dockerfile, compose.yaml and LICENSE agree with the project: the commands they run
exist, the variables they set are settings, the ports and the Python version match."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.main import get_command

from frontdesk.api.health import router as health_routes
from frontdesk.cli import app as cli
from frontdesk.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
LICENCE_TITLES = {"AGPL-3.0-or-later": ("GNU AFFERO GENERAL PUBLIC LICENSE", "Version 3")}
PORT = 8000


def instructions(text: str) -> list[tuple[str, str]]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for raw in joined.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def as_argv(value: str) -> list[str]:
    """An instruction's arguments in exec form (JSON) or shell form."""
    return list(json.loads(value)) if value.startswith("[") else shlex.split(value)


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text())


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())
    return loaded


def check_command(argv: list[str]) -> None:
    """`frontdesk <command> --option …` names a command and options the CLI has."""
    assert argv[0] == "frontdesk", argv
    group = get_command(cli)
    command = group.commands[argv[1]]  # type: ignore[attr-defined]
    options = {o for p in command.params for o in p.opts}
    assert {a for a in argv[2:] if a.startswith("--")} <= options, argv
    if "--port" in argv:
        assert int(argv[argv.index("--port") + 1]) == PORT


def env_names(values: dict[str, Any] | list[str]) -> set[str]:
    names = values.keys() if isinstance(values, dict) else [v.split("=")[0] for v in values]
    return {n for n in names if n.startswith("FRONTDESK_")}


def check_settings(names: set[str]) -> None:
    fields = {f"FRONTDESK_{name.upper()}" for name in Settings.model_fields}
    assert names, "some settings are set"
    assert names <= fields, names - fields


def test_the_image_is_python_of_the_project_runs_as_a_user_and_serves_what_it_checks(
    dockerfile: list[tuple[str, str]],
) -> None:
    bases = [rest.split()[0] for keyword, rest in dockerfile if keyword == "FROM"]
    wanted = PYPROJECT["project"]["requires-python"].removeprefix(">=")
    assert bases[-1].startswith(f"python:{wanted}-"), bases
    assert any(b.startswith("node:") for b in bases[:-1]), "the front end is built with Node"
    final = dockerfile[max(i for i, (k, _) in enumerate(dockerfile) if k == "FROM") :]
    kinds = dict(final)
    assert "requirements/main.txt" in " ".join(r for k, r in final if k == "RUN")
    assert kinds["USER"] not in {"root", "0"}
    check_command(as_argv(kinds["CMD"]))
    assert kinds["EXPOSE"] == str(PORT)
    health = kinds["HEALTHCHECK"]
    assert f"http://127.0.0.1:{PORT}/healthz" in health
    assert "/healthz" in {getattr(r, "path", None) for r in health_routes.routes}
    env = dict(re.findall(r"(FRONTDESK_\w+)=(\S+)", " ".join(r for k, r in final if k == "ENV")))
    check_settings(set(env))
    assert env["FRONTDESK_LOG_FORMAT"] == "json"


def test_compose_runs_app_worker_and_migrations_on_postgresql_and_redis(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert {"app", "worker", "migrate", "postgres", "redis"} <= set(services)
    for name in ("app", "worker", "migrate"):
        service = services[name]
        check_command(service["command"])
        check_settings(env_names(service["environment"]))
    assert services["migrate"]["command"][1] == "migrate"
    assert services["worker"]["command"][1] == "worker"
    for name in ("app", "worker"):
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["postgres"]["condition"] == needs["redis"]["condition"] == "service_healthy"
    for name in ("postgres", "redis"):
        assert services[name]["healthcheck"]["test"]
    env = services["app"]["environment"]
    assert env["FRONTDESK_DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert env["FRONTDESK_REDIS_URL"].startswith("redis://redis:")
    assert services["app"]["ports"] == [f"{PORT}:{PORT}"]
    # One data volume for app and worker: files, and the metrics every process counts.
    assert services["app"]["volumes"] == services["worker"]["volumes"] == ["data:/data"]
    assert {"data", "postgres"} <= set(compose["volumes"])


def test_the_licence_file_is_the_one_pyproject_declares() -> None:
    declared = PYPROJECT["project"]["license"]
    first_lines = (ROOT / "LICENSE").read_text().splitlines()[:2]
    title, version = LICENCE_TITLES[declared]
    assert first_lines[0].strip() == title
    assert first_lines[1].startswith(version + ",")
    readme = (ROOT / "README.md").read_text()
    assert declared in readme
    assert "Run with Docker" in readme

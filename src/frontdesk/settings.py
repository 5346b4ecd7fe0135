"""Process settings, read once from the environment (FRONTDESK_ prefix)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_KEYS = frozenset({"", "change-me", "changeme", "secret", "placeholder", "dev"})
MIN_SECRET_LENGTH = 32


class SettingsError(RuntimeError):
    """The settings cannot be used to start the process."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    env: Literal["development", "production", "test"] = "development"
    data_dir: Path = Path("./data")
    database_url: str | None = None
    # Connections each process may hold on PostgreSQL: `pool_size` kept open, up to
    # `max_overflow` more opened for bursts (docs/operations/processes.md sizes them).
    database_pool_size: int = Field(default=10, ge=1, le=500)
    database_max_overflow: int = Field(default=10, ge=0, le=500)
    redis_url: str | None = None
    # The pub/sub channel of this install's live events: Redis pub/sub ignores the database
    # number of the URL, so installs sharing one Redis need a channel each.
    redis_channel: str = Field(default="frontdesk:live", min_length=1, max_length=200)
    secret_key: str | None = None
    public_url: str = "http://127.0.0.1:8000"
    session_days: int = Field(default=14, ge=1, le=365)
    # Password checks: failures of one account from one address before waits (2 s, 4 s, 8 s, …)
    # begin, the longest wait, and the failures one address may make across all accounts.
    login_free_failures: int = Field(default=5, ge=1)
    login_max_wait_seconds: int = Field(default=900, ge=1)
    login_address_ceiling: int = Field(default=100, ge=1)
    job_poll_seconds: float = Field(default=1.0, gt=0)
    run_jobs_in_server: bool = True
    smtp_url: str | None = None
    mail_from: str = "Frontdesk <no-reply@localhost>"
    realtime_heartbeat_seconds: float = Field(default=25.0, gt=0)
    realtime_buffer_size: int = Field(default=1000, ge=10)
    # Safety net behind the sign-out and token-revoked signals: sockets recheck their
    # credentials this often.
    realtime_recheck_seconds: float = Field(default=30.0, gt=0)
    event_retention_hours: float = Field(default=24.0, gt=0)
    attachments_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    storage_dir: Path | None = None
    # Meta's Graph API with its version (WhatsApp Cloud API); point it at a fake for tests
    # and the demo.
    meta_graph_url: str = "https://graph.facebook.com/v25.0"
    # Largest provider webhook body accepted (WhatsApp sends up to 3 MB).
    webhook_max_bytes: int = Field(default=3 * 1024 * 1024, ge=1024)
    # The Telegram Bot API server: api.telegram.org, a local Bot API server, or a test fake.
    telegram_api_url: str = "https://api.telegram.org"
    # The widget's public visitor API, per app process: new chat sessions per IP address a
    # minute, and per visitor messages and read receipts per 10 s and uploads a minute.
    widget_sessions_per_ip: int = Field(default=30, ge=1)
    widget_messages_per_visitor: int = Field(default=20, ge=1)
    widget_reads_per_visitor: int = Field(default=60, ge=1)
    widget_uploads_per_visitor: int = Field(default=10, ge=1)
    # Prepared statements each PostgreSQL connection keeps; SQLite's reader connections per
    # process (the writer is always one) and its synchronous level (docs/decisions/0031).
    database_prepared_statements: int = Field(default=500, ge=0)
    sqlite_readers: int = Field(default=16, ge=1)
    sqlite_synchronous: Literal["normal", "full"] = "normal"
    # Production refuses an http:// public URL (its cookies could not be Secure, and browsers
    # would send sessions in clear) unless this says it is meant: a closed network, a test.
    allow_insecure_http: bool = False
    # Logs: `text` for people, `json` (one object a line, with its request's id) for collectors.
    log_format: Literal["text", "json"] = "text"
    # Prometheus metrics at /metrics for a scraper presenting this bearer token; off without it.
    metrics_token: str | None = Field(default=None, min_length=16)
    # Where every process of the install keeps its samples (default: `metrics` in the data dir).
    metrics_dir: Path | None = None

    @field_validator("metrics_token", mode="before")
    @classmethod
    def _no_empty_token(cls, value: object) -> object:
        return None if value == "" else value  # an empty variable: metrics off

    @field_validator("public_url", "meta_graph_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @model_validator(mode="after")
    def _https_in_production(self) -> Settings:
        if (
            self.env == "production"
            and not self.public_url.startswith("https://")
            and not self.allow_insecure_http
        ):
            raise ValueError(
                "FRONTDESK_PUBLIC_URL must start with https:// when FRONTDESK_ENV=production "
                "(session cookies are only marked Secure over https); set "
                "FRONTDESK_ALLOW_INSECURE_HTTP=1 to serve production over plain http anyway"
            )
        return self

    @property
    def serves_https(self) -> bool:
        """Production reached over https: where browsers are told to insist on it (HSTS)."""
        return self.env == "production" and self.public_url.startswith("https://")

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'frontdesk.db').resolve()}"

    def database_options(self) -> dict[str, Any]:
        """`create_database` options from these settings: pools, statements, SQLite."""
        return {
            "pool_size": self.database_pool_size,
            "max_overflow": self.database_max_overflow,
            "prepared_statements": self.database_prepared_statements,
            "sqlite_readers": self.sqlite_readers,
            "sqlite_synchronous": self.sqlite_synchronous,
        }

    def resolved_metrics_dir(self) -> Path:
        """Where this install's processes keep their metrics: `metrics_dir` or the data dir's."""
        return self.metrics_dir or self.data_dir / "metrics"

    def resolved_storage_dir(self) -> Path:
        """Where uploaded files are kept: `storage_dir`, or `attachments` in the data dir."""
        return self.storage_dir or self.data_dir / "attachments"

    def resolved_secret_key(self) -> str:
        """Return the secret key, generating and keeping one in development."""
        key = (self.secret_key or "").strip()
        if self.env == "production":
            if key.lower() in PLACEHOLDER_KEYS or len(key) < MIN_SECRET_LENGTH:
                raise SettingsError(
                    "FRONTDESK_SECRET_KEY must be set to a random value of at least "
                    f"{MIN_SECRET_LENGTH} characters when FRONTDESK_ENV=production"
                )
            return key
        if key:
            return key
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        generated = secrets.token_urlsafe(48)
        key_file.write_text(generated)
        key_file.chmod(0o600)
        return generated

"""Log lines as text for people or as JSON for collectors, each with its request's id.

The request id is kept in a context variable by `RequestContext` (observability/http.py) for
the time of one request: every line logged while it is answered, uvicorn's access line
included, carries it as `request_id`.
"""

from __future__ import annotations

import logging
import logging.config
from contextvars import ContextVar
from typing import Any, Literal

LogFormat = Literal["text", "json"]

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"
JSON_NAMES = {"asctime": "time", "levelname": "level", "name": "logger"}
ACCESS_ARGUMENTS = 5  # uvicorn's access line: client, method, path, HTTP version, status


class RequestIdFilter(logging.Filter):
    """Gives every record the id of the request it was logged for (or none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class AccessFieldsFilter(logging.Filter):
    """Uvicorn's access lines as fields (client, method, path, status), not only as a sentence."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if (
            record.name == "uvicorn.access"
            and isinstance(args, tuple)
            and len(args) == ACCESS_ARGUMENTS
        ):
            record.client, record.method, record.path, _, record.status = args
        return True


def logging_config(log_format: LogFormat) -> dict[str, Any]:
    """A `logging.config.dictConfig` for the app's loggers and uvicorn's, in one format."""
    formatter: dict[str, Any] = (
        {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": JSON_FIELDS,
            "rename_fields": JSON_NAMES,
            "timestamp": False,
        }
        if log_format == "json"
        else {"format": TEXT_FORMAT}
    )
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        "filters": ["request_id", "access_fields"],
        "stream": "ext://sys.stderr",
    }
    quiet = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": RequestIdFilter},
            "access_fields": {"()": AccessFieldsFilter},
        },
        "formatters": {"default": formatter},
        "handlers": {"default": handler},
        "root": {"handlers": ["default"], "level": "INFO"},
        "loggers": {
            "uvicorn": quiet,
            "uvicorn.error": quiet,
            "uvicorn.access": quiet,
            "alembic": {"level": "WARNING"},  # its plugins' set-up lines, at every start
        },
    }


def configure_logging(log_format: LogFormat) -> None:
    """Send this process's logs to stderr in `log_format`."""
    logging.config.dictConfig(logging_config(log_format))

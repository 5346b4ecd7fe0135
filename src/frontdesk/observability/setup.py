"""What a process does first, before the app is imported: its logs, and where it counts."""

from __future__ import annotations

import os

from frontdesk.observability.logs import configure_logging
from frontdesk.settings import Settings

# prometheus-client's multiprocess mode reads this when its first metric is made.
DIRECTORY_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare_process(settings: Settings) -> None:
    """Logs in the settings' format; with metrics on, samples kept in the metrics directory,
    shared by this process and those it starts (`serve --workers N`), for `/metrics` to add
    up. Call it before importing the app."""
    configure_logging(settings.log_format)
    if settings.metrics_token:
        directory = settings.resolved_metrics_dir()
        directory.mkdir(parents=True, exist_ok=True)
        os.environ[DIRECTORY_VARIABLE] = str(directory.resolve())

"""The metrics every process counts, and how one scrape sees all of an install's processes.

Each `frontdesk serve` process (there are N with `--workers N`) and each `frontdesk worker`
counts in its own memory-mapped files under one directory (prometheus-client's multiprocess
mode, `FRONTDESK_METRICS_DIR`); `/metrics`, answered by any app process, adds up every file
of that directory, so a scrape sees the whole install whichever process answers it
(docs/decisions/0038-metrics-logs-and-the-installable-app.md). A process started without a metrics
directory (tests, `create_app` in a script) counts in its own memory only.

Job queue depth and age are not counted: they are read from the job table at each scrape.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Sequence
from datetime import datetime

from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
    values,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import Select, func, select

from frontdesk.db.outbox import Job, JobStatus
from frontdesk.db.uow import Publisher, StoredEvent
from frontdesk.observability.setup import DIRECTORY_VARIABLE

HOST = socket.gethostname()


def _process_name() -> str:
    """Distinct for every running process of the install, also across containers that
    share the directory (each container's processes may have the same pids). Asked at every
    count (to notice a fork): the host name is read once."""
    return f"{HOST}-{os.getpid()}"


def _count_across_processes() -> bool:
    directory = os.environ.get(DIRECTORY_VARIABLE)
    if not directory:
        return False
    values.ValueClass = values.MultiProcessValue(_process_name)  # type: ignore[no-untyped-call]
    # A process that ended without saying so left its live gauges: a new one of that name
    # starts from nothing.
    multiprocess.mark_process_dead(_process_name(), directory)  # type: ignore[no-untyped-call]
    return True


ACROSS_PROCESSES = _count_across_processes()  # before any metric below is made

HTTP_REQUESTS = Counter(
    "frontdesk_http_requests",
    "HTTP requests answered, by route template, method and status code.",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "frontdesk_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer, by route template and method.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
WEBHOOK_ACKS = Counter(
    "frontdesk_webhook_acks",
    "Provider webhook deliveries answered, by provider and outcome "
    "(accepted: 2xx, refused: 4xx, failed: 5xx, which the provider retries).",
    ["provider", "outcome"],
)
LIVE_SOCKETS = Gauge(
    "frontdesk_live_sockets",
    "Open WebSocket connections (agents' app and visitors' chats).",
    multiprocess_mode="livesum",
)
ROUTING_DECISIONS = Counter(
    "frontdesk_routing_decisions",
    "Routing decisions committed: a conversation assigned by a rule, or queued.",
    ["outcome", "rule"],
)
SEND_BUDGET_WAITS = Counter(
    "frontdesk_send_budget_waits",
    "Sends put back because a provider's rate limit had no room yet, by channel type.",
    ["channel"],
)


def count_routing(events: Sequence[StoredEvent]) -> None:
    """Routing decisions, read from a commit's events (only what was committed counts)."""
    for event in events:
        change = event.payload.get("change")
        if not isinstance(change, dict):
            continue
        if event.type == "conversation.assigned" and change.get("source") == "rule":
            ROUTING_DECISIONS.labels("assigned", str(change.get("rule"))).inc()
        elif event.type == "conversation.queued":
            ROUTING_DECISIONS.labels("queued", str(change.get("reason"))).inc()


def counting(publisher: Publisher) -> Publisher:
    """`publisher`, counting what each commit decided on its way."""

    async def publish(events: Sequence[StoredEvent]) -> None:
        count_routing(events)
        await publisher(events)

    return publish


class _JobQueue(Collector):
    """Due jobs by kind and how long the oldest has waited, as read at this scrape."""

    def __init__(self, rows: Iterable[tuple[str, int, datetime]], now: datetime) -> None:
        self._rows = list(rows)
        self._now = now

    def collect(self) -> Iterable[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "frontdesk_jobs_due", "Jobs due to run and not yet claimed, by kind.", labels=["kind"]
        )
        age = GaugeMetricFamily(
            "frontdesk_jobs_oldest_due_age_seconds",
            "How long the longest-waiting due job of each kind has been due.",
            labels=["kind"],
        )
        for kind, count, oldest in self._rows:
            depth.add_metric([kind], count)
            age.add_metric([kind], max(0.0, (self._now - oldest).total_seconds()))
        yield depth
        yield age


def job_queue_query(now: datetime) -> Select[str, int, datetime]:
    """One grouped read on the job table's (status, run_at) index."""
    return (
        select(Job.kind, func.count(), func.min(Job.run_at))
        .where(Job.status == JobStatus.PENDING, Job.run_at <= now)
        .group_by(Job.kind)
    )


def exposition(queue: Iterable[tuple[str, int, datetime]], now: datetime) -> bytes:
    """The text a scrape gets: every process's counters and the job queue read just now."""
    if ACROSS_PROCESSES:
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        counted = generate_latest(registry)
    else:
        counted = generate_latest(REGISTRY)
    read_now = CollectorRegistry()
    read_now.register(_JobQueue(queue, now))
    return counted + generate_latest(read_now)

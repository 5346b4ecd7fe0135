"""The composition root: builds the ASGI app and wires the concrete implementations."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Sequence

from fastapi import Depends, FastAPI
from starlette.datastructures import State

from frontdesk import __version__
from frontdesk.api.channels.api_channel import router as api_channel_router
from frontdesk.api.errors import install_error_handlers
from frontdesk.api.health import router as health_router
from frontdesk.api.openapi_errors import install_error_schema
from frontdesk.api.openapi_serving import serve_schema_off_the_loop
from frontdesk.api.request_text import refuse_unstorable_text
from frontdesk.api.security_headers import SecurityHeaders
from frontdesk.api.v1.router import api_router
from frontdesk.api.webhooks.channels import WebhookChannels
from frontdesk.api.webhooks.email import router as email_webhook
from frontdesk.api.webhooks.instagram import router as instagram_webhook
from frontdesk.api.webhooks.messenger import router as messenger_webhook
from frontdesk.api.webhooks.meta import router as meta_webhook
from frontdesk.api.webhooks.telegram import router as telegram_webhook
from frontdesk.api.webhooks.twilio import router as twilio_webhook
from frontdesk.api.webhooks.whatsapp import router as whatsapp_webhook
from frontdesk.api.widget.cors import WidgetCors
from frontdesk.api.widget.routes import router as widget_router
from frontdesk.channels.email.watcher import MailboxWatchers
from frontdesk.channels.registry import install_channels
from frontdesk.core.languages.detection import (
    start_warming_up as start_warming_up_language_detection,
)
from frontdesk.core.runtime import Runtime
from frontdesk.db.uow import StoredEvent
from frontdesk.jobs.api_channel import ensure_api_channel_chain
from frontdesk.jobs.embeddings import ensure_embedding_chain
from frontdesk.jobs.handlers import build_registry
from frontdesk.jobs.maintenance import ensure_schedules
from frontdesk.jobs.quality import ensure_quality_chain
from frontdesk.jobs.reports import ensure_report_chain
from frontdesk.jobs.routing import ensure_sweep
from frontdesk.jobs.runner import JobRunner
from frontdesk.jobs.sla import ensure_sla_chain
from frontdesk.jobs.workflow_schedules import ensure_schedule_chain
from frontdesk.jobs.workflows import ensure_workflow_chain
from frontdesk.observability import metrics
from frontdesk.observability.http import RequestContext
from frontdesk.observability.http import router as metrics_router
from frontdesk.observability.logs import configure_logging
from frontdesk.realtime import endpoint as realtime_endpoint
from frontdesk.realtime.broker import InProcessBroker
from frontdesk.realtime.connection import Connection
from frontdesk.realtime.frames_models import install_frame_schema
from frontdesk.realtime.hub import Hub
from frontdesk.realtime.organisation import OrganisationRelay
from frontdesk.realtime.redis_broker import RedisBroker
from frontdesk.settings import Settings
from frontdesk.web.routes import app_router
from frontdesk.web.routes import router as web_router
from frontdesk.wiring import build_runtime

log = logging.getLogger("frontdesk")


def create_app(
    settings: Settings | None = None,
    *,
    runtime: Runtime | None = None,
    run_jobs: bool | None = None,
) -> FastAPI:
    settings = settings or Settings()
    install_channels()  # every provider's spec, before anything reads one
    app = build_app(hsts=settings.serves_https)
    attach_runtime(app, settings, runtime or build_runtime(settings), run_jobs=run_jobs)
    return app


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    runtime: Runtime = app.state.runtime
    settings: Settings = app.state.settings
    hub: Hub = app.state.hub
    runner: JobRunner | None = None
    mailboxes: MailboxWatchers | None = None
    task: asyncio.Task[None] | None = None
    await hub.start()
    # The language models load in the background now, not on a customer's first message.
    start_warming_up_language_detection()
    if app.state.run_jobs:
        # The report chain first: its first run reads the log before the first prune.
        await ensure_report_chain(runtime)
        await ensure_sla_chain(runtime)
        await ensure_workflow_chain(runtime)
        await ensure_api_channel_chain(runtime)
        await ensure_schedule_chain(runtime)
        await ensure_schedules(runtime, retention_hours=settings.event_retention_hours)
        await ensure_sweep(runtime)
        await ensure_quality_chain(runtime)  # as `frontdesk worker` does
        await ensure_embedding_chain(runtime)
        runner = JobRunner(runtime, build_registry(), poll_seconds=settings.job_poll_seconds)
        task = asyncio.create_task(runner.run_forever())
        # Email channels' mailboxes are read where jobs run (channels/email/watcher.py).
        mailboxes = MailboxWatchers(runtime)
        await mailboxes.start()
    try:
        yield
    finally:
        if mailboxes is not None:
            await mailboxes.stop()
        if runner is not None and task is not None:
            runner.stop()
            await task
        await hub.stop()
        await runtime.send_budget.close()
        await runtime.database.dispose()


def build_app(*, hsts: bool = False) -> FastAPI:
    """The routes, middleware and schemas: everything of the app that no runtime changes.

    An app serves nothing until `attach_runtime` gives it its state; the routes read it from
    `request.app.state` on every request.
    """
    app = FastAPI(
        title="Frontdesk",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    install_error_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router)
    # Webhooks first: the busiest routes are matched before the API's many others.
    app.include_router(whatsapp_webhook, prefix="/webhooks/whatsapp")
    app.include_router(telegram_webhook, prefix="/webhooks/telegram")
    app.include_router(twilio_webhook, prefix="/webhooks/twilio")
    app.include_router(messenger_webhook, prefix="/webhooks/messenger")
    app.include_router(instagram_webhook, prefix="/webhooks/instagram")
    app.include_router(meta_webhook, prefix="/webhooks/meta")  # one URL per Meta app
    app.include_router(email_webhook, prefix="/webhooks/email")
    storable_text = [Depends(refuse_unstorable_text)]
    app.include_router(api_router, dependencies=storable_text)
    app.include_router(
        widget_router, prefix="/api/widget/v1", tags=["widget"], dependencies=storable_text
    )
    app.include_router(api_channel_router, prefix="/api/channels/v1")
    app.include_router(web_router)
    app.add_middleware(WidgetCors)
    app.add_middleware(SecurityHeaders, hsts=hsts)
    app.add_middleware(RequestContext)  # outermost: request ids and metrics
    realtime_endpoint.install(app)
    app.include_router(app_router())  # last: it answers every other GET with the app
    install_error_schema(app)
    install_frame_schema(app)
    serve_schema_off_the_loop(app)
    return app


def attach_runtime(
    app: FastAPI, settings: Settings, runtime: Runtime, *, run_jobs: bool | None = None
) -> None:
    """Give `app` a fresh state: this runtime, its realtime hub and its caches.

    Whatever an earlier runtime left in the state (limits, caches) is dropped with it.
    """
    app.state = State()
    app.state.runtime = runtime
    app.state.settings = settings
    app.state.run_jobs = settings.run_jobs_in_server if run_jobs is None else run_jobs
    app.state.hub = _wire_realtime(settings, runtime)
    app.state.webhook_channels = WebhookChannels.watching(runtime)
    app.state.realtime_settings = realtime_endpoint.RealtimeSettings(
        heartbeat_seconds=settings.realtime_heartbeat_seconds,
        buffer_size=settings.realtime_buffer_size,
        recheck_seconds=settings.realtime_recheck_seconds,
    )


def _wire_realtime(settings: Settings, runtime: Runtime) -> Hub:
    """Choose the broker, build this process's hub, and publish every commit to it."""
    broker: InProcessBroker | RedisBroker = (
        RedisBroker(settings.redis_url, channel=settings.redis_channel)
        if settings.redis_url
        else InProcessBroker()
    )
    hub = Hub(broker)
    if isinstance(broker, InProcessBroker):
        broker.connect(hub.dispatch, hub.dispatch_signal)
    else:

        async def on_reconnect() -> None:
            await realtime_endpoint.catch_up_all(runtime, hub)

        broker.on_reconnect = on_reconnect

    async def refresh(conn: Connection) -> None:
        await realtime_endpoint.refresh_keys(runtime, hub, conn)

    hub.refresh_keys = refresh
    hub.relay = OrganisationRelay(runtime, hub)
    previous = runtime.publisher

    async def publish(events: Sequence[StoredEvent]) -> None:
        await previous(events)
        await broker.publish(events)

    runtime.publisher = metrics.counting(publish)
    return hub


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` (each worker process builds its own app)."""
    settings = Settings()
    configure_logging(settings.log_format)
    return create_app(settings)

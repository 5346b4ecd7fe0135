"""The `frontdesk` command: serve, worker, migrate, demo, create-user."""

from __future__ import annotations

import asyncio
import getpass
import logging
import signal
import sys
from typing import Annotated

import typer

from frontdesk.observability.logs import logging_config
from frontdesk.observability.setup import prepare_process
from frontdesk.settings import Settings, SettingsError

app = typer.Typer(
    name="frontdesk",
    help="Frontdesk: one shared inbox for every customer conversation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _settings() -> Settings:
    try:
        settings = Settings()
        settings.resolved_secret_key()
    except SettingsError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ValueError as exc:  # pydantic validation of FRONTDESK_* variables
        typer.echo(f"error: invalid settings: {exc}", err=True)
        raise typer.Exit(2) from None
    return settings


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")


# With --workers, uvicorn's parent pings each process and replaces one that does not answer in
# time. A process starting up loads the language models, which holds the interpreter for 5-20 s
# on a busy machine: with uvicorn's 5 s the processes were killed and started again in a loop.
WORKER_HEALTHCHECK_SECONDS = 60


def _refuse_several_processes(settings: Settings, what: str) -> None:
    """Several processes on one database need PostgreSQL, and Redis between them."""
    if settings.resolved_database_url().startswith("sqlite"):
        typer.echo(
            f"error: {what} needs PostgreSQL (FRONTDESK_DATABASE_URL=postgresql+asyncpg://...): "
            "SQLite lets one process write at a time, so more processes only queue on its "
            "lock; serve one process on SQLite",
            err=True,
        )
        raise typer.Exit(2)
    if not settings.redis_url:
        typer.echo(
            f"error: {what} needs Redis (FRONTDESK_REDIS_URL=redis://...): without it a "
            "process's sockets never hear the changes the other processes make",
            err=True,
        )
        raise typer.Exit(2)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="App processes sharing the port (more than one needs PostgreSQL and Redis).",
        ),
    ] = 1,
) -> None:
    """Serve the app and API (and run jobs in-process unless FRONTDESK_RUN_JOBS_IN_SERVER=false)."""
    import uvicorn

    settings = _settings()
    if workers > 1:
        _refuse_several_processes(settings, f"--workers {workers}")
    prepare_process(settings)  # logs, and metrics shared by the N processes
    uvicorn.run(
        "frontdesk.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        # Frames are small JSON and fan out to many sockets: compressing each one per socket
        # costs more CPU than it saves (docs/subsystems/realtime.md has the measurements).
        ws_per_message_deflate=False,
        timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        log_config=logging_config(settings.log_format),
    )


@app.command()
def worker() -> None:
    """Run due jobs (deliveries, webhooks, workflows, reports, SLA, sweeps) until stopped.

    Any number of workers (and servers with jobs) may run on one database: each job is claimed
    by one runner (docs/operations/processes.md).
    """
    prepare_process(_settings())  # before the app's modules: they make the metrics
    from frontdesk.channels.registry import install_channels
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
    from frontdesk.observability.metrics import counting
    from frontdesk.realtime.redis_broker import RedisBroker
    from frontdesk.wiring import build_runtime

    settings = _settings()
    if not settings.redis_url:
        typer.echo(
            "error: frontdesk worker needs Redis (FRONTDESK_REDIS_URL=redis://...): the changes "
            "its jobs make reach the app's live sockets through it; without Redis, run the jobs "
            "in the server (FRONTDESK_RUN_JOBS_IN_SERVER=true, the default)",
            err=True,
        )
        raise typer.Exit(2)

    async def main() -> None:
        # No sockets here: every commit is published for the app processes' hubs.
        broker = RedisBroker(settings.redis_url or "", channel=settings.redis_channel)
        await broker.open_for_publishing()
        runtime = build_runtime(settings, publisher=counting(broker.publish))
        install_channels()  # every provider's sender and fetchers, as the app has them
        # The report chain first: its first run reads the log before the first prune.
        await ensure_report_chain(runtime)
        await ensure_sla_chain(runtime)
        await ensure_workflow_chain(runtime)
        await ensure_api_channel_chain(runtime)
        await ensure_schedule_chain(runtime)
        await ensure_schedules(runtime, retention_hours=settings.event_retention_hours)
        await ensure_sweep(runtime)
        await ensure_quality_chain(runtime)
        await ensure_embedding_chain(runtime)
        runner = JobRunner(runtime, build_registry(), poll_seconds=settings.job_poll_seconds)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, runner.stop)
        from frontdesk.channels.email.watcher import MailboxWatchers

        mailboxes = MailboxWatchers(runtime)  # email channels' mailboxes, read over IMAP
        await mailboxes.start()
        try:
            await runner.run_forever()
        finally:
            await mailboxes.stop()
            await broker.stop()
            await runtime.send_budget.close()
            await runtime.database.dispose()

    asyncio.run(main())


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Target revision.")] = "head",
) -> None:
    """Bring the database schema up to date."""
    from frontdesk.db.migrate import upgrade

    settings = _settings()
    url = settings.resolved_database_url()
    try:
        upgrade(url, revision)
    except Exception as exc:
        typer.echo(f"error: migration failed: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"database is at revision {revision}")


@app.command()
def demo(
    *,
    if_new: Annotated[
        bool, typer.Option("--if-new", help="Only load when the database has no workspace yet.")
    ] = False,
    fake_providers: Annotated[
        bool,
        typer.Option(
            "--fake-providers",
            help="Also serve the app with fake providers beside it (Meta's Graph API for "
            "WhatsApp, Messenger and Instagram, Telegram's Bot API) and "
            "customers writing in now and then: live channels without internet.",
        ),
    ] = False,
    host: Annotated[str, typer.Option(help="With --fake-providers: address to serve on.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="With --fake-providers.")] = 8000,
    fake_port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port of the fake Graph API (0: any free one).")
    ] = 8009,
    every: Annotated[
        float, typer.Option(min=1, help="Seconds between customer messages, about.")
    ] = 20.0,
) -> None:
    """Load the demo organisation (idempotent) and print the demo sign-in."""
    from frontdesk.channels.registry import install_channels
    from frontdesk.demo import load_demo
    from frontdesk.wiring import build_runtime

    settings = _settings()
    install_channels()  # the demo's conversations meet each channel's window and limits
    if fake_providers:
        from frontdesk.demo.providers import run_demo

        _logging()
        if "public_url" not in settings.model_fields_set:
            # Links (sign-in, files, invitations) point at where this serves, not the default.
            settings = settings.model_copy(update={"public_url": f"http://{host}:{port}"})
        asyncio.run(run_demo(settings, host=host, port=port, fake_port=fake_port, every=every))
        return

    async def main() -> None:
        runtime = build_runtime(settings)
        try:
            result = await load_demo(runtime, only_if_new=if_new, progress=typer.echo)
        finally:
            await runtime.database.dispose()
        typer.echo(result.summary())

    asyncio.run(main())


@app.command("create-user")
def create_user(
    email: Annotated[str, typer.Option(help="Sign-in email.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    workspace: Annotated[
        str | None, typer.Option(help="Workspace slug to join (created if there is none).")
    ] = None,
    role: Annotated[str, typer.Option(help="owner, manager, agent or viewer.")] = "owner",
    password: Annotated[
        str | None, typer.Option(help="Password (asked for when not given).")
    ] = None,
) -> None:
    """Create a user and add them to a workspace."""
    from frontdesk.core.accounts.actions import create_user_with_membership
    from frontdesk.core.errors import DomainError
    from frontdesk.wiring import build_runtime

    settings = _settings()
    if role not in ("owner", "manager", "agent", "viewer"):
        typer.echo("error: --role must be one of owner, manager, agent, viewer", err=True)
        raise typer.Exit(2)
    if password is None:
        if not sys.stdin.isatty():
            typer.echo("error: give --password when not running in a terminal", err=True)
            raise typer.Exit(2)
        password = getpass.getpass("Password: ")

    async def main() -> str:
        runtime = build_runtime(settings)
        try:
            return await create_user_with_membership(
                runtime,
                email=email,
                name=name,
                password=password,
                workspace_slug=workspace,
                role=role,
            )
        finally:
            await runtime.database.dispose()

    try:
        message = asyncio.run(main())
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None
    typer.echo(message)


@app.command("reset-two-factor")
def reset_two_factor(
    email: Annotated[str, typer.Option(help="The member's sign-in email.")],
) -> None:
    """Turn off a member's two-factor sign-in (lost phone and recovery codes); audited."""
    from frontdesk.core.accounts.two_factor import reset_two_factor as reset
    from frontdesk.core.errors import DomainError
    from frontdesk.wiring import build_runtime

    settings = _settings()

    async def main() -> str:
        runtime = build_runtime(settings)
        try:
            async with runtime.uow() as uow:
                message = await reset(uow, email)
                await uow.commit()
                return message
        finally:
            await runtime.database.dispose()

    try:
        typer.echo(asyncio.run(main()))
    except DomainError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(1) from None


reports_app = typer.Typer(
    help="Reports: facts and rollups from the event log.", no_args_is_help=True
)
app.add_typer(reports_app, name="reports")


@reports_app.command("backfill")
def reports_backfill(
    workspace: Annotated[
        str | None, typer.Option(help="Only this workspace (its slug); all when not given.")
    ] = None,
) -> None:
    """Replay the event log kept into report facts and rollups; running it again adds nothing."""
    from frontdesk.core.reports.actions import backfill_reports, workspace_by_slug
    from frontdesk.wiring import build_runtime

    settings = _settings()

    async def main() -> str:
        runtime = build_runtime(settings)
        try:
            workspace_id = None
            if workspace is not None:
                async with runtime.database.read_session() as db:
                    found = await workspace_by_slug(db, workspace)
                if found is None:
                    return ""
                workspace_id = found.id
            progress = await backfill_reports(runtime.uow, workspace_id=workspace_id)
        finally:
            await runtime.database.dispose()
        return f"{progress.events_read} events read, {progress.facts_written} facts written"

    summary = asyncio.run(main())
    if not summary:
        typer.echo(f"error: no workspace {workspace!r}", err=True)
        raise typer.Exit(1)
    typer.echo(summary)


def main() -> None:
    app()

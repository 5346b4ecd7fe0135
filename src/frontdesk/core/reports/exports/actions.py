"""Asking for an export, reading one, and the records' life: progress, the end, expiry.

An export is the caller's: a member or an API token sees and downloads only its own. What it
covers is fixed when it is asked for: the period's days and zone, and the filters narrowed to
what the caller may see (an agent: their own rows), so the job needs nobody's rights later.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.errors import Conflict, Forbidden, Invalid, NotFound
from frontdesk.core.events import define_event, user_key
from frontdesk.core.reports.access import visible_filters
from frontdesk.core.reports.exports.models import ExportStatus, ReportExport
from frontdesk.core.reports.exports.schemas import ExportCreate, ExportRead
from frontdesk.core.reports.exports.sources import ExportSpec
from frontdesk.core.reports.periods import Period, resolve_period
from frontdesk.core.reports.reading import Filters
from frontdesk.core.tags.models import Tag
from frontdesk.core.workspaces.models import Membership, Team, Workspace
from frontdesk.db.uow import UnitOfWork

# To the member who asked only: their screen shows the progress bar and then the link.
ReportExportUpdated = define_event("ReportExportUpdated", "report_export.updated")
ReportExportDeleted = define_event("ReportExportDeleted", "report_export.deleted")

EXPORT_JOB = "report_export"
KEEP_FOR = timedelta(days=7)
# Exports a caller may have waiting or running at once.
MAX_UNFINISHED = 3
RECENT = 20
UNFINISHED = (ExportStatus.QUEUED, ExportStatus.RUNNING)


def _mine(actor: Actor) -> Any:
    if actor.token_id is not None:
        return ReportExport.requested_by_token_id == actor.token_id
    return ReportExport.requested_by_user_id == actor.user_id


def export_read(export: ReportExport) -> ExportRead:
    scope = export.filters
    return ExportRead(
        id=export.id,
        kind=export.kind,  # type: ignore[arg-type]
        format=export.format,  # type: ignore[arg-type]
        status=export.status,  # type: ignore[arg-type]
        rows_done=export.rows_done,
        rows_total=export.rows_total,
        file_name=export.file_name,
        size_bytes=export.size_bytes,
        error=export.error,
        created_at=export.created_at,
        finished_at=export.finished_at,
        expires_at=export.expires_at,
        first_day=date.fromisoformat(scope["first_day"]),
        last_day=date.fromisoformat(scope["last_day"]),
        timezone=scope["tz"],
        download_url=(
            f"/api/v1/reports/exports/{export.id}/download"
            if export.status == ExportStatus.DONE
            else None
        ),
    )


def export_event(export: ReportExport) -> Any:
    audience = (user_key(export.requested_by_user_id),) if export.requested_by_user_id else ()
    return ReportExportUpdated(
        workspace_id=export.workspace_id,
        audience=audience,
        data=export_read(export).model_dump(mode="json"),
    )


async def _check_ids(db: AsyncSession, workspace_id: uuid.UUID, body: ExportCreate) -> None:
    """Every id of the filters must be the workspace's: anything else is a mistake (422)."""
    checks = (
        ("team_ids", body.team_ids, select(Team.id).where(Team.workspace_id == workspace_id)),
        (
            "agent_ids",
            body.agent_ids,
            select(Membership.user_id).where(Membership.workspace_id == workspace_id),
        ),
        (
            "channel_ids",
            body.channel_ids,
            select(Channel.id).where(Channel.workspace_id == workspace_id),
        ),
        ("tag_ids", body.tag_ids, select(Tag.id).where(Tag.workspace_id == workspace_id)),
    )
    for field, ids, query in checks:
        if not ids:
            continue
        column = query.selected_columns[0]
        found = set(await db.scalars(query.where(column.in_(set(ids)))))
        if set(ids) - found:
            raise Invalid(f"{field} names something that is not in this workspace", field=field)


async def request_export(uow: UnitOfWork, actor: Actor, body: ExportCreate) -> ReportExport:
    db = uow.session
    if body.kind == "facts" and body.metric is None:
        raise Invalid("a facts export needs the metric behind the number", field="metric")
    await _check_ids(db, actor.workspace_id, body)
    asked = Filters(
        team_ids=tuple(body.team_ids),
        agent_ids=tuple(body.agent_ids),
        channel_ids=tuple(body.channel_ids),
        tag_ids=tuple(body.tag_ids),
        outcomes=tuple(body.outcomes),
    )
    filters, everyone = visible_filters(actor, asked)
    if body.kind == "overview" and not everyone:
        raise Forbidden("only owners, managers and viewers see this report")
    tz = body.tz or await db.scalar(
        select(Workspace.timezone).where(Workspace.id == actor.workspace_id)
    )
    now = uow.now()
    period = resolve_period(
        body.period, tz or "UTC", now, start_date=body.start_date, end_date=body.end_date
    )
    unfinished = await db.scalar(
        select(func.count()).where(
            ReportExport.workspace_id == actor.workspace_id,
            _mine(actor),
            ReportExport.status.in_(UNFINISHED),
        )
    )
    if (unfinished or 0) >= MAX_UNFINISHED:
        raise Conflict(f"at most {MAX_UNFINISHED} exports may wait or run at once")
    export = ReportExport(
        workspace_id=actor.workspace_id,
        requested_by_user_id=None if actor.token_id else actor.user_id,
        requested_by_token_id=actor.token_id,
        kind=body.kind,
        format=body.format,
        filters={
            "first_day": period.first_day.isoformat(),
            "last_day": period.last_day.isoformat(),
            "tz": str(period.zone.key),
            "team_ids": [str(i) for i in filters.team_ids],
            "agent_ids": [str(i) for i in filters.agent_ids],
            "channel_ids": [str(i) for i in filters.channel_ids],
            "tag_ids": [str(i) for i in filters.tag_ids],
            "outcomes": list(filters.outcomes),
            "everyone": everyone,
            "group_by": body.group_by,
            "metric": body.metric,
            "detail": body.detail,
        },
        status=ExportStatus.QUEUED,
        rows_done=0,
        created_at=now,
        expires_at=now + KEEP_FOR,
    )
    db.add(export)
    await db.flush()
    uow.enqueue(
        EXPORT_JOB,
        {"export_id": str(export.id)},
        workspace_id=actor.workspace_id,
        max_attempts=3,
    )
    uow.emit(export_event(export))
    record_audit(
        uow,
        actor,
        "report_export.requested",
        "report_export",
        export.id,
        kind=body.kind,
        format=body.format,
        first_day=export.filters["first_day"],
        last_day=export.filters["last_day"],
    )
    return export


async def get_export(db: AsyncSession, actor: Actor, export_id: uuid.UUID) -> ReportExport:
    export = await db.scalar(
        select(ReportExport).where(
            ReportExport.id == export_id,
            ReportExport.workspace_id == actor.workspace_id,
            _mine(actor),
        )
    )
    if export is None:
        raise NotFound("export")
    return export


async def list_exports(db: AsyncSession, actor: Actor) -> list[ReportExport]:
    return list(
        await db.scalars(
            select(ReportExport)
            .where(ReportExport.workspace_id == actor.workspace_id, _mine(actor))
            .order_by(ReportExport.created_at.desc(), ReportExport.id.desc())
            .limit(RECENT)
        )
    )


def spec_of(export: ReportExport, now: datetime) -> ExportSpec:
    scope = export.filters
    period: Period = resolve_period(
        "custom",
        scope["tz"],
        now,
        start_date=date.fromisoformat(scope["first_day"]),
        end_date=date.fromisoformat(scope["last_day"]),
    )

    def ids(name: str) -> tuple[uuid.UUID, ...]:
        return tuple(uuid.UUID(i) for i in scope.get(name) or ())

    return ExportSpec(
        workspace_id=export.workspace_id,
        kind=export.kind,
        period=period,
        filters=Filters(
            team_ids=ids("team_ids"),
            agent_ids=ids("agent_ids"),
            channel_ids=ids("channel_ids"),
            tag_ids=ids("tag_ids"),
            outcomes=tuple(scope.get("outcomes") or ()),
        ),
        everyone=bool(scope.get("everyone")),
        group_by=scope.get("group_by") or "day",
        metric=scope.get("metric"),
        detail=scope.get("detail"),
    )


def file_name(export: ReportExport) -> str:
    scope = export.filters
    what = scope.get("metric") if export.kind == "facts" else export.kind
    return f"{what}-{scope['first_day']}-{scope['last_day']}.{export.format}"


async def expired_exports(db: AsyncSession, now: datetime, limit: int) -> list[ReportExport]:
    return list(
        await db.scalars(
            select(ReportExport)
            .where(ReportExport.expires_at < now)
            .order_by(ReportExport.expires_at)
            .limit(limit)
        )
    )


async def forget_export(uow: UnitOfWork, export: ReportExport) -> None:
    """The record goes once its file is deleted; the requester's screen drops it."""
    await uow.session.execute(
        delete(ReportExport).where(
            ReportExport.id == export.id, ReportExport.workspace_id == export.workspace_id
        )
    )
    audience = (user_key(export.requested_by_user_id),) if export.requested_by_user_id else ()
    uow.emit(
        ReportExportDeleted(
            workspace_id=export.workspace_id, audience=audience, data={"id": str(export.id)}
        )
    )

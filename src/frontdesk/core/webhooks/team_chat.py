"""Team chat hooks: Slack-compatible incoming webhook URLs told of escalations, per workspace
or per team, set up by owners and managers. The URL is the credential, so it is kept sealed
and shown only as a hint (its host and last characters)."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.errors import Invalid, NotFound
from frontdesk.core.events import supervisors_key
from frontdesk.core.security import SecretBox
from frontdesk.core.webhooks.chat import TEAM_CHAT_POST_JOB
from frontdesk.core.webhooks.chat_texts import texts
from frontdesk.core.webhooks.dispatch import ensure_dispatcher
from frontdesk.core.webhooks.events import TeamChatHookChanged
from frontdesk.core.webhooks.models import TeamChatHook
from frontdesk.core.webhooks.schemas import TeamChatHookCreate, TeamChatHookRead, TeamChatHookUpdate
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.core.workspaces.settings import conversation_settings
from frontdesk.db.uow import UnitOfWork

URL_NAME = "url"
HINT_TAIL = 4


def url_hint(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}/…{url[-HINT_TAIL:]}"


def hook_read(row: TeamChatHook) -> TeamChatHookRead:
    return TeamChatHookRead(
        id=row.id,
        name=row.name,
        team_id=row.team_id,
        url_hint=row.url_hint,
        escalations=list(row.escalations or []),  # type: ignore[arg-type]
        is_enabled=row.is_enabled,
        last_posted_at=row.last_posted_at,
        last_error=row.last_error,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def hook_url(box: SecretBox, row: TeamChatHook) -> str:
    return str(box.open(row.url_sealed).get(URL_NAME, ""))


async def access_team_chat_hook(db: AsyncSession, actor: Actor, hook_id: uuid.UUID) -> TeamChatHook:
    actor.require_admin()
    row = await db.scalar(
        select(TeamChatHook).where(
            TeamChatHook.id == hook_id, TeamChatHook.workspace_id == actor.workspace_id
        )
    )
    if row is None:
        raise NotFound("team chat hook")
    return row


async def list_team_chat_hooks(db: AsyncSession, actor: Actor) -> list[TeamChatHookRead]:
    actor.require_admin()
    rows = await db.scalars(
        select(TeamChatHook)
        .where(TeamChatHook.workspace_id == actor.workspace_id)
        .order_by(TeamChatHook.created_at, TeamChatHook.id)
    )
    return [hook_read(r) for r in rows]


def _emit(uow: UnitOfWork, row: TeamChatHook, change: str) -> None:
    uow.emit(
        TeamChatHookChanged(
            workspace_id=row.workspace_id,
            audience=(supervisors_key(row.workspace_id),),
            data={"team_chat_hook": hook_read(row).model_dump(mode="json"), "change": change},
        )
    )


async def create_team_chat_hook(
    uow: UnitOfWork, actor: Actor, box: SecretBox, data: TeamChatHookCreate
) -> TeamChatHookRead:
    actor.require_admin()
    if data.team_id is not None:
        team = await uow.session.scalar(
            select(Team.id).where(Team.id == data.team_id, Team.workspace_id == actor.workspace_id)
        )
        if team is None:
            raise Invalid("no such team", field="team_id")
    now, url = uow.now(), str(data.url)
    row = TeamChatHook(
        workspace_id=actor.workspace_id,
        team_id=data.team_id,
        name=data.name.strip(),
        url_sealed=box.seal({URL_NAME: url}),
        url_hint=url_hint(url),
        escalations=sorted(set(data.escalations)),
        is_enabled=True,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(row)
    await uow.session.flush()
    await ensure_dispatcher(uow)
    record_audit(uow, actor, "team_chat_hook.created", "team_chat_hook", row.id, name=row.name)
    _emit(uow, row, "created")
    return hook_read(row)


async def update_team_chat_hook(
    uow: UnitOfWork, actor: Actor, box: SecretBox, row: TeamChatHook, data: TeamChatHookUpdate
) -> TeamChatHookRead:
    actor.require_admin()
    changed: list[str] = []
    if data.name is not None and data.name.strip() != row.name:
        row.name = data.name.strip()
        changed.append("name")
    if data.url is not None:
        row.url_sealed, row.url_hint = box.seal({URL_NAME: str(data.url)}), url_hint(str(data.url))
        changed.append("url")
    if data.escalations is not None and sorted(set(data.escalations)) != row.escalations:
        row.escalations = sorted(set(data.escalations))
        changed.append("escalations")
    if data.is_enabled is not None and data.is_enabled != row.is_enabled:
        row.is_enabled = data.is_enabled
        changed.append("is_enabled")
        if row.is_enabled:
            await ensure_dispatcher(uow)
    if changed:
        row.updated_at = uow.now()
        record_audit(
            uow, actor, "team_chat_hook.updated", "team_chat_hook", row.id, changed=changed
        )
        _emit(uow, row, "updated")
    return hook_read(row)


async def delete_team_chat_hook(uow: UnitOfWork, actor: Actor, row: TeamChatHook) -> None:
    actor.require_admin()
    record_audit(uow, actor, "team_chat_hook.deleted", "team_chat_hook", row.id, name=row.name)
    _emit(uow, row, "deleted")
    await uow.session.delete(row)


async def test_team_chat_hook(uow: UnitOfWork, actor: Actor, row: TeamChatHook) -> TeamChatHookRead:
    """Post a short message now (by the same job as escalations), to check the URL works."""
    actor.require_admin()
    workspace = await uow.session.get_one(Workspace, row.workspace_id)
    words = texts(conversation_settings(workspace.settings).default_language)
    text = words["test"].format(name=row.name)
    message = {
        "text": text,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
    }
    uow.enqueue(
        TEAM_CHAT_POST_JOB,
        {"hook_id": str(row.id), "event_id": None, "message": message},
        workspace_id=row.workspace_id,
    )
    record_audit(uow, actor, "team_chat_hook.tested", "team_chat_hook", row.id)
    return hook_read(row)


async def record_team_chat_post(
    uow: UnitOfWork, hook_id: uuid.UUID, error: str | None
) -> TeamChatHook | None:
    """The outcome of one post, shown on the hook (its last success or last error)."""
    row = await uow.session.get(TeamChatHook, hook_id)
    if row is None:
        return None
    if error is None:
        row.last_posted_at, row.last_error = uow.now(), None
    else:
        row.last_error = error[:500]
    row.updated_at = uow.now()
    _emit(uow, row, "posted" if error is None else "failed")
    return row

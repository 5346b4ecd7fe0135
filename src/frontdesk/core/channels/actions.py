"""Connecting and configuring channels (owners and managers only).

Credentials are sealed with the workspace secret box before they touch the database, and they
never appear in responses, events or the audit log: those carry only `has_secrets` and the
names of the credentials that changed.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.audit.actions import record_audit
from frontdesk.core.channels.models import Channel
from frontdesk.core.channels.queries import channel_read, count_channel_conversations
from frontdesk.core.channels.schemas import ChannelCreate, ChannelRead, ChannelUpdate, Secrets
from frontdesk.core.errors import Conflict, Invalid
from frontdesk.core.events import ChannelChanged, workspace_key
from frontdesk.core.security import SecretBox
from frontdesk.core.workspaces.models import Team
from frontdesk.db.uow import UnitOfWork

MAX_SETTING_LENGTH = 1000
# Known settings per channel type and the JSON type each must have; other keys are kept as-is.
SETTINGS_FIELDS: dict[str, dict[str, type]] = {
    "whatsapp": {
        "phone_number_id": str,
        "display_phone_number": str,
        "business_account_id": str,
        "messages_per_second": int,
        "app_id": str,  # the Meta app: its webhook URL may serve numbers of several workspaces
    },
    "messenger": {"page_id": str, "page_name": str, "app_id": str},
    "instagram": {"account_id": str, "username": str, "app_id": str},
    "telegram": {"bot_username": str},
    "email": {
        "address": str,
        "from_name": str,
        "imap_host": str,
        "imap_port": int,
        "imap_username": str,
        "smtp_host": str,
        "smtp_port": int,
        "smtp_username": str,
    },
    "sms": {"phone_number": str, "provider": str},
    "webchat": {
        "greeting": dict,
        "primary_color": str,
        "position": str,
        "allowed_origins": list,
        "pre_chat_enabled": bool,
        "pre_chat_require_email": bool,
        "identity_required": bool,
    },
    "api": {"webhook_url": str},
}
# Setting names that are surely credentials: refused so they are not stored in clear text.
CREDENTIAL_WORDS = ("token", "secret", "password", "api_key", "private_key")


def _check_setting(channel_type: str, key: str, value: Any) -> None:
    field = f"settings.{key}"
    if any(word in key.lower() for word in CREDENTIAL_WORDS):
        raise Invalid(f"{key!r} looks like a credential: send it in `secrets`", field=field)
    expected = SETTINGS_FIELDS.get(channel_type, {}).get(key)
    if expected is None:
        return
    # bool is an int in Python, but a port of `true` is a mistake.
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise Invalid(f"{key!r} must be a {expected.__name__}", field=field)
    if isinstance(value, str) and len(value) > MAX_SETTING_LENGTH:
        raise Invalid(f"{key!r} is too long", field=field)
    if isinstance(value, list) and not all(isinstance(item, str) for item in value):
        raise Invalid(f"{key!r} must be a list of strings", field=field)
    if isinstance(value, dict) and not all(
        isinstance(k, str) and isinstance(v, str) and len(v) <= MAX_SETTING_LENGTH
        for k, v in value.items()
    ):
        raise Invalid(f"{key!r} must map language codes to texts", field=field)


def merged_settings(
    channel_type: str, current: dict[str, Any], change: dict[str, Any]
) -> dict[str, Any]:
    """`current` updated with `change`, checked per type; a null value removes its key."""
    result = dict(current)
    for key, value in change.items():
        if value is None:
            result.pop(key, None)
            continue
        _check_setting(channel_type, key, value)
        result[key] = value
    return result


async def _check_team(uow: UnitOfWork, actor: Actor, team_id: uuid.UUID | None) -> None:
    if team_id is None:
        return
    found = await uow.session.scalar(
        select(Team).where(Team.id == team_id, Team.workspace_id == actor.workspace_id)
    )
    if found is None:
        raise Invalid("no such team in this workspace", field="team_id")
    if found.archived_at is not None:
        raise Invalid("this team is archived: restore it first", field="team_id")


# The setting that names the provider's account: two channels of a workspace cannot share it,
# or the provider's webhooks could not tell them apart.
ACCOUNT_SETTING = {"whatsapp": "phone_number_id"}


async def _check_account_free(
    uow: UnitOfWork,
    actor: Actor,
    channel_type: str,
    settings: dict[str, Any],
    channel_id: uuid.UUID | None = None,
) -> None:
    key = ACCOUNT_SETTING.get(channel_type)
    value = settings.get(key) if key else None
    if key is None or not value:
        return
    query = select(Channel).where(
        Channel.workspace_id == actor.workspace_id, Channel.type == channel_type
    )
    if channel_id is not None:
        query = query.where(Channel.id != channel_id)
    others = await uow.session.scalars(query)
    if any((c.settings or {}).get(key) == value for c in others):
        raise Conflict(
            f"another {channel_type} channel of this workspace uses this {key}",
            details={"field": f"settings.{key}"},
        )


def _seal(box: SecretBox, secrets: Secrets | None) -> str | None:
    return box.seal(dict(secrets)) if secrets else None


def _emit(uow: UnitOfWork, actor: Actor, read: ChannelRead, change: str) -> None:
    uow.emit(
        ChannelChanged(
            workspace_id=actor.workspace_id,
            audience=(workspace_key(actor.workspace_id),),
            data={**read.model_dump(mode="json"), "change": change},
        )
    )


async def create_channel(
    uow: UnitOfWork, actor: Actor, box: SecretBox, data: ChannelCreate
) -> ChannelRead:
    actor.require_admin()
    settings = merged_settings(data.type, {}, data.settings)
    await _check_team(uow, actor, data.team_id)
    await _check_account_free(uow, actor, data.type, settings)
    now = uow.now()
    channel = Channel(
        workspace_id=actor.workspace_id,
        type=data.type,
        name=data.name,
        settings=settings,
        secrets_encrypted=_seal(box, data.secrets),
        team_id=data.team_id,
        is_active=data.is_active,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(channel)
    await uow.session.flush()
    record_audit(
        uow,
        actor,
        "channel.created",
        "channel",
        channel.id,
        type=channel.type,
        name=channel.name,
        secret_names=sorted(data.secrets),
    )
    read = channel_read(channel)
    _emit(uow, actor, read, "created")
    return read


def _changed_fields(
    channel: Channel, data: ChannelUpdate, settings: dict[str, Any]
) -> dict[str, Any]:
    """The audit's view of a change: plain fields with their new values, names for the rest."""
    details: dict[str, Any] = {}
    if data.name is not None and data.name != channel.name:
        details["name"] = {"before": channel.name, "after": data.name}
    if data.is_active is not None and data.is_active != channel.is_active:
        details["is_active"] = data.is_active
    if "team_id" in data.model_fields_set and data.team_id != channel.team_id:
        details["team_id"] = str(data.team_id) if data.team_id else None
    current = channel.settings or {}
    changed = {k for k in {*current, *settings} if current.get(k) != settings.get(k)}
    if changed:
        details["settings_changed"] = sorted(changed)
    if "secrets" in data.model_fields_set:
        details["secret_names"] = sorted(data.secrets or {})
    return details


async def update_channel(
    uow: UnitOfWork, actor: Actor, box: SecretBox, channel: Channel, data: ChannelUpdate
) -> ChannelRead:
    actor.require_admin()
    settings = merged_settings(channel.type, channel.settings or {}, data.settings or {})
    if "team_id" in data.model_fields_set:
        await _check_team(uow, actor, data.team_id)
    await _check_account_free(uow, actor, channel.type, settings, channel.id)
    details = _changed_fields(channel, data, settings)
    if data.name is not None:
        channel.name = data.name
    if data.is_active is not None:
        channel.is_active = data.is_active
    if "team_id" in data.model_fields_set:
        channel.team_id = data.team_id
    if "secrets" in data.model_fields_set:
        channel.secrets_encrypted = _seal(box, data.secrets)
    if "settings_changed" in details:
        channel.settings = settings
    if not details:
        return channel_read(channel)
    channel.updated_at = uow.now()
    record_audit(uow, actor, "channel.updated", "channel", channel.id, **details)
    read = channel_read(channel)
    _emit(uow, actor, read, "updated")
    return read


async def delete_channel(uow: UnitOfWork, actor: Actor, channel: Channel) -> None:
    """Delete a channel that never carried a conversation.

    A channel with conversations keeps their history attached to it, so it cannot be deleted:
    deactivate it instead (`is_active: false`), which stops it sending and receiving while
    keeping every past conversation readable.
    """
    actor.require_admin()
    conversations = await count_channel_conversations(uow.session, channel)
    if conversations:
        raise Conflict(
            "this channel has conversations: deactivate it instead",
            details={"field": "channel_id", "conversation_count": conversations},
        )
    read = channel_read(channel)
    await uow.session.delete(channel)
    record_audit(
        uow, actor, "channel.deleted", "channel", channel.id, type=channel.type, name=channel.name
    )
    _emit(uow, actor, read, "deleted")

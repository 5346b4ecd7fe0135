"""The `fetch_contact_profile` job: ask the provider who a new sender is, after the webhook.

A refusal (the person blocked the business, a missing permission, an unknown id) is logged and
the contact stays as it was; throttling waits for the provider's time, other transient faults
retry with the runner's backoff, and a lookup given up is recorded as failed, never re-asked.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from sqlalchemy import select

from frontdesk.channels.common import FetchedMedia, ProfileRequest
from frontdesk.channels.outbound import PermanentProviderError, RateLimitedByProvider
from frontdesk.channels.spec import spec_for
from frontdesk.core.attachments.actions import ContactUploader, store_attachment
from frontdesk.core.attachments.media import sniff_type
from frontdesk.core.attachments.signing import PATH_PREFIX
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.contacts.profiles import (
    FETCH_PROFILE_JOB,
    ProviderProfile,
    record_profile,
    record_profile_failed,
    wants_avatar,
)
from frontdesk.core.errors import DomainError
from frontdesk.core.runtime import Runtime
from frontdesk.db.uow import UnitOfWork
from frontdesk.jobs.registry import RetryJobLater

log = logging.getLogger("frontdesk.jobs.profiles")

__all__ = ["FETCH_PROFILE_JOB", "fetch_contact_profile", "give_up_profile"]


async def _failed(runtime: Runtime, workspace_id: uuid.UUID, identity_id: uuid.UUID) -> None:
    async with runtime.uow() as uow:
        if await record_profile_failed(uow, workspace_id, identity_id):
            await uow.commit()


async def fetch_contact_profile(runtime: Runtime, payload: dict[str, Any]) -> None:
    workspace_id = uuid.UUID(payload["workspace_id"])
    identity_id = uuid.UUID(payload["identity_id"])
    async with runtime.database.read_session() as db:
        row = (
            await db.execute(
                select(ContactIdentity.provider_id, ContactIdentity.contact_id, Channel)
                .join(Channel, Channel.id == ContactIdentity.channel_id)
                .where(
                    ContactIdentity.workspace_id == workspace_id, ContactIdentity.id == identity_id
                )
            )
        ).first()
        if row is None:
            return  # the contact (or its channel) was deleted meanwhile
        provider_id, contact_id, channel = row
        db.expunge(channel)
    spec = spec_for(channel.type)
    fetch = spec.profile_fetcher if spec is not None else None
    if fetch is None or not channel.is_active:
        await _failed(runtime, workspace_id, identity_id)
        return
    secrets = runtime.secrets.open(channel.secrets_encrypted) if channel.secrets_encrypted else {}
    request = ProfileRequest(
        channel=channel,
        secrets=secrets,
        provider_id=provider_id,
        provider_urls=runtime.provider_urls,
        max_bytes=runtime.attachments_max_bytes,
    )
    try:
        fetched = await fetch(request)
    except RateLimitedByProvider as exc:
        raise RetryJobLater(exc.retry_after, exc.message) from exc
    except PermanentProviderError as exc:
        log.warning("%s profile of identity %s refused: %s", channel.type, identity_id, exc)
        await _failed(runtime, workspace_id, identity_id)
        return
    # A TemporaryProviderError propagates: the runner retries with backoff.
    async with runtime.uow() as uow:
        avatar_url = None
        if fetched.picture is not None and await wants_avatar(uow, workspace_id, identity_id):
            avatar_url = await _store_picture(
                runtime, uow, channel.workspace_id, contact_id, fetched.picture
            )
        profile = ProviderProfile(fetched.name, avatar_url, dict(fetched.extra))
        await record_profile(uow, workspace_id, identity_id, profile)
        await uow.commit()


async def _store_picture(
    runtime: Runtime,
    uow: UnitOfWork,
    workspace_id: uuid.UUID,
    contact_id: uuid.UUID,
    picture: FetchedMedia,
) -> str | None:
    """Keep the picture as a file of the workspace; its URL serves it to the members."""
    if runtime.storage is None:
        return None
    if not (sniff_type(picture.data) or "").startswith("image/"):
        log.warning("profile picture of contact %s is not an image: not kept", contact_id)
        return None
    try:
        # Refused input stores nothing, so the name is still recorded in this unit of work.
        attachment = await store_attachment(
            uow,
            runtime.storage,
            ContactUploader(workspace_id=workspace_id, contact_id=contact_id),
            workspace_id=workspace_id,
            name=picture.name,
            declared_type=picture.content_type,
            data=picture.data,
            max_bytes=runtime.attachments_max_bytes,
        )
    except DomainError as exc:  # too large, or an image that does not decode
        log.warning("profile picture of contact %s not kept: %s", contact_id, exc.message)
        return None
    variant = "thumbnail" if attachment.thumbnail_key else "content"
    return f"{PATH_PREFIX}/{attachment.id}/{variant}"


async def give_up_profile(runtime: Runtime, payload: dict[str, Any], error: str) -> None:
    log.warning("profile of identity %s given up: %s", payload["identity_id"], error)
    await _failed(runtime, uuid.UUID(payload["workspace_id"]), uuid.UUID(payload["identity_id"]))

"""Members' pictures: an image the member uploaded, named by the path the product serves it at.

A member's `avatar_url` may only name a PNG, JPEG or WebP file that member uploaded
(`core.schemas.PictureUrl` checks the shape, `check_own_picture` the file). Colleagues load it
through the app's attachment route; website visitors through the widget's picture route, which
serves a file only while it is the current picture of a member of the channel's workspace.
"""

from __future__ import annotations

import re
import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.attachments.actions import PICTURE_TYPES
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.attachments.signing import PATH_PREFIX
from frontdesk.core.errors import Invalid
from frontdesk.core.schemas import PICTURE_PATH
from frontdesk.core.workspaces.models import Membership

WIDGET_PICTURE_PATH = "/api/widget/v1/channels/{channel_id}/pictures/{attachment_id}"
_PICTURE = re.compile(PICTURE_PATH)


def picture_id(url: str | None) -> uuid.UUID | None:
    """The attachment a picture path names; None for anything else (an old outside URL)."""
    if not url or not _PICTURE.match(url):
        return None
    return uuid.UUID(url.split("/")[4])


def picture_paths(attachment_id: uuid.UUID) -> tuple[str, str]:
    """The two paths a member's `avatar_url` may name one picture by."""
    return (
        f"{PATH_PREFIX}/{attachment_id}/content",
        f"{PATH_PREFIX}/{attachment_id}/thumbnail",
    )


def widget_picture_path(channel_id: uuid.UUID, avatar_url: str | None) -> str | None:
    """Where a website visitor's widget loads an agent's picture (relative to the widget API's
    host); None when the agent has no uploaded picture, so no outside URL ever reaches it."""
    found = picture_id(avatar_url)
    if found is None:
        return None
    return WIDGET_PICTURE_PATH.format(channel_id=channel_id, attachment_id=found)


async def check_own_picture(db: AsyncSession, user_id: uuid.UUID, url: str) -> None:
    """Refuse (422) a picture that is not an image this user uploaded."""
    attachment_id = picture_id(url)
    found = None if attachment_id is None else await db.get(Attachment, attachment_id)
    if found is None or found.uploaded_by_user_id != user_id:
        raise Invalid("upload the picture first: it must be one you uploaded", field="avatar_url")
    if found.content_type not in PICTURE_TYPES or found.thumbnail_key is None:
        raise Invalid("the picture must be a PNG, JPEG or WebP image", field="avatar_url")


async def member_picture(
    db: AsyncSession, workspace_id: uuid.UUID, attachment_id: uuid.UUID
) -> Attachment | None:
    """The attachment if it is, right now, the picture of a member of `workspace_id` who
    uploaded it; None for any other attachment."""
    row = (
        await db.execute(
            select(Attachment)
            .join(User, User.id == Attachment.uploaded_by_user_id)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Attachment.id == attachment_id,
                Membership.workspace_id == workspace_id,
                User.avatar_url.in_(picture_paths(attachment_id)),
                Attachment.content_type.in_(PICTURE_TYPES),
            )
            .limit(1)
        )
    ).scalar_one_or_none()
    return row

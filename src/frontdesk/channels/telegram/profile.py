"""A Telegram customer's profile picture: the webhook names the sender but shows no picture.

`getUserProfilePhotos(user_id, limit=1)` answers the current picture in up to four sizes
(PhotoSize); one small-but-decent size is fetched through getFile and the file server. The name
is not asked: the webhook's first and last name are kept as they are. A user whose privacy
settings hide the picture has `total_count` 0: the lookup ends with nothing changed.
"""

from __future__ import annotations

import logging

from pydantic import Field, ValidationError

from frontdesk.channels.common import FetchedMedia, FetchedProfile, ProfileRequest
from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.telegram.client import BotApi, TelegramApiError, TelegramUnreachable
from frontdesk.channels.telegram.outbound import provider_error
from frontdesk.channels.telegram.payloads import TelegramObject
from frontdesk.core.attachments.media import sniff_type

log = logging.getLogger("frontdesk.channels.telegram")

MAX_PICTURE_BYTES = 5 * 1024 * 1024
LARGEST_SIDE = 320  # the thumbnail's size: a larger picture only costs bytes
HTTP_PAYLOAD_TOO_LARGE = 413  # what the client raises for a download past its limit


class PhotoSize(TelegramObject):
    file_id: str
    file_unique_id: str | None = None
    width: int = 0
    height: int = 0
    file_size: int | None = None


class UserProfilePhotos(TelegramObject):
    total_count: int = 0
    photos: list[list[PhotoSize]] = Field(default_factory=list)


def pick_size(sizes: list[PhotoSize], max_bytes: int) -> PhotoSize | None:
    """The largest size within `LARGEST_SIDE` pixels, else the smallest; none past `max_bytes`."""
    fitting = [s for s in sizes if s.file_size is None or s.file_size <= max_bytes]
    small = [s for s in fitting if max(s.width, s.height) <= LARGEST_SIDE]
    if small:
        return max(small, key=lambda s: max(s.width, s.height))
    return min(fitting, key=lambda s: max(s.width, s.height), default=None)


async def _photos(api: BotApi, user_id: int) -> UserProfilePhotos:
    answer = await api.call("getUserProfilePhotos", {"user_id": user_id, "limit": 1})
    try:
        return UserProfilePhotos.model_validate(answer)
    except ValidationError:
        raise TelegramUnreachable("unexpected UserProfilePhotos from the Bot API") from None


async def _download(api: BotApi, size: PhotoSize, max_bytes: int) -> bytes | None:
    remote = await api.get_file(size.file_id)
    if not remote.file_path:
        raise PermanentProviderError("telegram_no_file_path", "Telegram gave no file path.")
    try:
        return await api.download(remote.file_path, max_bytes=max_bytes)
    except TelegramApiError as exc:
        if exc.error_code != HTTP_PAYLOAD_TOO_LARGE:
            raise
        log.warning("Telegram profile picture is larger than %s bytes: skipped", max_bytes)
        return None


async def fetch_telegram_profile(request: ProfileRequest) -> FetchedProfile:
    token = request.secrets.get("bot_token")
    if not isinstance(token, str) or not token:
        raise PermanentProviderError("telegram_no_token", "The channel has no bot token.")
    if not request.provider_id.isdigit():
        return FetchedProfile()  # not a user's private chat: nobody's picture to ask for
    api = BotApi.for_urls(token, request.provider_urls)
    limit = min(request.max_bytes, MAX_PICTURE_BYTES)
    try:
        found = await _photos(api, int(request.provider_id))
        current = found.photos[0] if found.total_count and found.photos else []
        size = pick_size(current, limit)
        data = await _download(api, size, limit) if size is not None else None
    except (TelegramApiError, TelegramUnreachable) as exc:
        # 429 waits retry_after, 5xx retries with backoff, 400/403 end the lookup as failed.
        raise provider_error(exc) from None
    if data is None:
        return FetchedProfile()
    content_type = sniff_type(data) or ""
    if not content_type.startswith("image/"):
        log.warning("Telegram profile picture is %r, not an image: skipped", content_type)
        return FetchedProfile()
    extension = content_type.removeprefix("image/").replace("jpeg", "jpg")
    return FetchedProfile(
        picture=FetchedMedia(
            data=data, content_type=content_type, name=f"profile-picture.{extension}"
        )
    )

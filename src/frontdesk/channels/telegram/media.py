"""Fetching a file a customer sent: getFile gives its path, then the file server its bytes.

The download link lives at least an hour, so the fetch job asks for it each time it runs. Bots
may download files up to 20 MB; a larger one fails the file (the message keeps its caption).
"""

from __future__ import annotations

import mimetypes
import posixpath

from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.telegram.client import (
    MAX_DOWNLOAD_BYTES,
    BotApi,
    TelegramApiError,
    TelegramUnreachable,
)
from frontdesk.channels.telegram.outbound import provider_error

# What Telegram's file paths end with, for files that came without a MIME type.
EXTENSION_TYPES = {".oga": "audio/ogg", ".ogg": "audio/ogg", ".jpg": "image/jpeg"}


def _content_type(declared: object, file_path: str) -> str | None:
    if isinstance(declared, str) and declared:
        return declared
    extension = posixpath.splitext(file_path)[1].lower()
    return EXTENSION_TYPES.get(extension) or mimetypes.guess_type(file_path)[0]


async def fetch_telegram_media(request: MediaRequest) -> FetchedMedia:
    token = request.secrets.get("bot_token")
    if not isinstance(token, str) or not token:
        raise PermanentProviderError("telegram_no_token", "The channel has no bot token.")
    limit = min(request.max_bytes, MAX_DOWNLOAD_BYTES)
    declared_size = request.media.get("size")
    if isinstance(declared_size, int) and declared_size > limit:
        raise PermanentProviderError(
            "telegram_file_too_big", f"The file is larger than {limit} bytes."
        )
    api = BotApi.for_urls(token, request.provider_urls)
    try:
        remote = await api.get_file(str(request.media.get("provider_media_id", "")))
        if not remote.file_path:
            raise PermanentProviderError("telegram_no_file_path", "Telegram gave no file path.")
        data = await api.download(remote.file_path, max_bytes=limit)
    except (TelegramApiError, TelegramUnreachable) as exc:
        raise provider_error(exc) from None
    name = request.media.get("name")
    return FetchedMedia(
        data=data,
        content_type=_content_type(request.media.get("content_type"), remote.file_path),
        name=name if isinstance(name, str) and name else posixpath.basename(remote.file_path),
    )

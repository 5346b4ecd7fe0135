"""Fetching a file of a customer's mail: cut from the mail as it was stored on arrival."""

from __future__ import annotations

from frontdesk.channels.common import FetchedMedia, MediaRequest
from frontdesk.channels.email.parse import files_of, read_mail
from frontdesk.channels.email.store import raw_mail
from frontdesk.channels.outbound import PermanentProviderError, TemporaryProviderError


async def fetch_email_media(request: MediaRequest) -> FetchedMedia:
    reference = str(request.media.get("provider_media_id", ""))
    key, _, index_text = reference.rpartition("#")
    if not key or not index_text.isdigit():
        raise PermanentProviderError("email_bad_file", "The file's reference is not readable.")
    if request.unit_of_work is None:
        raise TemporaryProviderError("email_not_ready", "No database to read the mail from.")
    async with request.unit_of_work() as uow:
        raw = await raw_mail(uow.session, request.channel, key)
    if raw is None:
        raise PermanentProviderError("email_mail_gone", "The mail this file came with is gone.")
    files = files_of(read_mail(raw))
    index = int(index_text)
    if index >= len(files):
        raise PermanentProviderError("email_file_gone", "The mail has no such file.")
    part = files[index]
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        raise PermanentProviderError("email_file_unreadable", "The file could not be decoded.")
    if len(data) > request.max_bytes:
        raise PermanentProviderError(
            "email_file_too_big", f"The file is larger than {request.max_bytes} bytes."
        )
    return FetchedMedia(data=data, content_type=part.get_content_type(), name=part.get_filename())

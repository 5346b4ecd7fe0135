"""Fresh signed links for the files of a message, whichever side (agent or visitor) reads it."""

from __future__ import annotations

from typing import TypeVar

from frontdesk.core.attachments.signing import with_links
from frontdesk.core.conversations.schemas import MessageRead
from frontdesk.core.runtime import Runtime
from frontdesk.core.webchat.schemas import VisitorMessageRead

M = TypeVar("M", MessageRead, VisitorMessageRead)


def linked(runtime: Runtime, message: M) -> M:
    """Messages keep their files' ids; every read hands out links that have not expired."""
    if not message.attachments:
        return message
    links = with_links(
        runtime.secrets, message.attachments, runtime.clock.now(), base_url=runtime.public_url
    )
    return message.model_copy(update={"attachments": links})

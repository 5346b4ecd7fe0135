"""An email channel's mailbox: where to read (IMAP) and send (SMTP), as its settings keep it.

Settings (shown to admins): the address, IMAP and SMTP host, port and security (`ssl`,
`starttls` or `none`), the login name and the folder read. Secrets (sealed, never returned):
the password, and the secret of the forwarding route.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

Security = Literal["ssl", "starttls", "none"]
SECURITIES: tuple[Security, ...] = ("ssl", "starttls", "none")
CONVERSATION_TAG = re.compile(r"^c([0-9a-f]{32})$")


@dataclass(frozen=True)
class Mailbox:
    address: str
    username: str
    password: str
    imap_host: str
    imap_port: int
    imap_security: Security
    smtp_host: str
    smtp_port: int
    smtp_security: Security
    folder: str = "INBOX"

    @property
    def domain(self) -> str:
        return self.address.rpartition("@")[2]

    def reply_address(self, conversation_id: uuid.UUID | None) -> str:
        """The conversation's own address (`support+c<id>@…`): replies to it thread back."""
        if conversation_id is None:
            return self.address
        local, _, domain = self.address.partition("@")
        return f"{local.split('+', 1)[0]}+c{conversation_id.hex}@{domain}"


def conversation_tagged(address: str, mailbox_address: str) -> uuid.UUID | None:
    """The conversation a `local+c<id>@domain` address of this mailbox names, if it does."""
    local, _, domain = address.lower().partition("@")
    base_local, _, base_domain = mailbox_address.lower().partition("@")
    base, _, tag = local.partition("+")
    if domain != base_domain or base != base_local.split("+", 1)[0]:
        return None
    found = CONVERSATION_TAG.match(tag)
    return uuid.UUID(found.group(1)) if found else None


def _security(value: Any, default: Security) -> Security:
    return value if value in SECURITIES else default


def mailbox_of(settings: Mapping[str, Any], secrets: Mapping[str, Any]) -> Mailbox:
    """The mailbox of a channel's settings and opened secrets; KeyError when one is missing."""
    imap_security = _security(settings.get("imap_security"), "ssl")
    smtp_security = _security(settings.get("smtp_security"), "ssl")
    address = str(settings["address"])
    return Mailbox(
        address=address,
        username=str(settings.get("username") or address),
        password=str(secrets.get("password") or ""),
        imap_host=str(settings["imap_host"]),
        imap_port=int(settings.get("imap_port") or (993 if imap_security == "ssl" else 143)),
        imap_security=imap_security,
        smtp_host=str(settings["smtp_host"]),
        smtp_port=int(settings.get("smtp_port") or (465 if smtp_security == "ssl" else 587)),
        smtp_security=smtp_security,
        folder=str(settings.get("folder") or "INBOX"),
    )

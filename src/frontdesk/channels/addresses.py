"""Whether a URL a server-side request is about to call may be called.

Private, loopback and link-local targets (the server's own network) are refused unless the
caller's setting allows them: workflows' HTTP request step and the API channel's callbacks
share this one check, each with its own setting.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit


async def blocked_reason(url: str, *, allow_private: bool) -> str | None:
    """Why the URL may not be called; None when it may."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "only http and https URLs can be called"
    if allow_private:
        return None
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
        )
    except socket.gaierror:
        return "the host name does not resolve"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{parts.hostname} is a private or local address"
    return None

"""The object store attachments live in, as the domain sees it: opaque keys to bytes.

Implementations live outside core (`frontdesk.storage`); the composition root picks one.
Keys look like "<workspace_id>/<attachment_id>/original" but a store must treat them as opaque.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Protocol


class Storage(Protocol):
    """Bytes under keys. `get` and `stream` raise KeyError for a key that holds nothing."""

    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    def stream(self, key: str, chunk_size: int = 65536) -> AsyncIterator[bytes]: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...

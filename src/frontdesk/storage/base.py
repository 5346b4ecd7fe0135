"""What every object store offers; the same shape as the domain's `Storage` protocol.

Kept here too so this package depends on nothing of the app: a store satisfies the domain's
protocol structurally, and `check_key` is the one rule every store applies to keys.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from typing import Protocol

# Letters, digits and a few separators; no empty segment, no "." or ".." segment.
_SEGMENT = re.compile(r"[A-Za-z0-9_\-][A-Za-z0-9_.\-]*")
MAX_KEY_LENGTH = 300


class ObjectStore(Protocol):
    async def put(self, key: str, data: bytes, content_type: str) -> None: ...

    async def get(self, key: str) -> bytes: ...

    def stream(self, key: str, chunk_size: int = 65536) -> AsyncIterator[bytes]: ...

    async def delete(self, key: str) -> None: ...

    async def exists(self, key: str) -> bool: ...


def check_key(key: str) -> str:
    """Refuse keys that could escape the store's root (absolute, "..", empty segments)."""
    if not key or len(key) > MAX_KEY_LENGTH:
        raise ValueError("storage key is empty or too long")
    for segment in key.split("/"):
        if not _SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise ValueError(f"storage key has an unsafe segment: {key!r}")
    return key

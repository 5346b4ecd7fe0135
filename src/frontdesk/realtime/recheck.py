"""Sockets end with the credentials they opened with.

Signing out one session (`session.ended`), revoking an API token (`api_token.revoked`),
signing out everywhere or disabling a member (`user.sessions_revoked`) reach every process's
hub through the broker and close the sockets concerned at once (`hub.py`). Behind that, every
agent socket checks its session or token again every `recheck_seconds`, so a lost signal, a
session that simply expired or a token whose maker lost their standing still ends the socket.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from frontdesk.core.accounts.authn import credentials_live
from frontdesk.core.runtime import Runtime
from frontdesk.realtime.connection import CLOSE_SIGNED_OUT, Connection

log = logging.getLogger("frontdesk.realtime")


async def credentials_hold(runtime: Runtime, conn: Connection) -> bool:
    async with runtime.database.read_session() as db:
        return await credentials_live(
            db,
            runtime.clock.now(),
            session_id=conn.session_id,
            token_id=conn.token_id,
            workspace_id=conn.workspace_id,
        )


Watch = Callable[[Connection], Coroutine[Any, Any, None]]


def end_if_lapsed(runtime: Runtime, every: float) -> Watch:
    """The watch of an agent socket: every `every` seconds, close it if its credentials ended."""

    async def watch(conn: Connection) -> None:
        while not conn.closed:
            await asyncio.sleep(every)
            try:
                live = await credentials_hold(runtime, conn)
            except Exception:  # a busy database must not end the socket; try again next time
                log.warning("could not recheck the credentials of socket %s", conn.id)
                continue
            if not live:
                conn.drop(CLOSE_SIGNED_OUT, "signed out")
                return

    return watch

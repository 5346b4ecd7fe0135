"""Telling organisation admins' sockets that a workspace's load changed.

The hub hands every dispatched batch of events to the relay; for each workspace whose load an
event changes it sends one ephemeral `organisation.load_changed` frame, naming only the
workspace, to the local sockets listening to that workspace's organisation key. Each process
relays the events its own hub dispatches, so with Redis every process reaches its own sockets.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence

from frontdesk.core.organisation.live import (
    LOAD_EVENTS,
    LOAD_SIGNAL,
    organisation_key,
    organisation_of,
)
from frontdesk.core.runtime import Runtime
from frontdesk.db.uow import StoredEvent
from frontdesk.realtime.frames import signal_frame
from frontdesk.realtime.hub import Hub

log = logging.getLogger("frontdesk.realtime.organisation")


class OrganisationRelay:
    def __init__(self, runtime: Runtime, hub: Hub) -> None:
        self.runtime, self.hub = runtime, hub
        # A workspace never changes organisation: learnt once per process.
        self._organisations: dict[uuid.UUID, uuid.UUID | None] = {}

    async def __call__(self, events: Sequence[StoredEvent]) -> None:
        changed = dict.fromkeys(
            e.workspace_id for e in events if e.workspace_id is not None and e.type in LOAD_EVENTS
        )
        for workspace_id in changed:
            try:
                organisation_id = await self._organisation(workspace_id)
            except Exception:  # a busy database must not stop the hub's dispatch
                log.warning("could not tell the organisation of workspace %s", workspace_id)
                continue
            if organisation_id is None:
                continue
            targets = self.hub.local_for((organisation_key(organisation_id),))
            if targets:
                frame = signal_frame(LOAD_SIGNAL, {"workspace_id": str(workspace_id)})
                for conn in targets:
                    conn.offer(frame)

    async def _organisation(self, workspace_id: uuid.UUID) -> uuid.UUID | None:
        if workspace_id not in self._organisations:
            async with self.runtime.database.read_session() as db:
                self._organisations[workspace_id] = await organisation_of(db, workspace_id)
        return self._organisations[workspace_id]

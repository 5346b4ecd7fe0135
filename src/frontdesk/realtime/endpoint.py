"""Mounting the live sockets on the app (called by the composition root)."""

from __future__ import annotations

from typing import Any

from starlette.websockets import WebSocket

from frontdesk.core.runtime import Runtime
from frontdesk.realtime.agent import AgentSocket, refresh_keys
from frontdesk.realtime.hub import Hub
from frontdesk.realtime.socket import RealtimeSettings, catch_up_all
from frontdesk.realtime.visitor import VisitorSocket

__all__ = ["RealtimeSettings", "catch_up_all", "install", "refresh_keys"]


def install(app: Any, runtime: Runtime, hub: Hub, settings: RealtimeSettings) -> None:
    async def agent_socket(websocket: WebSocket) -> None:
        await AgentSocket(websocket, runtime, hub, settings).run()

    async def visitor_socket(websocket: WebSocket) -> None:
        await VisitorSocket(websocket, runtime, hub, settings).run()

    app.add_api_websocket_route("/api/v1/realtime", agent_socket)
    app.add_api_websocket_route("/api/widget/v1/socket", visitor_socket)

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


def _wiring(websocket: WebSocket) -> tuple[Runtime, Hub, RealtimeSettings]:
    """This app's runtime, hub and socket settings (set when the app was given its runtime)."""
    state = websocket.app.state
    return state.runtime, state.hub, state.realtime_settings


def install(app: Any) -> None:
    async def agent_socket(websocket: WebSocket) -> None:
        await AgentSocket(websocket, *_wiring(websocket)).run()

    async def visitor_socket(websocket: WebSocket) -> None:
        await VisitorSocket(websocket, *_wiring(websocket)).run()

    app.add_api_websocket_route("/api/v1/realtime", agent_socket)
    app.add_api_websocket_route("/api/widget/v1/socket", visitor_socket)

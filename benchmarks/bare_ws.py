"""Reference R5: a bare WebSocket broadcast on the same server stack (uvicorn, one worker).

Sockets connect to `/ws?keys=a,b` and listen to those keys; `POST /broadcast` with
`{"keys": [...], "seq": "..."}` sends one 300-byte text frame to every socket listening to any
of the keys, straight from the request. No database, no authentication, no buffers: what is
left is the ASGI server, the WebSocket protocol and the event loop, which Frontdesk's delivery
pays too. `python -m benchmarks.bare_ws --port P` serves it like `frontdesk serve` does.
"""

from __future__ import annotations

import argparse
import contextlib
import json
from collections import defaultdict

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

FRAME_BYTES = 300

_by_key: dict[str, set[WebSocket]] = defaultdict(set)


def frame_for(seq: str) -> str:
    head = json.dumps({"type": "bench", "seq": seq, "pad": ""}, separators=(",", ":"))
    pad = "x" * max(0, FRAME_BYTES - len(head))
    return json.dumps({"type": "bench", "seq": seq, "pad": pad}, separators=(",", ":"))


async def subscribe(websocket: WebSocket) -> None:
    keys = [k for k in websocket.query_params.get("keys", "").split(",") if k]
    await websocket.accept()
    await websocket.send_text(json.dumps({"type": "hello"}))
    for key in keys:
        _by_key[key].add(websocket)
    try:
        while True:
            await websocket.receive_text()
    except WebSocketDisconnect:
        pass
    finally:
        for key in keys:
            _by_key[key].discard(websocket)


async def broadcast(request: Request) -> JSONResponse:
    body = await request.json()
    targets: set[WebSocket] = set()
    for key in body["keys"]:
        targets |= _by_key.get(key, set())
    frame = frame_for(str(body["seq"]))
    for ws in targets:
        with contextlib.suppress(Exception):
            await ws.send_text(frame)
    return JSONResponse({"sent": len(targets)}, status_code=201)


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


app = Starlette(
    routes=[
        Route("/healthz", healthz),
        Route("/broadcast", broadcast, methods=["POST"]),
        WebSocketRoute("/ws", subscribe),
    ]
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    # The same options `frontdesk serve` passes to uvicorn.
    uvicorn.run(
        app, host="127.0.0.1", port=args.port, workers=1, proxy_headers=True, log_level="info"
    )


if __name__ == "__main__":
    main()

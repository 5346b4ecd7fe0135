"""One socket's rules: each event once, a late smaller id still sent, no replay overlap."""

from __future__ import annotations

from typing import cast

from starlette.websockets import WebSocket

from frontdesk.realtime.connection import Connection


def connection(buffer_size: int = 100) -> Connection:
    # Nothing is sent here: the frames stay in the socket's queue, which is what is checked.
    conn = Connection(
        websocket=cast(WebSocket, object()),
        workspace_id=None,
        keys=frozenset(),
        buffer_size=buffer_size,  # type: ignore[arg-type]
    )
    conn.finish_replay(0)
    return conn


def queued(conn: Connection) -> list[str]:
    frames = []
    while not conn._queue.empty():
        frames.append(conn._queue.get_nowait())
    return frames


async def test_a_late_smaller_id_still_goes_out_once() -> None:
    conn = connection()
    conn.offer_event(403, "e403")
    conn.offer_event(402, "e402")  # committed first, published second
    conn.offer_event(403, "e403")
    conn.offer_event(402, "e402")
    assert queued(conn) == ["e403", "e402"]
    assert conn.last_event_id == 403


async def test_events_that_arrive_during_the_replay_go_out_after_it_without_repeats() -> None:
    conn = Connection(
        websocket=cast(WebSocket, object()),
        workspace_id=None,
        keys=frozenset(),  # type: ignore[arg-type]
    )
    conn.offer_event(12, "live12")  # held: the replay is still running
    conn.offer_event(10, "live10")
    conn.offer("replayed 9")
    conn.offer("replayed 10")
    conn.finish_replay(10)
    assert queued(conn) == ["replayed 9", "replayed 10", "live12"]


async def test_a_full_buffer_drops_the_socket() -> None:
    conn = connection(buffer_size=10)
    for i in range(1, 12):
        conn.offer_event(i, f"e{i}")
    assert conn.closed
    assert conn.close_code == 4008
    assert conn.dropped.is_set()

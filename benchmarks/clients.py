"""Load generation over loopback: listening sockets, the sending side, and what arrived.

A *target* is what is measured: Frontdesk itself (agent sockets with a session cookie, visitor
messages through the widget endpoint) or the bare broadcast server of reference R5 (the same
subscriber sets, a POST that broadcasts). The scenarios drive either one the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol
from urllib.parse import quote

import httpx
from websockets.asyncio.client import ClientConnection, connect

from benchmarks.common import Server, latency_ms, now
from benchmarks.world import Conv, Member

CONNECT_CONCURRENCY = 32
CONNECT_SECONDS = 30.0
CLOSE_SECONDS = 10.0


class Recorder:
    """When each message was sent, who should get it, and when each socket got it."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.sent: dict[str, float] = {}
        self.acked: dict[str, float] = {}
        self.expected: dict[str, frozenset[int]] = {}
        self.arrivals: list[tuple[str, int, float]] = []
        self._waiting: dict[str, tuple[set[int], asyncio.Future[None]]] = {}
        self.errors: list[str] = []

    def expect(self, cmid: str, watchers: frozenset[int]) -> asyncio.Future[None]:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.expected[cmid] = watchers
        self._waiting[cmid] = (set(watchers), future)
        return future

    def arrived(self, cmid: str, index: int, at: float) -> None:
        self.arrivals.append((cmid, index, at))
        waiting = self._waiting.get(cmid)
        if waiting is not None:
            waiting[0].discard(index)
            if not waiting[0]:
                del self._waiting[cmid]
                if not waiting[1].done():
                    waiting[1].set_result(None)

    def forget(self, cmid: str) -> None:
        """A send that failed: nothing is expected of it (it is counted as an error)."""
        self.expected.pop(cmid, None)
        waiting = self._waiting.pop(cmid, None)
        if waiting is not None and not waiting[1].done():
            waiting[1].set_result(None)

    async def settle(self, seconds: float) -> None:
        """Wait (bounded) until every expected frame has arrived."""
        pending = [f for _, f in self._waiting.values() if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=seconds)

    def report(self) -> Delivery:
        expected_pairs = {(c, i) for c, ws in self.expected.items() for i in ws}
        seen = Counter((c, i) for c, i, _ in self.arrivals if c in self.expected)
        first: dict[tuple[str, int], float] = {}
        for c, i, at in self.arrivals:
            first.setdefault((c, i), at)
        latencies = [first[p] - self.sent[p[0]] for p in expected_pairs if p in first]
        complete = [c for c, ws in self.expected.items() if all((c, i) in first for i in ws)]
        ends = [max(first[(c, i)] for i in self.expected[c]) for c in complete if self.expected[c]]
        return Delivery(
            messages=len(self.expected),
            messages_complete=len(complete),
            expected_frames=len(expected_pairs),
            delivered_frames=sum(seen.values()),
            missing=len(expected_pairs - set(first)),
            missing_sample=sorted(expected_pairs - set(first))[:10],
            duplicates=sum(n - 1 for n in seen.values() if n > 1),
            unexpected=sum(1 for p in seen if p not in expected_pairs),
            latencies=latencies,
            post_latencies=[self.acked[c] - self.sent[c] for c in self.expected if c in self.acked],
            first_sent=min(self.sent.values(), default=0.0),
            last_arrival=max(ends, default=0.0),
            errors=list(self.errors),
        )


@dataclass
class Delivery:
    messages: int
    messages_complete: int
    expected_frames: int
    delivered_frames: int
    missing: int
    duplicates: int
    unexpected: int
    missing_sample: list[tuple[str, int]]
    latencies: list[float]
    post_latencies: list[float]
    first_sent: float
    last_arrival: float
    errors: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.delivered_frames / self.expected_frames if self.expected_frames else 0.0

    @property
    def exact(self) -> bool:
        return self.missing == 0 and self.duplicates == 0 and self.unexpected == 0

    @property
    def messages_per_second(self) -> float:
        span = self.last_arrival - self.first_sent
        return self.messages_complete / span if span > 0 else 0.0

    def figures(self) -> dict[str, Any]:
        post = latency_ms(self.post_latencies)
        return {
            **latency_ms(self.latencies),
            "post_p50_ms": post["p50_ms"],
            "post_p99_ms": post["p99_ms"],
            "messages": self.messages,
            "expected_frames": self.expected_frames,
            "delivered_frames": self.delivered_frames,
            "delivered_ratio": round(self.ratio, 6),
            "missing": self.missing,
            "duplicates": self.duplicates,
            "unexpected": self.unexpected,
            "send_errors": len(self.errors),
        }


class Target(Protocol):
    name: str
    marker: str
    servers: list[Server]

    async def connect(self, member: Member) -> ClientConnection: ...

    async def send(self, http: httpx.AsyncClient, conv: Conv, cmid: str, body: str) -> None: ...

    def message_id(self, frame: dict[str, Any]) -> str | None: ...


# What the sockets offer, like a browser: permessage-deflate ("deflate"), or nothing (None).
Compression = Literal["deflate"] | None


class FrontdeskTarget:
    """The product: agent sockets with a session cookie, visitor messages over the widget API."""

    name = "frontdesk"
    marker = '"message.created"'

    def __init__(self, servers: Sequence[Server], compression: Compression = "deflate") -> None:
        self.servers = list(servers)
        self.compression = compression

    async def connect(self, member: Member) -> ClientConnection:
        server = self.servers[member.index % len(self.servers)]
        return await connect(
            f"{server.ws_base}/api/v1/realtime",
            additional_headers={"Cookie": f"frontdesk_session={member.token}"},
            max_size=2**22,
            open_timeout=CONNECT_SECONDS,
            compression=self.compression,
        )

    async def send(self, http: httpx.AsyncClient, conv: Conv, cmid: str, body: str) -> None:
        server = self.servers[conv.index % len(self.servers)]
        r = await http.post(
            f"{server.url}/api/widget/v1/messages",
            headers={"X-Visitor-Token": conv.visitor_token},
            json={"body": body, "client_message_id": cmid},
        )
        if r.status_code != 201:
            raise RuntimeError(f"widget message answered {r.status_code}: {r.text[:200]}")

    def message_id(self, frame: dict[str, Any]) -> str | None:
        if frame.get("type") != "message.created":
            return None
        return frame["data"]["message"].get("client_message_id")  # type: ignore[no-any-return]


class BareTarget:
    """Reference R5: the same subscriber sets on a bare broadcast server."""

    name = "R5"
    marker = '"bench"'

    def __init__(self, server: Server, compression: Compression = "deflate") -> None:
        self.server = server
        self.servers = [server]
        self.compression = compression

    async def connect(self, member: Member) -> ClientConnection:
        keys = quote(",".join(sorted(member.keys)), safe=",")
        return await connect(
            f"{self.server.ws_base}/ws?keys={keys}",
            max_size=2**22,
            open_timeout=CONNECT_SECONDS,
            compression=self.compression,
        )

    async def send(self, http: httpx.AsyncClient, conv: Conv, cmid: str, body: str) -> None:
        r = await http.post(
            f"{self.server.url}/broadcast", json={"keys": list(conv.audience), "seq": cmid}
        )
        if r.status_code != 201:
            raise RuntimeError(f"broadcast answered {r.status_code}")

    def message_id(self, frame: dict[str, Any]) -> str | None:
        return frame.get("seq") if frame.get("type") == "bench" else None


class Watcher:
    """One listening socket: waits for its hello, then records message frames as they land."""

    def __init__(self, index: int, ws: ClientConnection, target: Target, rec: Recorder) -> None:
        self.index, self.ws, self.target, self.recorder = index, ws, target, rec
        self.hello = asyncio.Event()
        self.frames = 0
        self.task = asyncio.create_task(self._read())

    async def _read(self) -> None:
        marker = self.target.marker
        with contextlib.suppress(Exception):
            async for raw in self.ws:
                at = now()
                self.frames += 1
                text = raw if isinstance(raw, str) else raw.decode()
                if not self.hello.is_set():
                    self.hello.set()
                if marker not in text:
                    continue
                cmid = self.target.message_id(json.loads(text))
                if cmid is not None:
                    self.recorder.arrived(cmid, self.index, at)


async def open_watchers(
    target: Target, members: Sequence[Member], recorder: Recorder
) -> list[Watcher]:
    """Connect a socket per member (bounded concurrency) and wait for every hello."""
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)

    async def one(member: Member) -> Watcher:
        async with gate:
            ws = await target.connect(member)
            watcher = Watcher(member.index, ws, target, recorder)
            await asyncio.wait_for(watcher.hello.wait(), CONNECT_SECONDS)
            return watcher

    return list(await asyncio.gather(*(one(m) for m in members)))


async def quiet(watchers: Sequence[Watcher], seconds: float = 0.3, limit: float = 15.0) -> None:
    """Wait until no frame arrived for `seconds` (presence and the like), at most `limit`."""
    deadline = now() + limit
    while now() < deadline:
        before = sum(w.frames for w in watchers)
        await asyncio.sleep(seconds)
        if sum(w.frames for w in watchers) == before:
            return


async def close_watchers(watchers: Sequence[Watcher]) -> None:
    async def one(w: Watcher) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wait_for(w.ws.close(), CLOSE_SECONDS)
        w.task.cancel()
        with contextlib.suppress(BaseException):
            await w.task

    await asyncio.gather(*(one(w) for w in watchers))


def http_client() -> httpx.AsyncClient:
    """HTTP/1.1 keep-alive pool for the senders."""
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    return httpx.AsyncClient(limits=limits, timeout=30)


async def send_one(
    target: Target, http: httpx.AsyncClient, recorder: Recorder, conv: Conv, cmid: str
) -> asyncio.Future[None]:
    """Send one message, timed from the start of the request; returns its delivery future."""
    future = recorder.expect(cmid, conv.watchers)
    recorder.sent[cmid] = now()
    try:
        await target.send(http, conv, cmid, f"Hello, this is message {cmid} about my order")
        recorder.acked[cmid] = now()
    except Exception as exc:
        recorder.errors.append(f"{cmid}: {type(exc).__name__}: {exc}")
        recorder.forget(cmid)
    return future

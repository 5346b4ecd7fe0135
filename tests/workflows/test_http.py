"""The HTTP request step against a local server that records calls by Idempotency-Key: a
call that timed out is made again with the same key (the server applies it once), and the
answer's fields go into the run's variables; a private address is refused unless allowed."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.models import RunStatus
from frontdesk.jobs.workflows import ALLOW_PRIVATE_ENV
from tests.conftest import World
from tests.workflows.conftest import (
    bot_messages,
    definition,
    publish,
    run_jobs,
    start,
    step,
    steps_of,
    the_run,
    trail,
    webchat,
)


@dataclass
class Ledger:
    """The fake system's side: requests by key, and each key's effect applied once."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    effects: dict[str, int] = field(default_factory=dict)
    slow_first: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)


def serve(ledger: Ledger) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            key = self.headers.get("Idempotency-Key", "")
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with ledger.lock:
                first = not ledger.calls
                ledger.calls.append((key, body))
                if key not in ledger.effects:
                    ledger.effects[key] = len(ledger.effects) + 100
                ticket = ledger.effects[key]
            if first and ledger.slow_first:
                time.sleep(ledger.slow_first)
            answer = json.dumps({"ticket": {"number": ticket}, "ok": True}).encode()
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


@pytest.fixture
def ledger() -> Iterator[tuple[Ledger, str]]:
    book = Ledger()
    server = serve(book)
    try:
        yield book, f"http://127.0.0.1:{server.server_address[1]}/tickets"
    finally:
        server.shutdown()


def flow(url: str) -> dict[str, Any]:
    return definition(
        [
            step(
                "call",
                "http_request",
                {
                    "method": "POST",
                    "url": url,
                    "body": {"name": "{{contact.name}}", "conversation": "{{conversation.id}}"},
                    "timeout_seconds": 0.3,
                    "retries": 2,
                    "map": {"ticket": "ticket.number"},
                },
                success="ok",
                error="bad",
                timeout="bad",
            ),
            step("ok", "send_message", {"text": "Ticket {{vars.ticket}}"}, next="done"),
            step("bad", "send_message", {"text": "Sorry"}, next="done"),
            step("done", "end"),
        ]
    )


async def test_a_call_that_timed_out_is_made_again_with_the_same_key_and_applied_once(
    runtime: Runtime, world: World, ledger: tuple[Ledger, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    book, url = ledger
    book.slow_first = 0.8
    chat = await webchat(runtime, world)
    workflow = await publish(runtime, world, flow(url))
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)

    keys = [key for key, _ in book.calls]
    assert len(keys) == 2  # the first timed out, the second was answered
    assert set(keys) == {f"{run.id}:1"}
    assert len(book.effects) == 1  # the server applied it once
    assert book.calls[0][1] == {"name": "Gabi", "conversation": str(chat.conversation_id)}
    done = await the_run(runtime, run.id)
    assert done.status == RunStatus.COMPLETED
    assert done.variables["ticket"] == 100
    rows = await steps_of(runtime, run.id)
    assert trail(rows)[:2] == [("call", "done", "success"), ("ok", "done", "next")]
    assert rows[0].idempotency_key == f"{run.id}:1"
    assert rows[0].output["calls"] == 2
    assert rows[0].input["headers"]["Idempotency-Key"] == f"{run.id}:1"
    assert [m.body for m in await bot_messages(runtime, chat.conversation_id)] == ["Ticket 100"]


async def test_a_local_address_is_refused_unless_allowed(
    runtime: Runtime, world: World, ledger: tuple[Ledger, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    book, url = ledger
    chat = await webchat(runtime, world)
    workflow = await publish(runtime, world, flow(url))
    run = await start(runtime, workflow, chat.conversation_id)
    assert run is not None
    await run_jobs(runtime)
    assert book.calls == []
    rows = await steps_of(runtime, run.id)
    assert trail(rows)[:2] == [("call", "done", "error"), ("bad", "done", "next")]
    assert rows[0].output["failure"] == "blocked"
    assert "private or local" in rows[0].output["detail"]

"""Calls to providers and integrators share one TLS context per process.

Each call opens its own HTTP client (calls are short and go to many hosts), but building a TLS
context loads the whole CA bundle: 20-50 ms of CPU, more than the rest of a send."""

from __future__ import annotations

import ast
import ssl
from pathlib import Path
from typing import Any

import pytest

from frontdesk.channels.telegram.client import BotApi
from tests.fakes.telegram import FakeTelegram, serve

SOURCE = Path(__file__).resolve().parents[2] / "src" / "frontdesk"


async def test_calls_to_a_provider_load_the_ca_bundle_at_most_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loads: list[Any] = []
    load = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: Any, **kwargs: Any) -> None:
        loads.append(args or kwargs)
        load(self, *args, **kwargs)

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    fake = FakeTelegram()
    bot = fake.add_bot(username="tls_bot")
    async with serve(fake) as url:
        api = BotApi(bot.token, url)
        for _ in range(3):
            me = await api.call("getMe")
            assert me["username"] == "tls_bot"
    assert len(loads) <= 1


def _clients_without_shared_tls(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "AsyncClient"
            and not any(keyword.arg in ("verify", "transport") for keyword in node.keywords)
        ):
            lines.append(node.lineno)
    return lines


def test_every_outgoing_client_in_the_app_uses_the_shared_context() -> None:
    found = {
        str(path.relative_to(SOURCE)): lines
        for path in sorted(SOURCE.rglob("*.py"))
        if (lines := _clients_without_shared_tls(path))
    }
    assert found == {}, "build clients with frontdesk.channels.http_client.http_client"

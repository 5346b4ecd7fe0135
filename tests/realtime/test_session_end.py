"""A socket ends with its credentials: signing out one session, revoking a token, or the token's
maker losing their standing closes exactly those sockets at once; a periodic recheck of every
socket's credentials catches what no signal announced (an expired session, a lost signal).

The recheck runs hourly here unless a test asks for it sooner, so a socket that closes within
the tests' 5 s was closed by the signal, not by the recheck.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from websockets.asyncio.client import connect

from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings
from tests.factories import PASSWORD
from tests.realtime.conftest import Live, Socket

SIGNED_OUT = 4401


@pytest.fixture
def realtime_settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    every = getattr(request, "param", 3600.0)
    return settings.model_copy(update={"realtime_recheck_seconds": every})


async def open_socket(live: Live, name: str, headers: dict[str, str]) -> Socket:
    sock = Socket(name, await connect(live.ws_url, additional_headers=headers))
    sock.start()
    await sock.wait_for(lambda s: bool(s.of_type("hello")))
    return sock


async def closes(sock: Socket, within: float = 5.0) -> int | None:
    assert sock._task is not None
    await asyncio.wait_for(sock._task, within)
    return sock.closed_code


async def still_open(sock: Socket) -> bool:
    pongs = len(sock.of_type("pong"))
    await sock.send({"type": "ping"})
    await sock.wait_for(lambda s: len(s.of_type("pong")) > pongs)
    return sock.closed_code is None


async def signed_in(live: Live, email: str) -> httpx.AsyncClient:
    client = httpx.AsyncClient(base_url=live.http_url)
    response = await client.post(
        "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}
    )
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def cookie_of(client: httpx.AsyncClient) -> dict[str, str]:
    return {"Cookie": f"frontdesk_session={client.cookies['frontdesk_session']}"}


async def make_token(live: Live, by: str, role: str = "agent") -> dict[str, Any]:
    async with live.world.client(by) as client:
        response = await client.post("/api/v1/api-tokens", json={"name": "bot", "role": role})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_signing_out_closes_that_session_s_sockets_and_no_other(live: Live) -> None:
    laptop = await signed_in(live, "alice@acme.test")
    phone = await signed_in(live, "alice@acme.test")
    on_laptop = await open_socket(live, "laptop", cookie_of(laptop))
    on_phone = await open_socket(live, "phone", cookie_of(phone))
    assert (await laptop.post("/api/v1/auth/sign-out")).status_code == 204
    assert await closes(on_laptop) == SIGNED_OUT
    assert await still_open(on_phone)
    await on_phone.close()
    await laptop.aclose()
    await phone.aclose()


async def test_revoking_a_token_closes_its_sockets_and_no_other(live: Live) -> None:
    revoked, kept = await make_token(live, "alice"), await make_token(live, "alice")
    doomed = await open_socket(live, "doomed", {"Authorization": f"Bearer {revoked['token']}"})
    spared = await open_socket(live, "spared", {"Authorization": f"Bearer {kept['token']}"})
    async with live.world.client("alice") as alice:
        assert (await alice.delete(f"/api/v1/api-tokens/{revoked['id']}")).status_code == 204
    assert await closes(doomed) == SIGNED_OUT
    assert await still_open(spared)
    await spared.close()


async def test_disabling_a_token_s_maker_closes_the_token_s_sockets(live: Live) -> None:
    token = await make_token(live, "dave")
    bot = await open_socket(live, "bot", {"Authorization": f"Bearer {token['token']}"})
    dave = live.world.persona("dave")
    async with live.world.client("alice") as alice:
        assert (await alice.post(f"/api/v1/members/{dave.id}/disable")).status_code == 200
    assert await closes(bot) == SIGNED_OUT


async def test_demoting_a_token_s_maker_closes_the_token_s_sockets(live: Live) -> None:
    token = await make_token(live, "dave", role="viewer")
    bot = await open_socket(live, "bot", {"Authorization": f"Bearer {token['token']}"})
    dave = live.world.persona("dave")
    async with live.world.client("alice") as alice:
        demoted = await alice.patch(f"/api/v1/members/{dave.id}", json={"role": "agent"})
        assert demoted.status_code == 200, demoted.text
    assert await closes(bot) == SIGNED_OUT


@pytest.mark.parametrize("realtime_settings", [0.05], indirect=True)
async def test_the_recheck_ends_a_socket_whose_session_expired(
    live: Live, runtime: Runtime, clock: FrozenClock
) -> None:
    laptop = await signed_in(live, "bob@acme.test")
    sock = await open_socket(live, "bob", cookie_of(laptop))
    assert await still_open(sock)
    clock.advance(days=runtime.session_days, seconds=1)
    assert await closes(sock) == SIGNED_OUT
    await laptop.aclose()


@pytest.mark.parametrize("realtime_settings", [0.05], indirect=True)
async def test_the_recheck_ends_a_socket_whose_sign_out_signal_was_lost(
    live: Live, runtime: Runtime, clock: FrozenClock
) -> None:
    laptop = await signed_in(live, "bob@acme.test")
    sock = await open_socket(live, "bob", cookie_of(laptop))
    # Revoked with no event at all, as if the broker had lost it.
    async with runtime.database.write_session() as s:
        await s.execute(update(AuthSession).values(revoked_at=clock.now()))
        await s.commit()
    assert await closes(sock) == SIGNED_OUT
    await laptop.aclose()

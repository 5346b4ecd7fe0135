"""Where the signed-in user is signed in, and "sign out this one"."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import select

from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token
from tests.conftest import Published, World
from tests.factories import PASSWORD, Factory

SESSIONS = "/api/v1/me/sessions"


@asynccontextmanager
async def device(
    world: World, user_agent: str, ip: str = "127.0.0.1", email: str = "alice@acme.test"
) -> AsyncIterator[httpx.AsyncClient]:
    """A browser on some device, signed in as `email`."""
    transport = httpx.ASGITransport(app=world.app, client=(ip, 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(
        transport=transport, base_url="http://testserver", headers={"User-Agent": user_agent}
    ) as client:
        signed_in = await client.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}
        )
        assert signed_in.status_code == 200, signed_in.text
        client.headers["X-CSRF-Token"] = signed_in.json()["csrf_token"]
        yield client


async def session_id_of(runtime: Runtime, client: httpx.AsyncClient) -> str:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(AuthSession.id).where(
                AuthSession.token_hash == hash_token(client.cookies["frontdesk_session"])
            )
        )
    return str(found)


async def test_the_list_shows_live_sessions_with_the_current_one_marked(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    async with device(world, "Laptop Firefox") as laptop:
        clock.advance(minutes=10)
        async with device(world, "Phone Safari", ip="10.0.0.9") as phone:
            assert (await phone.post("/api/v1/auth/sign-out")).status_code == 204
        async with device(world, "Tablet", ip="10.0.0.8"):
            listed = await laptop.get(SESSIONS)
        laptop_id = await session_id_of(runtime, laptop)
    assert listed.status_code == 200
    rows = listed.json()
    # The signed-out phone is not there; the persona's own session (made by the fixtures) is.
    assert [r["user_agent"] for r in rows if r["user_agent"]] == ["Tablet", "Laptop Firefox"]
    assert len(rows) == 3
    current = [r for r in rows if r["is_current"]]
    assert [r["id"] for r in current] == [laptop_id]
    assert current[0]["ip_address"] == "127.0.0.1"
    assert set(current[0]) == {
        "id",
        "user_agent",
        "ip_address",
        "created_at",
        "last_seen_at",
        "expires_at",
        "is_current",
    }
    # Expired sessions are not listed either.
    clock.advance(days=runtime.session_days)
    async with device(world, "Later") as later:
        assert [r["user_agent"] for r in (await later.get(SESSIONS)).json()] == ["Later"]


async def test_signing_out_another_session_ends_it_at_once(
    world: World, runtime: Runtime, published: Published
) -> None:
    async with device(world, "Laptop") as laptop, device(world, "Phone") as phone:
        phone_id = await session_id_of(runtime, phone)
        published.events.clear()
        ended = await laptop.delete(f"{SESSIONS}/{phone_id}")
        assert ended.status_code == 204
        assert "frontdesk_session" not in ended.headers.get("set-cookie", "")
        assert (await phone.get("/api/v1/me")).status_code == 401
        assert (await laptop.get("/api/v1/me")).status_code == 200
        again = await laptop.delete(f"{SESSIONS}/{phone_id}")
    assert again.status_code == 404
    assert published.types() == ["session.ended"]
    alice = world.acme.members["alice"].id
    assert published.events[0].audience == (f"user:{alice}",)
    assert published.events[0].payload == {"user_id": str(alice), "session_id": phone_id}


async def test_signing_out_the_current_session_clears_its_cookie(
    world: World, runtime: Runtime
) -> None:
    async with device(world, "Laptop") as laptop:
        own = await session_id_of(runtime, laptop)
        ended = await laptop.delete(f"{SESSIONS}/{own}")
        assert ended.status_code == 204
        assert 'frontdesk_session=""' in ended.headers["set-cookie"]
        assert (await laptop.get(SESSIONS)).status_code == 401


async def test_another_person_s_session_is_not_found(world: World, runtime: Runtime) -> None:
    async with device(world, "Bob's phone", email="bob@acme.test") as bob:
        bob_session = await session_id_of(runtime, bob)
        async with device(world, "Laptop") as alice:
            refused = await alice.delete(f"{SESSIONS}/{bob_session}")
            made_up = await alice.delete(f"{SESSIONS}/{uuid.uuid4()}")
            malformed = await alice.delete(f"{SESSIONS}/not-an-id")
        assert (await bob.get("/api/v1/me")).status_code == 200
    assert refused.status_code == made_up.status_code == 404
    assert malformed.status_code == 422


async def test_api_tokens_have_no_sessions(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(raw) as bot:
        assert (await bot.get(SESSIONS)).status_code == 401

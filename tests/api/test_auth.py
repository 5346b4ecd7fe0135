"""Signing in and out: cookies, CSRF, rate limiting, session lifetime and revocation."""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from http.cookies import SimpleCookie

import httpx
from sqlalchemy import func, select

from frontdesk.core.accounts.models import AuthSession, LoginAttempt
from frontdesk.core.clock import FrozenClock
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password, hash_token, verify_password
from tests.conftest import Published, World
from tests.factories import PASSWORD, Factory
from tests.loop_stalls import longest_stall

SIGN_IN = "/api/v1/auth/sign-in"
SESSION = "/api/v1/auth/session"


@asynccontextmanager
async def browser(world: World, ip: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies like a browser, coming from address `ip`."""
    transport = httpx.ASGITransport(app=world.app, client=(ip, 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def sign_in(
    client: httpx.AsyncClient, email: str, password: str = PASSWORD
) -> httpx.Response:
    response = await client.post(SIGN_IN, json={"email": email, "password": password})
    if response.status_code == 200:
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response


def set_cookies(response: httpx.Response) -> SimpleCookie:
    jar: SimpleCookie = SimpleCookie()
    for header in response.headers.get_list("set-cookie"):
        jar.load(header)
    return jar


async def count_rows(runtime: Runtime, model: type[object]) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(model)) or 0)


async def test_sign_in_opens_a_session_with_safe_cookies(world: World, runtime: Runtime) -> None:
    async with browser(world) as client:
        response = await sign_in(client, "alice@acme.test")
        assert response.status_code == 200, response.text
        body = response.json()
        cookies = set_cookies(response)
        session = cookies["frontdesk_session"]
        csrf = cookies["frontdesk_csrf"]
        assert session["httponly"] is True
        assert session["samesite"].lower() == "lax"
        assert session["path"] == "/"
        assert int(session["max-age"]) == runtime.session_days * 86400
        assert not csrf["httponly"]
        assert csrf["samesite"].lower() == "lax"
        assert body["csrf_token"] == csrf.value
        assert body["user"]["email"] == "alice@acme.test"
        assert body["user"]["id"] == str(world.acme.members["alice"].id)
        assert "password_hash" not in body["user"]
        assert body["workspace"] == {
            "id": str(world.acme.id),
            "name": "Acme Clients",
            "slug": "acme",
            "role": "owner",
            "client_access": False,
            "requires_two_factor": False,
        }
        current = await client.get(SESSION)
    assert current.status_code == 200
    assert current.json()["user"]["email"] == "alice@acme.test"
    assert current.json()["csrf_token"] == body["csrf_token"]
    async with runtime.database.read_session() as db:
        stored = await db.scalar(
            select(AuthSession).where(AuthSession.token_hash == hash_token(session.value))
        )
    assert stored is not None
    assert stored.user_id == world.acme.members["alice"].id
    assert stored.ip_address == "127.0.0.1"
    assert stored.created_at == runtime.clock.now()
    assert stored.expires_at == stored.created_at + timedelta(days=runtime.session_days)


async def test_sign_in_ignores_the_case_of_the_email(world: World) -> None:
    async with browser(world) as client:
        response = await sign_in(client, "  Alice@ACME.test ")
    assert response.status_code == 200, response.text
    assert response.json()["user"]["id"] == str(world.acme.members["alice"].id)


async def test_wrong_password_and_unknown_email_look_the_same(
    world: World, runtime: Runtime
) -> None:
    async with browser(world) as client:
        wrong = await sign_in(client, "alice@acme.test", "not the password at all")
        unknown = await sign_in(client, "nobody@acme.test", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    error = wrong.json()["error"]
    assert set(error) == {"code", "message", "details"}
    assert error["code"] == "unauthenticated"
    assert "frontdesk_session" not in wrong.headers.get("set-cookie", "")
    assert await count_rows(runtime, AuthSession) == 7  # only the personas' sessions
    assert await count_rows(runtime, LoginAttempt) == 2


async def test_a_malformed_sign_in_is_a_422_naming_the_field(world: World) -> None:
    async with browser(world) as client:
        response = await client.post(SIGN_IN, json={"email": "not-an-email", "password": "x"})
    assert response.status_code == 422
    assert response.json()["error"]["details"]["field"] == "email"


async def test_a_disabled_user_cannot_sign_in(world: World) -> None:
    bob = world.acme.members["bob"]
    async with world.client("alice") as alice:
        assert (await alice.post(f"/api/v1/members/{bob.id}/disable")).status_code == 200
    async with browser(world) as client:
        refused = await sign_in(client, "bob@acme.test")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "unauthenticated"


async def test_cookie_writes_need_the_csrf_token(world: World) -> None:
    alice = world.acme.members["alice"]
    async with browser(world) as client:
        client.cookies.set("frontdesk_session", alice.session_token)
        assert (await client.get(SESSION)).status_code == 200
        missing = await client.post("/api/v1/auth/sign-out")
        wrong = await client.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": "forged"})
        other = world.acme.members["bob"].csrf_token
        borrowed = await client.post("/api/v1/auth/sign-out", headers={"X-CSRF-Token": other})
        still_signed_in = await client.get(SESSION)
    for refused in (missing, wrong, borrowed):
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "forbidden"
    assert still_signed_in.status_code == 200


async def test_bearer_tokens_need_no_csrf_token(world: World, runtime: Runtime) -> None:
    async with runtime.database.write_session() as s:
        raw = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    async with world.bearer(raw) as client:
        created = await client.post(
            "/api/v1/invitations", json={"email": "zoe@example.com", "role": "agent"}
        )
    assert created.status_code == 201, created.text


async def test_requests_without_a_session_are_401(world: World, anon: httpx.AsyncClient) -> None:
    assert (await anon.get(SESSION)).status_code == 401
    anon.cookies.set("frontdesk_session", "made-up")
    response = await anon.get(SESSION)
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


async def test_sign_out_ends_only_that_session(world: World, published: Published) -> None:
    async with browser(world) as client:
        assert (await sign_in(client, "alice@acme.test")).status_code == 200
        old_cookie = client.cookies["frontdesk_session"]
        response = await client.post("/api/v1/auth/sign-out")
        assert response.status_code == 204
        cleared = set_cookies(response)
        assert cleared["frontdesk_session"].value == ""
        assert int(cleared["frontdesk_session"]["max-age"]) == 0
        client.cookies.set("frontdesk_session", old_cookie)
        assert (await client.get(SESSION)).status_code == 401
    async with world.client("alice") as persona:
        assert (await persona.get(SESSION)).status_code == 200


async def test_sign_out_everywhere_ends_every_session(world: World, published: Published) -> None:
    alice = world.acme.members["alice"]
    async with browser(world) as laptop, browser(world, "10.0.0.9") as phone:
        assert (await sign_in(laptop, "alice@acme.test")).status_code == 200
        assert (await sign_in(phone, "alice@acme.test")).status_code == 200
        phone_cookie = phone.cookies["frontdesk_session"]
        assert (await phone.post("/api/v1/auth/sign-out-everywhere")).status_code == 204
        assert (await laptop.get(SESSION)).status_code == 401
    async with browser(world) as replay:
        replay.cookies.set("frontdesk_session", phone_cookie)
        assert (await replay.get(SESSION)).status_code == 401
    async with world.client("alice") as persona, world.client("bob") as bob:
        assert (await persona.get(SESSION)).status_code == 401
        assert (await bob.get(SESSION)).status_code == 200
    assert published.types() == ["user.sessions_revoked"]
    assert published.events[0].audience == (f"user:{alice.id}",)
    assert published.events[0].payload["user_id"] == str(alice.id)


async def test_sessions_expire_after_the_configured_days(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    async with browser(world) as client:
        assert (await sign_in(client, "alice@acme.test")).status_code == 200
        clock.advance(days=runtime.session_days, seconds=-1)
        assert (await client.get(SESSION)).status_code == 200
        clock.advance(seconds=1)
        expired = await client.get(SESSION)
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "unauthenticated"


async def test_refreshing_last_seen_never_fails_a_request_while_others_write(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    """Signing a request in refreshes the session's (or token's) last-seen time now and then: a
    write. Requests that do so while other transactions commit must all succeed; on SQLite a
    write begun in a read transaction whose snapshot another commit has overtaken fails at
    once ("database is locked"), so the refresh must queue for the writer like any write."""
    async with runtime.database.write_session() as s:
        token = await Factory(s, clock.now()).api_token(world.acme.workspace, "manager")
        await s.commit()
    stop = False

    async def keep_writing() -> None:
        n = 0
        while not stop:
            async with runtime.database.write_session() as s:
                await s.execute(
                    AuthSession.__table__.update()
                    .where(AuthSession.user_id == world.acme.members["alice"].id)
                    .values(user_agent=f"writer {n}")
                )
                await s.commit()
            n += 1
            await asyncio.sleep(0)

    writer = asyncio.create_task(keep_writing())
    clients = [world.client(name) for name in ("bob", "carol", "dave")] + [world.bearer(token)]
    paths = ["/api/v1/me"] * 3 + ["/api/v1/teams"]  # a token acts in its workspace, not as "me"
    try:
        for _ in range(15):
            clock.advance(minutes=6)  # every session and the token are due for a refresh
            answers = await asyncio.gather(*(c.get(p) for c, p in zip(clients, paths, strict=True)))
            assert [a.status_code for a in answers] == [200] * len(clients), [
                a.text for a in answers if a.status_code != 200
            ]
    finally:
        stop = True
        await writer
        for c in clients:
            await c.aclose()


async def test_a_sign_in_leaves_the_process_answering_while_it_hashes(world: World) -> None:
    """argon2 spends a good part of a second of a core on each check; run on the event loop it
    stopped every other request, socket and webhook of the process for that long. The loop
    keeps running through sign-ins (known and unknown emails alike): the typical longest stall
    of a sign-in stays well under the time of one check measured just before it (the median
    over six sign-ins, so one stall of a loaded machine does not decide)."""
    stored = hash_password(PASSWORD)
    shares = []
    async with browser(world) as client:
        for n in range(3):
            for email, status in (("alice@acme.test", 200), (f"nobody{n}@acme.test", 401)):
                started = time.perf_counter()  # one check, just before, under the same load
                assert verify_password(stored, PASSWORD)
                one_check = time.perf_counter() - started
                async with longest_stall() as stall:
                    answer = await sign_in(client, email)
                assert answer.status_code == status, answer.text
                shares.append(stall.longest / one_check)
    assert statistics.median(shares) < 0.5, shares

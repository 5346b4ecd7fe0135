"""Two-factor sign-in: set-up confirmed by a code, sign-in in two steps, codes used once,
recovery codes, the workspace requirement, throttling, and the audit log.

Codes are computed with pyotp from the secret the API hands out, at the frozen clock's time.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pyotp
from sqlalchemy import select

from frontdesk.core.accounts.authn import credentials_live
from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.accounts.two_factor import reset_two_factor
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.factories import PASSWORD

TWO_FACTOR = "/api/v1/me/two-factor"
SIGN_IN = "/api/v1/auth/sign-in"
REQUIREMENT = "/api/v1/workspaces/current/two-factor"
LINK = re.compile(r"http://testserver/invite/([A-Za-z0-9_-]+)")


@asynccontextmanager
async def browser(world: World, ip: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=world.app, client=(ip, 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def code_at(secret: str, clock: FrozenClock, seconds: int = 0) -> str:
    return pyotp.TOTP(secret).at(clock.now().timestamp() + seconds)


async def turn_on(world: World, clock: FrozenClock, name: str = "alice") -> tuple[str, list[str]]:
    """Set up and confirm two-factor for `name`; returns the secret and the recovery codes."""
    async with world.client(name) as client:
        setup = await client.post(f"{TWO_FACTOR}/setup")
        assert setup.status_code == 200, setup.text
        secret = setup.json()["secret"]
        assert setup.json()["otpauth_uri"].startswith("otpauth://totp/")
        enabled = await client.post(f"{TWO_FACTOR}/enable", json={"code": code_at(secret, clock)})
        assert enabled.status_code == 200, enabled.text
    # The next code must come from a later time step (each step's code works once).
    clock.advance(seconds=30)
    return secret, enabled.json()["recovery_codes"]


async def audit_actions(runtime: Runtime, action_prefix: str) -> list[str]:
    async with runtime.database.read_session() as db:
        rows = await db.scalars(
            select(AuditLogEntry.action)
            .where(AuditLogEntry.action.startswith(action_prefix))
            .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
        )
        return list(rows)


async def password_step(client: httpx.AsyncClient, email: str) -> httpx.Response:
    response = await client.post(SIGN_IN, json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response


async def test_enabling_needs_a_right_code_and_gives_ten_recovery_codes_once(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    async with world.client("alice") as alice:
        secret = (await alice.post(f"{TWO_FACTOR}/setup")).json()["secret"]
        wrong = await alice.post(f"{TWO_FACTOR}/enable", json={"code": "000000"})
        assert wrong.status_code == 422
        assert wrong.json()["error"]["details"]["field"] == "code"
        assert (await alice.get(TWO_FACTOR)).json() == {"enabled": False, "recovery_codes_left": 0}
        right = await alice.post(f"{TWO_FACTOR}/enable", json={"code": code_at(secret, clock)})
        assert right.status_code == 200
        codes = right.json()["recovery_codes"]
        assert len(codes) == len(set(codes)) == 10
        assert (await alice.get(TWO_FACTOR)).json() == {"enabled": True, "recovery_codes_left": 10}
        # On already: no new secret until it is turned off.
        assert (await alice.post(f"{TWO_FACTOR}/setup")).status_code == 409
        me = (await alice.get("/api/v1/me")).json()
    assert me["user"]["two_factor_enabled"] is True
    async with runtime.database.read_session() as db:
        user = await db.get_one(User, world.acme.members["alice"].id)
        # Sealed with the secret key, never stored as is.
        assert user.totp_secret is not None
        assert secret not in user.totp_secret
    assert await audit_actions(runtime, "two_factor.") == ["two_factor.enabled"]


async def test_sign_in_asks_for_the_code_before_any_session_exists(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    secret, _ = await turn_on(world, clock)
    async with runtime.database.read_session() as db:
        before = len(list(await db.scalars(select(AuthSession.id))))
    async with browser(world) as client:
        first = await password_step(client, "alice@acme.test")
        assert first.json()["two_factor_required"] is True
        assert "frontdesk_session" not in client.cookies
        assert (await client.get("/api/v1/me")).status_code == 401
        async with runtime.database.read_session() as db:
            assert len(list(await db.scalars(select(AuthSession.id)))) == before
        wrong = await client.post(f"{SIGN_IN}/code", json={"code": "123456"})
        assert wrong.status_code == 422
        done = await client.post(f"{SIGN_IN}/code", json={"code": code_at(secret, clock)})
        assert done.status_code == 200, done.text
        assert done.json()["user"]["email"] == "alice@acme.test"
        assert (await client.get("/api/v1/me")).status_code == 200


async def test_a_code_is_refused_the_second_time_within_its_window(
    world: World, clock: FrozenClock
) -> None:
    secret, _ = await turn_on(world, clock)
    code = code_at(secret, clock)
    async with browser(world) as first:
        await password_step(first, "alice@acme.test")
        assert (await first.post(f"{SIGN_IN}/code", json={"code": code})).status_code == 200
    clock.advance(seconds=5)
    async with browser(world) as second:
        await password_step(second, "alice@acme.test")
        replay = await second.post(f"{SIGN_IN}/code", json={"code": code})
        assert replay.status_code == 422
        # The previous step's code is older than the one used: refused too.
        older = code_at(secret, clock, -30)
        assert (await second.post(f"{SIGN_IN}/code", json={"code": older})).status_code == 422
        clock.advance(seconds=30)
        fresh = code_at(secret, clock)
        assert (await second.post(f"{SIGN_IN}/code", json={"code": fresh})).status_code == 200


async def test_the_half_done_sign_in_expires_after_five_minutes(
    world: World, clock: FrozenClock
) -> None:
    secret, _ = await turn_on(world, clock)
    async with browser(world) as client:
        await password_step(client, "alice@acme.test")
        clock.advance(seconds=5 * 60)
        late = await client.post(f"{SIGN_IN}/code", json={"code": code_at(secret, clock)})
        assert late.status_code == 401
    async with browser(world) as stranger:
        # No challenge at all: nothing to complete.
        assert (await stranger.post(f"{SIGN_IN}/code", json={"code": "123456"})).status_code == 401


async def test_a_recovery_code_signs_in_once(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    _, codes = await turn_on(world, clock)
    async with browser(world) as client:
        await password_step(client, "alice@acme.test")
        used = await client.post(f"{SIGN_IN}/code", json={"code": codes[0].upper()})
        assert used.status_code == 200, used.text
    async with browser(world) as again:
        await password_step(again, "alice@acme.test")
        assert (await again.post(f"{SIGN_IN}/code", json={"code": codes[0]})).status_code == 422
    async with world.client("alice") as alice:
        assert (await alice.get(TWO_FACTOR)).json()["recovery_codes_left"] == 9
    assert "two_factor.recovery_code_used" in await audit_actions(runtime, "two_factor.")


async def test_regenerating_recovery_codes_retires_the_old_ones(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    secret, old = await turn_on(world, clock)
    async with world.client("alice") as alice:
        refused = await alice.post(f"{TWO_FACTOR}/recovery-codes", json={"code": old[0]})
        assert refused.status_code == 422  # an app code is needed, not a recovery code
        new = await alice.post(
            f"{TWO_FACTOR}/recovery-codes", json={"code": code_at(secret, clock)}
        )
        assert new.status_code == 200
        assert set(new.json()["recovery_codes"]).isdisjoint(old)
    async with browser(world) as client:
        await password_step(client, "alice@acme.test")
        assert (await client.post(f"{SIGN_IN}/code", json={"code": old[1]})).status_code == 422
        fresh = new.json()["recovery_codes"][0]
        assert (await client.post(f"{SIGN_IN}/code", json={"code": fresh})).status_code == 200
    assert "two_factor.recovery_codes_regenerated" in await audit_actions(runtime, "two_factor.")


async def test_disabling_needs_a_code_and_then_the_password_is_enough(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    secret, _ = await turn_on(world, clock)
    async with world.client("alice") as alice:
        assert (
            await alice.post(f"{TWO_FACTOR}/disable", json={"code": "999999"})
        ).status_code == 422
        off = await alice.post(f"{TWO_FACTOR}/disable", json={"code": code_at(secret, clock)})
        assert off.status_code == 204
        assert (await alice.get(TWO_FACTOR)).json() == {"enabled": False, "recovery_codes_left": 0}
    async with browser(world) as client:
        signed_in = await password_step(client, "alice@acme.test")
        assert signed_in.json()["user"]["two_factor_enabled"] is False
    assert await audit_actions(runtime, "two_factor.") == [
        "two_factor.enabled",
        "two_factor.disabled",
    ]


async def test_wrong_codes_count_in_the_sign_in_throttle(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    secret, _ = await turn_on(world, clock)
    free = runtime.sign_in_throttle.free_failures
    async with browser(world) as client:
        await password_step(client, "alice@acme.test")
        for _ in range(free):
            assert (
                await client.post(f"{SIGN_IN}/code", json={"code": "000000"})
            ).status_code == 422
        right = code_at(secret, clock)
        refused = await client.post(f"{SIGN_IN}/code", json={"code": right})
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "rate_limited"
        clock.advance(seconds=refused.json()["error"]["details"]["retry_after"])
        now_right = code_at(secret, clock)
        assert (await client.post(f"{SIGN_IN}/code", json={"code": now_right})).status_code == 200
    assert "sign_in.throttled" in await audit_actions(runtime, "sign_in.")


async def test_owners_require_two_factor_and_members_without_it_can_only_set_it_up(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    async with world.client("alice") as alice:
        # Not before the owner has it, so they cannot lock themself out.
        early = await alice.put(REQUIREMENT, json={"required": True})
        assert early.status_code == 422
    await turn_on(world, clock)
    async with world.client("dave") as dave:
        assert (await dave.put(REQUIREMENT, json={"required": True})).status_code == 403
    async with world.client("alice") as alice:
        on = await alice.put(REQUIREMENT, json={"required": True})
        assert on.status_code == 200
        assert on.json() == {"required": True}
        assert (await alice.get("/api/v1/conversations")).status_code == 200
    async with world.client("bob") as bob:
        blocked = await bob.get("/api/v1/conversations")
        assert blocked.status_code == 403
        assert blocked.json()["error"]["code"] == "two_factor_required"
        me = (await bob.get("/api/v1/me")).json()
        assert me["workspace"]["requires_two_factor"] is True
        assert me["user"]["two_factor_enabled"] is False
    _secret_bob, _ = await turn_on(world, clock, "bob")
    async with world.client("bob") as bob:
        assert (await bob.get("/api/v1/conversations")).status_code == 200
        assert (await bob.post("/api/v1/auth/sign-out")).status_code == 204
    # Another workspace's members are not concerned.
    async with world.client("olive") as olive:
        assert (await olive.get("/api/v1/conversations")).status_code == 200
    assert "two_factor.requirement_changed" in await audit_actions(runtime, "two_factor.")


async def test_signing_out_works_while_two_factor_is_required(
    world: World, clock: FrozenClock
) -> None:
    await turn_on(world, clock)
    async with world.client("alice") as alice:
        assert (await alice.put(REQUIREMENT, json={"required": True})).status_code == 200
    async with world.client("carol") as carol:
        assert (await carol.get(TWO_FACTOR)).status_code == 200
        assert (await carol.post("/api/v1/auth/sign-out")).status_code == 204


async def test_an_invitation_for_an_account_with_two_factor_asks_for_the_code(
    world: World, clock: FrozenClock, mailer: LogMailer
) -> None:
    secret, _ = await turn_on(world, clock, "oscar")
    async with world.client("alice") as alice:
        await alice.post("/api/v1/invitations", json={"email": "oscar@other.test", "role": "agent"})
    match = LINK.search(str(mailer.sent[-1].get_content()))
    assert match is not None
    link = match.group(1)
    async with browser(world) as client:
        accepted = await client.post(
            f"/api/v1/auth/invitations/{link}/accept", json={"password": PASSWORD}
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["two_factor_required"] is True
        assert "frontdesk_session" not in client.cookies
        done = await client.post(f"{SIGN_IN}/code", json={"code": code_at(secret, clock)})
        assert done.status_code == 200


async def test_live_sockets_of_members_without_two_factor_lapse_once_it_is_required(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    """The periodic recheck of a socket's credentials also applies the requirement."""
    bob = world.acme.members["bob"]
    acme = world.acme.id
    async with runtime.database.read_session() as db:
        session_id = await db.scalar(select(AuthSession.id).where(AuthSession.user_id == bob.id))
        now = clock.now()
        assert await credentials_live(db, now, session_id=session_id, workspace_id=acme)
    await turn_on(world, clock)
    async with world.client("alice") as alice:
        assert (await alice.put(REQUIREMENT, json={"required": True})).status_code == 200
    async with runtime.database.read_session() as db:
        now = clock.now()
        assert not await credentials_live(db, now, session_id=session_id, workspace_id=acme)
        # The same session is still good for signing out or setting two-factor up.
        assert await credentials_live(db, now, session_id=session_id)


async def test_the_command_line_resets_a_lost_second_factor_and_says_so_in_the_log(
    world: World, clock: FrozenClock, runtime: Runtime
) -> None:
    await turn_on(world, clock)
    async with runtime.uow() as uow:
        message = await reset_two_factor(uow, " Alice@acme.test ")
        await uow.commit()
    assert "turned off" in message
    async with browser(world) as client:
        signed_in = await password_step(client, "alice@acme.test")
        assert signed_in.json()["user"]["two_factor_enabled"] is False
    async with runtime.database.read_session() as db:
        entry = await db.scalar(
            select(AuditLogEntry).where(AuditLogEntry.action == "two_factor.reset")
        )
    assert entry is not None
    assert entry.actor_user_id is None
    assert entry.target_id == str(world.acme.members["alice"].id)
    async with runtime.uow() as uow:
        assert "not on" in await reset_two_factor(uow, "alice@acme.test")

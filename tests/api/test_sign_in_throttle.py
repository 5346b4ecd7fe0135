"""Password checks are throttled per (account, address) with a growing wait, and per address
across accounts up to a higher ceiling; an account is never locked for everyone.

Time moves only through the frozen clock.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace

import httpx
from sqlalchemy import func, select

from frontdesk.core.accounts.models import LoginAttempt
from frontdesk.core.accounts.ratelimit import SignInThrottle
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Membership
from tests.conftest import World
from tests.factories import PASSWORD

SIGN_IN = "/api/v1/auth/sign-in"
WRONG = "not the password at all"


@asynccontextmanager
async def browser(world: World, ip: str = "127.0.0.1") -> AsyncIterator[httpx.AsyncClient]:
    """A client that keeps cookies like a browser, coming from address `ip`."""
    transport = httpx.ASGITransport(app=world.app, client=(ip, 50000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def sign_in(world: World, ip: str, email: str, password: str = PASSWORD) -> httpx.Response:
    async with browser(world, ip) as client:
        return await client.post(SIGN_IN, json={"email": email, "password": password})


async def fail(world: World, ip: str, email: str, times: int) -> None:
    for _ in range(times):
        assert (await sign_in(world, ip, email, WRONG)).status_code == 401


def retry_after(response: httpx.Response) -> int:
    assert response.status_code == 429, response.text
    assert response.json()["error"]["code"] == "rate_limited"
    wait: int = response.json()["error"]["details"]["retry_after"]
    assert response.headers["Retry-After"] == str(wait)
    return wait


async def test_the_wait_grows_with_each_failure_of_one_account_from_one_address(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    free = runtime.sign_in_throttle.free_failures
    await fail(world, "10.0.0.1", "alice@acme.test", free)
    waits = []
    for _ in range(3):
        # Refused before the password is looked at, the right one too.
        waits.append(retry_after(await sign_in(world, "10.0.0.1", "alice@acme.test")))
        clock.advance(seconds=waits[-1] - 1)
        assert (await sign_in(world, "10.0.0.1", "alice@acme.test")).status_code == 429
        clock.advance(seconds=1)
        await fail(world, "10.0.0.1", "alice@acme.test", 1)
    assert waits == [2, 4, 8]
    wait = retry_after(await sign_in(world, "10.0.0.1", "alice@acme.test"))
    assert wait == 16
    clock.advance(seconds=wait)
    assert (await sign_in(world, "10.0.0.1", "alice@acme.test")).status_code == 200
    # The right password forgets the pair's failures: the next mistake is free again.
    await fail(world, "10.0.0.1", "alice@acme.test", 1)
    assert (await sign_in(world, "10.0.0.1", "alice@acme.test")).status_code == 200


async def test_another_address_s_failures_never_refuse_a_right_password(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    """Before: ten failures from anywhere locked the account for everyone for 15 minutes."""
    for n in range(1, 11):  # ten failures, each after the wait the one before asked for
        await fail(world, "10.0.0.1", "alice@acme.test", 1)
        clock.advance(seconds=runtime.sign_in_throttle.wait_after(n))
    clock.advance(seconds=-1)
    assert (await sign_in(world, "10.0.0.1", "alice@acme.test")).status_code == 429
    assert (await sign_in(world, "10.0.0.2", "alice@acme.test")).status_code == 200


async def test_colleagues_behind_one_address_do_not_lock_each_other_out(
    world: World, runtime: Runtime
) -> None:
    """Before: ten failures from one address locked every account behind it."""
    nat = "203.0.113.7"
    for email in ("bob@acme.test", "carol@acme.test", "dave@acme.test"):
        await fail(world, nat, email, 4)
    for email in ("alice@acme.test", "bob@acme.test", "vera@acme.test"):
        assert (await sign_in(world, nat, email)).status_code == 200


async def test_one_address_trying_many_accounts_meets_a_ceiling(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    runtime.sign_in_throttle = replace(runtime.sign_in_throttle, address_ceiling=12)
    for n in range(12):
        await fail(world, "198.51.100.9", f"guess{n}@acme.test", 1)
    wait = retry_after(await sign_in(world, "198.51.100.9", "alice@acme.test"))
    assert wait == runtime.sign_in_throttle.max_wait_seconds
    # Only that address: everyone else signs in.
    assert (await sign_in(world, "198.51.100.10", "alice@acme.test")).status_code == 200
    # Refused attempts are not counted, so they do not push the wait further.
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(LoginAttempt)) == 12
    clock.advance(seconds=wait)
    assert (await sign_in(world, "198.51.100.9", "alice@acme.test")).status_code == 200


async def test_an_ipv6_host_counts_as_its_whole_64(world: World, runtime: Runtime) -> None:
    free = runtime.sign_in_throttle.free_failures
    for n in range(free):
        wrong = await sign_in(world, f"2001:db8::{n + 1}", "alice@acme.test", WRONG)
        assert wrong.status_code == 401
    assert (await sign_in(world, "2001:db8::ffff", "alice@acme.test")).status_code == 429
    assert (await sign_in(world, "2001:db8:0:1::1", "alice@acme.test")).status_code == 200


async def test_the_owners_find_throttling_in_the_audit_log(world: World, runtime: Runtime) -> None:
    free = runtime.sign_in_throttle.free_failures
    await fail(world, "10.0.0.1", "bob@acme.test", free)
    assert (await sign_in(world, "10.0.0.1", "bob@acme.test", WRONG)).status_code == 429
    async with world.client("alice") as alice:
        entries = (await alice.get("/api/v1/audit-log")).json()["items"]
    throttled = [e for e in entries if e["action"] == "sign_in.throttled"]
    assert len(throttled) == 1  # when the waits began, not once per failure
    entry = throttled[0]
    assert entry["target_id"] == str(world.acme.members["bob"].id)
    assert entry["ip_address"] == "10.0.0.1"
    assert entry["details"]["email"] == "bob@acme.test"
    assert entry["details"]["failures"] == free
    assert entry["actor_user_id"] is None
    # Not in a workspace bob is not in.
    async with runtime.database.read_session() as db:
        elsewhere = await db.scalar(
            select(func.count())
            .select_from(AuditLogEntry)
            .where(AuditLogEntry.workspace_id == world.other.id)
        )
    assert elsewhere == 0


async def test_an_address_at_its_ceiling_is_in_the_audit_log_of_the_accounts_tried(
    world: World, runtime: Runtime
) -> None:
    runtime.sign_in_throttle = replace(runtime.sign_in_throttle, address_ceiling=4)
    for email in ("bob@acme.test", "carol@acme.test", "nobody@acme.test", "oscar@other.test"):
        await fail(world, "198.51.100.9", email, 1)
    async with runtime.database.read_session() as db:
        rows = (
            await db.execute(
                select(AuditLogEntry.workspace_id, AuditLogEntry.details).where(
                    AuditLogEntry.action == "sign_in.address_throttled"
                )
            )
        ).all()
    by_workspace = {}
    for workspace_id, details in rows:
        by_workspace.setdefault(workspace_id, set()).add(details["email"])
    assert by_workspace == {
        world.acme.id: {"bob@acme.test", "carol@acme.test"},
        world.other.id: {"oscar@other.test"},
    }


async def test_accepting_an_invitation_is_throttled_like_signing_in(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    """Before: an existing account's password could be tried there without any limit."""
    async with world.client("oscar") as oscar:
        invited = await oscar.post(
            "/api/v1/invitations", json={"email": "bob@acme.test", "role": "agent"}
        )
    assert invited.status_code == 201, invited.text
    link = re.search(r"/invite/([A-Za-z0-9_\-]+)", mailer.sent[-1].get_content())
    assert link is not None
    accept = f"/api/v1/auth/invitations/{link.group(1)}/accept"
    free = runtime.sign_in_throttle.free_failures
    # Sign-in failures and invitation failures count together.
    await fail(world, "10.0.0.1", "bob@acme.test", free - 1)
    async with browser(world, "10.0.0.1") as client:
        wrong = await client.post(accept, json={"password": WRONG})
        assert wrong.status_code == 401
        right = await client.post(accept, json={"password": PASSWORD})
        retry_after(right)
    assert retry_after(await sign_in(world, "10.0.0.1", "bob@acme.test")) == 2
    async with runtime.database.read_session() as db:
        joined = await db.scalar(
            select(func.count())
            .select_from(Membership)
            .where(Membership.workspace_id == world.other.id)
        )
    assert joined == 2  # oscar and olive: bob has not joined
    # From another address the right password is accepted.
    async with browser(world, "10.0.0.2") as client:
        assert (await client.post(accept, json={"password": PASSWORD})).status_code == 200


async def test_changing_the_password_is_throttled_like_signing_in(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    """Before: a borrowed session could guess the current password without any limit."""
    free = runtime.sign_in_throttle.free_failures
    async with world.client("bob") as bob:
        for _ in range(free):
            wrong = await bob.post(
                "/api/v1/me/password",
                json={"current_password": WRONG, "new_password": "a brand new passphrase"},
            )
            assert wrong.status_code == 422
        right = await bob.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        )
        wait = retry_after(right)
        clock.advance(seconds=wait)
        right = await bob.post(
            "/api/v1/me/password",
            json={"current_password": PASSWORD, "new_password": "a brand new passphrase"},
        )
    assert right.status_code == 204


def test_the_policy_defaults() -> None:
    policy = SignInThrottle()
    assert (policy.free_failures, policy.max_wait_seconds, policy.address_ceiling) == (5, 900, 100)
    assert [policy.wait_after(n) for n in range(4, 9)] == [0, 2, 4, 8, 16]
    assert policy.wait_after(14) == policy.wait_after(1000) == policy.max_wait_seconds

"""Invitations: sent by mail, previewed and accepted through the link, revoked, expiring."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from sqlalchemy import func, select

from frontdesk.core.accounts.models import Invitation, User
from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.clock import FrozenClock
from frontdesk.core.mail import LogMailer
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token, verify_password
from frontdesk.core.workspaces.models import Membership
from tests.conftest import Published, World
from tests.factories import PASSWORD

API = "/api/v1/invitations"
PUBLIC = "/api/v1/auth/invitations"
LINK = re.compile(r"http://testserver/invite/([A-Za-z0-9_-]+)")
NEW_PASSWORD = "zoe's long passphrase"


@asynccontextmanager
async def browser(world: World) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=world.app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


async def invite(
    world: World, mailer: LogMailer, email: str, role: str = "agent", by: str = "alice"
) -> tuple[str, str]:
    """Invite through the API; returns the invitation id and the token read from the mail."""
    async with world.client(by) as client:
        response = await client.post(API, json={"email": email, "role": role})
    assert response.status_code == 201, response.text
    match = LINK.search(mailer.sent[-1].get_content())
    assert match is not None
    return response.json()["id"], match.group(1)


async def membership_role(runtime: Runtime, world: World, email: str) -> str | None:
    async with runtime.database.read_session() as db:
        return await db.scalar(
            select(Membership.role)
            .join(User, User.id == Membership.user_id)
            .where(Membership.workspace_id == world.acme.id, User.email == email)
        )


async def count_users(runtime: Runtime) -> int:
    async with runtime.database.read_session() as db:
        return int(await db.scalar(select(func.count()).select_from(User)) or 0)


async def test_an_invitation_sends_a_mail_with_the_link(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    async with world.client("alice") as alice:
        response = await alice.post(API, json={"email": " Zoe@Example.COM ", "role": "manager"})
        listed = (await alice.get(API)).json()
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["email"], body["role"]) == ("zoe@example.com", "manager")
    assert "token" not in body
    assert "token_hash" not in body
    assert [i["id"] for i in listed] == [body["id"]]
    assert len(mailer.sent) == 1
    mail = mailer.sent[0]
    assert mail["To"] == "zoe@example.com"
    assert "Acme Clients" in mail["Subject"]
    match = LINK.search(mail.get_content())
    assert match is not None
    token = match.group(1)
    async with runtime.database.read_session() as db:
        stored = await db.scalar(select(Invitation).where(Invitation.workspace_id == world.acme.id))
        audit = await db.scalars(select(AuditLogEntry.action))
        assert stored is not None
        assert stored.token_hash == hash_token(token)
        assert token not in stored.token_hash
        assert stored.invited_by_id == world.acme.members["alice"].id
        assert stored.created_at == runtime.clock.now()
        assert stored.expires_at == stored.created_at + timedelta(days=7)
        assert list(audit) == ["invitation.created"]


async def test_preview_and_accept_create_a_signed_in_member(
    world: World, runtime: Runtime, mailer: LogMailer, published: Published
) -> None:
    _, token = await invite(world, mailer, "zoe@example.com", "manager")
    users_before = await count_users(runtime)
    async with browser(world) as zoe:
        preview = await zoe.get(f"{PUBLIC}/{token}")
        assert preview.status_code == 200
        assert preview.json() == {
            "workspace_name": "Acme Clients",
            "email": "zoe@example.com",
            "role": "manager",
            "has_account": False,
        }
        accepted = await zoe.post(
            f"{PUBLIC}/{token}/accept", json={"name": "Zoe", "password": NEW_PASSWORD}
        )
        assert accepted.status_code == 200, accepted.text
        body = accepted.json()
        assert body["user"]["email"] == "zoe@example.com"
        assert body["user"]["name"] == "Zoe"
        assert body["workspace"]["id"] == str(world.acme.id)
        assert body["workspace"]["role"] == "manager"
        assert "frontdesk_session" in zoe.cookies
        current = await zoe.get("/api/v1/workspaces/current")
        assert current.status_code == 200
        assert current.json()["role"] == "manager"
        again = await zoe.post(
            f"{PUBLIC}/{token}/accept", json={"name": "Zoe", "password": NEW_PASSWORD}
        )
        preview_again = await zoe.get(f"{PUBLIC}/{token}")
    assert again.status_code == preview_again.status_code == 404
    assert await count_users(runtime) == users_before + 1
    assert await membership_role(runtime, world, "zoe@example.com") == "manager"
    async with runtime.database.read_session() as db:
        zoe_user = await db.scalar(select(User).where(User.email == "zoe@example.com"))
        assert zoe_user is not None
        assert verify_password(zoe_user.password_hash, NEW_PASSWORD)
        assert zoe_user.organisation_id == world.acme.workspace.organisation_id
    assert published.types() == ["member.changed"]
    assert published.events[0].payload == {"user_id": str(zoe_user.id), "change": "joined"}
    async with world.client("alice") as alice:
        assert (await alice.get(API)).json() == []
        names = [m["name"] for m in (await alice.get("/api/v1/members")).json()["items"]]
    assert "Zoe" in names


async def test_a_new_member_keeps_the_language_of_the_invitation_page(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    _, token = await invite(world, mailer, "zoe@example.com")
    _, other = await invite(world, mailer, "yan@example.com")
    async with browser(world) as zoe:
        unknown = await zoe.post(
            f"{PUBLIC}/{token}/accept",
            json={"name": "Zoe", "password": NEW_PASSWORD, "language": "fr"},
        )
        assert unknown.status_code == 422
        assert (await zoe.get(f"{PUBLIC}/{token}")).status_code == 200  # nothing written
        accepted = await zoe.post(
            f"{PUBLIC}/{token}/accept",
            json={"name": "Zoe", "password": NEW_PASSWORD, "language": "pt-BR"},
        )
        me = (await zoe.get("/api/v1/me")).json()
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["user"]["language"] == me["user"]["language"] == "pt-BR"
    async with browser(world) as yan:
        plain = await yan.post(
            f"{PUBLIC}/{other}/accept", json={"name": "Yan", "password": NEW_PASSWORD}
        )
    assert plain.json()["user"]["language"] == "en"


async def test_joining_with_an_account_keeps_its_language(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    _, token = await invite(world, mailer, "oscar@other.test", "viewer")
    async with browser(world) as oscar:
        joined = await oscar.post(
            f"{PUBLIC}/{token}/accept", json={"password": PASSWORD, "language": "vi"}
        )
    assert joined.status_code == 200, joined.text
    assert joined.json()["user"]["language"] == "en"


async def test_accepting_needs_a_name_and_a_long_password(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    _, token = await invite(world, mailer, "zoe@example.com")
    users_before = await count_users(runtime)
    async with browser(world) as zoe:
        nameless = await zoe.post(f"{PUBLIC}/{token}/accept", json={"password": NEW_PASSWORD})
        short = await zoe.post(
            f"{PUBLIC}/{token}/accept", json={"name": "Zoe", "password": "short"}
        )
        still_open = await zoe.get(f"{PUBLIC}/{token}")
    assert nameless.status_code == short.status_code == 422
    assert nameless.json()["error"]["details"]["field"] == "name"
    assert short.json()["error"]["details"]["field"] == "password"
    assert still_open.status_code == 200
    assert await count_users(runtime) == users_before
    assert await membership_role(runtime, world, "zoe@example.com") is None


async def test_someone_with_an_account_joins_with_their_own_password(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    _, token = await invite(world, mailer, "oscar@other.test", "viewer")
    users_before = await count_users(runtime)
    async with browser(world) as oscar:
        preview = await oscar.get(f"{PUBLIC}/{token}")
        wrong = await oscar.post(f"{PUBLIC}/{token}/accept", json={"password": "not oscar's"})
        joined = await oscar.post(f"{PUBLIC}/{token}/accept", json={"password": PASSWORD})
    assert preview.json()["has_account"] is True
    assert wrong.status_code == 401
    assert joined.status_code == 200, joined.text
    assert joined.json()["workspace"]["id"] == str(world.acme.id)
    assert await count_users(runtime) == users_before
    assert await membership_role(runtime, world, "oscar@other.test") == "viewer"
    async with world.client("oscar") as client:
        workspaces = (await client.get("/api/v1/workspaces")).json()
    assert {w["slug"]: w["role"] for w in workspaces} == {"acme": "viewer", "other": "owner"}


async def test_a_second_invitation_for_someone_who_already_joined_is_a_conflict(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    _, first = await invite(world, mailer, "oscar@other.test", "viewer")
    _, second = await invite(world, mailer, "oscar@other.test", "manager")
    async with browser(world) as oscar:
        assert (
            await oscar.post(f"{PUBLIC}/{first}/accept", json={"password": PASSWORD})
        ).status_code == 200
        conflict = await oscar.post(f"{PUBLIC}/{second}/accept", json={"password": PASSWORD})
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    assert await membership_role(runtime, world, "oscar@other.test") == "viewer"


async def test_inviting_an_existing_member_is_a_conflict(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    async with world.client("alice") as alice:
        response = await alice.post(API, json={"email": "BOB@acme.test", "role": "manager"})
        bad_email = await alice.post(API, json={"email": "bob at acme", "role": "agent"})
        bad_role = await alice.post(API, json={"email": "zoe@example.com", "role": "admin"})
    assert response.status_code == 409
    assert bad_email.status_code == bad_role.status_code == 422
    assert bad_email.json()["error"]["details"]["field"] == "email"
    assert bad_role.json()["error"]["details"]["field"] == "role"
    assert mailer.sent == []
    async with runtime.database.read_session() as db:
        assert await db.scalar(select(func.count()).select_from(Invitation)) == 0


async def test_a_revoked_invitation_no_longer_opens(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    invitation_id, token = await invite(world, mailer, "zoe@example.com")
    async with world.client("dave") as dave:
        revoked = await dave.delete(f"{API}/{invitation_id}")
        listed = (await dave.get(API)).json()
    assert revoked.status_code == 204
    assert listed == []
    async with browser(world) as zoe:
        preview = await zoe.get(f"{PUBLIC}/{token}")
        accept = await zoe.post(
            f"{PUBLIC}/{token}/accept", json={"name": "Zoe", "password": NEW_PASSWORD}
        )
    assert preview.status_code == accept.status_code == 404
    assert await membership_role(runtime, world, "zoe@example.com") is None
    async with runtime.database.read_session() as db:
        audit = await db.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id))
        assert list(audit) == ["invitation.created", "invitation.revoked"]


async def test_an_invitation_expires_after_seven_days(
    world: World, runtime: Runtime, mailer: LogMailer, clock: FrozenClock
) -> None:
    _, token = await invite(world, mailer, "zoe@example.com")
    async with browser(world) as zoe:
        clock.advance(days=6)
        assert (await zoe.get(f"{PUBLIC}/{token}")).status_code == 200
        clock.advance(days=2)
        preview = await zoe.get(f"{PUBLIC}/{token}")
        accept = await zoe.post(
            f"{PUBLIC}/{token}/accept", json={"name": "Zoe", "password": NEW_PASSWORD}
        )
        unknown = await zoe.get(f"{PUBLIC}/made-up-token")
    assert preview.status_code == accept.status_code == unknown.status_code == 404
    assert preview.json() == unknown.json()
    assert await membership_role(runtime, world, "zoe@example.com") is None


async def test_who_may_invite(world: World, runtime: Runtime, mailer: LogMailer) -> None:
    async with world.client("bob") as bob, world.client("vera") as vera:
        by_agent = await bob.post(API, json={"email": "zoe@example.com", "role": "agent"})
        by_viewer = await vera.post(API, json={"email": "zoe@example.com", "role": "agent"})
        agent_list = await bob.get(API)
    async with world.client("dave") as dave:
        owner_by_manager = await dave.post(API, json={"email": "zoe@example.com", "role": "owner"})
        agent_by_manager = await dave.post(API, json={"email": "yan@example.com", "role": "agent"})
    async with world.client("alice") as alice:
        owner_by_owner = await alice.post(API, json={"email": "xia@example.com", "role": "owner"})
    assert by_agent.status_code == by_viewer.status_code == agent_list.status_code == 403
    assert owner_by_manager.status_code == 403
    assert agent_by_manager.status_code == owner_by_owner.status_code == 201
    assert [m["To"] for m in mailer.sent] == ["yan@example.com", "xia@example.com"]
    async with runtime.database.read_session() as db:
        emails = await db.scalars(select(Invitation.email).order_by(Invitation.email))
        assert list(emails) == ["xia@example.com", "yan@example.com"]


async def test_other_workspace_invitations_are_not_found(
    world: World, runtime: Runtime, mailer: LogMailer
) -> None:
    invitation_id, token = await invite(world, mailer, "zoe@example.com")
    async with world.client("oscar") as oscar:
        revoke = await oscar.delete(f"{API}/{invitation_id}")
        listed = (await oscar.get(API)).json()
    assert revoke.status_code == 404
    assert listed == []
    async with browser(world) as zoe:
        assert (await zoe.get(f"{PUBLIC}/{token}")).status_code == 200

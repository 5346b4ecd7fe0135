"""The signed-in user's own account: profile, password and current workspace."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from sqlalchemy import select

from frontdesk.core.accounts.models import AuthSession, User
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token, verify_password
from tests.conftest import Published, World
from tests.factories import PASSWORD, Factory

ME = "/api/v1/me"
NEW_PASSWORD = "a much longer new passphrase"


async def db_user(runtime: Runtime, user_id: uuid.UUID) -> User:
    async with runtime.database.read_session() as db:
        return await db.get_one(User, user_id)


async def session_workspace(runtime: Runtime, token: str) -> uuid.UUID | None:
    async with runtime.database.read_session() as db:
        session = await db.scalar(
            select(AuthSession).where(AuthSession.token_hash == hash_token(token))
        )
        assert session is not None
        return session.workspace_id


@asynccontextmanager
async def signed_in(world: World, email: str) -> AsyncIterator[httpx.AsyncClient]:
    """A browser that signed in itself, with a session of its own."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as client:
        response = await client.post(
            "/api/v1/auth/sign-in", json={"email": email, "password": PASSWORD}
        )
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


async def test_read_me(world: World) -> None:
    async with world.client("bob") as bob:
        response = await bob.get(ME)
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["id"] == str(world.acme.members["bob"].id)
    assert body["user"]["name"] == "Bob"
    assert body["user"]["language"] == "en"
    assert body["workspace"]["id"] == str(world.acme.id)
    assert body["workspace"]["role"] == "agent"
    assert [w["slug"] for w in body["workspaces"]] == ["acme"]


async def test_update_name_and_language(world: World, runtime: Runtime) -> None:
    bob = world.acme.members["bob"]
    async with world.client("bob") as client:
        response = await client.patch(ME, json={"name": "  Bobby  ", "language": "pt-BR"})
    assert response.status_code == 200, response.text
    assert response.json()["user"]["name"] == "Bobby"
    assert response.json()["user"]["language"] == "pt-BR"
    stored = await db_user(runtime, bob.id)
    assert (stored.name, stored.language, stored.email) == ("Bobby", "pt-BR", "bob@acme.test")


async def test_bad_profile_changes_are_422_and_write_nothing(
    world: World, runtime: Runtime
) -> None:
    bob = world.acme.members["bob"]
    async with world.client("bob") as client:
        language = await client.patch(ME, json={"name": "Robert", "language": "klingon"})
        empty_name = await client.patch(ME, json={"name": "   "})
        null_name = await client.patch(ME, json={"name": None})
        email = await client.patch(ME, json={"email": "boss@acme.test"})
    assert language.status_code == 422
    assert language.json()["error"]["details"]["field"] == "language"
    assert empty_name.status_code == 422
    assert empty_name.json()["error"]["details"]["field"] == "name"
    assert null_name.status_code == 422
    assert null_name.json()["error"]["details"]["field"] == "name"
    assert email.status_code == 422
    assert email.json()["error"]["details"]["field"] == "email"
    stored = await db_user(runtime, bob.id)
    assert (stored.name, stored.language, stored.email) == ("Bob", "en", "bob@acme.test")


async def test_profile_changes_need_a_session_and_csrf(
    world: World, anon: httpx.AsyncClient
) -> None:
    assert (await anon.get(ME)).status_code == 401
    async with world.client("bob") as client:
        del client.headers["X-CSRF-Token"]
        assert (await client.patch(ME, json={"name": "Mallory"})).status_code == 403


async def test_change_password_ends_the_other_sessions(
    world: World, runtime: Runtime, published: Published
) -> None:
    alice = world.acme.members["alice"]
    async with (
        signed_in(world, "alice@acme.test") as laptop,
        signed_in(world, "alice@acme.test") as phone,
    ):
        response = await laptop.post(
            f"{ME}/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}
        )
        assert response.status_code == 204, response.text
        assert (await laptop.get(ME)).status_code == 200
        assert (await phone.get(ME)).status_code == 401
    async with world.client("alice") as persona:
        assert (await persona.get(ME)).status_code == 401
    stored = await db_user(runtime, alice.id)
    assert verify_password(stored.password_hash, NEW_PASSWORD)
    assert not verify_password(stored.password_hash, PASSWORD)
    assert published.types() == ["user.sessions_revoked"]
    assert published.events[0].payload["user_id"] == str(alice.id)
    assert published.events[0].payload["kept_session_id"] is not None
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as fresh:
        old = await fresh.post(
            "/api/v1/auth/sign-in", json={"email": "alice@acme.test", "password": PASSWORD}
        )
        new = await fresh.post(
            "/api/v1/auth/sign-in", json={"email": "alice@acme.test", "password": NEW_PASSWORD}
        )
    assert old.status_code == 401
    assert new.status_code == 200


async def test_change_password_refuses_a_wrong_current_or_short_new_one(
    world: World, runtime: Runtime, published: Published
) -> None:
    alice = world.acme.members["alice"]
    async with world.client("alice") as client:
        wrong = await client.post(
            f"{ME}/password",
            json={"current_password": "not it at all", "new_password": NEW_PASSWORD},
        )
        short = await client.post(
            f"{ME}/password", json={"current_password": PASSWORD, "new_password": "short"}
        )
        still_in = await client.get(ME)
    assert wrong.status_code == 422
    assert wrong.json()["error"]["details"]["field"] == "current_password"
    assert short.status_code == 422
    assert short.json()["error"]["details"]["field"] == "new_password"
    assert still_in.status_code == 200
    assert verify_password((await db_user(runtime, alice.id)).password_hash, PASSWORD)
    assert published.types() == []
    async with world.client("bob") as bob:
        assert (await bob.get(ME)).status_code == 200


async def test_switch_workspace(world: World, runtime: Runtime) -> None:
    alice = world.acme.members["alice"]
    async with runtime.database.write_session() as s:
        await Factory(s, runtime.clock.now()).member(world.other.workspace, alice.user, "agent")
        await s.commit()
    async with world.client("alice") as client:
        response = await client.put(f"{ME}/workspace", json={"workspace_id": str(world.other.id)})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["workspace"]["id"] == str(world.other.id)
        assert body["workspace"]["role"] == "agent"
        assert {w["slug"] for w in body["workspaces"]} == {"acme", "other"}
        current = await client.get("/api/v1/workspaces/current")
        assert current.json()["id"] == str(world.other.id)
        assert current.json()["role"] == "agent"
        assert (await client.get(ME)).json()["workspace"]["id"] == str(world.other.id)
        back = await client.put(f"{ME}/workspace", json={"workspace_id": str(world.acme.id)})
        assert back.status_code == 200
        assert (await client.get("/api/v1/workspaces/current")).json()["role"] == "owner"


async def test_cannot_switch_to_a_workspace_one_is_not_a_member_of(
    world: World, runtime: Runtime
) -> None:
    bob = world.acme.members["bob"]
    async with world.client("bob") as client:
        foreign = await client.put(f"{ME}/workspace", json={"workspace_id": str(world.other.id)})
        unknown = await client.put(f"{ME}/workspace", json={"workspace_id": str(uuid.uuid4())})
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json() == unknown.json()
    assert await session_workspace(runtime, bob.session_token) == world.acme.id


async def test_workspace_header_cannot_reach_another_workspace(world: World) -> None:
    async with world.client("bob", workspace=world.other) as client:
        foreign = await client.get("/api/v1/workspaces/current")
        foreign_members = await client.get("/api/v1/members")
    async with world.client("bob") as client:
        client.headers["X-Workspace-Id"] = str(uuid.uuid4())
        unknown = await client.get("/api/v1/workspaces/current")
        client.headers["X-Workspace-Id"] = "not-a-uuid"
        malformed = await client.get("/api/v1/workspaces/current")
        client.headers["X-Workspace-Id"] = str(world.acme.id)
        own = await client.get("/api/v1/workspaces/current")
    assert foreign.status_code == unknown.status_code == foreign_members.status_code == 404
    # An existing workspace and a made-up id answer alike: nothing leaks.
    assert foreign.json() == unknown.json()
    assert "Other" not in foreign.text
    assert malformed.status_code == 422
    assert own.status_code == 200
    assert own.json()["id"] == str(world.acme.id)


def _picture_file() -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (96, 96), (15, 118, 110)).save(out, format="PNG")
    return out.getvalue()


async def _upload_picture(client: httpx.AsyncClient) -> str:
    files = {"file": ("me.png", _picture_file(), "image/png")}
    response = await client.post("/api/v1/attachments", files=files)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def test_a_member_sets_an_uploaded_picture_and_removes_it(
    world: World, runtime: Runtime
) -> None:
    bob = world.acme.members["bob"]
    async with world.client("bob") as client:
        picture = f"/api/v1/attachments/{await _upload_picture(client)}/thumbnail"
        kept = await client.patch(ME, json={"avatar_url": picture})
        shown = await client.get(picture)  # the app loads it with the session alone
        assert (await db_user(runtime, bob.id)).avatar_url == picture
        removed = await client.patch(ME, json={"avatar_url": None})
    assert kept.status_code == 200, kept.text
    assert kept.json()["user"]["avatar_url"] == picture
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/webp"
    assert removed.json()["user"]["avatar_url"] is None
    assert (await db_user(runtime, bob.id)).avatar_url is None


async def test_a_picture_must_be_an_image_one_uploaded_oneself(
    world: World, runtime: Runtime
) -> None:
    async with world.client("carol") as carol:
        carols = await _upload_picture(carol)
    async with world.client("bob") as client:
        document = await client.post(
            "/api/v1/attachments",
            files={"file": ("notes.txt", b"private", "text/plain")},
            data={"conversation_id": str(world.acme.conversations["erin_support"].id)},
        )
        assert document.status_code == 201, document.text
        attempts = {
            "someone else's": f"/api/v1/attachments/{carols}/content",
            "not an image": f"/api/v1/attachments/{document.json()['id']}/content",
            "never uploaded": f"/api/v1/attachments/{uuid.uuid4()}/thumbnail",
        }
        answers = {k: await client.patch(ME, json={"avatar_url": v}) for k, v in attempts.items()}
    for kind, answer in answers.items():
        assert answer.status_code == 422, kind
        assert answer.json()["error"]["details"]["field"] == "avatar_url", kind
    assert (await db_user(runtime, world.acme.members["bob"].id)).avatar_url is None

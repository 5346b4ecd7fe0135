"""Attachments: upload with checked types and sizes, stored bytes, signed expiring URLs."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import func, select

from frontdesk.core.attachments.models import Attachment
from frontdesk.core.runtime import Runtime
from frontdesk.storage.local import LocalStorage
from tests.conftest import Published, World

URL = "/api/v1/attachments"


def _png(width: int = 1200, height: int = 800) -> bytes:
    """A real, noisy PNG (noise keeps it from compressing to almost nothing)."""
    image = Image.effect_noise((width, height), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _conversation(world: World, name: str = "erin_support") -> str:
    return str(world.acme.conversations[name].id)


async def _upload(
    client: httpx.AsyncClient,
    conversation_id: str | None,
    name: str,
    data: bytes,
    content_type: str,
) -> httpx.Response:
    form = {"conversation_id": conversation_id} if conversation_id is not None else {}
    return await client.post(URL, files={"file": (name, data, content_type)}, data=form)


async def _rows(runtime: Runtime) -> list[Attachment]:
    async with runtime.database.read_session() as s:
        return list(await s.scalars(select(Attachment)))


def _stored_files(runtime: Runtime) -> list[Path]:
    assert isinstance(runtime.storage, LocalStorage)
    root = runtime.storage.root
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _error(response: httpx.Response) -> dict[str, Any]:
    body: dict[str, Any] = response.json()["error"]
    return body


async def test_an_agent_uploads_an_image_and_gets_a_thumbnail(
    world: World, runtime: Runtime, anon: httpx.AsyncClient, published: Published
) -> None:
    data = _png()
    async with world.client("bob") as bob:
        response = await _upload(bob, _conversation(world), "cv photo.png", data, "image/png")

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "cv photo.png"
    assert body["content_type"] == "image/png"
    assert (body["size"], body["width"], body["height"]) == (len(data), 1200, 800)
    assert body["conversation_id"] == _conversation(world)
    assert body["url"].startswith(f"http://testserver{URL}/{body['id']}/content?exp=")
    assert body["thumbnail_url"].startswith(f"http://testserver{URL}/{body['id']}/thumbnail?exp=")

    [row] = await _rows(runtime)
    assert str(row.id) == body["id"]
    assert row.workspace_id == world.acme.id
    assert row.uploaded_by_user_id == world.acme.members["bob"].id
    assert row.uploaded_by_contact_id is None
    assert row.storage_key == f"{world.acme.id}/{row.id}/original"
    assert row.thumbnail_key == f"{world.acme.id}/{row.id}/thumbnail"
    assert runtime.storage is not None
    assert await runtime.storage.get(row.storage_key) == data
    thumbnail = await runtime.storage.get(row.thumbnail_key)
    assert len(thumbnail) < len(data)
    with Image.open(io.BytesIO(thumbnail)) as thumb:
        assert thumb.format == "WEBP"
        assert thumb.size == (320, 213)
    # The message that carries the file announces it; an upload alone is not news.
    assert published.types() == []


async def test_signed_urls_serve_the_bytes_without_a_cookie(
    world: World, runtime: Runtime, anon: httpx.AsyncClient
) -> None:
    data = _png(400, 300)
    async with world.client("bob") as bob:
        body = (await _upload(bob, _conversation(world), "photo.png", data, "image/png")).json()

    content = await anon.get(body["url"])
    assert content.status_code == 200
    assert content.content == data
    assert content.headers["content-type"] == "image/png"
    assert content.headers["x-content-type-options"] == "nosniff"
    assert content.headers["content-disposition"].startswith('inline; filename="photo.png"')
    assert content.headers["cache-control"].startswith("private, max-age=")

    thumb = await anon.get(body["thumbnail_url"])
    assert thumb.status_code == 200
    assert thumb.headers["content-type"] == "image/webp"
    with Image.open(io.BytesIO(thumb.content)) as image:
        assert image.size == (320, 240)


async def test_expired_or_tampered_signatures_find_nothing(
    world: World, runtime: Runtime, anon: httpx.AsyncClient, clock: Any
) -> None:
    async with world.client("bob") as bob:
        body = (await _upload(bob, _conversation(world), "a.png", _png(50, 50), "image/png")).json()
    url, thumb = body["url"], body["thumbnail_url"]
    path, _, query = url.partition("?")
    params = dict(p.split("=", 1) for p in query.split("&"))

    sig = params["sig"]
    # Change the first character: always a different signature (replacing the last two with
    # "AA" left it whole once in 1,024 runs, when it already ended in "AA").
    tampered = f"{path}?exp={params['exp']}&sig={'B' if sig[0] == 'A' else 'A'}{sig[1:]}"
    later = f"{path}?exp={int(params['exp']) + 3600}&sig={params['sig']}"
    thumb_sig_on_content = f"{path}?{thumb.partition('?')[2]}"
    for bad in (tampered, later, thumb_sig_on_content, path, f"{path}?sig={params['sig']}"):
        response = await anon.get(bad)
        assert response.status_code == 404, bad
        assert _error(response)["code"] == "not_found"

    assert (await anon.get(url)).status_code == 200
    clock.advance(hours=1, minutes=6)
    expired = await anon.get(url)
    assert expired.status_code == 404
    assert _error(expired)["code"] == "not_found"
    assert (await anon.get(thumb)).status_code == 404

    # Reading the attachment again hands out fresh URLs that work from now.
    async with world.client("bob") as bob:
        fresh = (await bob.get(f"{URL}/{body['id']}")).json()
    assert fresh["url"] != url
    assert (await anon.get(fresh["url"])).status_code == 200
    assert (await anon.get(fresh["thumbnail_url"])).status_code == 200


async def test_a_member_who_sees_it_reads_it_without_a_signature(
    world: World, runtime: Runtime
) -> None:
    async with world.client("carol") as carol:
        body = (
            await _upload(
                carol, _conversation(world, "erin_sales"), "n.txt", b"notes", "text/plain"
            )
        ).json()
        own = await carol.get(f"{URL}/{body['id']}/content")
    assert own.status_code == 200
    assert own.content == b"notes"
    assert own.headers["content-disposition"].startswith('attachment; filename="n.txt"')

    # Bob is not in Sales: the attachment of a Sales conversation does not exist for him.
    async with world.client("bob") as bob:
        assert (await bob.get(f"{URL}/{body['id']}")).status_code == 404
        assert (await bob.get(f"{URL}/{body['id']}/content")).status_code == 404
    async with world.client("dave") as dave:
        assert (await dave.get(f"{URL}/{body['id']}")).json()["name"] == "n.txt"
    # A text file has no thumbnail.
    async with world.client("carol") as carol:
        assert body["thumbnail_url"] is None
        assert (await carol.get(f"{URL}/{body['id']}/thumbnail")).status_code == 404


async def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    world: World, runtime: Runtime
) -> None:
    runtime.attachments_max_bytes = 4096
    async with world.client("bob") as bob:
        at_limit = await _upload(bob, _conversation(world), "ok.txt", b"a" * 4096, "text/plain")
        assert at_limit.status_code == 201, at_limit.text
        over = await _upload(bob, _conversation(world), "big.txt", b"a" * 4097, "text/plain")
        far_over = await _upload(bob, _conversation(world), "big.txt", b"a" * 90_000, "text/plain")

    for response in (over, far_over):
        assert response.status_code == 413
        error = _error(response)
        assert error["code"] == "payload_too_large"
        assert error["details"]["max_bytes"] == 4096
    rows = await _rows(runtime)
    assert [r.name for r in rows] == ["ok.txt"]
    assert len(_stored_files(runtime)) == 1


async def test_a_body_announced_as_too_large_is_refused_before_it_is_read(
    world: World, runtime: Runtime
) -> None:
    async with world.client("bob") as bob:
        response = await bob.post(
            URL,
            content=b"--x--\r\n",
            headers={
                "Content-Type": "multipart/form-data; boundary=x",
                "Content-Length": str(11 * 1024 * 1024),
            },
        )
    assert response.status_code == 413
    assert _error(response)["code"] == "payload_too_large"
    assert await _rows(runtime) == []


@pytest.mark.parametrize(
    ("name", "data", "declared"),
    [
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "image/jpeg"),
        ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", ""),
        ("photo.jpg", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "image/jpeg"),
        ("report.pdf", _png(20, 20), "application/pdf"),
        ("notes.txt", _png(20, 20), "image/png"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "image/png"),
        ("empty.txt", b"", "text/plain"),
        ("page.html", b"<html>\x00\x01</html>", "text/html"),
    ],
)
async def test_a_file_that_is_not_what_it_claims_is_refused(
    world: World, runtime: Runtime, name: str, data: bytes, declared: str
) -> None:
    async with world.client("bob") as bob:
        response = await _upload(bob, _conversation(world), name, data, declared)
    assert response.status_code == 422, response.text
    assert _error(response)["details"]["field"] == "file"
    assert await _rows(runtime) == []
    assert _stored_files(runtime) == []


@pytest.mark.parametrize(
    ("name", "data", "declared", "stored_type", "disposition"),
    [
        (
            "cv.pdf",
            b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n",
            "application/pdf",
            "application/pdf",
            "inline",
        ),
        ("voice.ogg", b"OggS\x00\x02" + b"\x00" * 40, "audio/ogg", "audio/ogg", "attachment"),
        ("song.mp3", b"ID3\x04\x00\x00" + b"\x00" * 40, "audio/mpeg", "audio/mpeg", "attachment"),
        (
            "memo.m4a",
            b"\x00\x00\x00\x20ftypM4A " + b"\x00" * 40,
            "audio/x-m4a",
            "audio/mp4",
            "attachment",
        ),
        (
            "clip.mp4",
            b"\x00\x00\x00\x20ftypisom" + b"\x00" * 40,
            "video/mp4",
            "video/mp4",
            "attachment",
        ),
        (
            "list.csv",
            "name,city\nÉrin,Kuala Lumpur\n".encode(),
            "text/csv",
            "text/plain",
            "attachment",
        ),
    ],
)
async def test_allowed_types_are_recognised_from_their_bytes(
    world: World,
    runtime: Runtime,
    anon: httpx.AsyncClient,
    name: str,
    data: bytes,
    declared: str,
    stored_type: str,
    disposition: str,
) -> None:
    async with world.client("bob") as bob:
        response = await _upload(bob, _conversation(world), name, data, declared)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["content_type"], body["name"], body["width"]) == (stored_type, name, None)
    served = await anon.get(body["url"])
    assert served.content == data
    assert served.headers["content-type"].split(";")[0] == stored_type
    assert served.headers["content-disposition"].startswith(f"{disposition}; ")


async def test_names_are_reduced_to_a_safe_basename(world: World, runtime: Runtime) -> None:
    async with world.client("bob") as bob:
        traversal = await _upload(
            bob, _conversation(world), "..\\..\\Users\\pass<wd>|.txt", b"x", "text/plain"
        )
        runnable = await _upload(bob, _conversation(world), "run.bat", b"del *", "")
        bare = await _upload(bob, _conversation(world), "scan", _png(10, 10), "image/png")
    assert traversal.json()["name"] == "pass_wd__.txt"
    # A download must never be something a double-click runs: the true extension is added.
    assert runnable.json()["name"] == "run.bat.txt"
    assert runnable.json()["content_type"] == "text/plain"
    assert bare.json()["name"] == "scan.png"
    keys = sorted(r.storage_key for r in await _rows(runtime))
    assert all(k.startswith(f"{world.acme.id}/") and ".." not in k for k in keys)


async def test_viewers_cannot_upload(world: World, runtime: Runtime) -> None:
    async with world.client("vera") as vera:
        response = await _upload(vera, _conversation(world), "a.txt", b"hello", "text/plain")
    assert response.status_code == 403
    assert _error(response)["code"] == "forbidden"
    assert await _rows(runtime) == []
    assert _stored_files(runtime) == []


async def test_the_conversation_must_be_one_the_agent_sees(world: World, runtime: Runtime) -> None:
    other = str(world.other.conversations["olga"].id)
    async with world.client("bob") as bob:
        sales = await _upload(bob, _conversation(world, "erin_sales"), "a.txt", b"x", "text/plain")
        foreign = await _upload(bob, other, "a.txt", b"x", "text/plain")
        unknown = await _upload(bob, str(uuid.uuid4()), "a.txt", b"x", "text/plain")
        missing = await _upload(bob, None, "a.txt", b"x", "text/plain")
        malformed = await _upload(bob, "nope", "a.txt", b"x", "text/plain")
        no_file = await bob.post(URL, data={"conversation_id": _conversation(world)})
    for response in (sales, foreign, unknown):
        assert response.status_code == 404
        assert _error(response)["code"] == "not_found"
    # Without a conversation the file is the member's own picture, and text is not one.
    for response, field in ((missing, "file"), (malformed, "conversation_id")):
        assert response.status_code == 422
        assert _error(response)["details"]["field"] == field
    assert no_file.status_code == 422
    assert _error(no_file)["details"]["field"] == "file"
    assert await _rows(runtime) == []
    assert _stored_files(runtime) == []


async def test_any_member_uploads_a_picture_of_their_own(world: World, runtime: Runtime) -> None:
    """Without a conversation an upload is the member's picture: viewers may, only images."""
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, format="GIF")
    async with world.client("vera") as vera:
        created = await _upload(vera, None, "me.png", _png(64, 64), "image/png")
        text = await _upload(vera, None, "me.txt", b"hello", "text/plain")
        animated = await _upload(vera, None, "me.gif", gif.getvalue(), "image/gif")
        pdf = await _upload(vera, None, "me.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        unsigned = await vera.get(f"{URL}/{created.json()['id']}/thumbnail")
    assert created.status_code == 201, created.text
    assert created.json()["conversation_id"] is None
    assert created.json()["thumbnail_url"]
    assert unsigned.status_code == 200  # colleagues load it with their session
    for refused in (text, animated, pdf):
        assert refused.status_code == 422, refused.text
        assert _error(refused)["details"]["field"] == "file"
    [row] = await _rows(runtime)
    assert row.uploaded_by_user_id == world.acme.members["vera"].id
    assert len(_stored_files(runtime)) == 2  # the picture and its thumbnail, nothing refused


async def test_owners_and_managers_upload_a_workflow_s_file_of_any_allowed_type(
    world: World, runtime: Runtime
) -> None:
    """`purpose=workflow`: a document a workflow sends, for no conversation; agents may not, a
    conversation is refused with it, and another purpose is a clear 422. Nothing refused is kept."""
    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"

    async def upload(who: str, **form: str) -> httpx.Response:
        async with world.client(who) as client:
            return await client.post(
                URL, files={"file": ("brochure.pdf", pdf, "application/pdf")}, data=form
            )

    made = await upload("dave", purpose="workflow")
    by_agent = await upload("bob", purpose="workflow")
    with_conversation = await upload(
        "alice", purpose="workflow", conversation_id=_conversation(world)
    )
    other_purpose = await upload("alice", purpose="avatar")
    assert made.status_code == 201, made.text
    assert (made.json()["conversation_id"], made.json()["content_type"]) == (
        None,
        "application/pdf",
    )
    assert by_agent.status_code == 403, by_agent.text
    assert with_conversation.status_code == 422, with_conversation.text
    assert other_purpose.status_code == 422, other_purpose.text
    assert _error(other_purpose)["details"]["field"] == "purpose"
    [row] = await _rows(runtime)
    assert row.uploaded_by_user_id == world.acme.members["dave"].id


async def test_an_api_token_uploads_no_picture(world: World, runtime: Runtime) -> None:
    from tests.factories import Factory

    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "agent")
        await s.commit()
    async with world.bearer(token) as client:
        refused = await _upload(client, None, "a.png", _png(16, 16), "image/png")
    assert refused.status_code == 403
    assert await _rows(runtime) == []
    assert _stored_files(runtime) == []


async def test_another_workspace_finds_nothing(world: World, runtime: Runtime) -> None:
    async with world.client("alice") as alice:
        body = (
            await _upload(alice, _conversation(world), "a.png", _png(30, 30), "image/png")
        ).json()
    async with world.client("oscar") as oscar:
        for path in ("", "/content", "/thumbnail"):
            response = await oscar.get(f"{URL}/{body['id']}{path}")
            assert response.status_code == 404, path
            assert body["id"] not in response.text
    async with world.client("olive") as olive:
        response = await _upload(olive, _conversation(world), "b.txt", b"x", "text/plain")
    assert response.status_code == 404
    assert len(await _rows(runtime)) == 1


async def test_api_tokens_upload_and_read(world: World, runtime: Runtime) -> None:
    from tests.factories import Factory

    async with runtime.database.write_session() as s:
        token = await Factory(s, runtime.clock.now()).api_token(world.acme.workspace, "agent")
        await s.commit()
    async with world.bearer(token) as client:
        created = await _upload(
            client, _conversation(world, "frank_unassigned"), "a.txt", b"hi", ""
        )
        assert created.status_code == 201, created.text
        assert (await client.get(f"{URL}/{created.json()['id']}/content")).content == b"hi"
    [row] = await _rows(runtime)
    assert row.uploaded_by_user_id is None


async def test_the_local_store_keeps_keys_inside_its_root(tmp_path: Path) -> None:
    store = LocalStorage(tmp_path / "files")
    await store.put("ws/a1/original", b"bytes", "text/plain")
    assert await store.get("ws/a1/original") == b"bytes"
    assert await store.exists("ws/a1/original")
    assert b"".join([c async for c in store.stream("ws/a1/original", chunk_size=2)]) == b"bytes"
    for bad in ("../escape", "/abs/path", "ws//x", "ws/../../x", ""):
        with pytest.raises(ValueError, match="storage key"):
            await store.put(bad, b"x", "text/plain")
    with pytest.raises(KeyError):
        await store.get("ws/a1/missing")
    await store.delete("ws/a1/original")
    assert not await store.exists("ws/a1/original")
    assert sorted(p.name for p in (tmp_path / "files").rglob("*") if p.is_file()) == []


async def test_uploads_cost_a_constant_number_of_queries(
    world: World, runtime: Runtime, count_queries: Any
) -> None:
    async with world.client("bob") as bob:
        await _upload(bob, _conversation(world), "warm.txt", b"x", "text/plain")
        with count_queries() as small:
            await _upload(bob, _conversation(world), "s.png", _png(20, 20), "image/png")
        with count_queries() as large:
            await _upload(bob, _conversation(world), "l.png", _png(900, 900), "image/png")
    assert small.count == large.count
    async with runtime.database.read_session() as s:
        assert await s.scalar(select(func.count()).select_from(Attachment)) == 3


async def test_a_member_s_picture_shows_in_each_of_their_workspaces_and_nothing_else_does(
    world: World, runtime: Runtime
) -> None:
    """One picture per person, uploaded in one workspace: colleagues of another see it too."""
    from frontdesk.core.accounts.models import User
    from tests.factories import Factory

    async with runtime.database.write_session() as s:
        bob = await s.get_one(User, world.acme.members["bob"].id)
        await Factory(s, runtime.clock.now()).member(world.other.workspace, bob, "agent")
        await s.commit()
    async with world.client("bob") as bob_client:
        picture = (await _upload(bob_client, None, "me.png", _png(40, 40), "image/png")).json()
        spare = (await _upload(bob_client, None, "old.png", _png(40, 40), "image/png")).json()
        path = f"{URL}/{picture['id']}/thumbnail"
        assert (await bob_client.patch("/api/v1/me", json={"avatar_url": path})).status_code == 200
    async with world.client("oscar") as oscar:
        shown = await oscar.get(path)
        not_a_picture = await oscar.get(f"{URL}/{spare['id']}/thumbnail")
    assert shown.status_code == 200
    assert shown.headers["content-type"] == "image/webp"
    assert not_a_picture.status_code == 404

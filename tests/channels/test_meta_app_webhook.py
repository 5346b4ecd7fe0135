"""One webhook URL per Meta app: numbers, Pages and Instagram accounts of one app connected in
two workspaces, each change or entry of one POST landing in its own workspace; forged bodies
refused before anything is stored; accounts nobody connected acknowledged and stored nowhere."""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx
from sqlalchemy import func, select

from frontdesk.core.channels.models import QuarantinedPayload
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.models import Conversation, Message
from frontdesk.core.runtime import Runtime
from frontdesk.db.outbox import EventLogEntry, Job
from frontdesk.demo.fake_graph import FakeGraph
from frontdesk.demo.fake_graph_messaging import Page, messaging_webhook, text_event
from frontdesk.demo.fake_graph_webhooks import Number, text_webhook
from tests.conftest import World
from tests.fakes.meta import sign

APP_ID = "730155112233445"
APP_SECRET = "the-app-secret"
STORED = (Message, Contact, ContactIdentity, Conversation, QuarantinedPayload, EventLogEntry, Job)


def _client(world: World) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    )


async def _post(world: World, body: dict[str, Any], secret: str = APP_SECRET) -> httpx.Response:
    raw = json.dumps(body).encode()
    async with _client(world) as meta:
        return await meta.post(
            f"/webhooks/meta/{APP_ID}",
            content=raw,
            headers={"Content-Type": "application/json", "X-Hub-Signature-256": sign(raw, secret)},
        )


async def _stored(runtime: Runtime) -> dict[str, int]:
    async with runtime.database.read_session() as db:
        return {
            m.__name__: int(await db.scalar(select(func.count()).select_from(m)) or 0)
            for m in STORED
        }


async def _inbound(runtime: Runtime, channel_id: uuid.UUID) -> list[tuple[str, uuid.UUID]]:
    """The bodies of a channel's messages, with the workspace of each one's conversation."""
    async with runtime.database.read_session() as db:
        rows = await db.execute(
            select(Message.body, Conversation.workspace_id)
            .join(Conversation, Conversation.id == Message.conversation_id)
            .where(Message.channel_id == channel_id)
            .order_by(Message.created_at, Message.id)
        )
        return [(body, workspace) for body, workspace in rows.all()]


async def _connect(
    world: World, who: str, type_: str, settings: dict[str, Any], name: str
) -> uuid.UUID:
    async with world.client(who) as admin:
        created = await admin.post(
            "/api/v1/channels",
            json={
                "type": type_,
                "name": name,
                "settings": {**settings, "app_id": APP_ID},
                "secrets": {"access_token": f"EAAG-{name}", "app_secret": APP_SECRET},
            },
        )
    assert created.status_code == 201, created.text
    return uuid.UUID(created.json()["id"])


def _number(graph: FakeGraph, number_id: str, waba: str) -> Number:
    return graph.add_number(number_id, app_secret=APP_SECRET, business_account_id=waba)


async def _connect_number(world: World, who: str, number: Number, name: str) -> uuid.UUID:
    settings = {
        "phone_number_id": number.phone_number_id,
        "business_account_id": number.business_account_id,
        "display_phone_number": number.display_phone_number,
    }
    return await _connect(world, who, "whatsapp", settings, name)


async def test_one_app_url_routes_each_number_s_changes_to_its_own_workspace(
    world: World, runtime: Runtime
) -> None:
    graph = FakeGraph()
    careers = _number(graph, "1100000000001", "waba-1")
    stores = _number(graph, "1100000000002", "waba-1")
    branch = _number(graph, "1100000000003", "waba-2")
    careers_id = await _connect_number(world, "alice", careers, "Careers")
    stores_id = await _connect_number(world, "alice", stores, "Stores")
    branch_id = await _connect_number(world, "oscar", branch, "Branch")
    acme, other = world.acme.id, world.other.id

    # The set-up screen shows the app's URL and token, and Meta's handshake passes with them.
    async with world.client("alice") as alice:
        setup = (await alice.get(f"/api/v1/channels/{careers_id}/whatsapp")).json()
    assert setup["app_id"] == APP_ID
    assert setup["app_webhook_url"].endswith(f"/webhooks/meta/{APP_ID}")
    assert setup["webhook_url"].endswith(f"/webhooks/whatsapp/{acme}")  # still shown
    async with world.client("oscar") as oscar:
        theirs = (await oscar.get(f"/api/v1/channels/{branch_id}/whatsapp")).json()
    assert theirs["app_verify_token"] == setup["app_verify_token"]  # one app, one token
    async with _client(world) as meta:
        handshake = {"hub.mode": "subscribe", "hub.challenge": "1158201444"}
        ok = await meta.get(
            f"/webhooks/meta/{APP_ID}",
            params={**handshake, "hub.verify_token": setup["app_verify_token"]},
        )
        wrong = await meta.get(
            f"/webhooks/meta/{APP_ID}", params={**handshake, "hub.verify_token": "nope"}
        )
        other_app = await meta.get(
            "/webhooks/meta/999", params={**handshake, "hub.verify_token": setup["verify_token"]}
        )
    assert (ok.status_code, ok.text) == (200, "1158201444")
    assert [wrong.status_code, other_app.status_code] == [403, 403]

    # One POST: two numbers of acme in one entry, the other workspace's number in a second
    # entry, and a number nobody connected.
    body = text_webhook(careers, "5511900000001", "Ana", "to careers", wamid="wamid.c1")
    body["entry"][0]["changes"].append(
        text_webhook(stores, "5511900000001", "Ana", "to stores", wamid="wamid.s1")["entry"][0][
            "changes"
        ][0]
    )
    body["entry"].append(
        text_webhook(branch, "84900000099", "Bao", "to the branch", wamid="wamid.b1")["entry"][0]
    )
    stranger = _number(graph, "1199999999999", "waba-9")
    body["entry"].append(
        text_webhook(stranger, "5511900000002", "Cid", "to nobody", wamid="wamid.x1")["entry"][0]
    )

    # A forged signature: 403, and nothing at all is stored.
    before = await _stored(runtime)
    forged = await _post(world, body, secret="not-the-app-secret")
    assert forged.status_code == 403
    assert forged.json()["error"]["code"] == "forbidden"
    assert await _stored(runtime) == before

    answer = await _post(world, body)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {
        "recorded": 3,
        "workspaces": 2,
        "ignored_accounts": ["1199999999999"],
        "set_aside": 0,
    }
    assert await _inbound(runtime, careers_id) == [("to careers", acme)]
    assert await _inbound(runtime, stores_id) == [("to stores", acme)]
    assert await _inbound(runtime, branch_id) == [("to the branch", other)]
    async with runtime.database.read_session() as db:
        identities = await db.execute(
            select(ContactIdentity.provider_id, ContactIdentity.workspace_id).where(
                ContactIdentity.channel_id.in_([careers_id, stores_id, branch_id])
            )
        )
        assert sorted(identities.all()) == sorted(
            [("5511900000001", acme), ("5511900000001", acme), ("84900000099", other)]
        )
        assert await db.scalar(select(func.count()).select_from(QuarantinedPayload)) == 0
        nobody = await db.scalar(select(func.count()).where(Message.body == "to nobody"))
    assert nobody == 0
    after = await _stored(runtime)

    # Meta redelivers the same POST: acknowledged, nothing stored twice.
    assert (await _post(world, body)).status_code == 200
    assert await _stored(runtime) == after

    # Only a number nobody connected: acknowledged (so Meta does not retry) and stored nowhere.
    lone = text_webhook(stranger, "5511900000002", "Cid", "still nobody", wamid="wamid.x2")
    alone = await _post(world, lone)
    assert alone.status_code == 200
    assert alone.json()["ignored_accounts"] == ["1199999999999"]
    assert await _stored(runtime) == after

    # The workspace's own URL keeps working beside the app's.
    raw = json.dumps(text_webhook(careers, "5511900000001", "Ana", "by the old URL")).encode()
    async with _client(world) as meta:
        old = await meta.post(
            f"/webhooks/whatsapp/{acme}",
            content=raw,
            headers={"X-Hub-Signature-256": sign(raw, APP_SECRET)},
        )
    assert old.status_code == 200
    assert [b for b, _ in await _inbound(runtime, careers_id)] == ["to careers", "by the old URL"]


async def test_pages_and_instagram_accounts_of_one_app_are_routed_by_their_id(
    world: World, runtime: Runtime
) -> None:
    graph = FakeGraph()
    page: Page = graph.add_page("2200000000001", app_secret=APP_SECRET)
    account: Page = graph.add_page("2200000000002", instagram=True, app_secret=APP_SECRET)
    page_id = await _connect(world, "alice", "messenger", {"page_id": page.id}, "Acme Page")
    account_id = await _connect(
        world, "oscar", "instagram", {"account_id": account.id}, "Other on Instagram"
    )
    async with world.client("oscar") as oscar:
        setup = (await oscar.get(f"/api/v1/channels/{account_id}/instagram")).json()
    assert setup["app_webhook_url"].endswith(f"/webhooks/meta/{APP_ID}")

    unknown: Page = graph.add_page("2299999999999", app_secret=APP_SECRET)
    body = messaging_webhook(page, text_event(page, "psid-1", "hello page", mid="m_p1"))
    body["entry"].append(
        messaging_webhook(unknown, text_event(unknown, "psid-9", "lost"))["entry"][0]
    )
    answer = await _post(world, body)
    assert answer.status_code == 200, answer.text
    assert answer.json()["ignored_accounts"] == ["2299999999999"]
    reel = messaging_webhook(account, text_event(account, "igsid-1", "hello insta", mid="m_i1"))
    assert (await _post(world, reel)).status_code == 200

    assert await _inbound(runtime, page_id) == [("hello page", world.acme.id)]
    assert await _inbound(runtime, account_id) == [("hello insta", world.other.id)]
    before = await _stored(runtime)
    forged = await _post(world, reel | {"entry": []}, secret="forged")
    assert forged.status_code == 403
    assert await _stored(runtime) == before

"""Connecting a mailbox (a refused login says which server and why, and keeps nothing; the
connection test reports each server) and the forwarding route (a raw mail posted by HTTP with
the channel's secret: stored once, before the 200; anything else a 4xx that stores nothing)."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.models import Message
from frontdesk.core.mailbox.models import RawMail
from frontdesk.core.runtime import Runtime
from frontdesk.demo.mail_server import LocalMailServer
from tests.channels.email.conftest import (
    connect_mailbox,
    customer_mail,
    mailbox_settings,
    messages_of,
)
from tests.conftest import World


async def _count(runtime: Runtime, model: type, **where: object) -> int:
    async with runtime.database.read_session() as db:
        query = select(func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int(await db.scalar(query) or 0)


async def test_a_refused_login_is_explained_and_keeps_nothing(
    world: World, runtime: Runtime, mail_server: LocalMailServer
) -> None:
    before = await _count(runtime, Channel, type="email")
    wrong = mailbox_settings(mail_server, password="not-the-password")
    async with world.client("alice") as alice:
        tested = await alice.post("/api/v1/channels/email/test", json=wrong)
        assert tested.status_code == 200, tested.text
        assert tested.json()["ok"] is False
        assert tested.json()["imap"] == "IMAP: the server refused the user name or password."
        assert tested.json()["smtp"] == "SMTP: the server refused the user name or password."

        closed = mailbox_settings(mail_server, smtp_port=1)
        tested = await alice.post("/api/v1/channels/email/test", json=closed)
        assert tested.json()["imap"] is None
        assert tested.json()["smtp"].startswith("SMTP: cannot use 127.0.0.1:1")

        good = await alice.post("/api/v1/channels/email/test", json=mailbox_settings(mail_server))
        assert good.json() == {
            "ok": True,
            "imap": None,
            "smtp": None,
            "uidvalidity": good.json()["uidvalidity"],
        }

        refused = await alice.post("/api/v1/channels/email", json={"name": "Support mail", **wrong})
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["message"] == (
            "IMAP: the server refused the user name or password."
        )
        bad = await alice.post(
            "/api/v1/channels/email",
            json={"name": "Support", **mailbox_settings(mail_server, address="not-an-address")},
        )
        assert bad.status_code == 422
    async with world.client("bob") as bob:  # an agent may not connect channels
        forbidden = await bob.post(
            "/api/v1/channels/email", json={"name": "Mine", **mailbox_settings(mail_server)}
        )
        assert forbidden.status_code == 403
    assert await _count(runtime, Channel, type="email") == before


async def test_mail_forwarded_by_http_is_stored_once_with_its_secret(
    world: World, runtime: Runtime, mail_server: LocalMailServer
) -> None:
    channel_id = await connect_mailbox(world, mail_server)
    async with world.client("alice") as alice:
        route = (await alice.get(f"/api/v1/channels/{channel_id}/email/forwarding")).json()
    async with world.client("bob") as bob:
        assert (await bob.get(f"/api/v1/channels/{channel_id}/email/forwarding")).status_code == 403
    assert route["url"] == f"http://testserver/webhooks/email/{channel_id}"
    raw = customer_mail("Forwarded: is the job open?", message_id="<fw1@example.com>").as_bytes()
    url = f"/webhooks/email/{channel_id}"
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as http:
        wrong = await http.post(url, content=raw, headers={route["header"]: "nope"})
        missing = await http.post(url, content=raw)
        assert (wrong.status_code, missing.status_code) == (401, 401)
        assert await _count(runtime, RawMail) == 0

        headers = {route["header"]: route["secret"], "Content-Type": "message/rfc822"}
        empty = await http.post(url, content=b"  ", headers=headers)
        assert empty.status_code == 400
        garbage = await http.post(url, content=b"no headers at all", headers=headers)
        assert garbage.status_code == 400
        assert garbage.json()["error"]["message"] == "not a mail: the mail has no sender address"
        stored = await http.post(url, content=raw, headers=headers)
        again = await http.post(url, content=raw, headers=headers)
        assert (stored.status_code, again.status_code) == (200, 200)
        unknown = await http.post(
            "/webhooks/email/00000000-0000-0000-0000-000000000001", content=raw, headers=headers
        )
        assert unknown.status_code == 404
    [message] = await messages_of(runtime, channel_id)
    assert message.body == "Forwarded: is the job open?"
    assert (message.payload or {})["details"]["email"]["source"] == "forwarding"
    assert await _count(runtime, RawMail) == 1
    assert await _count(runtime, Message, channel_id=channel_id) == 1

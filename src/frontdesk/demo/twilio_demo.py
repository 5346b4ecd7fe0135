"""SMS in `frontdesk demo --fake-providers`: a demo SMS number on the fake Twilio API.

The fake Twilio API runs on a loopback port; the demo workspace gets an SMS channel for the
number +1 500 555 0006 (created once, reconnected to the fake's account on every run). A driver
then has customers text the number now and then, posted to the channel's webhook signed as
Twilio signs; now and then one sends a picture (MMS). Replies go to the fake, which reports
them sent, then delivered, through the status callback.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from dataclasses import dataclass, field

from sqlalchemy import select

from frontdesk.channels.twilio.rest import PROVIDER_URL_KEY
from frontdesk.channels.twilio.setup import message_url
from frontdesk.channels.twilio.templates import CONTENT_URL_KEY
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.fake_twilio import Account, FakeTwilio, serve
from frontdesk.demo.pictures import photo
from frontdesk.demo.spec import DEMO_SLUG

log = logging.getLogger("frontdesk.demo")

NUMBER = "+15005550006"
CHANNEL_NAME = "Talenta Jobs (SMS)"
RETURNING_SHARE = 0.6
PHOTO_SHARE = 0.1
TEXTS = (
    "Hi, is the warehouse job still open?",
    "Oi! Vi a vaga por SMS. Como me candidato?",
    "Can I come for the interview tomorrow at 10?",
    "Qual o salário da vaga de caixa?",
    "Xin chào, tôi muốn hỏi về ca làm buổi tối.",
    "Thanks! See you on Monday.",
)


@dataclass
class TwilioDemo:
    fake: FakeTwilio
    account: Account
    url: str  # the channel's webhook
    customers: list[str] = field(default_factory=list)  # their numbers
    stack: contextlib.AsyncExitStack = field(default_factory=contextlib.AsyncExitStack)

    async def close(self) -> None:
        await self.stack.aclose()


async def _demo_channel(runtime: Runtime, account: Account) -> tuple[Channel, list[str]] | None:
    """The demo workspace's SMS channel, created on the first run, on this fake account."""
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return None
        channel = await db.scalar(
            select(Channel).where(Channel.workspace_id == workspace.id, Channel.type == "sms")
        )
        now = uow.now()
        if channel is None:
            team_id = await db.scalar(
                select(Channel.team_id)
                .where(Channel.workspace_id == workspace.id, Channel.team_id.is_not(None))
                .order_by(Channel.created_at)
                .limit(1)
            )
            channel = Channel(
                workspace_id=workspace.id,
                type="sms",
                name=CHANNEL_NAME,
                settings={},
                team_id=team_id,
                is_active=True,
                created_at=now,
                updated_at=now,
            )
            db.add(channel)
        channel.settings = {
            "provider": "twilio",
            "account_sid": account.sid,
            "phone_number": NUMBER,
        }
        channel.secrets_encrypted = runtime.secrets.seal({"auth_token": account.auth_token})
        channel.updated_at = now
        await db.flush()
        identities = await db.scalars(
            select(ContactIdentity.provider_id)
            .where(ContactIdentity.channel_id == channel.id)
            .limit(30)
        )
        customers = list(identities)
        await uow.commit()
    return channel, customers


async def start_twilio(runtime: Runtime, app_url: str) -> TwilioDemo | None:
    """Serve the fake Twilio API and connect the demo SMS number to it; None without the demo
    workspace."""
    fake = FakeTwilio(auto_status=True)
    stack = contextlib.AsyncExitStack()
    api_url = await stack.enter_async_context(serve(fake))
    runtime.provider_urls[PROVIDER_URL_KEY] = api_url
    runtime.provider_urls[CONTENT_URL_KEY] = api_url
    account = fake.add_account(NUMBER)
    found = await _demo_channel(runtime, account)
    if found is None:
        await stack.aclose()
        return None
    channel, customers = found
    demo = TwilioDemo(fake, account, message_url(app_url, channel), customers, stack)
    log.info("demo: SMS number %s on the fake Twilio API at %s", NUMBER, api_url)
    return demo


async def drive_twilio(demo: TwilioDemo, *, every: float, rng: random.Random | None = None) -> None:
    """A customer texts the demo number every `every` seconds or so."""
    rng = rng or random.Random()
    while True:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        if demo.customers and rng.random() < RETURNING_SHARE:
            sender = rng.choice(demo.customers)
        else:
            sender = f"+1555{rng.randrange(1_000_000, 9_999_999)}"
            demo.customers.append(sender)
        media = []
        if rng.random() < PHOTO_SHARE:
            media = [(demo.fake.add_media(demo.account, photo(rng), "image/jpeg"), "image/jpeg")]
        form = demo.fake.inbound_form(
            demo.account, to=NUMBER, from_=sender, body=rng.choice(TEXTS), media=media
        )
        try:
            response = await demo.fake.post_inbound(demo.account, demo.url, form)
            log.info("demo customer %s texted the SMS number: %s", sender, response.status_code)
        except Exception:  # the app may be starting or stopping
            log.warning("demo driver could not reach the app", exc_info=True)

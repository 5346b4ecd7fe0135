"""Messenger and Instagram in `frontdesk demo --fake-providers`: a demo Page and a demo
Instagram account on the fake Graph API.

They live on the same fake as the WhatsApp numbers. The demo workspace gets the channels
*Talenta Careers (Messenger)* and *@talenta.careers (Instagram)* (created once, given the
fake's credentials on every run); the fake posts to the workspace's Messenger and Instagram
webhooks, signed with each one's app secret, as Meta does. A driver has customers write now and
then (text, sometimes a photo behind a CDN link); replies go to the fake's Send API, which
reports delivery and read (Instagram: seen) back.

As with Meta, a webhook names its sender only by id: each new customer's name and picture are
registered with the fake's User Profile API, where the app looks them up.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.channels.instagram.flavor import INSTAGRAM
from frontdesk.channels.messenger.flavor import MESSENGER, Flavor
from frontdesk.channels.messenger.setup import webhook_url
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.fake_graph import FakeGraph
from frontdesk.demo.fake_graph_messaging import (
    Page,
    attachment_event,
    messaging_webhook,
    text_event,
)
from frontdesk.demo.pictures import photo
from frontdesk.demo.spec import DEMO_SLUG

log = logging.getLogger("frontdesk.demo")

RETURNING_SHARE = 0.6
PHOTO_SHARE = 0.15
# (name, username on Instagram)
PEOPLE = (
    ("Beatriz Lima", "bia.lima"),
    ("Rafael Costa", "rafa.costa"),
    ("Linh Tran", "linh.tran"),
    ("Emma Clarke", "emma.clarke"),
    ("Júlia Rocha", "julia.rocha"),
)
QUESTIONS = (
    "Oi! Vi o anúncio de vagas na página de vocês. Como me candidato?",
    "Vocês têm vaga de meio período para estudantes?",
    "Hi! Do you still need cashiers for the holiday season?",
    "Chào bạn, mình muốn hỏi về vị trí kho hàng.",
    "Mandei meu currículo pelo direct, chegou?",
)


@dataclass(frozen=True)
class DemoAccount:
    """A Page or Instagram account of the demo and the credentials the fake gives it."""

    flavor: Flavor
    account_id: str
    name: str  # the Page's name, or the account's username
    channel_name: str
    access_token: str
    app_secret: str

    @property
    def name_setting(self) -> str:
        return "username" if self.flavor is INSTAGRAM else "page_name"


ACCOUNTS = (
    DemoAccount(
        MESSENGER,
        "104857600000042",
        "Talenta Careers",
        "Talenta Careers (Messenger)",
        "EAAP-demo-talenta-careers-page",
        "demo-talenta-messenger-app-secret",
    ),
    DemoAccount(
        INSTAGRAM,
        "17841400000000042",
        "talenta.careers",
        "@talenta.careers (Instagram)",
        "IGAA-demo-talenta-careers-account",
        "demo-talenta-instagram-app-secret",
    ),
)


@dataclass
class MetaMessagingDemo:
    """A demo Page or account connected to the fake, and the customers who wrote to it."""

    page: Page
    channel_id: uuid.UUID
    customers: list[tuple[str, str]] = field(default_factory=list)  # (PSID / IGSID, name)

    @property
    def instagram(self) -> bool:
        return self.page.instagram


async def _team_id(db: AsyncSession, workspace_id: uuid.UUID) -> uuid.UUID | None:
    # Answered by the team of the demo's first channel, like its website chat.
    team_id: uuid.UUID | None = await db.scalar(
        select(Channel.team_id)
        .where(Channel.workspace_id == workspace_id, Channel.team_id.is_not(None))
        .order_by(Channel.created_at)
        .limit(1)
    )
    return team_id


async def _connect(
    runtime: Runtime, account: DemoAccount
) -> tuple[uuid.UUID, uuid.UUID, list[tuple[str, str]]] | None:
    """The demo workspace's channel for `account` (created on the first run), given its
    credentials: (workspace id, channel id, known customers); None without the demo."""
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return None
        kind = account.flavor.channel_type
        channels = await db.scalars(
            select(Channel)
            .where(Channel.workspace_id == workspace.id, Channel.type == kind)
            .order_by(Channel.created_at)
        )
        setting = account.flavor.id_setting
        channel = next(
            (c for c in channels if (c.settings or {}).get(setting) == account.account_id), None
        )
        now = uow.now()
        if channel is None:
            channel = Channel(
                workspace_id=workspace.id,
                type=kind,
                name=account.channel_name,
                settings={},
                team_id=await _team_id(db, workspace.id),
                is_active=True,
                created_at=now,
                updated_at=now,
            )
            db.add(channel)
        channel.settings = {setting: account.account_id, account.name_setting: account.name}
        channel.secrets_encrypted = runtime.secrets.seal(
            {"access_token": account.access_token, "app_secret": account.app_secret}
        )
        channel.updated_at = now
        await db.flush()
        identities = await db.scalars(
            select(ContactIdentity).where(ContactIdentity.channel_id == channel.id).limit(30)
        )
        customers = [(i.provider_id, i.profile_name or "Cliente") for i in identities]
        found = (workspace.id, channel.id, customers)
        await uow.commit()
    return found


async def connect_meta_messaging(
    runtime: Runtime, fake: FakeGraph, app_url: str
) -> list[MetaMessagingDemo]:
    """Give the demo Page and Instagram account to the fake and connect them (idempotent:
    reruns reconnect the same channels); empty without the demo workspace."""
    connected: list[MetaMessagingDemo] = []
    for account in ACCOUNTS:
        found = await _connect(runtime, account)
        if found is None:
            return []
        workspace_id, channel_id, customers = found
        page = fake.add_page(
            account.account_id,
            instagram=account.flavor is INSTAGRAM,
            name=account.name,
            access_token=account.access_token,
            app_secret=account.app_secret,
            webhook_url=webhook_url(account.flavor, app_url, workspace_id),
        )
        connected.append(MetaMessagingDemo(page, channel_id, customers))
    return connected


def _customer(fake: FakeGraph, demo: MetaMessagingDemo, rng: random.Random) -> tuple[str, str]:
    """Who writes: someone who already did, or a new person, whose profile (name, username,
    picture) the fake's User Profile API then shows; their id and name."""
    if demo.customers and rng.random() < RETURNING_SHARE:
        return rng.choice(demo.customers)
    full_name, username = rng.choice(PEOPLE)
    sender_id = str(rng.randrange(10**15, 10**16))
    picture = (photo(rng), "image/jpeg")
    if demo.instagram:
        fake.add_profile(
            demo.page.id, sender_id, name=full_name, username=username, picture=picture
        )
    else:
        first, _, last = full_name.partition(" ")
        fake.add_profile(demo.page.id, sender_id, first_name=first, last_name=last, picture=picture)
    demo.customers.append((sender_id, full_name))
    return sender_id, full_name


async def drive_meta_messaging(
    fake: FakeGraph,
    demos: list[MetaMessagingDemo],
    *,
    every: float,
    rng: random.Random | None = None,
) -> None:
    """A customer writes to the demo Page or account every `every` seconds or so."""
    rng = rng or random.Random()
    while True:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        demo = rng.choice(demos)
        sender_id, name = _customer(fake, demo, rng)
        now = int(time.time() * 1000)
        if rng.random() < PHOTO_SHARE:
            url = fake.cdn_url(photo(rng), "image/jpeg")
            event = attachment_event(demo.page, sender_id, "image", url, timestamp=now)
        else:
            text = rng.choice(QUESTIONS)
            event = text_event(demo.page, sender_id, text, timestamp=now)
        body = messaging_webhook(demo.page, event, time=now)
        try:
            response = await fake.post_webhook(
                str(demo.page.webhook_url), body, demo.page.app_secret
            )
            log.info(
                "demo customer %s wrote to %s: %s",
                name,
                demo.page.name,
                response.status_code,
            )
        except Exception:  # the app may be starting or stopping
            log.warning("demo driver could not reach the app", exc_info=True)

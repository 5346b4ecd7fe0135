"""`frontdesk demo --fake-providers`: the demo with live channels and no internet.

Fake providers run beside the app on loopback ports; two of the demo's WhatsApp numbers are
connected to the fake Graph API (credentials, templates), and a small driver posts customer
messages as signed webhooks now and then, so conversations arrive, routing assigns them, agents
answer and the fake reports sent / delivered / read back. A demo Facebook Page and Instagram
account on the same fake (`demo/meta_messaging_demo.py`) and a demo Telegram bot on a fake Bot
API (`demo/telegram_demo.py`) join the same way, and an API channel whose integrator is a
fake on another loopback port (`demo/api_channel_demo.py`), and an SMS number on a fake Twilio
API with customers texting in (`demo/twilio_demo.py`), and a mailbox on a real mail server in the
process with customers writing in (`demo/email_demo.py`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from sqlalchemy import select

from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.models import ContactIdentity
from frontdesk.core.runtime import Runtime
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.core.workspaces.models import Workspace
from frontdesk.demo.api_channel_demo import drive_api_channel, start_api_channel
from frontdesk.demo.email_demo import drive_email, start_email
from frontdesk.demo.fake_graph import FakeGraph, serve
from frontdesk.demo.fake_graph_webhooks import Number, message_webhook, text_webhook
from frontdesk.demo.meta_messaging_demo import connect_meta_messaging, drive_meta_messaging
from frontdesk.demo.pictures import photo
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.demo.telegram_demo import drive_telegram, start_telegram
from frontdesk.demo.twilio_demo import drive_twilio, start_twilio
from frontdesk.settings import Settings

log = logging.getLogger("frontdesk.demo")

CONNECTED_NUMBERS = 2
RETURNING_SHARE = 0.6  # of messages from a customer the demo already knows
PHOTO_SHARE = 0.15  # of messages that are a photo
FIRST_NAMES = ("Ana", "Bruno", "Camila", "Diego", "Elisa", "Fábio", "Gabriela", "Heitor", "Iara")
QUESTIONS = (
    "Olá! A vaga de atendente ainda está aberta?",
    "Oi, enviei meu currículo ontem. Tem novidades?",
    "Qual é o horário do turno da manhã?",
    "Posso fazer a entrevista na sexta-feira?",
    "Bom dia! Vocês contratam sem experiência?",
    "Qual o endereço da loja para a entrevista?",
    "Obrigada pelo retorno! Confirmo minha presença.",
    "Hi! Is the stock assistant job still open?",
    "Xin chào, tôi muốn ứng tuyển vị trí thu ngân.",
)
TEMPLATES = (
    ("entrevista_confirmada", "pt_BR", "Olá {{1}}! Sua entrevista está marcada para {{2}}."),
    ("ainda_interessado", "pt_BR", "Oi {{1}}, você ainda tem interesse na vaga?"),
    ("interview_reminder", "en_US", "Hi {{1}}, a reminder of your interview on {{2}}."),
)


@dataclass
class Connected:
    """A demo channel connected to a fake number."""

    channel_id: uuid.UUID
    number: Number
    customers: list[tuple[str, str]] = field(default_factory=list)  # (wa_id, name)


async def connect_whatsapp(runtime: Runtime, fake: FakeGraph, webhook_url: str) -> list[Connected]:
    """Give two demo numbers fake credentials and templates (idempotent: reruns reconnect)."""
    connected: list[Connected] = []
    async with runtime.uow() as uow:
        db = uow.session
        workspace = await db.scalar(select(Workspace).where(Workspace.slug == DEMO_SLUG))
        if workspace is None:
            return []
        channels = (
            await db.scalars(
                select(Channel)
                .where(Channel.workspace_id == workspace.id, Channel.type == "whatsapp")
                .order_by(Channel.name)
                .limit(CONNECTED_NUMBERS)
            )
        ).all()
        now = uow.now()
        for index, channel in enumerate(channels):
            digits = "".join(
                c for c in str(channel.settings.get("phone_number", "")) if c.isdigit()
            )
            number_id = (digits or str(index + 1)).rjust(15, "0")[-15:]
            number = fake.add_number(
                number_id,
                access_token=f"EAAG-demo-{index}",
                app_secret=f"demo-app-secret-{index}",
                business_account_id=f"demo-waba-{index}",
                display_phone_number=str(channel.settings.get("phone_number") or number_id),
                webhook_url=webhook_url.format(workspace_id=workspace.id),
            )
            settings = {k: v for k, v in channel.settings.items() if k != "placeholder"}
            channel.settings = {
                **settings,
                "phone_number_id": number.phone_number_id,
                "business_account_id": number.business_account_id,
                "display_phone_number": number.display_phone_number,
            }
            channel.secrets_encrypted = runtime.secrets.seal(
                {"access_token": number.access_token, "app_secret": number.app_secret}
            )
            channel.updated_at = now
            await _templates(uow.session, fake, channel, number, now)
            identities = await db.scalars(
                select(ContactIdentity).where(ContactIdentity.channel_id == channel.id).limit(30)
            )
            customers = [(i.provider_id, i.profile_name or "Cliente") for i in identities]
            connected.append(Connected(channel.id, number, customers))
        await uow.commit()
    return connected


async def _templates(db: Any, fake: FakeGraph, channel: Channel, number: Number, now: Any) -> None:
    existing = {
        (t.name, t.language)
        for t in await db.scalars(
            select(MessageTemplate).where(MessageTemplate.channel_id == channel.id)
        )
    }
    for name, language, body in TEMPLATES:
        template = fake.add_template(number.business_account_id, name, body, language=language)
        if (name, language) in existing:
            continue
        db.add(
            MessageTemplate(
                workspace_id=channel.workspace_id,
                channel_id=channel.id,
                provider_template_id=template["id"],
                name=name,
                language=language,
                category="UTILITY",
                status="APPROVED",
                components=template["components"],
                synced_at=now,
            )
        )


async def drive_whatsapp(
    fake: FakeGraph, numbers: list[Connected], *, every: float, rng: random.Random | None = None
) -> None:
    """Post a customer's message to a connected number every `every` seconds or so."""
    rng = rng or random.Random()
    while True:
        await asyncio.sleep(every * rng.uniform(0.5, 1.5))
        connected = rng.choice(numbers)
        number = connected.number
        if connected.customers and rng.random() < RETURNING_SHARE:
            wa_id, name = rng.choice(connected.customers)
        else:
            wa_id, name = f"55119{rng.randrange(10_000_000, 99_999_999)}", rng.choice(FIRST_NAMES)
            connected.customers.append((wa_id, name))
        if rng.random() < PHOTO_SHARE:
            media_id = fake.add_media(photo(rng), "image/jpeg")
            content = {"type": "image", "image": {"id": media_id, "mime_type": "image/jpeg"}}
            body = message_webhook(number, wa_id, name, content)
        else:
            body = text_webhook(number, wa_id, name, rng.choice(QUESTIONS))
        try:
            response = await fake.post_webhook(str(number.webhook_url), body, number.app_secret)
            log.info(
                "demo customer %s wrote to %s: %s",
                name,
                number.display_phone_number,
                response.status_code,
            )
        except Exception:  # the app may be starting or stopping
            log.warning("demo driver could not reach the app", exc_info=True)


@contextlib.asynccontextmanager
async def whatsapp_provider(
    runtime: Runtime, settings: Settings, webhook_url: str, *, port: int
) -> AsyncIterator[tuple[FakeGraph, list[Connected]]]:
    fake = FakeGraph(auto_statuses=True)
    async with serve(fake, port=port) as graph_url:
        settings.meta_graph_url = graph_url
        runtime.provider_urls["meta_graph"] = graph_url
        numbers = await connect_whatsapp(runtime, fake, webhook_url)
        yield fake, numbers


async def run_demo(
    settings: Settings, *, host: str, port: int, fake_port: int, every: float
) -> None:
    """Serve the app with the fake providers beside it until interrupted."""
    from frontdesk.app import create_app
    from frontdesk.channels.registry import install_channels
    from frontdesk.demo.loader import load_demo
    from frontdesk.wiring import build_runtime

    install_channels()  # before the demo's data: its conversations meet each channel's window
    runtime = build_runtime(settings)
    result = await load_demo(runtime)
    log.info("%s", result.summary())
    webhook_url = f"http://{host}:{port}/webhooks/whatsapp/{{workspace_id}}"
    async with whatsapp_provider(runtime, settings, webhook_url, port=fake_port) as (fake, numbers):
        pages = await connect_meta_messaging(runtime, fake, f"http://{host}:{port}")
        telegram = await start_telegram(runtime, settings, f"http://{host}:{port}")
        api_channel = await start_api_channel(runtime, f"http://{host}:{port}")
        sms = await start_twilio(runtime, f"http://{host}:{port}")
        mailbox = await start_email(runtime)
        app = create_app(settings, runtime=runtime)
        config = uvicorn.Config(app, host=host, port=port, log_level="info", lifespan="on")
        server = uvicorn.Server(config)
        drivers = [asyncio.create_task(drive_whatsapp(fake, numbers, every=every))]
        if pages:
            drivers.append(asyncio.create_task(drive_meta_messaging(fake, pages, every=every)))
        if telegram is not None:
            drivers.append(asyncio.create_task(drive_telegram(telegram, every=every)))
        if api_channel is not None:
            drivers.append(asyncio.create_task(drive_api_channel(api_channel, every=every)))
        if sms is not None:
            drivers.append(asyncio.create_task(drive_twilio(sms, every=every)))
        if mailbox is not None:
            drivers.append(asyncio.create_task(drive_email(mailbox, every=every)))
        log.info(
            "demo: %d WhatsApp numbers, %s on the fake Graph API at %s",
            len(numbers),
            " and ".join(p.page.name for p in pages) or "no Page or Instagram account",
            settings.meta_graph_url,
        )
        try:
            await server.serve()
        finally:
            for task in drivers:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            if telegram is not None:
                await telegram.close()
            if api_channel is not None:
                await api_channel.close()
            if sms is not None:
                await sms.close()
            if mailbox is not None:
                await mailbox.close()

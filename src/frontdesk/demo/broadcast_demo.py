"""Broadcasts in the demo: one sent to the retail workspace's VIP contacts on its first
WhatsApp number, with receipts and replies, and one scheduled for tomorrow morning.

The sent one goes through the product's own path: the broadcast is written and started by the
actions, its recipients released by the `send_broadcast` job and each message handed to the
fake Graph API (`demo/fake_graph.py`, served while the demo is made) by the `deliver_message`
job. The number is connected to the fake only for that moment, then put back as the demo has it
(a placeholder: `frontdesk demo --fake-providers` connects it for real). The receipts and
the replies are recorded as the webhook path records them: all delivered, most read, two
customers answering.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import uuid
from collections import deque
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from frontdesk.core.actor import Actor
from frontdesk.core.broadcasts import actions
from frontdesk.core.broadcasts.models import Broadcast, BroadcastRecipient
from frontdesk.core.broadcasts.schemas import BroadcastCreate
from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.delivery import record_delivery
from frontdesk.core.conversations.inbound import Inbound, record_inbound_message
from frontdesk.core.conversations.models import Conversation, DeliveryStatus, Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.templates.models import MessageTemplate
from frontdesk.core.workspaces.models import Role
from frontdesk.demo.fake_graph import FakeGraph, serve
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.demo.workspace import DemoWorkspace
from frontdesk.jobs.broadcasts import send_broadcast
from frontdesk.jobs.delivery import deliver_message
from frontdesk.jobs.registry import RetryJobLater

TEMPLATE = ("open_day", "pt_BR", "Olá {{1}}! Sábado temos dia de portas abertas na loja {{2}}.")
REPLIES = ("Vou sim, obrigada!", "Que horas começa?")
MAX_ROUNDS = 200
MAX_SENT = 10_000
# Every third delivered message is left unread.
READ_EVERY = 3


async def seed_broadcasts(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    dw = next((w for w in workspaces if w.spec.slug == DEMO_SLUG), None)
    channel = next((c.row for c in dw.channels if c.row.type == "whatsapp"), None) if dw else None
    if dw is None or channel is None:
        return
    actor = Actor(workspace_id=dw.row.id, role=Role.MANAGER, user_id=dw.supervisor.id)
    # Message ids as the demo's other provider messages have them.
    fake = FakeGraph(next_wamids=deque(f"wamid.DEMO-broadcast-{n}" for n in range(MAX_SENT)))
    async with serve(fake):
        sending = dataclasses.replace(
            runtime, provider_urls={**runtime.provider_urls, "meta_graph": fake.graph_url}
        )
        saved = await _connect(runtime, fake, channel.id)
        try:
            template_id = await _template(runtime, fake, channel.id)
            sent = await _send(sending, actor, dw, channel.id, template_id)
        finally:
            await _disconnect(runtime, channel.id, saved)
    await _receipts(runtime, channel.id, sent)
    await _scheduled(runtime, actor, dw, channel.id, template_id)


def _create(
    dw: DemoWorkspace, channel_id: uuid.UUID, template_id: uuid.UUID, **more: object
) -> BroadcastCreate:
    return BroadcastCreate.model_validate(
        {
            "name": more.pop("name"),
            "channel_id": str(channel_id),
            "segment": {"tag_ids": [str(dw.tags["vip"].id)]},
            "content": {
                "kind": "template",
                "template_id": str(template_id),
                "variables": [
                    {"source": "first_name", "fallback": "tudo bem"},
                    {"source": "text", "value": "do Centro"},
                ],
            },
            **more,
        }
    )


async def _connect(
    runtime: Runtime, fake: FakeGraph, channel_id: uuid.UUID
) -> tuple[dict[str, object], str | None]:
    async with runtime.uow() as uow:
        channel = await uow.session.get_one(Channel, channel_id)
        saved = (dict(channel.settings), channel.secrets_encrypted)
        number = fake.add_number("5511400000001", business_account_id="demo-waba-broadcast")
        channel.settings = {**channel.settings, "phone_number_id": number.phone_number_id}
        channel.secrets_encrypted = runtime.secrets.seal(
            {"access_token": number.access_token, "app_secret": number.app_secret}
        )
        await uow.commit()
    return saved


async def _disconnect(
    runtime: Runtime, channel_id: uuid.UUID, saved: tuple[dict[str, object], str | None]
) -> None:
    async with runtime.uow() as uow:
        channel = await uow.session.get_one(Channel, channel_id)
        channel.settings, channel.secrets_encrypted = saved
        await uow.commit()


async def _template(runtime: Runtime, fake: FakeGraph, channel_id: uuid.UUID) -> uuid.UUID:
    name, language, body = TEMPLATE
    made = fake.add_template("demo-waba-broadcast", name, body, language=language)
    async with runtime.uow() as uow:
        channel = await uow.session.get_one(Channel, channel_id)
        row = MessageTemplate(
            workspace_id=channel.workspace_id,
            channel_id=channel.id,
            provider_template_id=made["id"],
            name=name,
            language=language,
            category="MARKETING",
            status="APPROVED",
            components=made["components"],
            synced_at=uow.now(),
        )
        uow.session.add(row)
        await uow.commit()
        return row.id


async def _send(
    runtime: Runtime,
    actor: Actor,
    dw: DemoWorkspace,
    channel_id: uuid.UUID,
    template_id: uuid.UUID,
) -> list[uuid.UUID]:
    """Start it and run its jobs as the worker would; the ids of the messages it wrote."""
    async with runtime.uow() as uow:
        made = await actions.create_broadcast(
            uow, actor, _create(dw, channel_id, template_id, name="Dia de portas abertas")
        )
        broadcast = await uow.session.get_one(Broadcast, made.id)
        await actions.start_broadcast(uow, actor, broadcast)
        await uow.commit()
    payload = {"broadcast_id": str(made.id), "workspace_id": str(dw.row.id)}
    for _ in range(MAX_ROUNDS):
        try:
            await send_broadcast(runtime, payload)
            break
        except RetryJobLater as wait:  # the number's pace: wait as the job runner would
            await asyncio.sleep(min(wait.delay_seconds, 1.0))
    async with runtime.database.read_session() as db:
        ids = [
            i
            for i in await db.scalars(
                select(BroadcastRecipient.message_id)
                .where(BroadcastRecipient.broadcast_id == made.id)
                .order_by(BroadcastRecipient.id)
            )
            if i is not None
        ]
    for message_id in ids:
        with contextlib.suppress(RetryJobLater):
            await deliver_message(runtime, {"message_id": str(message_id)})
    return ids


async def _receipts(runtime: Runtime, channel_id: uuid.UUID, sent: list[uuid.UUID]) -> None:
    """Every message delivered, two thirds of them read; two customers answer."""
    async with runtime.uow() as uow:
        for n, message_id in enumerate(sent):
            await record_delivery(uow, message_id, DeliveryStatus.DELIVERED)
            if (n + 1) % READ_EVERY:
                await record_delivery(uow, message_id, DeliveryStatus.READ)
        await uow.commit()
    for n, message_id in enumerate(sent[: len(REPLIES)]):
        async with runtime.uow() as uow:
            message = await uow.session.get_one(Message, message_id)
            conv = await uow.session.get_one(Conversation, message.conversation_id)
            await record_inbound_message(
                uow,
                Inbound(
                    channel=await uow.session.get_one(Channel, channel_id),
                    contact_id=conv.contact_id,
                    provider_message_id=f"wamid.demo-broadcast-reply-{n}",
                    body=REPLIES[n],
                    attachments=[],
                ),
            )
            await uow.commit()


async def _scheduled(
    runtime: Runtime,
    actor: Actor,
    dw: DemoWorkspace,
    channel_id: uuid.UUID,
    template_id: uuid.UUID,
) -> None:
    """Tomorrow at 10:00 in São Paulo."""
    zone = ZoneInfo("America/Sao_Paulo")
    tomorrow = (runtime.clock.now().astimezone(zone) + timedelta(days=1)).date()
    async with runtime.uow() as uow:
        made = await actions.create_broadcast(
            uow,
            actor,
            _create(
                dw,
                channel_id,
                template_id,
                name="Lembrete de sábado",
                send_at=f"{tomorrow.isoformat()}T10:00:00",
                time_zone="America/Sao_Paulo",
            ),
        )
        broadcast = await uow.session.get_one(Broadcast, made.id)
        await actions.start_broadcast(uow, actor, broadcast)
        await uow.commit()

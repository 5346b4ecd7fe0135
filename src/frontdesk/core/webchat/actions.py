"""The visitor side of a website chat: sessions, history, messages and read receipts.

A visitor is a contact with an identity on the webchat channel. Anonymous visitors are
known by a random id kept in their browser (the visitor token, sealed with the secret key);
a site that signs in its customers can vouch for them with an HMAC of its own user id, so the
same customer is recognised on every device.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import secrets as pysecrets
import uuid
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.accounts.models import User
from frontdesk.core.attachments.models import Attachment
from frontdesk.core.channels.models import Channel
from frontdesk.core.contacts.identities import contact_changed, contact_created
from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.conversations.delivery import record_delivery
from frontdesk.core.conversations.inbound import Inbound, Recorded, record_inbound_message
from frontdesk.core.conversations.models import (
    Conversation,
    DeliveryStatus,
    Direction,
    Message,
    MessageKind,
)
from frontdesk.core.errors import Forbidden, Invalid, NotFound, Unauthenticated
from frontdesk.core.languages.codes import normalise_language
from frontdesk.core.pagination import cursor_datetime, cursor_uuid, decode_cursor, encode_cursor
from frontdesk.core.security import SecretBox
from frontdesk.core.webchat.schemas import (
    VisitorMessageCreate,
    VisitorMessages,
    VisitorSessionCreate,
    WidgetAvailability,
    WidgetConfig,
)
from frontdesk.core.webchat.visitor import WEBCHAT, visitor_agent, visitor_message
from frontdesk.db.uow import UnitOfWork

DEFAULT_GREETING = {
    "en": "Hi! How can we help you today?",
    "pt-BR": "Olá! Como podemos ajudar você hoje?",
    "vi": "Xin chào! Chúng tôi có thể giúp gì cho bạn?",
}


async def access_webchat_channel(db: AsyncSession, channel_id: uuid.UUID) -> Channel:
    channel = await db.get(Channel, channel_id)
    if channel is None or channel.type != WEBCHAT or not channel.is_active:
        raise NotFound("chat")
    return channel


def check_origin(channel: Channel, origin: str | None) -> None:
    """Only the sites the channel lists may embed it (none listed: any site, for trying out)."""
    allowed = [o.rstrip("/") for o in channel.settings.get("allowed_origins", []) if o]
    if not allowed or origin is None:
        return
    parts = urlsplit(origin)
    if f"{parts.scheme}://{parts.netloc}" not in allowed:
        raise Forbidden("this website may not use this chat")


def widget_config(
    channel: Channel, max_upload_bytes: int, availability: WidgetAvailability
) -> WidgetConfig:
    settings = channel.settings
    greeting = {**DEFAULT_GREETING, **(settings.get("greeting") or {})}
    return WidgetConfig(
        channel_id=channel.id,
        name=channel.name,
        greeting=greeting,
        primary_color=settings.get("primary_color", "#2563eb"),
        position="left" if settings.get("position") == "left" else "right",
        pre_chat={
            "enabled": bool(settings.get("pre_chat_enabled", False)),
            "require_email": bool(settings.get("pre_chat_require_email", False)),
        },
        identity_required=bool(settings.get("identity_required", False)),
        max_upload_bytes=max_upload_bytes,
        availability=availability,
    )


def _identity_secret(box: SecretBox, channel: Channel) -> str | None:
    if not channel.secrets_encrypted:
        return None
    value = box.open(channel.secrets_encrypted).get("identity_secret")
    return str(value) if value else None


def _verified_user(box: SecretBox, channel: Channel, data: VisitorSessionCreate) -> str | None:
    if not data.user_id:
        if channel.settings.get("identity_required"):
            raise Invalid("this chat needs a signed-in customer", field="user_id")
        return None
    secret = _identity_secret(box, channel)
    expected = (
        hmac.new(secret.encode(), data.user_id.encode(), hashlib.sha256).hexdigest()
        if secret
        else None
    )
    if expected is None or not hmac.compare_digest(expected, (data.user_hash or "").lower()):
        raise Unauthenticated("the customer's identity could not be verified")
    return data.user_id


def read_visitor_token(box: SecretBox, token: str) -> tuple[uuid.UUID, str]:
    """The channel and provider id a visitor token stands for; any tampering is refused."""
    try:
        sealed = box.open(token)
        return uuid.UUID(str(sealed["c"])), str(sealed["p"])
    except (ValueError, KeyError, TypeError):
        raise Unauthenticated("the visitor token is not valid") from None


def issue_visitor_token(box: SecretBox, channel_id: uuid.UUID, provider_id: str) -> str:
    return box.seal({"c": str(channel_id), "p": provider_id})


async def start_visitor_session(
    uow: UnitOfWork, box: SecretBox, channel: Channel, data: VisitorSessionCreate
) -> tuple[ContactIdentity, Contact, str]:
    """Recognise the visitor (verified customer, returning browser, or someone new)."""
    user_id = _verified_user(box, channel, data)
    provider_id = None
    if user_id is not None:
        provider_id = f"user:{user_id}"
    elif data.visitor_token:
        # A stale or damaged token (another install, a rotated key) starts afresh.
        with contextlib.suppress(Unauthenticated):
            token_channel, token_provider = read_visitor_token(box, data.visitor_token)
            if token_channel == channel.id:
                provider_id = token_provider
    if provider_id is None:
        provider_id = f"visitor:{pysecrets.token_hex(12)}"
    if channel.settings.get("pre_chat_require_email") and not data.email:
        existing = await _identity(uow.session, channel, provider_id)
        if existing is None:
            raise Invalid("give your email to start chatting", field="email")
    identity, contact = await _identity_and_contact(uow, channel, provider_id, data)
    return identity, contact, issue_visitor_token(box, channel.id, provider_id)


async def _identity(db: AsyncSession, channel: Channel, provider_id: str) -> ContactIdentity | None:
    return await db.scalar(
        select(ContactIdentity).where(
            ContactIdentity.channel_id == channel.id, ContactIdentity.provider_id == provider_id
        )
    )


async def _identity_and_contact(
    uow: UnitOfWork, channel: Channel, provider_id: str, data: VisitorSessionCreate
) -> tuple[ContactIdentity, Contact]:
    now = uow.now()
    identity = await _identity(uow.session, channel, provider_id)
    if identity is not None:
        contact = await uow.session.get_one(Contact, identity.contact_id)
        changed = False
        if data.name and not contact.name.startswith(data.name):
            contact.name, changed = data.name, True
        if data.email and not contact.email:
            contact.email, changed = data.email, True
        if changed:
            await contact_changed(uow, contact)
        return identity, contact
    language = normalise_language(data.locale) if data.locale else None
    contact = Contact(
        workspace_id=channel.workspace_id,
        name=data.name or f"Visitor {provider_id[-4:].upper()}",
        email=data.email,
        # The page's or the browser's language: a hint until their messages tell.
        language=language,
        language_source="provider" if language else None,
        notes="",
        version=1,
        created_at=now,
        updated_at=now,
    )
    uow.session.add(contact)
    await uow.session.flush()
    identity = ContactIdentity(
        workspace_id=channel.workspace_id,
        contact_id=contact.id,
        channel_id=channel.id,
        provider_id=provider_id,
        profile_name=data.name,
        extra={"page_url": data.page_url} if data.page_url else {},
        created_at=now,
    )
    uow.session.add(identity)
    await contact_created(uow, contact)
    return identity, contact


async def visitor_identity(
    db: AsyncSession, box: SecretBox, token: str
) -> tuple[Channel, ContactIdentity]:
    channel_id, provider_id = read_visitor_token(box, token)
    channel = await access_webchat_channel(db, channel_id)
    identity = await _identity(db, channel, provider_id)
    if identity is None:
        raise Unauthenticated("start a chat session first")
    return channel, identity


async def latest_conversation(
    db: AsyncSession, channel: Channel, contact_id: uuid.UUID
) -> Conversation | None:
    return await db.scalar(
        select(Conversation)
        .where(
            Conversation.workspace_id == channel.workspace_id,
            Conversation.channel_id == channel.id,
            Conversation.contact_id == contact_id,
        )
        .order_by(Conversation.created_at.desc())
        .limit(1)
    )


async def list_visitor_messages(
    db: AsyncSession, channel: Channel, contact_id: uuid.UUID, *, limit: int, cursor: str | None
) -> VisitorMessages:
    """The visitor's whole history on this chat, newest first, notes never included."""
    query = (
        select(Message, User)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .outerjoin(User, User.id == Message.sender_user_id)
        .where(
            Conversation.workspace_id == channel.workspace_id,
            Conversation.channel_id == channel.id,
            Conversation.contact_id == contact_id,
            Message.kind != MessageKind.NOTE,
        )
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        raw_at, raw_id = decode_cursor(cursor, 2)
        at, last_id = cursor_datetime(raw_at), cursor_uuid(raw_id)
        query = query.where(
            or_(Message.created_at < at, and_(Message.created_at == at, Message.id < last_id))
        )
    rows = (await db.execute(query)).all()
    page, more = rows[:limit], len(rows) > limit
    conv = await latest_conversation(db, channel, contact_id)
    agent = await db.get(User, conv.assignee_id) if conv and conv.assignee_id else None
    last = page[-1][0] if page else None
    return VisitorMessages(
        items=[visitor_message(m, u) for m, u in page],
        next_cursor=encode_cursor(last.created_at.isoformat(), last.id) if more and last else None,
        agent=visitor_agent(channel.id, agent) if agent else None,
        conversation_status=conv.status if conv else None,
    )


async def post_visitor_message(
    uow: UnitOfWork,
    channel: Channel,
    identity: ContactIdentity,
    data: VisitorMessageCreate,
    attachments: list[dict[str, Any]],
) -> Recorded:
    if not data.body.strip() and not attachments:
        raise Invalid("write a message or attach a file", field="body")
    recorded = await record_inbound_message(
        uow,
        Inbound(
            channel=channel,
            contact_id=identity.contact_id,
            # Unique per channel: the visitor's own id plus the id their browser chose.
            provider_message_id=f"{identity.provider_id}:{data.client_message_id}",
            body=data.body,
            attachments=attachments,
            kind=MessageKind.MEDIA if attachments else MessageKind.TEXT,
            client_message_id=data.client_message_id,
        ),
    )
    if recorded.created and attachments:
        # The files now belong to the conversation: its agents may open them.
        await uow.session.execute(
            update(Attachment)
            .where(
                Attachment.workspace_id == channel.workspace_id,
                Attachment.id.in_([uuid.UUID(str(a["id"])) for a in attachments]),
                Attachment.conversation_id.is_(None),
            )
            .values(conversation_id=recorded.conversation.id)
        )
    return recorded


async def mark_read_by_visitor(
    uow: UnitOfWork, channel: Channel, identity: ContactIdentity, message_id: uuid.UUID
) -> int:
    """The visitor saw a reply: it and the replies before it in that conversation are read."""
    target = await uow.session.scalar(
        select(Message)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(
            Message.id == message_id,
            Conversation.channel_id == channel.id,
            Conversation.contact_id == identity.contact_id,
            Message.direction == Direction.OUTBOUND,
            Message.kind != MessageKind.NOTE,
        )
    )
    if target is None:
        raise NotFound("message")
    unread = await uow.session.scalars(
        select(Message.id).where(
            Message.conversation_id == target.conversation_id,
            Message.direction == Direction.OUTBOUND,
            Message.kind != MessageKind.NOTE,
            Message.created_at <= target.created_at,
            Message.status.in_([DeliveryStatus.SENT, DeliveryStatus.DELIVERED]),
        )
    )
    count = 0
    for unread_id in list(unread):
        count += await record_delivery(uow, unread_id, DeliveryStatus.READ)
    return count

"""A customer's opt-out on one channel: who texted STOP may not be written to until they opt in.

SMS numbers must honour opt-out keywords (Twilio's defaults: STOP, UNSUBSCRIBE, … to stop;
START, UNSTOP, YES to come back). The state is kept on the customer's identity on that channel
(`ContactIdentity.extra["opted_out"]`: when and by which word), so the same person on another
channel is not affected. Each change is a `contact.updated` event (the contact's identities
carry `opted_out_at`); a reply to an opted-out customer is refused with `409 opted_out` before
anything is stored.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select

from frontdesk.core.contacts.models import Contact, ContactIdentity
from frontdesk.core.errors import Conflict
from frontdesk.core.events import ContactUpdated, workspace_key
from frontdesk.db.uow import UnitOfWork

OPTED_OUT = "opted_out"


class OptedOut(Conflict):
    """The customer opted out of messages on this channel (they texted STOP)."""

    code = "opted_out"


def opt_out_of(identity: ContactIdentity | None) -> dict[str, Any] | None:
    """When and how the customer opted out on the identity's channel; None if they did not."""
    state = (identity.extra or {}).get(OPTED_OUT) if identity is not None else None
    return state if isinstance(state, dict) else None


def opted_out_at(identity: ContactIdentity) -> datetime | None:
    state = opt_out_of(identity)
    try:
        return datetime.fromisoformat(str(state["at"])) if state else None
    except (KeyError, ValueError):
        return None


async def identity_on(
    uow: UnitOfWork, workspace_id: uuid.UUID, channel_id: uuid.UUID, contact_id: uuid.UUID
) -> ContactIdentity | None:
    return await uow.session.scalar(
        select(ContactIdentity)
        .where(
            ContactIdentity.workspace_id == workspace_id,
            ContactIdentity.channel_id == channel_id,
            ContactIdentity.contact_id == contact_id,
        )
        .limit(1)
    )


async def set_opt_out(
    uow: UnitOfWork, identity: ContactIdentity, opted_out: bool, keyword: str
) -> bool:
    """Record an opt-out (or an opt-in); False when it changes nothing."""
    current = opt_out_of(identity)
    if opted_out == (current is not None):
        return False
    extra = dict(identity.extra or {})
    at = uow.now()
    if opted_out:
        extra[OPTED_OUT] = {"at": at.isoformat(), "keyword": keyword}
    else:
        extra.pop(OPTED_OUT, None)
    identity.extra = extra
    await _contact_changed(uow, identity)
    return True


async def _contact_changed(uow: UnitOfWork, identity: ContactIdentity) -> None:
    """`contact.updated` with the contact as read (its identities show the opt-out)."""
    # (queries imports this module: imported here, when needed)
    from frontdesk.core.contacts.queries import get_contact

    contact = await uow.session.get(Contact, identity.contact_id)
    if contact is None:
        return
    contact.version += 1
    contact.updated_at = uow.now()
    await uow.session.flush()
    read = await get_contact(uow.session, contact.workspace_id, contact.id)
    uow.emit(
        ContactUpdated(
            workspace_id=contact.workspace_id,
            audience=(workspace_key(contact.workspace_id),),
            data=read.model_dump(mode="json"),
        )
    )


async def check_not_opted_out(
    uow: UnitOfWork, workspace_id: uuid.UUID, channel_id: uuid.UUID, contact_id: uuid.UUID
) -> None:
    """Refuse a message to a customer who opted out on this channel, saying how they return."""
    state = opt_out_of(await identity_on(uow, workspace_id, channel_id, contact_id))
    if state is None:
        return
    raise OptedOut(
        f"the customer replied {state.get('keyword') or 'STOP'} and opted out of messages on "
        "this channel: nothing can be sent until they text START or UNSTOP",
        details={"field": "body", "opted_out_at": state.get("at"), "keyword": state.get("keyword")},
    )

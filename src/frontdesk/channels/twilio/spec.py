"""SMS through Twilio as a channel spec, and WhatsApp through Twilio on the WhatsApp type.

An SMS channel is Twilio's (`settings.provider` "twilio", the only SMS provider so far). A
WhatsApp channel whose `settings.provider` is "twilio" keeps everything of the WhatsApp type
(the 24-hour window, templates, the composer) but sends, fetches files and reads status through
Twilio: `with_twilio(spec)` gives the WhatsApp spec adapters that pick by provider.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from frontdesk.channels.common import MediaRequest, ReadReceipt
from frontdesk.channels.outbound import Delivery
from frontdesk.channels.spec import ChannelSpec
from frontdesk.channels.twilio.inbound import SMS, record_form
from frontdesk.channels.twilio.media import fetch_twilio_media
from frontdesk.channels.twilio.outbound import send_limits, send_twilio
from frontdesk.channels.twilio.setup import setup_info
from frontdesk.core.channels.capabilities import Capabilities, MediaRules
from frontdesk.core.channels.models import Channel

MB = 1024 * 1024
TWILIO = "twilio"

TWILIO_SMS_SPEC = ChannelSpec(
    type=SMS,
    capabilities=Capabilities(
        reply_window=None,  # SMS has no window; opt-out keywords are honoured instead
        read_receipts=False,
        profile_lookup=False,
        choice_limits=None,
        media=MediaRules(max_bytes={"image": 5 * MB, "video": 5 * MB, "audio": 5 * MB}),
    ),
    sender=send_twilio,
    send_limits=send_limits,
    media_fetcher=fetch_twilio_media,
    setup=setup_info,
    inbound=record_form,
)


def is_twilio(channel: Channel) -> bool:
    return channel.type == SMS or (channel.settings or {}).get("provider") == TWILIO


R = TypeVar("R")


def _by_provider(
    meta: Callable[[Any], Awaitable[R]] | None,
    twilio: Callable[[Any], Awaitable[R]] | None,
    channel_of: Callable[[Any], Channel],
) -> Callable[[Any], Awaitable[R]] | None:
    if meta is None and twilio is None:
        return None

    async def pick(request: Any) -> R:
        chosen = twilio if is_twilio(channel_of(request)) else meta
        if chosen is None:
            return None  # type: ignore[return-value]  # nothing to do for this provider
        return await chosen(request)

    return pick


async def _no_receipt(_receipt: ReadReceipt) -> None:
    """Twilio does not tell WhatsApp customers their messages were read."""


def with_twilio(spec: ChannelSpec) -> ChannelSpec:
    """The WhatsApp spec, its adapters choosing Twilio's for channels Twilio carries."""

    def limits(delivery: Delivery) -> list[Any]:
        if is_twilio(delivery.channel):
            return send_limits(delivery)
        return spec.send_limits(delivery) if spec.send_limits is not None else []

    return dataclasses.replace(
        spec,
        sender=_by_provider(spec.sender, send_twilio, lambda d: d.channel),
        send_limits=limits,
        media_fetcher=_by_provider(spec.media_fetcher, fetch_twilio_media, lambda r: r.channel),
        read_receipt_sender=_by_provider(
            spec.read_receipt_sender, _no_receipt, lambda r: r.channel
        ),
    )


__all__ = ["TWILIO_SMS_SPEC", "MediaRequest", "is_twilio", "with_twilio"]

"""Messenger and Instagram Messaging, as one spec each (`channels/spec.py`): one adapter
(`channels.messenger`) in two flavours."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from frontdesk.channels.instagram.flavor import INSTAGRAM
from frontdesk.channels.messenger.flavor import MESSENGER, Flavor
from frontdesk.channels.messenger.inbound import WebhookResult, record_webhook
from frontdesk.channels.messenger.media import fetch_attachment
from frontdesk.channels.messenger.outbound import limits_for, sender_for
from frontdesk.channels.messenger.profile import profile_fetcher_for
from frontdesk.channels.messenger.setup import MetaMessagingSetup, setup_info
from frontdesk.channels.spec import ChannelSpec, InboundRecorder, SetupHook
from frontdesk.channels.whatsapp.spec import WHATSAPP_CHOICE_LIMITS
from frontdesk.core.channels.capabilities import Capabilities, MediaRules, ReplyWindow
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox
from frontdesk.db.uow import UnitOfWork

MB = 1024 * 1024
HUMAN_AGENT_TAG = "HUMAN_AGENT"


def _inbound(flavor: Flavor) -> InboundRecorder:
    async def record(
        uow: UnitOfWork,
        workspace_id: uuid.UUID,
        channels: Mapping[str, Channel],
        body: Mapping[str, Any],
    ) -> WebhookResult:
        return await record_webhook(uow, flavor, workspace_id, channels, body)

    return record


def _setup(flavor: Flavor) -> SetupHook:
    def setup(
        channel: Channel, secrets: Mapping[str, Any], box: SecretBox, public_url: str
    ) -> MetaMessagingSetup:
        return setup_info(flavor, channel, secrets, box, public_url)

    return setup


def meta_messaging_spec(flavor: Flavor, media: MediaRules) -> ChannelSpec:
    """Every choice goes as a quick reply (at most 13, so 10 rows fit; titles of at most 20
    characters, one untitled section); the body is the flavour's longest text."""
    return ChannelSpec(
        type=flavor.channel_type,
        capabilities=Capabilities(
            # 24 hours of free replies, then a human agent may answer with the HUMAN_AGENT tag
            # up to 7 days after the customer's last message.
            reply_window=ReplyWindow(
                seconds=24 * 3600,
                human_agent_seconds=7 * 24 * 3600,
                human_agent_tag=HUMAN_AGENT_TAG,
            ),
            read_receipts=False,
            profile_lookup=True,  # the webhook carries only the sender's id
            choice_limits=WHATSAPP_CHOICE_LIMITS.model_copy(
                update={"body": flavor.max_text, "row_title": 20, "titled_sections": False}
            ),
            media=media,
        ),
        sender=sender_for(flavor),
        send_limits=limits_for(flavor),
        media_fetcher=fetch_attachment,
        profile_fetcher=profile_fetcher_for(flavor),
        setup=_setup(flavor),
        inbound=_inbound(flavor),
        account_setting=flavor.id_setting,
    )


MESSENGER_SPEC = meta_messaging_spec(
    MESSENGER,
    MediaRules(
        max_bytes={"image": 25 * MB, "video": 25 * MB, "audio": 25 * MB, "file": 25 * MB},
        caption_on_file=False,
    ),
)
INSTAGRAM_SPEC = meta_messaging_spec(
    INSTAGRAM,
    MediaRules(
        max_bytes={"image": 8 * MB, "video": 25 * MB, "audio": 25 * MB}, caption_on_file=False
    ),
)

"""Messenger and Instagram Messaging share Meta's event shapes, Send API and signature; a
`Flavor` says which of the two a channel is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Flavor:
    channel_type: str  # the channel's `type`
    webhook_object: str  # the webhook body's `object`
    id_setting: str  # the channel setting holding the Page / account id (`entry[].id`)
    label: str  # the provider's name in messages to people
    verify_prefix: str  # of the verify token, so the two are never mixed up
    max_text: int  # longest text one message may carry


MESSENGER = Flavor(
    channel_type="messenger",
    webhook_object="page",
    id_setting="page_id",
    label="Messenger",
    verify_prefix="fd-ms-",
    max_text=2000,
)

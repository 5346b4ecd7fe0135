"""The Instagram flavour of Meta's messaging adapter."""

from __future__ import annotations

from frontdesk.channels.messenger.flavor import Flavor

INSTAGRAM = Flavor(
    channel_type="instagram",
    webhook_object="instagram",
    id_setting="account_id",
    label="Instagram",
    verify_prefix="fd-ig-",
    max_text=1000,
)

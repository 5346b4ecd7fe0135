"""One webhook URL per Meta app, for WhatsApp numbers, Pages and Instagram accounts in any
number of workspaces.

A Meta app has one callback URL per product. A business whose numbers (or Pages) are connected
in several workspaces cannot give Meta a workspace's URL for each: it gives the app's,
`/webhooks/meta/{app_id}`. Channels say which app they belong to (`settings.app_id`); a body is
verified with the app secret of the app's channels, then every WhatsApp change is routed by its
`metadata.phone_number_id` (a change that names no number, such as a template's review, by its
entry's WhatsApp Business Account id), every Messenger entry by its Page id and every Instagram
entry by its account id, to the channel, and so the workspace, that connected it. What names an
account no channel of the app connected is acknowledged and stored nowhere.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from frontdesk.channels.instagram.flavor import INSTAGRAM
from frontdesk.channels.messenger.flavor import MESSENGER
from frontdesk.channels.whatsapp.inbound import WEBHOOK_OBJECT as WHATSAPP_OBJECT
from frontdesk.channels.whatsapp.outbound import WHATSAPP
from frontdesk.core.channels.models import Channel
from frontdesk.core.security import SecretBox

APP_WEBHOOK_PATH = "/webhooks/meta"
APP_SETTING = "app_id"
# The channel types a Meta app's webhook carries, by the body's `object`.
TYPE_OF_OBJECT = {
    WHATSAPP_OBJECT: WHATSAPP,
    MESSENGER.webhook_object: MESSENGER.channel_type,
    INSTAGRAM.webhook_object: INSTAGRAM.channel_type,
}
META_TYPES = tuple(TYPE_OF_OBJECT.values())
# The setting naming the account a WhatsApp change, Messenger or Instagram entry is routed by.
ACCOUNT_SETTING = {
    WHATSAPP: "phone_number_id",
    MESSENGER.channel_type: MESSENGER.id_setting,
    INSTAGRAM.channel_type: INSTAGRAM.id_setting,
}


def app_of(channel: Channel) -> str | None:
    value = (channel.settings or {}).get(APP_SETTING)
    return str(value) if value else None


def app_webhook_url(public_url: str, app_id: str) -> str:
    return f"{public_url.rstrip('/')}{APP_WEBHOOK_PATH}/{app_id}"


def app_verify_token(box: SecretBox, app_id: str) -> str:
    """The app URL's token for Meta's handshake: derived from the secret key, nothing to store
    (the same for every channel of the app, whatever its workspace)."""
    return "fd-meta-" + box.sign(f"meta-app-verify-token:{app_id}")[:32]


@dataclass
class Part:
    """What one workspace gets of a body: its channels of one type by account id, and a body of
    the same shape holding only the entries (WhatsApp: changes) routed to them."""

    workspace_id: uuid.UUID
    channel_type: str
    accounts: dict[str, Channel] = field(default_factory=dict)
    entries: list[dict[str, Any]] = field(default_factory=list)
    _entry_at: dict[int, dict[str, Any]] = field(default_factory=dict)

    def body(self, object_: str) -> dict[str, Any]:
        return {"object": object_, "entry": self.entries}

    def add_entry(self, index: int, entry: Mapping[str, Any]) -> None:
        self.entries.append(dict(entry))

    def add_change(self, index: int, entry: Mapping[str, Any], change: Any) -> None:
        kept = self._entry_at.get(index)
        if kept is None:
            kept = {**{k: v for k, v in entry.items() if k != "changes"}, "changes": []}
            self._entry_at[index] = kept
            self.entries.append(kept)
        kept["changes"].append(change)


@dataclass
class Routing:
    parts: list[Part] = field(default_factory=list)
    # Account ids (numbers, Pages, accounts) no channel of the app connected.
    ignored: list[str] = field(default_factory=list)
    # The body's `object` is none of Meta's messaging ones, or it has no entries list.
    unknown_shape: bool = False


class _Parts:
    def __init__(self) -> None:
        self.by_key: dict[tuple[uuid.UUID, str], Part] = {}

    def of(self, channel: Channel) -> Part:
        key = (channel.workspace_id, channel.type)
        part = self.by_key.get(key)
        if part is None:
            part = self.by_key[key] = Part(channel.workspace_id, channel.type)
        return part


def _by_setting(channels: Sequence[Channel], type_: str, setting: str) -> dict[str, list[Channel]]:
    found: dict[str, list[Channel]] = {}
    for channel in channels:
        value = (channel.settings or {}).get(setting)
        if channel.type == type_ and value:
            found.setdefault(str(value), []).append(channel)
    return found


def route(payload: Mapping[str, Any], channels: Sequence[Channel]) -> Routing:
    """Split an authentic body of a Meta app among the channels (of any workspace) that
    connected the accounts it names. An account connected in two workspaces goes to both."""
    routing = Routing()
    type_ = TYPE_OF_OBJECT.get(str(payload.get("object")))
    entries = payload.get("entry")
    if type_ is None or not isinstance(entries, list):
        routing.unknown_shape = True
        return routing
    parts = _Parts()
    accounts = _by_setting(channels, type_, ACCOUNT_SETTING[type_])
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        if type_ == WHATSAPP:
            _route_changes(
                routing, parts, channels=channels, numbers=accounts, index=index, entry=entry
            )
            continue
        account = str(entry.get("id") or "")
        found = accounts.get(account, [])
        if not found:
            routing.ignored.append(account)
        for channel in found:
            part = parts.of(channel)
            part.accounts[account] = channel
            part.add_entry(index, entry)
    routing.parts = list(parts.by_key.values())
    return routing


def _route_changes(
    routing: Routing,
    parts: _Parts,
    *,
    channels: Sequence[Channel],
    numbers: Mapping[str, list[Channel]],
    index: int,
    entry: Mapping[str, Any],
) -> None:
    changes = entry.get("changes")
    for change in changes if isinstance(changes, list) else []:
        value = change.get("value") if isinstance(change, dict) else None
        metadata = value.get("metadata") if isinstance(value, dict) else None
        number = metadata.get("phone_number_id") if isinstance(metadata, dict) else None
        if number is None:  # a change of the business account, not of one number
            waba = str(entry.get("id") or "")
            owners = _by_setting(channels, WHATSAPP, "business_account_id").get(waba, [])
            if not owners:
                routing.ignored.append(waba)
            # One copy per workspace, whichever of its numbers of that account takes it.
            for workspace_id in dict.fromkeys(c.workspace_id for c in owners):
                owner = next(c for c in owners if c.workspace_id == workspace_id)
                parts.of(owner).add_change(index, entry, change)
            continue
        found = numbers.get(str(number), [])
        if not found:
            routing.ignored.append(str(number))
        for channel in found:
            part = parts.of(channel)
            part.accounts[str(number)] = channel
            part.add_change(index, entry, change)

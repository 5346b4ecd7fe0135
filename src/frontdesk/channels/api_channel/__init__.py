"""The API channel: any system posts customers' messages in and receives agents' replies.

In: `POST /api/channels/v1/{channel_id}/messages` with the channel's bearer token and an
idempotency key (`inbound.py`). Out: each reply is POSTed to the channel's callback URL, signed
the Standard Webhooks way (`signature.py`), retried with backoff and logged (`outbound.py`,
`core.channels.api_callbacks`); closes and assignments too for channels that ask
(`core.channels.api_events`, `jobs/api_channel.py`). Set-up: `setup.py`. Registered by its spec
(`spec.py`).
"""

from __future__ import annotations

API = "api"

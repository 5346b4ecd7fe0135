"""Webhook bodies as Meta posts them for WhatsApp, for the fake Graph API and the tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any


@dataclass
class Number:
    """A business phone number the fake knows, with its token, account and app."""

    phone_number_id: str
    access_token: str
    app_secret: str
    business_account_id: str
    display_phone_number: str
    verified_name: str = "Frontdesk Demo"
    webhook_url: str | None = None


def _envelope(number: Number, value: dict[str, Any]) -> dict[str, Any]:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": number.business_account_id,
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": number.display_phone_number,
                                "phone_number_id": number.phone_number_id,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def message_webhook(
    number: Number,
    wa_id: str,
    name: str,
    message: dict[str, Any],
    *,
    wamid: str | None = None,
    timestamp: int = 1_700_000_000,
    user_id: str | None = None,
) -> dict[str, Any]:
    """A webhook carrying one customer message; `message` is its type and content."""
    contact: dict[str, Any] = {"profile": {"name": name}, "wa_id": wa_id}
    sent: dict[str, Any] = {
        "from": wa_id,
        "id": wamid or "wamid." + secrets.token_urlsafe(24),
        "timestamp": str(timestamp),
        **message,
    }
    if user_id:
        contact["user_id"] = user_id
        sent["from_user_id"] = user_id
    return _envelope(number, {"contacts": [contact], "messages": [sent]})


def text_webhook(number: Number, wa_id: str, name: str, text: str, **kw: Any) -> dict[str, Any]:
    return message_webhook(number, wa_id, name, {"type": "text", "text": {"body": text}}, **kw)


def status_webhook(
    number: Number,
    wamid: str,
    status: str,
    recipient: str,
    *,
    timestamp: int = 1_700_000_000,
    error: tuple[int, str] | None = None,
    callback_data: str | None = None,
) -> dict[str, Any]:
    """A webhook carrying one status report for a message the business sent (with the
    `biz_opaque_callback_data` the send carried, echoed as Meta does)."""
    report: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(timestamp),
        "recipient_id": recipient,
    }
    if callback_data is not None:
        report["biz_opaque_callback_data"] = callback_data
    if error is not None:
        code, title = error
        report["errors"] = [
            {"code": code, "title": title, "message": title, "error_data": {"details": title}}
        ]
    return _envelope(number, {"statuses": [report]})

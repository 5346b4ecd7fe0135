"""The Messenger / Instagram side of the fake Graph API: Pages and Instagram accounts, the
Send API (`POST /{ver}/{page-id | ig-id | me}/messages`, JSON or multipart with `filedata`),
`GET /{ver}/{id}` for the connection test and for the User Profile API (a customer's PSID or
IGSID, with the Page's token: only the fields asked for, the picture as an expiring CDN link),
a CDN serving attachment URLs, and webhook bodies as Meta posts them (`object: "page"` or
`"instagram"`, `entry[].messaging[]`).

Errors have Meta's Send API shape: `{"error": {"message", "type", "code", "error_subcode",
"fbtrace_id"}}`.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import JSONResponse

MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
ATTACHMENT_TYPES = frozenset({"image", "video", "audio", "file"})
MESSAGING_TYPES = frozenset({"RESPONSE", "UPDATE", "MESSAGE_TAG"})
TAGS = frozenset(
    {"HUMAN_AGENT", "ACCOUNT_UPDATE", "CONFIRMED_EVENT_UPDATE", "POST_PURCHASE_UPDATE"}
)


@dataclass(frozen=True)
class CustomerProfile:
    """A customer as the User Profile API shows them to one Page or account."""

    id: str
    name: str | None = None  # Instagram's `name`; Messenger's `name` is first + last
    first_name: str | None = None
    last_name: str | None = None
    username: str | None = None  # Instagram only
    picture_url: str | None = None


@dataclass
class Page:
    """A Facebook Page (Messenger) or an Instagram professional account the fake knows."""

    id: str
    access_token: str
    app_secret: str
    name: str
    instagram: bool = False
    webhook_url: str | None = None
    # Its customers' profiles, by PSID / IGSID (page-scoped: another Page knows other ids).
    profiles: dict[str, CustomerProfile] = field(default_factory=dict)

    @property
    def max_text(self) -> int:
        return 1000 if self.instagram else 2000

    @property
    def webhook_object(self) -> str:
        return "instagram" if self.instagram else "page"


def send_api_error(
    status: int,
    code: int,
    message: str,
    subcode: int | None = None,
    kind: str = "OAuthException",
) -> JSONResponse:
    """Meta's Send API error shape."""
    error: dict[str, Any] = {
        "message": message,
        "type": kind,
        "code": code,
        "fbtrace_id": secrets.token_urlsafe(12),
    }
    if subcode is not None:
        error["error_subcode"] = subcode
    return JSONResponse({"error": error}, status_code=status)


# name -> (HTTP status, code, subcode, message)
SEND_API_FAILURES: dict[str, tuple[int, int, int | None, str]] = {
    "server": (500, 2, None, "An unexpected error has occurred. Please retry your request later."),
    "temporary": (500, 1200, None, "Temporary send message failure. Please try again later"),
    "rate_limit": (400, 613, None, "Calls to this api have exceeded the rate limit."),
    "window": (
        400,
        10,
        2018278,
        "(#10) This message is sent outside of allowed window.",
    ),
    "unavailable": (400, 551, 1545041, "This person isn't available right now."),
    "no_user": (400, 100, 2018001, "No matching user found"),
}


MESSENGER_PROFILE_FIELDS = frozenset({"id", "name", "first_name", "last_name", "profile_pic"})
INSTAGRAM_PROFILE_FIELDS = frozenset(
    {"id", "name", "username", "profile_pic", "is_verified_user", "follower_count"}
    | {"is_user_follow_business", "is_business_follow_user"}
)


def profile_answer(page: Page, user_id: str, fields: str | None) -> JSONResponse:
    """The User Profile API's answer for `user_id` as `page` sees it, or Meta's error."""
    profile = page.profiles.get(user_id)
    if profile is None:
        return send_api_error(
            400,
            100,
            f"Unsupported get request. Object with ID '{user_id}' does not exist, cannot be "
            "loaded due to missing permissions, or does not support this operation.",
            33,
            kind="GraphMethodException",
        )
    known = INSTAGRAM_PROFILE_FIELDS if page.instagram else MESSENGER_PROFILE_FIELDS
    asked = {f.strip() for f in (fields or "").split(",") if f.strip()} or {"id", "name"}
    if unknown := sorted(asked - known):
        return send_api_error(
            400, 100, f"(#100) Tried accessing nonexisting field ({unknown[0]}) on node type (User)"
        )
    full_name = " ".join(p for p in (profile.first_name, profile.last_name) if p)
    values: dict[str, Any] = {
        "id": profile.id,
        "name": profile.name or full_name or None,
        "first_name": profile.first_name,
        "last_name": profile.last_name,
        "username": profile.username,
        "profile_pic": profile.picture_url,
        "is_verified_user": False,
        "follower_count": 0,
        "is_user_follow_business": False,
        "is_business_follow_user": False,
    }
    # Meta leaves out what the person has not set; `id` always comes back.
    answer = {k: values[k] for k in sorted(asked) if values[k] is not None}
    return JSONResponse({**answer, "id": profile.id})


def form_body(form: dict[str, Any]) -> dict[str, Any]:
    """A multipart send as the JSON body it stands for (JSON-encoded fields decoded)."""
    body: dict[str, Any] = {}
    for key, value in form.items():
        if key == "filedata":
            continue
        if isinstance(value, str) and value[:1] in "{[":
            try:
                body[key] = json.loads(value)
                continue
            except ValueError:
                pass
        body[key] = value
    return body


def check_send(page: Page, body: dict[str, Any], *, has_file: bool) -> JSONResponse | None:
    """Meta's checks of a Send API call, answered as Meta does."""

    def invalid(message: str, subcode: int | None = None) -> JSONResponse:
        return send_api_error(400, 100, f"(#100) {message}", subcode)

    recipient = body.get("recipient")
    if not isinstance(recipient, dict) or not recipient.get("id"):
        return invalid("The parameter recipient is required")
    messaging_type = body.get("messaging_type", "RESPONSE")
    if messaging_type not in MESSAGING_TYPES:
        return invalid("param messaging_type must be one of {RESPONSE, UPDATE, MESSAGE_TAG}")
    if messaging_type == "MESSAGE_TAG" and body.get("tag") not in TAGS:
        return invalid("Param tag must be a valid message tag")
    message = body.get("message")
    if not isinstance(message, dict):
        return invalid("The parameter message is required")
    text, attachment = message.get("text"), message.get("attachment")
    if text is None and attachment is None:
        return invalid("Must send either message text or an attachment")
    if text is not None and not 0 < len(str(text)) <= page.max_text:
        return invalid(
            f"Length of param message[text] must be less than or equal to {page.max_text}"
        )
    if attachment is not None:
        if not isinstance(attachment, dict) or attachment.get("type") not in ATTACHMENT_TYPES:
            return invalid(
                "Param message[attachment][type] must be one of image, video, audio, file"
            )
        payload = attachment.get("payload") or {}
        if not has_file and not str(payload.get("url") or "").startswith("https://"):
            return invalid("Incorrect attachment: no url and no uploaded file", 2018047)
    return _check_quick_replies(message.get("quick_replies"))


def _check_quick_replies(replies: Any) -> JSONResponse | None:
    if replies is None:
        return None
    if not isinstance(replies, list) or not 0 < len(replies) <= MAX_QUICK_REPLIES:
        return send_api_error(400, 100, "(#100) message[quick_replies] must have 1 to 13 elements")
    for reply in replies:
        title = str(reply.get("title") or "")
        if reply.get("content_type") != "text" or not 0 < len(title) <= MAX_QUICK_REPLY_TITLE:
            return send_api_error(400, 100, "(#100) quick reply titles have 1 to 20 characters")
    return None


def messaging_webhook(
    page: Page, *events: dict[str, Any], time: int = 1_700_000_000_000
) -> dict[str, Any]:
    """A webhook body carrying `events` (each a `messaging[]` item) for the Page / account."""
    return {
        "object": page.webhook_object,
        "entry": [{"id": page.id, "time": time, "messaging": list(events)}],
    }


def message_event(
    page: Page,
    sender_id: str,
    message: dict[str, Any],
    *,
    mid: str | None = None,
    timestamp: int = 1_700_000_000_000,
    profile: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A customer's `message` event; `profile` adds to the sender (`name`, `username`)."""
    return {
        "sender": {**(profile or {}), "id": sender_id},
        "recipient": {"id": page.id},
        "timestamp": timestamp,
        "message": {"mid": mid or "m_" + secrets.token_urlsafe(24), **message},
    }


def text_event(
    page: Page,
    sender_id: str,
    text: str,
    *,
    mid: str | None = None,
    timestamp: int = 1_700_000_000_000,
    profile: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    return message_event(
        page, sender_id, {"text": text}, mid=mid, timestamp=timestamp, profile=profile
    )


def attachment_event(
    page: Page,
    sender_id: str,
    kind: str,
    url: str,
    *,
    mid: str | None = None,
    timestamp: int = 1_700_000_000_000,
    profile: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """A customer's file (`kind`: image, video, audio, file) behind a CDN `url`."""
    attachment = {"type": kind, "payload": {"url": url}}
    return message_event(
        page,
        sender_id,
        {"attachments": [attachment]},
        mid=mid,
        timestamp=timestamp,
        profile=profile,
    )


def receipt_event(
    page: Page, sender_id: str, kind: str, watermark: int, mids: list[str] | None = None
) -> dict[str, Any]:
    """A `delivery` (with `mids`) or `read` event up to `watermark` (ms)."""
    body: dict[str, Any] = {"watermark": watermark}
    if kind == "delivery":
        body["mids"] = mids or []
    return {
        "sender": {"id": sender_id},
        "recipient": {"id": page.id},
        "timestamp": watermark + 1,
        kind: body,
    }


def seen_event(page: Page, sender_id: str, mid: str, timestamp: int) -> dict[str, Any]:
    """Instagram's `messaging_seen`: the customer saw the message `mid` (no watermark)."""
    return {
        "sender": {"id": sender_id},
        "recipient": {"id": page.id},
        "timestamp": timestamp,
        "read": {"mid": mid},
    }

"""WhatsApp templates of a Twilio account: its Content templates and their WhatsApp approval.

`GET https://content.twilio.com/v1/ContentAndApprovals` (HTTP Basic, the account's
credentials) lists each Content template with its SID (`HX…`), name, language, its types (the
text of `twilio/text`, or the body of another type) and `approval_requests` (WhatsApp's
category and status). Pages follow `meta.next_page_url`. A template's Content SID is what a
send names (`ContentSid`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from frontdesk.channels.twilio.rest import Account
from frontdesk.core.templates.schemas import TemplateData

CONTENT_URL_KEY = "twilio_content"
DEFAULT_CONTENT_URL = "https://content.twilio.com"
PAGE_SIZE = 100
MAX_PAGES = 50


def content_url(provider_urls: Mapping[str, str]) -> str:
    return (provider_urls.get(CONTENT_URL_KEY) or DEFAULT_CONTENT_URL).rstrip("/")


def _body(types: Any) -> str:
    if not isinstance(types, dict):
        return ""
    for kind in ("twilio/text", *types):
        found = types.get(kind)
        if isinstance(found, dict) and isinstance(found.get("body"), str):
            return str(found["body"])
    return ""


def template_data(item: Mapping[str, Any]) -> TemplateData | None:
    approval = item.get("approval_requests") or {}
    if not isinstance(approval, dict):
        approval = {}
    try:
        return TemplateData(
            provider_template_id=str(item.get("sid") or "") or None,
            name=str(item.get("friendly_name") or approval.get("name") or item.get("sid") or ""),
            language=str(item.get("language") or "en"),
            category=str(approval.get("category") or "UTILITY"),
            status=str(approval.get("status") or "unsubmitted"),
            components=[{"type": "BODY", "text": _body(item.get("types"))}],
        )
    except ValidationError:
        return None


async def fetch_content_templates(
    settings: Mapping[str, Any], secrets: Mapping[str, Any], provider_urls: Mapping[str, str]
) -> list[TemplateData]:
    account = Account.of(settings, secrets, provider_urls)
    url: str | None = f"{content_url(provider_urls)}/v1/ContentAndApprovals?PageSize={PAGE_SIZE}"
    found: list[TemplateData] = []
    for _ in range(MAX_PAGES):
        if not url:
            break
        page = await account.get_url(url)
        for item in page.get("contents") or []:
            if isinstance(item, dict) and (data := template_data(item)) is not None:
                found.append(data)
        meta = page.get("meta") or {}
        url = meta.get("next_page_url") if isinstance(meta, dict) else None
    return found

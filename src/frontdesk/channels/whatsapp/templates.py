"""The message templates of a WhatsApp Business Account, read from the Graph API."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from frontdesk.channels.outbound import PermanentProviderError
from frontdesk.channels.whatsapp.graph import Graph
from frontdesk.core.templates.schemas import TemplateData

PAGE_SIZE = 100
MAX_PAGES = 50
FIELDS = "id,name,language,status,category,components"


def template_data(item: dict[str, Any]) -> TemplateData | None:
    try:
        return TemplateData(
            provider_template_id=str(item["id"]) if item.get("id") is not None else None,
            name=str(item.get("name") or ""),
            language=str(item.get("language") or ""),
            category=str(item.get("category") or ""),
            status=str(item.get("status") or ""),
            components=[c for c in item.get("components") or [] if isinstance(c, dict)],
        )
    except ValidationError:
        return None


async def fetch_templates(graph: Graph, business_account_id: str) -> list[TemplateData]:
    """Every template of the account, following Meta's paging."""
    if not business_account_id:
        raise PermanentProviderError(
            "channel_not_connected", "set the WhatsApp Business Account id to read its templates"
        )
    found: list[TemplateData] = []
    path = f"{business_account_id}/message_templates"
    params: dict[str, Any] | None = {"limit": PAGE_SIZE, "fields": FIELDS}
    for _ in range(MAX_PAGES):
        page = await graph.call("GET", path, params=params)
        for item in page.get("data") or []:
            if isinstance(item, dict) and (data := template_data(item)) is not None:
                found.append(data)
        next_url = (page.get("paging") or {}).get("next")
        if not isinstance(next_url, str) or not next_url:
            break
        path, params = next_url, None
    return found

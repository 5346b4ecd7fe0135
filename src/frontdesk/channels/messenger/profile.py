"""Who a Messenger or Instagram customer is: their webhooks carry only a page-scoped id, so the
name and picture are asked of the Graph API with the channel's access token.

Messenger's User Profile API answers `GET /{PSID}?fields=first_name,last_name,profile_pic`;
Instagram's `GET /{IGSID}?fields=name,username,profile_pic`. `profile_pic` is a signed CDN link
that expires within days, so the picture is downloaded here (an image, of bounded size) and
stored by the job; a picture that cannot be had never costs the customer their name.
"""

from __future__ import annotations

import logging
from typing import Any

from frontdesk.channels.common import FetchedMedia, FetchedProfile, ProfileFetcher, ProfileRequest
from frontdesk.channels.messenger.flavor import Flavor
from frontdesk.channels.messenger.graph import SendApi, download, graph_url
from frontdesk.channels.outbound import PermanentProviderError, ProviderError
from frontdesk.channels.whatsapp.media import file_name

log = logging.getLogger("frontdesk.channels.messenger")

PROFILE_FIELDS = {
    "messenger": "first_name,last_name,profile_pic",
    "instagram": "name,username,profile_pic",
}
MAX_PICTURE_BYTES = 5 * 1024 * 1024


def _text(answer: dict[str, Any], key: str) -> str:
    value = answer.get(key)
    return value.strip() if isinstance(value, str) else ""


def profile_of(channel_type: str, answer: dict[str, Any]) -> FetchedProfile:
    """The name (and Instagram's username) in a User Profile API answer."""
    if channel_type == "instagram":
        username = _text(answer, "username")
        extra = {"username": username} if username else {}
        return FetchedProfile(name=_text(answer, "name") or username or None, extra=extra)
    name = " ".join(p for p in (_text(answer, "first_name"), _text(answer, "last_name")) if p)
    return FetchedProfile(name=name or None)


async def _picture(url: str, request: ProfileRequest, label: str) -> FetchedMedia | None:
    try:
        data, served = await download(
            url, max_bytes=min(request.max_bytes, MAX_PICTURE_BYTES), label=label
        )
    except ProviderError as exc:
        log.warning("%s profile picture not fetched: %s", label, exc)
        return None
    content_type = (served or "").split(";", maxsplit=1)[0].strip().lower()
    if not content_type.startswith("image/"):
        log.warning("%s profile picture is %r, not an image: skipped", label, content_type)
        return None
    name = file_name("profile-picture", content_type, None)
    return FetchedMedia(data=data, content_type=content_type, name=name)


def profile_fetcher_for(flavor: Flavor) -> ProfileFetcher:
    async def fetch_profile(request: ProfileRequest) -> FetchedProfile:
        token = str(request.secrets.get("access_token") or "")
        if not token:
            raise PermanentProviderError(
                "channel_not_connected", f"This {flavor.label} channel has no access token."
            )
        api = SendApi(graph_url(request.provider_urls), token, flavor.label)
        answer = await api.call(
            "GET", request.provider_id, params={"fields": PROFILE_FIELDS[flavor.channel_type]}
        )
        found = profile_of(flavor.channel_type, answer)
        url = answer.get("profile_pic")
        if isinstance(url, str) and url.startswith(("https://", "http://")):
            picture = await _picture(url, request, flavor.label)
            return FetchedProfile(name=found.name, extra=found.extra, picture=picture)
        return found

    return fetch_profile

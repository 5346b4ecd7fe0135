"""Authenticity of Twilio's webhooks: `X-Twilio-Signature`.

Twilio signs each request with HMAC-SHA1, keyed by the account's Auth Token, over the full URL
it requested (scheme, host, path and query string) followed by every POST parameter: names
sorted, and for each name its values sorted and de-duplicated, appended as `name + value` with
no separators. The digest is base64-encoded. Query-string parameters are not appended again
(they are in the URL); a URL fragment (Twilio's connection overrides, `#rc=2...`) is never
part of it. Twilio's port handling is inconsistent, so a URL is also tried with the default
port added or taken away, as Twilio's own validator does.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

HEADER = "X-Twilio-Signature"
DEFAULT_PORTS = {"https": 443, "http": 80}


def signed_string(url: str, params: Iterable[tuple[str, str]]) -> str:
    values: dict[str, set[str]] = {}
    for name, value in params:
        values.setdefault(name, set()).add(value)
    return url + "".join(name + value for name in sorted(values) for value in sorted(values[name]))


def sign(auth_token: str, url: str, params: Iterable[tuple[str, str]]) -> str:
    """The `X-Twilio-Signature` Twilio sends for a form POST of `params` to `url`."""
    digest = hmac.new(
        auth_token.encode(), signed_string(url, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


def url_variants(url: str) -> list[str]:
    """`url` without its fragment, and the same with its default port added or removed."""
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
    variants = [base]
    default = DEFAULT_PORTS.get(parts.scheme)
    host = parts.hostname or ""
    if ":" in host:  # an IPv6 address keeps its brackets
        host = f"[{host}]"
    if parts.port is not None:
        without = urlunsplit((parts.scheme, host, parts.path, parts.query, ""))
        variants.append(without)
    elif default is not None:
        with_port = urlunsplit((parts.scheme, f"{host}:{default}", parts.path, parts.query, ""))
        variants.append(with_port)
    return variants


def signature_ok(
    auth_token: str,
    urls: Iterable[str],
    params: Iterable[tuple[str, str]],
    header: str | None,
) -> bool:
    """True when `header` is Twilio's signature of `params` posted to one of `urls`."""
    if not header or not auth_token:
        return False
    pairs = list(params)
    given = header.strip().encode()
    for url in urls:
        for variant in url_variants(url):
            if hmac.compare_digest(sign(auth_token, variant, pairs).encode(), given):
                return True
    return False

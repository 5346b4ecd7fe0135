"""Language codes: the product's three (`en`, `pt-BR`, `vi`) and any other ISO 639 code.

One spelling per language everywhere (contacts, members' skills, automatic messages): a
Portuguese code becomes `pt-BR`, the others their lower-case ISO 639 code ("EN-us" -> "en").
"""

from __future__ import annotations

import re

PRODUCT_LANGUAGES = ("en", "pt-BR", "vi")
DEFAULT_LANGUAGE = "en"
# ISO 639-1 or -3, optionally with a region ("pt", "pt_BR", "es-419", "fil").
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{2}|\d{3}))?$")


def normalise_language(raw: str) -> str | None:
    """The product's spelling of a language tag, or None when it is not one."""
    match = _TAG.match(raw.strip())
    if match is None:
        return None
    base = match.group(1).lower()
    if base in ("pt", "por"):
        return "pt-BR"
    if base in ("vi", "vie"):
        return "vi"
    if base in ("en", "eng"):
        return "en"
    return base


def base_language(code: str) -> str:
    """The language without its region: what makes two codes "the same language"."""
    return code.split("-", maxsplit=1)[0].lower()


def same_language(a: str | None, b: str | None) -> bool:
    return bool(a and b) and base_language(a or "") == base_language(b or "")

"""A message-received trigger's match: any message, keywords (whole words, case- and
accent-insensitive) or a regular expression (bounded: a short pattern, run on the start of
the message only, since Python's `re` has no time limit)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from frontdesk.core.workflows.definition import Problem, Trigger

MAX_PATTERN = 200  # a regex trigger's pattern, in characters
MAX_MATCHED_TEXT = 1000  # the part of a message a regex is run on (bounds its cost)


def fold(text: str) -> str:
    """Lower case without accents or extra spaces: how keywords and options are compared."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def words(text: str) -> list[str]:
    return re.findall(r"\w+", fold(text))


def trigger_config_problems(trigger: Trigger) -> list[Problem]:
    """A message trigger's match settings (the publish checks call this)."""
    if trigger.type != "message_received":
        return []
    config = trigger.config
    match = config.get("match", "any")
    if match not in ("any", "keyword", "regex"):
        return [Problem(code="invalid_trigger", message="match is any, keyword or regex")]
    if match == "keyword":
        keywords = config.get("keywords")
        if not isinstance(keywords, list) or not any(words(str(k)) for k in keywords):
            return [Problem(code="invalid_trigger", message="give at least one keyword")]
    if match == "regex":
        pattern = config.get("pattern")
        if not isinstance(pattern, str) or not pattern or len(pattern) > MAX_PATTERN:
            return [
                Problem(
                    code="invalid_trigger",
                    message=f"give a pattern of at most {MAX_PATTERN} characters",
                )
            ]
        try:
            re.compile(pattern)
        except re.error as exc:
            return [Problem(code="invalid_trigger", message=f"the pattern is invalid: {exc}")]
    return []


def message_matches(config: dict[str, Any], text: str) -> bool:
    """Any message; a keyword (whole words, case- and accent-insensitive); or a regex."""
    match = config.get("match", "any")
    if match == "keyword":
        said = f" {' '.join(words(text))} "
        for keyword in config.get("keywords") or []:
            wanted = " ".join(words(str(keyword)))
            if wanted and f" {wanted} " in said:
                return True
        return False
    if match == "regex":
        pattern = str(config.get("pattern") or "")
        if not pattern or len(pattern) > MAX_PATTERN:
            return False
        try:
            compiled = re.compile(pattern, re.IGNORECASE)
        except re.error:
            return False
        return compiled.search(fold(text[:MAX_MATCHED_TEXT])) is not None or (
            compiled.search(text[:MAX_MATCHED_TEXT]) is not None
        )
    return True

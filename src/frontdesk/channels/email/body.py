"""A mail's readable parts: its new text, its HTML made safe, and the quoted history folded.

HTML goes through nh3 (the Ammonia sanitiser): no script, style, form, frame or event
attribute survives, links keep only http(s)/mailto and open with `rel="noopener noreferrer"`,
and images are dropped (a remote image is how senders track who opened a mail). What a client
quoted of earlier mails (Gmail's `gmail_quote`, Outlook's "Original Message" divider, a
`<blockquote>`, or plain-text `>` lines under an "On ... wrote:" line) is split off, so the
conversation shows what is new and the history is one click away.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

import nh3

TAGS = frozenset(nh3.ALLOWED_TAGS) - {"img"} | {"span", "div", "font", "center"}
ATTRIBUTES: dict[str, set[str]] = {
    "*": {"dir", "lang", "title", "align"},
    "a": {"href"},
    "td": {"colspan", "rowspan", "align", "valign"},
    "th": {"colspan", "rowspan", "align", "valign"},
    "font": {"color"},
}
URL_SCHEMES = {"http", "https", "mailto"}
MAX_HTML = 200_000

# Where clients start the history they quote, in HTML.
HTML_QUOTE_STARTS = (
    re.compile(r'<div[^>]*class="[^"]*gmail_quote', re.IGNORECASE),
    re.compile(r'<div[^>]*id="(?:appendonsend|divRplyFwdMsg)"', re.IGNORECASE),
    re.compile(r"<blockquote", re.IGNORECASE),
    re.compile(r"-{2,}\s*Original Message\s*-{2,}", re.IGNORECASE),
)
# "On Mon, 7 Dec 2026 at 10:00, Maria <maria@example.com> wrote:" and its translations.
ATTRIBUTION = re.compile(
    r"^(?:On|Em|Vào|Le|Am|El)\b.{0,300}(?:wrote|escreveu|đã viết|a écrit|schrieb|escribió):\s*$",
    re.IGNORECASE | re.DOTALL,
)
ORIGINAL_MESSAGE = re.compile(r"^-{2,}\s*(?:Original Message|Forwarded message)\s*-{2,}", re.I)


@dataclass(frozen=True)
class Body:
    text: str  # what is new, as plain text
    quoted_text: str  # the history it quotes, plain text ("" when none)
    html: str | None  # the new part, sanitised (None for a plain-text mail)
    quoted_html: str | None  # the quoted history, sanitised


def sanitise(markup: str) -> str:
    """HTML safe to show inside the app (see the module's notes)."""
    return nh3.clean(
        markup[:MAX_HTML],
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()


def split_html(markup: str) -> tuple[str, str]:
    """The new part and the quoted history of an HTML mail, split where the history starts."""
    starts = [m.start() for pattern in HTML_QUOTE_STARTS if (m := pattern.search(markup))]
    if not starts:
        return markup, ""
    cut = min(starts)
    # A Gmail-style attribution line just before a blockquote belongs to the history too.
    head = markup[:cut]
    attribution = re.search(r"<div[^>]*>[^<]{0,300}(?:wrote|escreveu):?\s*(?:<br\s*/?>)?\s*$", head)
    if attribution is not None:
        cut = attribution.start()
    return markup[:cut], markup[cut:]


def split_text(text: str) -> tuple[str, str]:
    """The new part of a plain-text mail and the history it quotes (`>` lines and below)."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        stripped = line.strip()
        quoted_below = any(later.startswith(">") for later in lines[index + 1 : index + 4])
        if ORIGINAL_MESSAGE.match(stripped) or (ATTRIBUTION.match(stripped) and quoted_below):
            return "\n".join(lines[:index]).strip(), "\n".join(lines[index:]).strip()
        if stripped.startswith(">") and all(
            later.startswith(">") or not later.strip() for later in lines[index:]
        ):
            return "\n".join(lines[:index]).strip(), "\n".join(lines[index:]).strip()
    return text.strip(), ""


BLOCK_END = re.compile(r"</(?:p|div|tr|li|h[1-6]|blockquote|table)>|<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
BLANK_RUNS = re.compile(r"\n{3,}")


def html_to_text(markup: str) -> str:
    """Plain text of (sanitised) HTML: block ends become line breaks, tags go, entities read."""
    without_hidden = re.sub(
        r"<(script|style|head)[^>]*>.*?</\1>", "", markup, flags=re.IGNORECASE | re.DOTALL
    )
    text = TAG.sub("", BLOCK_END.sub("\n", without_hidden))
    lines = [" ".join(line.split()) for line in html_lib.unescape(text).splitlines()]
    return BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def readable(text: str | None, markup: str | None) -> Body:
    """The mail's body from its text/plain and text/html parts (either may be missing)."""
    if markup:
        new_html, quoted_html = split_html(markup)
        safe_new, safe_quoted = sanitise(new_html), sanitise(quoted_html) if quoted_html else ""
        if text:
            new_text, quoted_text = split_text(text)
        else:
            new_text, quoted_text = html_to_text(safe_new), html_to_text(safe_quoted)
        return Body(new_text, quoted_text, safe_new, safe_quoted or None)
    new_text, quoted_text = split_text(text or "")
    return Body(new_text, quoted_text, None, None)

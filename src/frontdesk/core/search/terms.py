"""The search box's words: checked once, then written for each engine.

Both engines read web-search syntax: words are all required, "a phrase" in quotes, `or`
between two words, and `-word` to leave out. PostgreSQL parses it itself
(`websearch_to_tsquery`); for SQLite it is turned into an FTS5 expression here, every word
quoted so that nothing the user types is read as FTS5 syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from frontdesk.core.errors import Invalid

MAX_QUERY_LENGTH = 200
MAX_TERMS = 16
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORDLY = re.compile(r"\w")


@dataclass(frozen=True)
class Term:
    text: str
    negated: bool = False
    # Joined to the term before it by `or`.
    alternative: bool = False


def parse_terms(q: str) -> list[Term]:
    """The terms of `q`, or `Invalid` for an empty, oversized or wordless query."""
    q = q.strip()
    if not q:
        raise Invalid("type something to search for", field="q")
    if len(q) > MAX_QUERY_LENGTH:
        raise Invalid(f"a search is at most {MAX_QUERY_LENGTH} characters", field="q")
    terms: list[Term] = []
    pending_or = False
    for match in _TOKEN.finditer(q):
        minus, phrase, word = match.groups()
        if word is not None and word.lower() == "or":
            pending_or = bool(terms)
            continue
        negated = bool(minus) or (word is not None and word.startswith("-"))
        text = phrase if phrase is not None else word.lstrip("-")
        if not _WORDLY.search(text):
            continue
        terms.append(Term(text=text, negated=negated, alternative=pending_or and not negated))
        pending_or = False
    if not any(not t.negated for t in terms):
        raise Invalid("type a word to search for", field="q")
    if len(terms) > MAX_TERMS:
        raise Invalid(f"a search has at most {MAX_TERMS} words", field="q")
    return terms


def fold(text: str) -> str:
    """What SQLite's index holds for "đ" (unicode61 keeps it; PostgreSQL's unaccent folds it)."""
    return text.replace("đ", "d").replace("Đ", "D")


def _quoted(text: str) -> str:
    return '"' + fold(text).replace('"', '""') + '"'


def fts5_expression(terms: list[Term]) -> str:
    """Required groups (a group is words joined by `or`) joined by AND, then each NOT."""
    groups: list[list[str]] = []
    for term in terms:
        if term.negated:
            continue
        if term.alternative and groups:
            groups[-1].append(_quoted(term.text))
        else:
            groups.append([_quoted(term.text)])
    required = " AND ".join(
        group[0] if len(group) == 1 else "(" + " OR ".join(group) + ")" for group in groups
    )
    excluded = "".join(f" NOT {_quoted(t.text)}" for t in terms if t.negated)
    return f"({required}){excluded}" if excluded else required

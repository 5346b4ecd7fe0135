"""Twilio's default opt-out handling for SMS, as Frontdesk mirrors it.

By default Twilio treats a message that is exactly one of these words (any case, surrounding
spaces ignored) as a keyword: an opt-out word stops every message from the number to that
person until they send an opt-in word; Twilio answers both (and HELP) itself. With Advanced
Opt-Out (a Messaging Service's own keywords), Twilio says which kind matched in `OptOutType`,
which then decides.
"""

from __future__ import annotations

import enum


class Keyword(enum.StrEnum):
    STOP = "STOP"  # opted out
    START = "START"  # opted back in
    HELP = "HELP"


OPT_OUT_WORDS = frozenset(
    {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}
)
OPT_IN_WORDS = frozenset({"START", "YES", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})


def keyword_of(body: str, opt_out_type: str | None = None) -> Keyword | None:
    """The keyword a message is, if any."""
    declared = (opt_out_type or "").strip().upper()
    if declared in Keyword.__members__:
        return Keyword(declared)
    word = body.strip().upper()
    if word in OPT_OUT_WORDS:
        return Keyword.STOP
    if word in OPT_IN_WORDS:
        return Keyword.START
    if word in HELP_WORDS:
        return Keyword.HELP
    return None

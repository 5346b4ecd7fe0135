"""What a reply with buttons or a list may hold on each channel that carries them.

Core checks a reply against these before anything is written (`conversations/interactive.py`),
and every channel read carries its own (`ChannelRead.choice_limits`) so the composer counts
against the very same numbers.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ChoiceLimits(BaseModel):
    """The most one interactive message may hold on a channel (lengths in characters)."""

    model_config = ConfigDict(frozen=True)

    body: int = Field(description="The message above the buttons or the list.")
    buttons: int
    button_title: int
    rows: int = Field(description="A list's rows, over all its sections.")
    row_title: int
    row_description: int
    button_label: int = Field(description="The button that opens a list.")
    section_title: int
    titled_sections: bool = Field(
        description="Whether a list of several sections needs a title on each."
    )


# WhatsApp's documented limits; the other channels differ where said below.
_WHATSAPP = ChoiceLimits(
    body=1024,
    buttons=3,
    button_title=20,
    rows=10,
    row_title=24,
    row_description=72,
    button_label=20,
    section_title=24,
    titled_sections=True,
)

# WhatsApp sends real reply buttons and list menus. Messenger and Instagram send every choice as
# a quick reply (at most 13, so 10 rows fit; titles of at most 20 characters). Telegram sends an
# inline keyboard, whose callback data the sender fits to 64 bytes. The body is the channel's
# longest text, WhatsApp's interactive body being shorter than its plain text.
CHOICE_LIMITS: dict[str, ChoiceLimits] = {
    "whatsapp": _WHATSAPP,
    "messenger": _WHATSAPP.model_copy(
        update={"body": 2000, "row_title": 20, "titled_sections": False}
    ),
    "instagram": _WHATSAPP.model_copy(
        update={"body": 1000, "row_title": 20, "titled_sections": False}
    ),
    "telegram": _WHATSAPP.model_copy(update={"body": 4096, "titled_sections": False}),
}

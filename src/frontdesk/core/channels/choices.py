"""What a reply with buttons or a list may hold on each channel that carries them.

Core checks a reply against these before anything is written (`conversations/interactive.py`),
and every channel read carries its own (`ChannelRead.choice_limits`) so the composer counts
against the very same numbers. The numbers are provider facts: each channel's spec declares
them (`Capabilities.choice_limits`, `core/channels/capabilities.py`); `CHOICE_LIMITS` reads the
declarations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

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


class ChoiceLimitsByType(Mapping[str, ChoiceLimits]):
    """The channel types that can send buttons or a list, and their limits: a live view of the
    declared capabilities (read as `CHOICE_LIMITS.get(channel.type)`, `type in CHOICE_LIMITS`)."""

    def __getitem__(self, channel_type: str) -> ChoiceLimits:
        from frontdesk.core.channels.capabilities import capabilities_of

        limits = capabilities_of(channel_type).choice_limits
        if limits is None:
            raise KeyError(channel_type)
        return limits

    def __iter__(self) -> Iterator[str]:
        from frontdesk.core.channels.capabilities import declared

        return iter([t for t, c in declared().items() if c.choice_limits is not None])

    def __len__(self) -> int:
        return sum(1 for _ in self)


CHOICE_LIMITS: Mapping[str, ChoiceLimits] = ChoiceLimitsByType()

"""Buttons and lists under a reply, checked against the channel's limits
(`core/channels/choices.py`) before anything is written, so that a reply the provider would
refuse is never stored as pending."""

from __future__ import annotations

from typing import Any

from frontdesk.core.channels.choices import CHOICE_LIMITS, ChoiceLimits
from frontdesk.core.conversations.schemas import Interactive
from frontdesk.core.errors import Invalid


def limits_for(channel_type: str) -> ChoiceLimits:
    limits = CHOICE_LIMITS.get(channel_type)
    if limits is None:
        raise Invalid(
            f"buttons and lists cannot be sent on {channel_type or 'this'} channels",
            field="interactive",
            channel_type=channel_type,
        )
    return limits


def _length(value: str, most: int, field: str, what: str) -> None:
    if len(value) > most:
        raise Invalid(f"{what} has at most {most} characters", field=field, max_length=most)


def _distinct(titles: list[tuple[str, str]]) -> None:
    seen: set[str] = set()
    for field, title in titles:
        key = title.casefold()
        if key in seen:
            raise Invalid("two choices have the same title", field=field)
        seen.add(key)


def _buttons(data: Interactive, limits: ChoiceLimits) -> list[str]:
    if not data.buttons:
        raise Invalid("add at least one button", field="interactive.buttons")
    if len(data.buttons) > limits.buttons:
        raise Invalid(
            f"at most {limits.buttons} buttons",
            field="interactive.buttons",
            max_items=limits.buttons,
        )
    titles = []
    for i, button in enumerate(data.buttons):
        field = f"interactive.buttons.{i}.title"
        _length(button.title, limits.button_title, field, "a button's title")
        titles.append((field, button.title))
    _distinct(titles)
    return [b.id for b in data.buttons]


def _list(data: Interactive, limits: ChoiceLimits) -> list[str]:
    rows = [
        (f"interactive.sections.{s}.rows.{r}", row)
        for s, section in enumerate(data.sections)
        for r, row in enumerate(section.rows)
    ]
    if not rows:
        raise Invalid("add at least one row", field="interactive.sections")
    if len(rows) > limits.rows:
        raise Invalid(
            f"a list has at most {limits.rows} rows",
            field="interactive.sections",
            max_items=limits.rows,
        )
    if not data.button_label:
        raise Invalid("name the button that opens the list", field="interactive.button_label")
    _length(data.button_label, limits.button_label, "interactive.button_label", "a list's button")
    for s, section in enumerate(data.sections):
        field = f"interactive.sections.{s}.title"
        if section.title:
            _length(section.title, limits.section_title, field, "a section's title")
        elif limits.titled_sections and len(data.sections) > 1:
            raise Invalid("name each section of a list that has several", field=field)
    for path, row in rows:
        _length(row.title, limits.row_title, f"{path}.title", "a row's title")
        description = row.description or ""
        _length(description, limits.row_description, f"{path}.description", "a row's description")
    _distinct([(f"{path}.title", row.title) for path, row in rows])
    return [row.id for _, row in rows]


def check_interactive(channel_type: str, data: Interactive, body: str) -> dict[str, Any]:
    """The payload of buttons or a list that this channel can carry; refuses anything else."""
    limits = limits_for(channel_type)
    if not body.strip():
        raise Invalid("buttons and lists need a message above them", field="body")
    if len(body) > limits.body:
        raise Invalid(
            f"the message above buttons or a list has at most {limits.body} characters",
            field="body",
            max_length=limits.body,
        )
    ids = _buttons(data, limits) if data.type == "buttons" else _list(data, limits)
    if len(set(ids)) != len(ids):
        raise Invalid("each choice needs its own id", field="interactive")
    return {"interactive": data.model_dump(mode="json", exclude_none=True)}

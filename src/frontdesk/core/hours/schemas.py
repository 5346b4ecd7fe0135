"""Business-hours schemas: a whole schedule is written at once and read with its status now."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, field_validator

from frontdesk.core.hours.calendar import Holiday, Period, Schedule, Weekday
from frontdesk.core.schemas import Input

START = r"^([01]\d|2[0-3]):[0-5]\d$"
END = r"^(([01]\d|2[0-3]):[0-5]\d|24:00)$"
MAX_PERIODS = 100
MAX_HOLIDAYS = 400
MAX_KEYS = 100


class BusinessHoursPeriod(Input):
    weekday: Weekday
    start: str = Field(pattern=START, description="Local time, HH:MM.", examples=["09:00"])
    end: str = Field(
        pattern=END,
        description=(
            'Local time, HH:MM; "24:00" (or "00:00") is midnight. An end before the start '
            "crosses midnight into the next day."
        ),
        examples=["18:00"],
    )

    @field_validator("end")
    @classmethod
    def _midnight(cls, value: str) -> str:
        """Midnight as an end is stored as "24:00", so one schedule has one spelling."""
        return "24:00" if value == "00:00" else value


class BusinessHoursHoliday(Input):
    date: date
    name: str = Field(min_length=1, max_length=120)
    is_recurring: bool = Field(default=False, description="Closed on this day every year.")


HolidayKey = Annotated[str, Field(min_length=1, max_length=200)]


class BusinessHoursUpdate(Input):
    """A whole schedule; it replaces the one there was."""

    timezone: str = Field(min_length=1, max_length=64, examples=["America/Sao_Paulo"])
    is_enabled: bool = Field(default=True, description="When false, always open.")
    periods: list[BusinessHoursPeriod] = Field(default_factory=list, max_length=MAX_PERIODS)
    holidays: list[BusinessHoursHoliday] = Field(
        default_factory=list,
        max_length=MAX_HOLIDAYS,
        description="The schedule's own holidays, besides its country's.",
    )
    holiday_country: str | None = Field(
        default=None,
        pattern=r"^[A-Z]{2}$",
        description="Closed on this country's public holidays (ISO 3166-1 alpha-2).",
        examples=["BR"],
    )
    holiday_subdivision: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        description="And on its region's (a subdivision code of the country).",
        examples=["SP"],
    )
    skipped_holidays: list[HolidayKey] = Field(
        default_factory=list,
        max_length=MAX_KEYS,
        description="Public holidays of the country worked on, by key.",
        examples=[["Carnaval"]],
    )
    observed_holidays: list[HolidayKey] = Field(
        default_factory=list,
        max_length=MAX_KEYS,
        description="Optional holidays of the country closed on, by key.",
        examples=[["Corpus Christi"]],
    )

    @field_validator("holiday_country", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("skipped_holidays", "observed_holidays")
    @classmethod
    def _one_each(cls, value: list[str]) -> list[str]:
        """Sorted and without repeats, so one choice has one spelling."""
        return sorted(set(value))

    def to_schedule(self) -> Schedule:
        """The value object; raises `Invalid` for a bad time zone or overlapping periods."""
        return Schedule(
            timezone=self.timezone,
            is_enabled=self.is_enabled,
            periods=tuple(Period(p.weekday, p.start, p.end) for p in self.periods),
            holidays=tuple(Holiday(h.date, h.name, h.is_recurring) for h in self.holidays),
            holiday_country=self.holiday_country,
            holiday_subdivision=self.holiday_subdivision,
            skipped_holidays=tuple(self.skipped_holidays),
            observed_holidays=tuple(self.observed_holidays),
        )


class BusinessHoursSchedule(BaseModel):
    """A stored schedule."""

    timezone: str
    is_enabled: bool
    periods: list[BusinessHoursPeriod]
    holidays: list[BusinessHoursHoliday]
    holiday_country: str | None
    holiday_subdivision: str | None
    skipped_holidays: list[str]
    observed_holidays: list[str]
    updated_at: datetime


class HolidaySubdivisionRead(BaseModel):
    code: str
    name: str = Field(description="The library's name for it, in the country's language.")


class HolidayCountryRead(BaseModel):
    code: str = Field(description="ISO 3166-1 alpha-2; the app names it in the reader's language.")
    subdivisions: list[HolidaySubdivisionRead]


class LibraryHolidayRead(BaseModel):
    date: date
    key: str = Field(description="The same in every language: what the schedule's lists name.")
    name: str = Field(description="In the language asked for where the library has it.")
    category: Literal["public", "optional"] = Field(
        description="Public holidays close unless skipped; optional ones only when observed."
    )


class BusinessHoursRead(BaseModel):
    team_id: uuid.UUID | None = Field(description="The team asked about; null for the workspace.")
    schedule: BusinessHoursSchedule | None = Field(
        description="The workspace's or the team's own hours; null when it has none."
    )
    source: Literal["team", "workspace", "none"] = Field(
        description="Whose hours are in force: a team without its own follows the workspace's."
    )
    open_now: bool
    next_opening: datetime | None = Field(
        description="Now when open; null when always open or not opening within a year."
    )
    next_closing: datetime | None = Field(
        description="Now when closed; null when always open or open for more than a year."
    )

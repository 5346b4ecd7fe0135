"""Public holidays of a country (and subdivision) from the `holidays` library, movable feasts
included (Carnival, Good Friday, Corpus Christi, Tết), for business hours.

A schedule that names a country is closed on that country's public holidays, except those it
lists in `skipped_holidays`, and also on the optional ones it lists in `observed_holidays`
(Brazil's Carnival and Corpus Christi are optional days off). Holidays are named in those lists
by their **key**: the name in the country's own default language ("Carnaval", "Tết Nguyên
Đán"), which does not change with the reader's language. Names shown to people come in the
reader's language where the library has it (pt_BR and vi for some countries), else English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Literal

import holidays as library

from frontdesk.core.errors import Invalid

Category = Literal["public", "optional"]
_CATEGORIES: tuple[Category, ...] = ("public", "optional")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
# The app's languages and the library's names for them.
_LANGUAGES = {"en": "en_US", "pt-BR": "pt_BR", "vi": "vi"}


@dataclass(frozen=True)
class LibraryHoliday:
    """One day of a library holiday: `key` stays the same in every language, `name` is read."""

    date: date
    key: str
    name: str
    category: Category


@dataclass(frozen=True)
class Subdivision:
    code: str
    name: str


@dataclass(frozen=True)
class HolidayCountry:
    code: str
    subdivisions: tuple[Subdivision, ...]


@lru_cache(maxsize=1)
def holiday_countries() -> tuple[HolidayCountry, ...]:
    """Every country the library knows (ISO 3166-1 alpha-2), with its subdivisions."""
    countries = []
    for code, subdivision_codes in sorted(
        library.list_supported_countries(include_aliases=False).items()
    ):
        aliases = library.country_holidays(code).get_subdivision_aliases()
        subdivisions = tuple(
            Subdivision(sub, (aliases.get(sub) or [sub])[0]) for sub in subdivision_codes
        )
        countries.append(HolidayCountry(code, subdivisions))
    return tuple(countries)


@lru_cache(maxsize=1)
def _country_codes() -> dict[str, frozenset[str]]:
    """Country -> its subdivision codes, without building every country (validation is hot)."""
    supported = library.list_supported_countries(include_aliases=False)
    return {code: frozenset(subdivisions) for code, subdivisions in supported.items()}


def check_country(country: str | None, subdivision: str | None) -> None:
    """Raise `Invalid` naming `holiday_country` or `holiday_subdivision` unless the library
    knows them (a subdivision needs its country)."""
    if country is None:
        if subdivision is not None:
            raise Invalid("choose the country of the region first", field="holiday_subdivision")
        return
    if not _COUNTRY.match(country) or country not in _country_codes():
        raise Invalid(f"no holidays are known for the country {country!r}", field="holiday_country")
    if subdivision is not None and subdivision not in _country_codes()[country]:
        raise Invalid(f"{country} has no region {subdivision!r}", field="holiday_subdivision")


@lru_cache(maxsize=512)
def _country_facts(country: str) -> tuple[str | None, frozenset[str], frozenset[str]]:
    """(its own language, the languages it has, its categories) for a country."""
    entity = library.country_holidays(country)
    return (
        entity.default_language,
        frozenset(entity.supported_languages),
        frozenset(entity.supported_categories),
    )


def _library_language(country: str, language: str | None) -> str | None:
    """The library's language for a reader: theirs when it has it, else English, else its own."""
    supported = _country_facts(country)[1]
    wanted = _LANGUAGES.get(language or "en", "en_US")
    for candidate in (wanted, "en_US"):
        if candidate in supported:
            return candidate
    return None


@lru_cache(maxsize=4096)
def _named_days(
    country: str, subdivision: str | None, year: int, category: Category, language: str | None
) -> tuple[tuple[date, str], ...]:
    """The library's (day, name) pairs of one year; a day with two holidays has both names."""
    if category not in _country_facts(country)[2]:
        return ()
    found = library.country_holidays(
        country, subdiv=subdivision, years=year, categories=(category,), language=language
    )
    return tuple(
        (day, name) for day, names in sorted(found.items()) for name in str(names).split("; ")
    )


def _keys_and_names(
    country: str, subdivision: str | None, year: int, category: Category, language: str | None
) -> list[tuple[date, str, str]]:
    own = _country_facts(country)[0]
    keyed = _named_days(country, subdivision, year, category, own)
    read = _named_days(country, subdivision, year, category, language or own)
    if len(read) != len(keyed):  # should not happen; the key is then the best name there is
        return [(day, key, key) for day, key in keyed]
    return [(day, key, name) for (day, key), (_, name) in zip(keyed, read, strict=True)]


def library_holidays(
    country: str,
    subdivision: str | None,
    first: date,
    last: date,
    language: str | None = None,
) -> list[LibraryHoliday]:
    """The country's public and optional holidays from `first` to `last`, by date."""
    reader = _library_language(country, language)
    found = [
        LibraryHoliday(day, key, name, category)
        for year in range(first.year, last.year + 1)
        for category in _CATEGORIES
        for day, key, name in _keys_and_names(country, subdivision, year, category, reader)
        if first <= day <= last
    ]
    return sorted(found, key=lambda h: (h.date, h.category != "public", h.key))


@lru_cache(maxsize=1024)
def closed_days(
    country: str,
    subdivision: str | None,
    skipped: frozenset[str],
    observed: frozenset[str],
    year: int,
) -> frozenset[date]:
    """The days of `year` a schedule is closed for its country's holidays."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    return frozenset(
        h.date
        for h in library_holidays(country, subdivision, first, last)
        if (h.category == "public" and h.key not in skipped)
        or (h.category == "optional" and h.key in observed)
    )


def holiday_keys(country: str, subdivision: str | None, around: date) -> dict[str, Category]:
    """The holiday keys of the country from a year before `around` to two years after."""
    first = date(around.year - 1, 1, 1)
    last = date(around.year + 2, 12, 31)
    keys: dict[str, Category] = {}
    for h in library_holidays(country, subdivision, first, last):
        keys.setdefault(h.key, h.category)
    return keys


def upcoming_holidays(
    country: str, subdivision: str | None, today: date, language: str | None, days: int = 366
) -> list[LibraryHoliday]:
    """The country's holidays from `today` for `days` days, named in the reader's language."""
    return library_holidays(country, subdivision, today, today + timedelta(days=days), language)

"""holidays by country: a schedule names a country (and subdivision) whose holidays close it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 13:20:00

Schedules kept a hand-written list of fixed-date holidays, recurring every year. Where a
schedule's time zone belongs to one country and some of its recurring holidays fall on that
country's fixed-date public holidays, the schedule now names the country and those entries
leave its own list (the library has them, and the movable feasts the list could not hold);
the others stay as the schedule's own. Downgrading writes the country's fixed-date holidays
back as recurring entries.
"""

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import TZPATH

import holidays as library
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
_YEARS = range(2024, 2029)
_ZONE_COLUMN = 2
_rows = sa.table(
    "business_hours",
    sa.column("id", sa.Uuid()),
    sa.column("timezone", sa.String()),
    sa.column("holidays", _JSON),
    sa.column("holiday_country", sa.String()),
    sa.column("skipped_holidays", _JSON),
    sa.column("observed_holidays", _JSON),
)


def _zone_countries() -> dict[str, str]:
    """Time zone -> its country, from the system's zone.tab (empty when there is none)."""
    for folder in TZPATH:
        table = Path(folder) / "zone.tab"
        if table.exists():
            lines = table.read_text(encoding="utf-8").splitlines()
            fields = [line.split("\t") for line in lines if line and not line.startswith("#")]
            # country code, coordinates, zone[, comments]
            return {f[2]: f[0] for f in fields if len(f) > _ZONE_COLUMN}
    return {}


def _fixed_public(country: str) -> dict[tuple[int, int], str]:
    """(month, day) -> name of the country's public holidays that fall on one date every year."""
    own_language = library.country_holidays(country).default_language
    names = library.country_holidays(country, years=_YEARS, language=own_language)
    seen: dict[tuple[int, int], set[int]] = {}
    named: dict[tuple[int, int], str] = {}
    for day, name in names.items():
        seen.setdefault((day.month, day.day), set()).add(day.year)
        named[(day.month, day.day)] = str(name)
    return {md: named[md] for md, years in seen.items() if years == set(_YEARS)}


def _known(country: str) -> bool:
    return country in library.list_supported_countries(include_aliases=False)


def upgrade() -> None:
    with op.batch_alter_table("business_hours", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holiday_country", sa.String(length=2), nullable=True))
        batch_op.add_column(sa.Column("holiday_subdivision", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("skipped_holidays", _JSON, nullable=True))
        batch_op.add_column(sa.Column("observed_holidays", _JSON, nullable=True))
    bind = op.get_bind()
    bind.execute(sa.update(_rows).values(skipped_holidays=[], observed_holidays=[]))
    zones = _zone_countries()
    for row in bind.execute(sa.select(_rows.c.id, _rows.c.timezone, _rows.c.holidays)).all():
        country = zones.get(row.timezone)
        if country is None or not _known(country):
            continue
        fixed = _fixed_public(country)
        own: list[dict[str, Any]] = list(row.holidays or [])
        kept = [
            h
            for h in own
            if not h.get("is_recurring")
            or (date.fromisoformat(h["date"]).month, date.fromisoformat(h["date"]).day) not in fixed
        ]
        if len(kept) < len(own):
            bind.execute(
                sa.update(_rows)
                .where(_rows.c.id == row.id)
                .values(holiday_country=country, holidays=kept)
            )
    with op.batch_alter_table("business_hours", schema=None) as batch_op:
        batch_op.alter_column("skipped_holidays", existing_type=_JSON, nullable=False)
        batch_op.alter_column("observed_holidays", existing_type=_JSON, nullable=False)


def downgrade() -> None:
    bind = op.get_bind()
    query = sa.select(
        _rows.c.id, _rows.c.holidays, _rows.c.holiday_country, _rows.c.skipped_holidays
    ).where(_rows.c.holiday_country.is_not(None))
    for row in bind.execute(query).all():
        if not _known(row.holiday_country):
            continue
        own: list[dict[str, Any]] = list(row.holidays or [])
        taken = {h["date"][5:] for h in own}
        skipped = set(row.skipped_holidays or [])
        year = max(_YEARS)
        for (month, day), name in sorted(_fixed_public(row.holiday_country).items()):
            when = date(year, month, day).isoformat()
            if when[5:] not in taken and name not in skipped:
                own.append({"date": when, "name": name[:120], "is_recurring": True})
        bind.execute(sa.update(_rows).where(_rows.c.id == row.id).values(holidays=own))
    with op.batch_alter_table("business_hours", schema=None) as batch_op:
        batch_op.drop_column("observed_holidays")
        batch_op.drop_column("skipped_holidays")
        batch_op.drop_column("holiday_subdivision")
        batch_op.drop_column("holiday_country")

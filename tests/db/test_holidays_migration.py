"""Migration 0011: hand-written lists of a country's fixed-date holidays become that country.

A São Paulo schedule that listed Brazil's national holidays by hand (every year) names Brazil
after the upgrade, so it also closes on Good Friday and the other movable feasts; what was its
own stays. Downgrading writes Brazil's fixed-date holidays back as its own.
"""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import select

from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.runtime import Runtime
from frontdesk.db.migrate import downgrade, upgrade_async
from tests.conftest import World

BRAZIL_BY_HAND = [
    ("2026-01-01", "Confraternização Universal"),
    ("2026-04-21", "Tiradentes"),
    ("2026-05-01", "Dia do Trabalho"),
    ("2026-09-07", "Independência do Brasil"),
    ("2026-10-12", "Nossa Senhora Aparecida"),
    ("2026-11-02", "Finados"),
    ("2026-11-15", "Proclamação da República"),
    ("2026-11-20", "Dia da Consciência Negra"),
    ("2026-12-25", "Natal"),
]
OWN = [
    {"date": "2026-03-19", "name": "Company day", "is_recurring": True},
    {"date": "2026-06-12", "name": "Inventory", "is_recurring": False},
]


async def _row(runtime: Runtime) -> BusinessHours:
    async with runtime.database.read_session() as db:
        row = await db.scalar(select(BusinessHours))
    assert row is not None
    return row


async def _raw_holidays(runtime: Runtime) -> list[dict[str, Any]]:
    async with runtime.database.reader.connect() as conn:
        result = await conn.execute(select(BusinessHours.__table__.c.holidays))
        return list(result.scalar_one())


async def test_fixed_brazilian_holidays_become_brazil_and_come_back_on_downgrade(
    world: World, runtime: Runtime
) -> None:
    by_hand = [{"date": d, "name": n, "is_recurring": True} for d, n in BRAZIL_BY_HAND]
    body = {
        "timezone": "America/Sao_Paulo",
        "periods": [{"weekday": "monday", "start": "08:00", "end": "18:00"}],
        "holidays": [*by_hand, *OWN],
    }
    async with world.client("alice") as alice:
        assert (await alice.put("/api/v1/business-hours", json=body)).status_code == 200
    url = runtime.database.url
    await runtime.database.dispose()
    await asyncio.to_thread(downgrade, url, "0010")
    await upgrade_async(url)

    row = await _row(runtime)
    assert (row.holiday_country, row.holiday_subdivision) == ("BR", None)
    assert (row.skipped_holidays, row.observed_holidays) == ([], [])
    assert sorted(row.holidays, key=lambda h: h["date"]) == OWN

    await runtime.database.dispose()
    await asyncio.to_thread(downgrade, url, "0010")
    restored = await _raw_holidays(runtime)
    await runtime.database.dispose()
    await upgrade_async(url)
    assert {h["date"][5:] for h in restored} == {d[5:] for d, _ in BRAZIL_BY_HAND} | {
        h["date"][5:] for h in OWN
    }
    assert all(h["is_recurring"] for h in restored if h["name"] != "Inventory")
    assert {h["name"] for h in restored} >= {"Tiradentes", "Natal", "Company day"}

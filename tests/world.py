"""The personas' world (tests/conftest.py), built once per database and clock and put back for
each test that starts from it.

Building it through the factories takes some forty ORM flushes; most tests start from it, so
the first build keeps the rows it wrote and later tests get the same rows back in one insert per
table, with copies of the objects that describe them (ids, names, the personas' session tokens).
A database that is not empty when the world is asked for gets a build of its own.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, TypeVar

import httpx
from sqlalchemy import inspect, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.orm import make_transient_to_detached

from frontdesk.core.models import metadata
from frontdesk.core.runtime import Runtime
from tests.factories import Factory, Persona, Tenant

# Rows the database's own triggers write from other rows (the search index).
_DERIVED = frozenset({"search_document"})

Row = TypeVar("Row")


@dataclass
class World:
    acme: Tenant
    other: Tenant
    app: object

    def persona(self, name: str) -> Persona:
        for tenant in (self.acme, self.other):
            if name in tenant.members:
                return tenant.members[name]
        raise KeyError(name)

    def client(self, name: str, *, workspace: Tenant | None = None) -> httpx.AsyncClient:
        """A browser-like client signed in as `name` (cookie + CSRF header)."""
        p = self.persona(name)
        headers = {"X-CSRF-Token": p.csrf_token}
        if workspace is not None:
            headers["X-Workspace-Id"] = str(workspace.id)
        client = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),  # type: ignore[arg-type]
            base_url="http://testserver",
            headers=headers,
        )
        client.cookies.set("frontdesk_session", p.session_token)
        return client

    def bearer(self, token: str) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app),  # type: ignore[arg-type]
            base_url="http://testserver",
            headers={"Authorization": f"Bearer {token}"},
        )


@dataclass(frozen=True)
class _Built:
    acme: Tenant
    other: Tenant
    rows: dict[str, list[dict[str, Any]]]


_BUILT: dict[tuple[str, datetime], _Built] = {}


async def tables_with_rows(conn: AsyncConnection) -> set[str]:
    """The tables holding at least one row, in one statement."""
    probe = " UNION ALL ".join(
        f"SELECT '{t.name}' WHERE EXISTS (SELECT 1 FROM \"{t.name}\")"
        for t in metadata.sorted_tables
    )
    return {name for (name,) in await conn.execute(text(probe))}


async def build_world(runtime: Runtime, app: object) -> World:
    database = runtime.database
    key = (str(database.writer.url), runtime.clock.now())
    async with database.writer.begin() as conn:
        empty = not await tables_with_rows(conn)
        built = _BUILT.get(key) if empty else None
        if built is not None:
            for table in metadata.sorted_tables:
                if built.rows.get(table.name):
                    await conn.execute(table.insert(), built.rows[table.name])
    if built is not None:
        return World(acme=_copy_tenant(built.acme), other=_copy_tenant(built.other), app=app)
    acme, other = await _build(runtime)
    if empty:
        async with database.writer.connect() as conn:
            rows = {
                name: [dict(row._mapping) for row in await conn.execute(select(table))]
                for table in metadata.sorted_tables
                if (name := table.name) not in _DERIVED
            }
        _BUILT[key] = _Built(acme=_copy_tenant(acme), other=_copy_tenant(other), rows=rows)
    return World(acme=acme, other=other, app=app)


def _copy_tenant(tenant: Tenant) -> Tenant:
    copied: dict[str, Any] = {}
    for f in fields(tenant):
        value = getattr(tenant, f.name)
        if f.name == "workspace":
            copied[f.name] = _copy_row(value)
        elif f.name == "members":
            copied[f.name] = {
                name: Persona(_copy_row(p.user), p.session_token, p.csrf_token)
                for name, p in value.items()
            }
        else:
            copied[f.name] = {name: _copy_row(row) for name, row in value.items()}
    return Tenant(**copied)


def _copy_row(row: Row) -> Row:
    """A detached object with `row`'s column values, as a session leaves its objects."""
    mapper = inspect(type(row))
    values = {a.key: copy.deepcopy(getattr(row, a.key)) for a in mapper.column_attrs}
    copied = type(row)(**values)
    make_transient_to_detached(copied)
    return copied


async def _build(runtime: Runtime) -> tuple[Tenant, Tenant]:
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        org = await f.organisation("Acme Recruitment")
        ws = await f.workspace(org, "Acme Clients", "acme")
        acme = Tenant(workspace=ws)
        for name, role in (
            ("alice", "owner"),
            ("bob", "agent"),
            ("carol", "agent"),
            ("dave", "manager"),
            ("vera", "viewer"),
        ):
            acme.members[name] = await f.persona(ws, f"{name}@acme.test", name.title(), role)
        acme.teams["support"] = await f.team(ws, "Support", [acme.members["bob"]])
        acme.teams["sales"] = await f.team(ws, "Sales", [acme.members["carol"]])
        acme.channels["whatsapp"] = await f.channel(ws, "whatsapp", "Careers WhatsApp")
        acme.channels["email"] = await f.channel(ws, "email", "Support mail")
        acme.contacts["erin"] = await f.contact(
            ws,
            "Erin",
            phone="+60123456789",
            channel=acme.channels["whatsapp"],
            provider_id="60123456789",
        )
        acme.contacts["frank"] = await f.contact(
            ws,
            "Frank",
            email="frank@example.com",
            channel=acme.channels["email"],
            provider_id="frank@example.com",
        )
        acme.conversations["erin_support"] = await f.conversation(
            ws,
            acme.channels["whatsapp"],
            acme.contacts["erin"],
            team=acme.teams["support"],
            assignee=acme.members["bob"],
        )
        acme.conversations["frank_unassigned"] = await f.conversation(
            ws, acme.channels["email"], acme.contacts["frank"], body="My invoice is wrong"
        )
        acme.conversations["erin_sales"] = await f.conversation(
            ws,
            acme.channels["email"],
            acme.contacts["erin"],
            team=acme.teams["sales"],
            body="Do you have openings in sales?",
        )

        other_org = await f.organisation("Other Org")
        ows = await f.workspace(other_org, "Other Workspace", "other")
        other = Tenant(workspace=ows)
        other.members["oscar"] = await f.persona(ows, "oscar@other.test", "Oscar", "owner")
        other.members["olive"] = await f.persona(ows, "olive@other.test", "Olive", "agent")
        other.teams["desk"] = await f.team(ows, "Desk", [other.members["olive"]])
        other.channels["whatsapp"] = await f.channel(ows, "whatsapp", "Other WhatsApp")
        other.contacts["olga"] = await f.contact(
            ows,
            "Olga",
            phone="+84900000000",
            channel=other.channels["whatsapp"],
            provider_id="84900000000",
        )
        other.conversations["olga"] = await f.conversation(
            ows, other.channels["whatsapp"], other.contacts["olga"], team=other.teams["desk"]
        )
        await s.commit()
    return acme, other

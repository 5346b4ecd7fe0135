"""A client viewer sees only their company's conversations and reports, in Chromium.

The demo organisation is set up as the demo sets it up (its workspaces, client teams, numbers
and people); in it Juliana Prado is Atacadão's own contact, a viewer limited to the Atacadão
team, as the owner finds her in Settings → Members. Candidates then write to two of
Atacadão's numbers and to two other clients' numbers, and an agent leaves an internal note.
Juliana signs in and finds only Atacadão's conversations in the inbox, a conversation without
its note and read-only, another client's conversation "not found", no settings, and the
reports of Atacadão alone.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx
from playwright.async_api import Browser, expect

from frontdesk.core.channels.models import Channel
from frontdesk.core.conversations.inbound import Inbound, record_inbound_message
from frontdesk.core.reports.actions import record_report_facts
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_password
from frontdesk.demo import DEMO_PASSWORD, OWNER_EMAIL
from frontdesk.demo.loader import _insert, build_setup
from frontdesk.demo.spec import email
from tests.e2e.test_app_journey import app_built
from tests.factories import Factory
from tests.realtime.conftest import Live

__all__ = ["app_built"]

CLIENT = "Atacadão"
REPLY = "Escrever resposta"
NOTE = "Internal: her last employer gave a poor reference"


async def _the_demo_organisation(runtime: Runtime) -> tuple[Any, list[Channel], list[Channel]]:
    """The demo's organisation and configuration rows, without its weeks of history: the
    retail workspace, Atacadão's numbers and two other clients' numbers."""
    setup = build_setup(runtime.clock.now(), hash_password(DEMO_PASSWORD), 0.1)
    async with runtime.uow() as uow:
        await _insert(uow.session, setup.rows)
        await uow.commit()
    retail = setup.workspaces[0]
    ours = [c.row for c in retail.channels if c.client.team == CLIENT]
    others = [c.row for c in retail.channels if c.client.team != CLIENT][:2]
    return retail.row, ours, others


async def _candidates_write(
    runtime: Runtime, workspace: Any, channels: list[Channel], first: int
) -> list[str]:
    """A candidate writes to each number, through the product's inbound action."""
    ids = []
    for n, channel in enumerate(channels, start=first):
        async with runtime.database.write_session() as s:
            contact = await Factory(s, runtime.clock.now()).contact(
                workspace, f"Candidate {channel.name[:12]} {n}", phone=f"+5511990000{n:02}"
            )
            await s.commit()
        async with runtime.uow() as uow:
            recorded = await record_inbound_message(
                uow,
                Inbound(
                    channel=channel,
                    contact_id=contact.id,
                    provider_message_id=f"client-journey-{n}",
                    body=f"Hello, is the job on {channel.name} still open?",
                    attachments=[],
                ),
            )
            await uow.commit()
        ids.append(str(recorded.conversation.id))
    return ids


async def _as_owner(live: Live, workspace_id: str) -> httpx.AsyncClient:
    owner = httpx.AsyncClient(base_url=live.http_url, headers={"X-Workspace-Id": workspace_id})
    signed = await owner.post(
        "/api/v1/auth/sign-in", json={"email": OWNER_EMAIL, "password": DEMO_PASSWORD}
    )
    assert signed.status_code == 200, signed.text
    owner.headers["X-CSRF-Token"] = signed.json()["csrf_token"]
    return owner


async def test_a_client_viewer_sees_only_their_company(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    runtime: Runtime = live.app.state.runtime
    started = time.monotonic()
    workspace, ours, others = await _the_demo_organisation(runtime)
    assert len(ours) == 2
    assert len(others) == 2
    mine = await _candidates_write(runtime, workspace, ours, 0)
    theirs = await _candidates_write(runtime, workspace, others, 2)
    owner = await _as_owner(live, str(workspace.id))
    try:
        noted = await owner.post(f"/api/v1/conversations/{mine[0]}/notes", json={"body": NOTE})
        assert noted.status_code == 201, noted.text
        async with runtime.uow() as uow:
            await record_report_facts(uow, limit=10_000)
            await uow.commit()
        everyone = (await owner.get("/api/v1/reports/overview")).json()["current"]["opened"]
    finally:
        await owner.aclose()
    assert everyone == 4
    print(f"set up in {time.monotonic() - started:.1f}s")

    # The owner finds Juliana limited to Atacadão in Settings → Members.
    admin = await (await browser.new_context(base_url=live.http_url)).new_page()
    await admin.goto(live.http_url)
    await admin.get_by_label("Email").fill(OWNER_EMAIL)
    await admin.get_by_label("Password").fill(DEMO_PASSWORD)
    await admin.get_by_role("button", name="Sign in").click()
    await admin.get_by_role("textbox", name="Workspace").click()
    await admin.get_by_role("option", name="Talenta · Retail clients").click()
    await admin.goto(f"{live.http_url}/settings?tab=members")
    await expect(admin.get_by_label("Client's teams for Juliana Prado")).to_be_visible()
    juliana = admin.get_by_role("row").filter(has_text="Juliana Prado")
    await expect(juliana).to_contain_text(CLIENT)
    await admin.context.close()

    page = await (await browser.new_context(base_url=live.http_url)).new_page()
    crashes: list[str] = []
    page.on("pageerror", lambda error: crashes.append(str(error)))
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email("juliana.prado"))
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    # Juliana reads the app in Portuguese, as the demo has her; a badge says what she has.
    await expect(page.get_by_title("Acesso de cliente somente leitura")).to_be_visible()

    # The inbox: every row is on one of Atacadão's numbers.
    rows = page.locator("ul li a[href^='/conversations/']")
    await expect(rows).to_have_count(2)
    for text in await rows.all_inner_texts():
        assert CLIENT in text, text
    await page.screenshot(path=screenshots / "client-viewer-inbox.png")

    # A conversation reads without its internal note, and without a composer.
    await page.goto(f"{live.http_url}/conversations/{mine[0]}")
    log = page.get_by_role("log")
    await expect(log.get_by_text(f"is the job on {ours[0].name} still open?")).to_be_visible()
    await expect(page.get_by_text(NOTE)).to_have_count(0)
    await expect(page.get_by_label(REPLY)).to_have_count(0)
    # Another client's conversation does not exist for her.
    await page.goto(f"{live.http_url}/conversations/{theirs[0]}")
    await expect(page.get_by_text("conversation not found")).to_be_visible()
    await expect(page.get_by_role("log")).to_have_count(0)

    # The menu: reports, no settings; the reports are Atacadão's.
    await page.get_by_role("button", name="Juliana Prado").click()
    await expect(page.get_by_role("menuitem", name="Configurações")).to_have_count(0)
    await page.get_by_role("menuitem", name="Relatórios").click()
    await expect(page.get_by_role("heading", name="Relatórios")).to_be_visible()
    tile = page.get_by_role("button", name=re.compile(r"^Novas conversas: "))
    await expect(tile).to_have_accessible_name("Novas conversas: 2")
    await page.screenshot(path=screenshots / "client-viewer-reports.png")
    assert crashes == []

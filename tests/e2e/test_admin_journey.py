"""Administration in Chromium: an owner runs the workspace from Settings, without the API.

Teams and their agents' languages, a tag's colour and archive, a channel renamed and disabled,
a member disabled, the routing switches read the right way round, and a supervisor sets an
agent's state and finds it on the agent's timeline. Every change is checked in the database
through the API as well as on screen.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import update

from frontdesk.core.accounts.models import AuthSession
from frontdesk.web.routes import APP_DIR
from tests.e2e.test_accessibility import AXE, FAILING_IMPACTS, settled
from tests.factories import PASSWORD
from tests.realtime.conftest import Live


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


# The screens' own content (the page and its dialogs, not the shared header), by axe-core.
AXE_ON_CONTENT = """async () => {
  const context = { include: [["main"], ["[role=dialog]"]] };
  const result = await axe.run(context, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.html.slice(0, 160) + "\\n      " + n.failureSummary),
  }));
}"""


async def audit(page: Page, screen: str) -> list[str]:
    """Serious or critical accessibility violations in what the screen shows, one per rule."""
    await settled(page)
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))  # not a <script>: the CSP stays on
    found: list[dict[str, Any]] = await page.evaluate(AXE_ON_CONTENT)
    return [
        f"{screen}: {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:6])
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


async def open_settings(page: Page, live: Live, tab: str) -> None:
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Settings").click()
    await page.get_by_role("tab", name=tab).click()


async def create_team_with_agents(page: Page, live: Live, screenshots: Path) -> list[str]:
    form = page.get_by_role("form", name="New team")
    await form.get_by_label("New team").fill("Night shift")
    await form.get_by_label("Description").fill("Answers after 22:00")
    await form.get_by_role("button", name="Create team").click()
    row = page.get_by_role("row", name=re.compile("^Night shift"))
    await expect(row).to_contain_text("Answers after 22:00")

    await row.get_by_role("button", name="Members of Night shift").click()
    dialog = page.get_by_role("dialog", name="Members of Night shift")
    for name in ("Bob", "Carol"):
        await dialog.get_by_role("textbox", name="Add an agent").click()
        await page.get_by_role("option", name=name, exact=True).click()
        await dialog.get_by_role("button", name="Add", exact=True).click()
        await expect(dialog.get_by_role("listitem", name=name)).to_be_visible()
    for name, language in (("Bob", "Vietnamese"), ("Carol", "Brazilian Portuguese")):
        await dialog.get_by_role("textbox", name=f"Languages {name} speaks").click()
        await page.get_by_role("option", name=language).click()
        await page.keyboard.press("Escape")
        await expect(dialog.get_by_role("listitem", name=name)).to_contain_text(language)
    await page.screenshot(path=str(screenshots / "admin-team-members.png"))
    problems = await audit(page, "team members")
    await dialog.get_by_role("button", name="Close").click()
    await expect(row).to_contain_text("Bob, Carol")

    async with live.world.client("alice") as api:
        teams = {t["name"]: t for t in (await api.get("/api/v1/teams")).json()}
        members = {m["name"]: m for m in (await api.get("/api/v1/members")).json()["items"]}
    assert [m["name"] for m in teams["Night shift"]["members"]] == ["Bob", "Carol"]
    assert members["Bob"]["languages"] == ["vi"]
    assert members["Carol"]["languages"] == ["pt-BR"]
    return problems + await audit(page, "teams")


async def edit_and_archive_a_tag(page: Page, live: Live) -> None:
    await page.get_by_role("tab", name="Tags").click()
    form = page.get_by_role("form", name="New tag")
    await form.get_by_label("New tag").fill("vip")
    await form.get_by_role("button", name="Create tag").click()
    await page.get_by_role("button", name="Edit vip").click()
    dialog = page.get_by_role("dialog", name="Edit tag vip")
    await dialog.get_by_label("Name").fill("VIP")
    await dialog.get_by_role("radio", name="Green").click()
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_have_count(0)
    # A duplicate name is refused in words, and nothing changes.
    await page.get_by_role("form", name="New tag").get_by_label("New tag").fill("vip")
    await page.get_by_role("button", name="Create tag").click()
    await expect(page.get_by_text("A tag with this name exists.")).to_be_visible()
    await page.get_by_role("button", name="Archive VIP").click()
    await expect(page.get_by_role("row", name=re.compile("^VIP"))).to_contain_text("Archived")
    async with live.world.client("alice") as api:
        offered = (await api.get("/api/v1/tags")).json()
        every = (await api.get("/api/v1/tags", params={"include_archived": True})).json()
    assert offered == []
    assert [(t["name"], t["color"]) for t in every] == [("VIP", "green")]
    assert every[0]["archived_at"] is not None


async def rename_and_disable_a_channel(page: Page, live: Live, screenshots: Path) -> list[str]:
    await page.get_by_role("tab", name="Channels").click()
    table = page.get_by_role("table", name="Channels")
    await expect(table.get_by_role("row")).to_have_count(3)  # the header and two channels
    await table.get_by_role("button", name="Support mail").click()
    card = page.get_by_role("region", name="Support mail")
    await card.get_by_label("Channel name").fill("Support inbox")
    await card.get_by_role("button", name="Rename").click()
    await expect(page.get_by_role("dialog", name="Support inbox")).to_be_visible()
    card = page.get_by_role("region", name="Support inbox")
    await card.get_by_role("switch", name="Enabled").uncheck()
    await expect(card.get_by_role("switch", name="Enabled")).not_to_be_checked()
    await page.screenshot(path=str(screenshots / "admin-channel-card.png"))
    problems = await audit(page, "channel card")
    await (
        page.get_by_role("dialog", name="Support inbox").get_by_role("button", name="Close").click()
    )
    row = table.get_by_role("row", name=re.compile("^Support inbox"))
    await expect(row).to_contain_text("Disabled")
    await expect(row).to_contain_text("Email")
    await page.get_by_role("button", name="Connect a channel").click()
    connect = page.get_by_role("dialog", name="Connect a channel")
    await expect(connect.get_by_role("button", name="WhatsApp")).to_be_visible()
    await expect(connect.get_by_role("form")).to_have_count(0)  # one form, once a kind is chosen
    await connect.get_by_role("button", name="Telegram").click()
    await expect(connect.get_by_role("form", name="Connect a Telegram bot")).to_be_visible()
    await expect(connect.get_by_role("form")).to_have_count(1)
    await connect.get_by_role("button", name="Close").click()
    channel = live.world.acme.channels["email"]
    async with live.world.client("alice") as api:
        read = (await api.get(f"/api/v1/channels/{channel.id}")).json()
    assert (read["name"], read["is_active"]) == ("Support inbox", False)
    return problems + await audit(page, "channels")


async def disable_a_member(page: Page, live: Live) -> None:
    await page.get_by_role("tab", name="Members").click()
    await page.get_by_role("button", name="Disable Dave").click()
    dialog = page.get_by_role("dialog", name="Disable Dave?")
    await expect(dialog).to_contain_text("signed out everywhere")
    await dialog.get_by_role("button", name="Disable").click()
    row = page.get_by_role("row", name=re.compile("^Dave"))
    await expect(row).to_contain_text("Disabled")
    await expect(row.get_by_role("button", name="Enable Dave")).to_be_visible()
    async with live.world.client("alice") as api:
        dave = (await api.get(f"/api/v1/members/{live.world.acme.members['dave'].id}")).json()
    assert dave["is_active"] is False


async def routing_switches_read_on_when_on(page: Page, live: Live) -> None:
    await page.get_by_role("tab", name="Routing").click()
    await page.get_by_role("textbox", name="Team", exact=True).click()
    await page.get_by_role("option", name="Support").click()
    returning = page.get_by_role("switch", name=re.compile("^A returning contact goes back"))
    timeout = page.get_by_role(
        "switch", name=re.compile("^Back to the queue when the assignee has not")
    )
    # Support returns customers to their agent (on) and has no reply timeout (off).
    await expect(returning).to_be_checked()
    await expect(timeout).not_to_be_checked()
    await timeout.check(force=True)  # the track drawn over the input takes the click
    await page.get_by_role("button", name="Save team routing").click()
    await expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    team = live.world.acme.teams["support"]
    async with live.world.client("alice") as api:
        settings = (await api.get(f"/api/v1/teams/{team.id}/routing")).json()["settings"]
    assert settings["returning_minutes"] == 24 * 60
    assert settings["reply_timeout_minutes"] == 15


async def on_todays_clock(live: Live) -> datetime:
    """The server's clock set to the real time, which the browser's Date and the server's Date
    header follow too (the timeline counts days by them); the personas' sessions stay valid."""
    now = datetime.now(UTC)
    live.app.state.runtime.clock.set(now)
    async with live.app.state.runtime.database.write_session() as s:
        await s.execute(
            update(AuthSession).values(expires_at=now + timedelta(days=1), last_seen_at=now)
        )
        await s.commit()
    return now


async def bob_worked_this_morning(live: Live, now: datetime) -> None:
    """Bob was online from five hours ago, busy from two; then the clock reads now again."""
    clock = live.app.state.runtime.clock
    for hours, state in ((5, "online"), (2, "busy")):
        clock.set(now - timedelta(hours=hours))
        async with live.world.client("bob") as bob:
            r = await bob.put("/api/v1/me/state", json={"state": state})
        assert r.status_code == 200, r.text
    clock.set(now)


async def supervisor_sets_a_state_and_reads_the_timeline(
    page: Page, live: Live, screenshots: Path, now: datetime
) -> list[str]:
    await bob_worked_this_morning(live, now)
    row = page.get_by_role("row", name=re.compile("^Bob"))
    await row.get_by_role("button", name="Status of Bob").click()
    await page.get_by_role("menuitem", name="Away — Training").click()
    await expect(row).to_contain_text("Away — Training")
    await row.get_by_role("button", name="Status of Bob").click()
    await page.get_by_role("menuitem", name="Status history").click()
    timeline = page.get_by_role("dialog", name="Status history of Bob")
    today = timeline.get_by_role("list").first
    stretch = today.get_by_role(
        "listitem", name=re.compile(r"^Away — Training, .*, set by a supervisor$")
    )
    await expect(stretch).to_have_count(1)
    await expect(
        today.get_by_role("listitem", name=re.compile(r"^Busy, .*, set by the agent$"))
    ).to_have_count(1)
    await expect(timeline.get_by_role("list")).to_have_count(7)
    await stretch.hover()
    await expect(page.get_by_role("tooltip")).to_contain_text("set by a supervisor")
    await page.screenshot(path=str(screenshots / "admin-state-timeline.png"))
    problems = await audit(page, "state timeline")
    async with live.world.client("alice") as api:
        bob = live.world.acme.members["bob"].id
        history = (await api.get(f"/api/v1/agents/{bob}/state-history")).json()
    assert (history[0]["state"], history[0]["reason"], history[0]["source"]) == (
        "away",
        "Training",
        "supervisor",
    )
    return problems


async def supervisor_sets_a_state_from_the_queue(page: Page, live: Live) -> None:
    await page.keyboard.press("Escape")
    support = live.world.acme.teams["support"]
    await page.goto(f"{live.http_url}/queue/{support.id}")
    agents = page.get_by_role("region", name="Agents")
    bob = agents.get_by_role("listitem").filter(has_text="Bob")
    await expect(bob).to_contain_text("Away — Training")
    await bob.get_by_role("button", name="Status of Bob").click()
    await page.get_by_role("menuitem", name="Online").click()
    await expect(bob).to_contain_text("Online")
    async with live.world.client("alice") as api:
        states = {a["name"]: a for a in (await api.get("/api/v1/agents/states")).json()}
    assert states["Bob"]["state"] == "online"


async def test_an_owner_runs_the_workspace_from_settings(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    now = await on_todays_clock(live)
    # axe-core is injected as a script, which the app's content security policy would refuse.
    context = await browser.new_context(base_url=live.http_url, bypass_csp=True)
    page = await context.new_page()
    await open_settings(page, live, "Teams")
    problems = await create_team_with_agents(page, live, screenshots)
    await edit_and_archive_a_tag(page, live)
    problems += await audit(page, "tags")
    problems += await rename_and_disable_a_channel(page, live, screenshots)
    await disable_a_member(page, live)
    problems += await audit(page, "members")
    await routing_switches_read_on_when_on(page, live)
    problems += await supervisor_sets_a_state_and_reads_the_timeline(page, live, screenshots, now)
    await supervisor_sets_a_state_from_the_queue(page, live)
    await context.close()
    assert problems == [], "\n".join(problems)


async def test_settings_work_on_a_phone(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    context = await browser.new_context(
        base_url=live.http_url, viewport={"width": 390, "height": 844}
    )
    page = await context.new_page()
    await open_settings(page, live, "Channels")
    table = page.get_by_role("table", name="Channels")
    await table.get_by_role("button", name="Careers WhatsApp").click()
    card = page.get_by_role("region", name="Careers WhatsApp")
    await expect(card.get_by_role("switch", name="Enabled")).to_be_checked()
    await expect(card.get_by_role("button", name="Rename")).to_be_in_viewport()
    await page.screenshot(path=str(screenshots / "admin-channel-phone.png"))
    await card.get_by_role("textbox", name="Team").click()
    await page.get_by_role("option", name="Sales").click()
    await expect(card.get_by_text("Saved.")).to_be_visible()
    channel = live.world.acme.channels["whatsapp"]
    async with live.world.client("alice") as api:
        read = (await api.get(f"/api/v1/channels/{channel.id}")).json()
    assert read["team_id"] == str(live.world.acme.teams["sales"].id)
    await (
        page.get_by_role("dialog", name="Careers WhatsApp")
        .get_by_role("button", name="Close")
        .click()
    )

    # The state timeline fits the phone: seven day bands, each as wide as the screen allows.
    await page.get_by_role("tab", name="Routing").click()
    await page.get_by_role("button", name="Status of Bob").click()
    await page.get_by_role("menuitem", name="Status history").click()
    timeline = page.get_by_role("dialog", name="Status history of Bob")
    bands = timeline.get_by_role("list")
    await expect(bands).to_have_count(7)
    box = await bands.first.bounding_box()
    assert box is not None
    assert box["width"] > 150
    assert box["x"] + box["width"] <= 390
    await page.screenshot(path=str(screenshots / "admin-state-timeline-phone.png"))
    await page.keyboard.press("Escape")

    # Every tab fits the phone's width: wide tables scroll inside themselves, not the page.
    for tab in ("Members", "Channels", "Teams", "Tags", "Canned responses", "Custom fields"):
        await page.get_by_role("tab", name=tab).click()
        await expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        width = await page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{tab}: the page is {width} px wide"
    await page.get_by_role("tab", name="Teams").click()
    await expect(page.get_by_role("table", name="Teams")).to_be_visible()
    await page.screenshot(path=str(screenshots / "admin-teams-phone.png"))
    await context.close()

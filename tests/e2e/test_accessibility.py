"""The agent app's main screens pass axe-core, and focus goes where a keyboard user expects.

axe-core (a dev dependency of the app, `frontend/node_modules/axe-core`) is injected into each
screen; a violation of impact "serious" or "critical" fails, and so does any landmark rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
# Landmarks are "moderate" to axe, but a screen reader user navigates by them: they count too.
LANDMARK_RULES = {
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-main",
    "landmark-main-is-top-level",
    "region",
}
RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => n.html.slice(0, 160) + "\\n      " + n.failureSummary),
  }));
}"""


# The header's controls that end beyond the window's width, or begin before it.
OFF_SCREEN = """(header) => [...header.querySelectorAll("button, input, a[href]")]
  .filter((el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && (box.left < 0 || box.right > window.innerWidth);
  })
  .map((el) => "off the screen: " + (el.getAttribute("aria-label") || el.textContent))"""


# The focused element's look against its look unfocused: outline, border or shadow must differ.
FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return ["nothing focused"];
  // Mantine draws the ring of a visually hidden radio or checkbox on its label, and the border
  // of a multi-select around its inner field.
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  const around = [el.parentElement, el.parentElement?.parentElement];
  const look = () => [el, label, ...around].filter(Boolean).map((e) => {
    const s = getComputedStyle(e);
    const ring = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0;
    const outline = ring ? s.outlineColor : "";
    return [outline, s.borderColor, s.boxShadow].join("|");
  }).join("/");
  const focused = look();
  el.blur();
  const unfocused = look();
  el.focus();
  if (focused !== unfocused) return [];
  return [`${el.tagName} ${el.getAttribute("aria-label") ?? el.textContent}`];
}"""


@pytest.fixture
def axe_ready() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")
    if not AXE.exists():
        pytest.fail("axe-core is missing: `make app` installs the app's dev dependencies")


async def audit(page: Page, screen: str) -> list[str]:
    """What axe-core finds wrong on the page once it is still, one line per rule."""
    await settled(page)
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the browser's debugging protocol, not as a <script> tag, so the app's
        # Content-Security-Policy (no inline scripts) stays on while the page is audited.
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    found: list[dict[str, Any]] = await page.evaluate(RUN_AXE)
    return [
        f"{screen}: {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:6])
        for v in found
        if v["impact"] in FAILING_IMPACTS or v["id"] in LANDMARK_RULES
    ]


async def settled(page: Page) -> None:
    """Wait until no element is still fading in or moving (Mantine transitions)."""
    await page.wait_for_function(
        "() => document.getAnimations().every((a) => a.playState !== 'running')"
        ' && [...document.querySelectorAll(\'[style*="opacity"], [style*="transform"]\')]'
        ".every((el) => getComputedStyle(el).opacity === '1')"
    )


async def sign_in(page: Page, live: Live, email: str) -> None:
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("textbox", name="Workspace")).to_be_visible()


async def test_the_main_screens_have_no_serious_accessibility_violation(
    live: Live, browser: Browser, axe_ready: None, screenshots: Path
) -> None:
    async with live.world.client("alice") as alice:
        for path, body in (
            ("/api/v1/tags", {"name": "hired", "is_outcome": True, "color": "gray"}),
            ("/api/v1/canned-responses", {"shortcut": "hi", "title": "Hello", "body": "Hi!"}),
            ("/api/v1/channels", {"type": "webchat", "name": "Careers site", "is_active": True}),
        ):
            r = await alice.post(path, json=body)
            assert r.status_code == 201, r.text
    problems: list[str] = []
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()

    await page.goto(live.http_url)
    await expect(page.get_by_role("heading", name="Sign in to Frontdesk")).to_be_visible()
    problems += await audit(page, "sign-in")
    await page.get_by_label("Email").fill("alice@acme.test")
    await page.get_by_label("Password").fill("not the password")
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    problems += await audit(page, "sign-in refused")

    await sign_in(page, live, "alice@acme.test")
    await expect(page.get_by_role("link", name="Frank")).to_be_visible()
    problems += await audit(page, "inbox")
    await page.get_by_role("link", name="Frank").click()
    await expect(page.get_by_role("log").get_by_text("My invoice is wrong")).to_be_visible()
    await expect(page.get_by_role("heading", name="Contact")).to_be_visible()
    problems += await audit(page, "inbox with a conversation and its contact panel")

    await page.keyboard.press("Escape")
    await page.locator("body").click(position={"x": 5, "y": 700})
    await page.keyboard.press("?")
    await expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    await settled(page)
    problems += await audit(page, "keyboard shortcuts")
    await page.keyboard.press("Escape")
    await expect(page.get_by_role("dialog")).to_have_count(0)

    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Settings").click()
    await expect(page.get_by_role("heading", name="Settings")).to_be_visible()
    for tab in ("Members", "Channels", "Teams", "Tags", "Canned responses", "API tokens"):
        await page.get_by_role("tab", name=tab).click()
        await expect(page.get_by_role("tab", name=tab)).to_have_attribute("aria-selected", "true")
        await settled(page)
        problems += await audit(page, f"settings, {tab}")

    await page.get_by_role("button", name="Alice").click()
    await page.get_by_role("menuitem", name="Profile").click()
    await expect(page.get_by_role("heading", name="Your profile")).to_be_visible()
    problems += await audit(page, "profile")
    await ctx.close()

    phone = await browser.new_context(
        base_url=live.http_url, viewport={"width": 390, "height": 844}
    )
    page = await phone.new_page()
    await sign_in(page, live, "bob@acme.test")
    await expect(page.get_by_role("link", name="Erin")).to_be_visible()
    problems += await audit(page, "phone inbox")
    # Every control of the header (state, bell, search, language, account) is on the screen.
    header = page.get_by_role("banner")
    await expect(header.get_by_role("button", name="Bob")).to_be_visible()
    problems += await header.evaluate(OFF_SCREEN)
    await page.get_by_role("link", name="Erin").click()
    await expect(page.get_by_role("log").get_by_text("Hello, I saw your job ad")).to_be_visible()
    problems += await audit(page, "phone conversation")
    await page.screenshot(path=str(screenshots / "a11y-phone-conversation.png"))
    await phone.close()

    assert not problems, "\n".join(problems)


async def test_focus_follows_the_work(live: Live, browser: Browser, axe_ready: None) -> None:
    ctx = await browser.new_context(base_url=live.http_url)
    page = await ctx.new_page()
    await sign_in(page, live, "alice@acme.test")
    frank = page.get_by_role("link", name="Frank")
    await expect(frank).to_be_visible()

    # Opening a conversation takes the focus to it: its heading, the contact's name.
    await frank.focus()
    await page.keyboard.press("Enter")
    heading = page.get_by_role("heading", name="Frank", level=2)
    await expect(heading).to_be_focused()
    # And so does opening the next one, from the same screen.
    await page.get_by_role("link", name="Erin").first.focus()
    await page.keyboard.press("Enter")
    await expect(page.get_by_role("heading", name="Erin", level=2)).to_be_focused()

    # The shortcuts dialog keeps the focus inside and gives it back where it was.
    await frank.focus()
    await page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(dialog).to_be_visible()
    await expect(dialog.locator(":focus")).to_have_count(1)  # the dialog takes the focus
    for _ in range(4):
        await page.keyboard.press("Tab")
        assert await dialog.evaluate("(d) => d.contains(document.activeElement)")
    await page.keyboard.press("Escape")
    await expect(dialog).to_be_hidden()
    await expect(frank).to_be_focused()

    # The account menu gives the focus back to its button; Escape closes it even when pressed
    # before the focus has moved into it.
    account = page.get_by_role("button", name="Alice")
    profile = page.get_by_role("menuitem", name="Profile")
    await account.focus()
    # The menu moves the focus into itself on a timer; a slow phone (here: the page's CPU slowed
    # down) lets the Escape arrive first.
    cdp = await ctx.new_cdp_session(page)
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 40})
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")
    await cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    await expect(profile).to_be_hidden()
    await expect(account).to_be_focused()
    await page.keyboard.press("Enter")
    await expect(profile).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(profile).to_be_hidden()
    await expect(account).to_be_focused()

    # Whatever the keyboard reaches shows it has the focus: a ring, or (inputs) a coloured border.
    await page.locator("body").click(position={"x": 5, "y": 700})
    # Compare end states: a border colour still fading in would read as unchanged.
    await page.add_style_tag(content="*, *::before, *::after { transition: none !important; }")
    unringed: list[str] = []
    for _ in range(16):
        await page.keyboard.press("Tab")
        unringed += await page.evaluate(FOCUS_SHOWN)
    assert not unringed, unringed
    await ctx.close()

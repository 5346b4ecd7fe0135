"""The command palette, the emoji picker and custom fields, worked in real Chromium."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page, ViewportSize, expect

from frontdesk.web.routes import APP_DIR
from tests.factories import PASSWORD
from tests.realtime.conftest import Live

PALETTE = "Search contacts, conversations or commands…"
REPLY_BOX = "Write a reply… (Enter sends, Shift+Enter for a new line)"
WIDE: ViewportSize = {"width": 1440, "height": 900}  # wide enough for the contact panel


@pytest.fixture
def app_built() -> None:
    if not (APP_DIR / "index.html").exists():
        pytest.fail("the app is not built: `make test` builds it first (make app)")


async def signed_in(browser: Browser, live: Live, email: str) -> Page:
    ctx = await browser.new_context(base_url=live.http_url, viewport=WIDE)
    page = await ctx.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Search and commands")).to_be_visible()
    return page


async def until(live: Live, path: str, check: Callable[[Any], bool]) -> Any:
    """What `path` answers once `check` holds (the browser's request may still be in flight)."""
    async with live.world.client("alice") as alice:
        for _ in range(100):
            r = await alice.get(path)
            assert r.status_code == 200, r.text
            if check(r.json()):
                return r.json()
            await asyncio.sleep(0.05)
    raise AssertionError(f"{path} never satisfied the check: {r.json()}")


async def run_command(page: Page, text: str, option: str | re.Pattern[str]) -> None:
    """Opens the palette with the keyboard, types, waits for `option` to be chosen, runs it."""
    await page.keyboard.press("Control+k")
    search = page.get_by_role("combobox", name=PALETTE)
    await expect(search).to_be_focused()
    await page.keyboard.type(text)
    await expect(page.get_by_role("option", name=option).first).to_have_attribute(
        "aria-selected", "true"
    )
    await page.keyboard.press("Enter")
    await expect(search).to_be_hidden()


async def test_the_palette_finds_a_contact_and_acts_on_the_conversation(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"]
    page = await signed_in(browser, live, "alice@acme.test")
    await page.keyboard.press("?")
    shortcuts = page.get_by_role("dialog", name="Keyboard shortcuts")
    await expect(
        shortcuts.get_by_role("row", name=re.compile("Ctrl\\+K.*Command palette"))
    ).to_be_visible()
    await page.keyboard.press("Escape")
    await expect(shortcuts).to_be_hidden()

    # Searched by email, which the server's contact search covers.
    await page.keyboard.press("Control+k")
    await page.keyboard.type("frank@exa")
    contact = page.get_by_role("option", name=re.compile(r"^Frank.*frank@example\.com"))
    await expect(contact).to_be_visible()
    await expect(page.get_by_role("group", name="Contacts")).to_be_visible()
    await page.screenshot(path=str(screenshots / "palette-search.png"))
    await expect(contact).to_have_attribute("aria-selected", "true")
    await page.keyboard.press("Enter")
    await expect(page).to_have_url(f"{live.http_url}/conversations/{frank.id}")
    await expect(page.get_by_role("log").get_by_text("My invoice is wrong")).to_be_visible()

    # With a conversation open, its actions come first: the same as the buttons and keys.
    await page.keyboard.press("Control+k")
    await expect(page.get_by_role("group", name="This conversation")).to_be_visible()
    await page.screenshot(path=str(screenshots / "palette-actions.png"))
    await page.keyboard.press("Escape")
    await run_command(page, "assign", "Assign to me")
    await expect(page.get_by_text("Assigned to Alice")).to_be_visible()
    await run_command(page, "urgent", re.compile("^Set priority: Urgent"))
    await until(live, f"/api/v1/conversations/{frank.id}", lambda c: c["priority"] == "urgent")
    await run_command(page, "close", re.compile("^Close the conversation"))
    # Closed: the app moves on to the next conversation of the view; back to this one.
    await expect(page).not_to_have_url(f"{live.http_url}/conversations/{frank.id}")
    await page.go_back()
    await expect(page.get_by_text("This conversation is closed.")).to_be_visible()

    async with live.world.client("alice") as alice:
        r = await alice.get(f"/api/v1/conversations/{frank.id}")
    assert r.status_code == 200, r.text
    stored = r.json()
    assert stored["status"] == "closed"
    assert stored["priority"] == "urgent"
    assert stored["assignee"]["id"] == str(live.world.acme.members["alice"].id)

    # "Note" switches the composer and puts the caret in it, even on a closed conversation.
    await run_command(page, "note", re.compile("^Write an internal note"))
    await expect(
        page.get_by_role("textbox", name="Write a note only your team sees…")
    ).to_be_focused()
    await page.context.close()


async def test_an_emoji_goes_in_at_the_caret_and_is_sent(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"]
    page = await signed_in(browser, live, "alice@acme.test")
    await page.goto(f"{live.http_url}/conversations/{frank.id}")
    composer = page.get_by_role("textbox", name=REPLY_BOX)
    await composer.fill("Thanks Frank !")
    await composer.press("End")
    await composer.press("ArrowLeft")  # the caret before "!"

    # The keyboard alone: back to the emoji button, open, search, choose.
    await page.keyboard.press("Shift+Tab")
    await expect(page.get_by_role("button", name="Insert emoji")).to_be_focused()
    await page.keyboard.press("Enter")
    search = page.get_by_role("combobox", name="Search emoji")
    await expect(search).to_be_focused()
    await page.keyboard.type("thumbs up")
    await expect(page.get_by_role("option", name="thumbs up", exact=True)).to_have_attribute(
        "aria-selected", "true"
    )
    await page.screenshot(path=str(screenshots / "emoji-picker.png"))
    await page.keyboard.press("Enter")
    await expect(search).to_be_hidden()
    await expect(composer).to_have_value("Thanks Frank 👍️!")
    await expect(composer).to_be_focused()
    await page.keyboard.type(" See you")  # the caret followed the emoji
    await expect(composer).to_have_value("Thanks Frank 👍️ See you!")

    # Arrows move through the grid; Escape leaves without inserting anything.
    await page.get_by_role("button", name="Insert emoji").click()
    await expect(search).to_be_focused()
    await page.keyboard.press("ArrowRight")
    await expect(page.get_by_role("option", name="grinning face with big eyes")).to_have_attribute(
        "aria-selected", "true"
    )
    await page.keyboard.press("Escape")
    await expect(search).to_be_hidden()
    await expect(composer).to_be_focused()
    await expect(composer).to_have_value("Thanks Frank 👍️ See you!")

    await page.keyboard.press("Enter")
    await expect(page.get_by_role("log").get_by_text("Thanks Frank 👍️ See you!")).to_be_visible()
    async with live.world.client("alice") as alice:
        r = await alice.get(f"/api/v1/conversations/{frank.id}/messages")
    assert r.status_code == 200, r.text
    assert "Thanks Frank 👍️ See you!" in [m["body"] for m in r.json()["items"]]
    await page.context.close()


async def test_an_owner_defines_custom_fields_and_fills_one_on_a_contact(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"]
    page = await signed_in(browser, live, "alice@acme.test")
    await run_command(page, "custom fields", "Settings: Custom fields")
    await expect(page).to_have_url(re.compile(r"/settings\?tab=custom-fields$"))
    await expect(page.get_by_role("tab", name="Custom fields")).to_have_attribute(
        "aria-selected", "true"
    )

    # A list field: the key follows the label until it is edited by hand.
    await page.get_by_label("Label").fill("Shirt size")
    await expect(page.get_by_label("Key")).to_have_value("shirt_size")
    await page.get_by_role("textbox", name="Type").click()
    await page.get_by_role("option", name="List of options").click()
    options = page.get_by_role("textbox", name="Options")
    for size in ("S", "M", "L"):
        await options.fill(size)
        await options.press("Enter")
    await page.get_by_role("button", name="Add field").click()
    table = page.get_by_role("table", name="Custom fields")
    await expect(table.get_by_role("row", name=re.compile("Shirt size"))).to_be_visible()

    # A text field, and a key already taken is refused by the server with its reason.
    await page.get_by_label("Label").fill("Nickname")
    await page.get_by_role("textbox", name="Type").click()
    await page.get_by_role("option", name="Text", exact=True).click()
    await page.get_by_role("button", name="Add field").click()
    await expect(table.get_by_role("row", name=re.compile("Nickname"))).to_be_visible()
    await page.get_by_label("Label").fill("Nickname")
    await page.get_by_role("button", name="Add field").click()
    await expect(page.get_by_text("a field with this key exists")).to_be_visible()
    await page.get_by_label("Label").fill("")

    # Relabel the list and give it one more option.
    await page.get_by_role("button", name="Edit Shirt size").click()
    dialog = page.get_by_role("dialog", name="Edit “Shirt size”")
    await dialog.get_by_label("Label").fill("T-shirt size")
    await dialog.get_by_role("textbox", name="Options").fill("XL")
    await dialog.get_by_role("textbox", name="Options").press("Enter")
    await dialog.get_by_role("button", name="Save").click()
    await expect(dialog).to_be_hidden()
    await expect(table.get_by_role("row", name=re.compile("T-shirt size"))).to_be_visible()

    # Deleting asks first; cancelling keeps the field.
    await page.get_by_role("button", name="Delete Nickname").click()
    confirm = page.get_by_role("dialog", name="Delete “Nickname”?")
    await expect(confirm.get_by_text("This cannot be undone.")).to_be_visible()
    await confirm.get_by_role("button", name="Cancel").click()
    await expect(table.get_by_role("row", name=re.compile("Nickname"))).to_be_visible()
    await page.get_by_role("button", name="Delete Nickname").click()
    await confirm.get_by_role("button", name="Delete field").click()
    await expect(table.get_by_role("row", name=re.compile("Nickname"))).to_be_hidden()
    await page.screenshot(path=str(screenshots / "custom-fields.png"))

    async with live.world.client("alice") as alice:
        r = await alice.get("/api/v1/custom-fields")
    assert r.status_code == 200, r.text
    assert [(f["key"], f["label"], f["field_type"], f["options"]) for f in r.json()] == [
        ("shirt_size", "T-shirt size", "select", ["S", "M", "L", "XL"])
    ]

    # From settings, a view of the inbox: the palette goes back to the inbox and picks it.
    await run_command(page, "unassigned", re.compile("^Inbox: Unassigned"))
    await expect(page).to_have_url(f"{live.http_url}/")
    await expect(page.get_by_role("radio", name=re.compile("^Unassigned"))).to_be_checked()

    # The contact panel offers the field by its type; the choice shows once it is saved.
    await page.goto(f"{live.http_url}/conversations/{frank.id}")
    shirt = page.get_by_role("textbox", name="T-shirt size")
    await expect(shirt).to_have_value("")
    await shirt.click()
    await page.get_by_role("option", name="XL").click()
    await expect(shirt).to_have_value("XL")
    await page.screenshot(path=str(screenshots / "custom-fields-contact.png"))
    contact_id = live.world.acme.contacts["frank"].id
    async with live.world.client("alice") as alice:
        r = await alice.get(f"/api/v1/contacts/{contact_id}")
    assert r.json()["fields"] == {"shirt_size": "XL"}
    await page.context.close()


async def test_the_contact_panel_edits_each_type_of_field_in_place(
    live: Live, browser: Browser, app_built: None, screenshots: Path
) -> None:
    frank = live.world.acme.conversations["frank_unassigned"]
    contact = f"/api/v1/contacts/{live.world.acme.contacts['frank'].id}"
    async with live.world.client("alice") as alice:
        for key, label, kind in (
            ("nickname", "Nickname", "text"),
            ("orders", "Orders", "number"),
            ("birthday", "Birthday", "date"),
            ("vip", "VIP customer", "boolean"),
        ):
            r = await alice.post(
                "/api/v1/custom-fields", json={"key": key, "label": label, "field_type": kind}
            )
            assert r.status_code == 201, r.text
        r = await alice.put(f"{contact}/fields", json={"nickname": "Frankie"})
        assert r.status_code == 200, r.text

    page = await signed_in(browser, live, "alice@acme.test")
    await page.goto(f"{live.http_url}/conversations/{frank.id}")
    nickname = page.get_by_role("textbox", name="Nickname")
    await expect(nickname).to_have_value("Frankie")
    await nickname.fill("Frank the Tank")
    await nickname.press("Enter")
    orders = page.get_by_role("spinbutton", name="Orders")
    await orders.fill("12")
    await orders.press("Tab")
    birthday = page.get_by_label("Birthday")
    await birthday.fill("1990-04-01")
    await birthday.press("Tab")
    await page.get_by_role("checkbox", name="VIP customer").check()
    expected = {"nickname": "Frank the Tank", "orders": 12, "birthday": "1990-04-01", "vip": True}
    await until(live, contact, lambda c: c["fields"] == expected)
    await page.screenshot(path=str(screenshots / "custom-fields-types.png"))

    # Emptying a field clears its value.
    await nickname.fill("")
    await nickname.press("Tab")
    await until(live, contact, lambda c: "nickname" not in c["fields"])
    await page.context.close()

    # A viewer sees the values but cannot change them.
    viewer = await signed_in(browser, live, "vera@acme.test")
    await viewer.goto(f"{live.http_url}/conversations/{frank.id}")
    await expect(viewer.get_by_role("spinbutton", name="Orders")).to_have_value("12")
    await expect(viewer.get_by_role("spinbutton", name="Orders")).not_to_be_editable()
    await expect(viewer.get_by_role("checkbox", name="VIP customer")).to_be_disabled()
    await viewer.context.close()

"""The greeting menu in Chromium, from the template to the report: an owner makes it from the
template and publishes it; a WhatsApp customer (the fake Graph API) picks "2", gives a wrong CPF
and then a right one, which lands on the contact; the Interviews team's online agent gets the
conversation, answers and sends the customer back to the menu; the run log shows each step, and
the Routing report's chat routes count the route handled once and redirected once. Then the
workflows list on a phone, in Brazilian Portuguese.

Jobs and the trigger dispatcher are driven here, one turn at a time, as the worker would."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page, expect

from frontdesk.core.conversations.models import Conversation
from frontdesk.core.runtime import Runtime
from frontdesk.jobs.reports import update_reports
from frontdesk.jobs.workflows import ensure_workflow_chain
from tests.e2e.channel_fixtures import clock, fake_graph, settings
from tests.e2e.test_app_journey import app_built
from tests.e2e.test_channel_ui_journey import CUSTOMER, WA_ID, connect, conversation_of, post
from tests.e2e.test_routing_journey import go_online, sign_in
from tests.fakes.meta import FakeGraph, Number, text_webhook
from tests.realtime.conftest import Live
from tests.workflows.conftest import dispatch, run_jobs

__all__ = ["app_built", "clock", "fake_graph", "settings"]

WIDE = {"width": 1440, "height": 900}  # the conversation with its contact panel beside it
MENU = f"Hello {CUSTOMER}! How can we help you?\n1 Jobs\n2 Interview\n3 Talk to a recruiter"
ASK_CPF = "To book your interview, please send your CPF (numbers only)."
BAD_CPF = "That CPF does not look valid. Please try again."
REPLY = "Oi Marina! Sou a Carol, da equipe de entrevistas."


def texts_sent(fake: FakeGraph) -> list[str]:
    """The text messages WhatsApp accepted, in order."""
    return [s["text"]["body"] for s in fake.sent if s.get("type") == "text"]


async def customer_says(
    runtime: Runtime, fake: FakeGraph, webhook: str, number: Number, text: str
) -> None:
    """A message from the customer, then what the worker does with it: the dispatcher's turn
    (a waiting question takes the answer) and every job it makes due (the run's steps, the
    sends to WhatsApp, routing)."""
    body = text_webhook(
        number, WA_ID, CUSTOMER, text, wamid=f"wamid.{uuid.uuid4()}", timestamp=int(time.time())
    )
    await post(fake, webhook, number, body)
    await dispatch(runtime)
    await run_jobs(runtime)


async def pick(page: Page, label: str, option: str) -> None:
    await page.get_by_role("textbox", name=label).click()
    await page.get_by_role("option", name=option, exact=True).click()


async def test_a_greeting_menu_from_its_template_routes_a_whatsapp_customer_and_back(
    live: Live, browser: Browser, app_built: None, screenshots: Path, fake_graph: FakeGraph
) -> None:
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    acme = live.world.acme
    carol_id = acme.members["carol"].id
    number, channel_id, webhook = await connect(live, fake_graph)
    # The dispatcher starts where the server starts it: at the event log's end.
    await ensure_workflow_chain(runtime)
    teams: dict[str, str] = {}
    async with live.world.client("alice") as alice:
        for name, members in (("Vagas", []), ("Interviews", [carol_id]), ("Recrutador", [])):
            r = await alice.post(
                "/api/v1/teams", json={"name": name, "user_ids": [str(m) for m in members]}
            )
            assert r.status_code == 201, r.text
            teams[name] = r.json()["id"]
        r = await alice.post(
            "/api/v1/custom-fields", json={"key": "cpf", "label": "CPF", "field_type": "text"}
        )
        assert r.status_code == 201, r.text
        # Carol holds nothing: Erin's question to Sales would take her first slot.
        r = await alice.post(
            f"/api/v1/conversations/{acme.conversations['erin_sales'].id}/close", json={}
        )
        assert r.status_code == 200, r.text

    # The owner makes the greeting menu from its template, option 2 going to Interviews.
    owner = await sign_in(browser, live, "alice@acme.test", WIDE)
    await owner.get_by_role("button", name="Alice").click()
    await owner.get_by_role("menuitem", name="Workflows").click()
    await expect(owner.get_by_role("heading", name="Workflows")).to_be_visible()
    await owner.get_by_role("button", name="New workflow").click()
    dialog = owner.get_by_role("dialog", name="New workflow")
    await dialog.get_by_role("radio", name="Greeting menu").check()
    await pick(owner, "Team for “Jobs”", "Vagas")
    await pick(owner, "Team for “Interview”", "Interviews")
    await pick(owner, "Team for “Talk to a recruiter”", "Recrutador")
    await dialog.get_by_role("button", name="Create").click()
    await expect(owner).to_have_url(re.compile(r"/workflows/[0-9a-f-]+$"))
    workflow_id = owner.url.rsplit("/", 1)[1]
    await expect(owner.get_by_role("textbox", name="Workflow name")).to_have_value("Greeting menu")
    # Every option has its team: the builder finds nothing to fix, and Publish is offered.
    publish = owner.get_by_role("button", name="Publish", exact=True)
    await expect(publish).to_be_enabled()
    await expect(owner.get_by_text(re.compile("to fix before publishing"))).to_have_count(0)
    await owner.screenshot(path=str(screenshots / "workflows-greeting-menu-builder.png"))
    await publish.click()
    confirm = owner.get_by_role("dialog", name="Publish the workflow")
    await confirm.get_by_role("button", name="Publish", exact=True).click()
    await expect(confirm.get_by_text("Version 1 is published.")).to_be_visible()
    await confirm.get_by_role("button", name="Close").click()
    await expect(owner.get_by_text("Active", exact=True)).to_be_visible()

    # Carol, of the Interviews team, is online.
    agent = await sign_in(browser, live, "carol@acme.test", WIDE)
    await go_online(agent)

    # The customer writes "oi" and gets the menu; "2" asks for the CPF; a wrong one is refused.
    await customer_says(runtime, fake_graph, webhook, number, "oi")
    conv = await conversation_of(runtime, channel_id)
    assert texts_sent(fake_graph) == [MENU]
    await customer_says(runtime, fake_graph, webhook, number, "2")
    assert texts_sent(fake_graph)[-1] == ASK_CPF
    await customer_says(runtime, fake_graph, webhook, number, "123.456.789-00")
    assert texts_sent(fake_graph)[-1] == BAD_CPF
    await customer_says(runtime, fake_graph, webhook, number, "529.982.247-25")
    await run_jobs(runtime)  # routing, once the bot has let go

    # The CPF is on the contact; the conversation is Interviews', with Carol.
    async with runtime.database.read_session() as db:
        routed = await db.get_one(Conversation, conv.id)
    assert (str(routed.team_id), routed.assignee_id, routed.bot_run_id) == (
        teams["Interviews"],
        carol_id,
        None,
    )
    async with live.world.client("alice") as alice:
        contact = (await alice.get(f"/api/v1/contacts/{conv.contact_id}")).json()
    assert contact["fields"] == {"cpf": "52998224725"}

    # Carol sees it in her inbox, with the CPF in the contact panel, and answers.
    await agent.get_by_role("link", name=re.compile(f"^{CUSTOMER}")).click()
    await expect(agent.get_by_role("heading", name=CUSTOMER, exact=True)).to_be_visible()
    await expect(agent.get_by_role("log").get_by_text("529.982.247-25")).to_be_visible()
    await expect(agent.get_by_role("textbox", name="CPF")).to_have_value("52998224725")
    await agent.get_by_label("Write a reply").fill(REPLY)
    await agent.get_by_role("button", name="Send", exact=True).click()
    await expect(agent.get_by_role("log").get_by_text(REPLY)).to_be_visible()
    await run_jobs(runtime)
    await update_reports(runtime, {})  # the report job reads the reply: the route is handled
    await agent.screenshot(path=str(screenshots / "workflows-routed-conversation.png"))

    # The customer meant something else: Carol sends them back to the menu, which comes again.
    await agent.get_by_role("button", name="Back to menu").click()
    back = agent.get_by_role("dialog", name="Send back to the menu?")
    await expect(back.get_by_text("The customer chose “Interview”")).to_be_visible()
    await back.get_by_role("button", name="Back to menu").click()
    await expect(back).to_be_hidden()
    await dispatch(runtime)
    assert texts_sent(fake_graph).count(MENU) == 2
    assert texts_sent(fake_graph)[-1] == MENU

    # The run log, in the conversation's panel: the first run, step by step.
    runs = agent.get_by_role("button", name="2 workflow runs")
    await expect(runs).to_be_visible()
    await runs.click()
    panel = agent.get_by_role("dialog", name="Workflows on this conversation")
    first = panel.get_by_role("listitem").filter(has_text="Completed")
    await expect(first).to_have_count(1)
    await first.get_by_role("button").first.click()
    steps = first.get_by_role("list", name="Steps taken")
    async with live.world.client("alice") as alice:
        listed = (await alice.get(f"/api/v1/conversations/{conv.id}/workflow-runs")).json()
        done = next(r for r in listed["items"] if r["status"] == "completed")
        taken = (await alice.get(f"/api/v1/workflow-runs/{done['id']}")).json()["steps"]
    trail: list[tuple[str, Any]] = [(s["step_id"], s["outlet"]) for s in taken]
    assert trail[:2] == [("menu", "interview"), ("ask_cpf", "reply")]
    # The CPF question was answered on the second try, and the value kept is the digits.
    assert (taken[1]["output"]["attempts"], taken[1]["output"]["value"]) == (2, "52998224725")
    assert [s["step_type"] for s in taken][2:] == ["assign", "end"]
    await expect(steps.get_by_role("listitem")).to_have_count(len(taken))
    for row in taken:
        item = steps.get_by_role("listitem", name=re.compile(f"^Step {row['seq']}: "))
        await expect(item).to_contain_text(row["step_id"])
        if row["outlet"]:
            await expect(item).to_contain_text(f"Left by: {row['outlet']}")
    await agent.screenshot(path=str(screenshots / "workflows-conversation-run-log.png"))

    # The workflow's own run log lists both runs.
    await owner.get_by_role("button", name="More").click()
    await owner.get_by_role("menuitem", name="Run log").click()
    log = owner.get_by_role("dialog", name="Run log")
    await expect(log.get_by_text("Completed")).to_be_visible()
    await expect(log.get_by_text("Waiting").first).to_be_visible()
    await owner.keyboard.press("Escape")

    # The Routing report: the Interview route offered once, handled once, redirected once.
    await owner.goto(f"{live.http_url}/reports")
    await owner.get_by_role("tab", name="Routing").click()
    by_route = owner.get_by_role("table", name="Chat routes per route")
    interview = by_route.get_by_role("row", name=re.compile("^Interview"))
    cells = interview.get_by_role("cell")
    await expect(cells.nth(0)).to_contain_text("1")
    await expect(cells.nth(1)).to_have_text("1")
    await expect(cells.nth(3)).to_have_text("1")
    by_agent = owner.get_by_role("table", name="Chat routes per agent")
    await expect(by_agent.get_by_role("row", name=re.compile("^Carol"))).to_be_visible()
    await by_route.scroll_into_view_if_needed()
    await owner.screenshot(path=str(screenshots / "workflows-chat-routes-report.png"))
    await owner.context.close()
    await agent.context.close()

    # On a phone, in Brazilian Portuguese: the list fits the screen.
    phone = await sign_in(browser, live, "alice@acme.test", {"width": 390, "height": 844})
    await expect(phone.get_by_role("button", name="Alice")).to_be_visible()
    async with live.world.client("alice") as alice:
        r = await alice.patch("/api/v1/me", json={"language": "pt-BR"})
        assert r.status_code == 200, r.text
    await phone.goto(f"{live.http_url}/workflows")
    await expect(phone.get_by_role("heading", name="Fluxos")).to_be_visible()
    await expect(phone.get_by_role("button", name="Novo fluxo")).to_be_visible()
    row = phone.get_by_role("row", name=re.compile("^Greeting menu"))
    await expect(row.get_by_text("Ativo", exact=True)).to_be_visible()
    await expect(row.get_by_text("Uma conversa é aberta")).to_be_visible()
    assert await phone.evaluate("document.documentElement.scrollWidth") <= 390
    await phone.screenshot(path=str(screenshots / "workflows-list-phone-pt-BR.png"))
    await phone.get_by_role("link", name="Greeting menu").click()
    await expect(phone).to_have_url(f"{live.http_url}/workflows/{workflow_id}")
    await phone.context.close()

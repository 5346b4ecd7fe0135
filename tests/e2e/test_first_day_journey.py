"""A contact centre's first day, in Chromium, on the demo as `make run` leaves it, late on a
Sunday night (São Paulo) when the demo's client teams are closed.

The owner makes a night team in the app, adds a Portuguese-speaking and a Vietnamese-speaking
agent, routes it by language, connects a website chat asking the visitor's name and moves a
WhatsApp number to it. A Vietnamese customer writes on WhatsApp before anyone is online and
waits; the Vietnamese speaker comes online and gets them, with the automatic message in
Vietnamese. A Portuguese visitor gives their name on the website and is greeted by it, in
Portuguese, by the Portuguese speaker at once. Closing moves on to the next conversation, and a
mention made while an agent is signed out waits in their bell. All along, the team's queue page
and the inbox agree on who waits.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from frontdesk.core.accounts.models import User
from frontdesk.core.channels.models import Channel
from frontdesk.core.clock import FrozenClock
from frontdesk.core.contacts.models import Contact
from frontdesk.core.conversations.models import Conversation
from frontdesk.core.routing.models import Assignment
from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Team, Workspace
from frontdesk.demo import DEMO_PASSWORD, DEMO_SLUG, OWNER_EMAIL
from frontdesk.demo.fake_graph_webhooks import text_webhook
from frontdesk.demo.providers import Connected, connect_whatsapp
from frontdesk.jobs.runner import JobRunner
from frontdesk.settings import Settings
from frontdesk.web.routes import APP_DIR, WIDGET_FILE
from tests.demo_snapshot import load_demo_setting
from tests.e2e.test_routing_journey import job_runner, jobs_done
from tests.fakes.meta import FakeGraph, serve
from tests.realtime.conftest import Live
from tests.realtime.conftest import serve as serve_app

__all__ = ["job_runner"]

LIVE = 10_000  # milliseconds to wait for what arrives over a socket
TEAM = "Night shift"
TOMAS = ("tomas.rodrigues@talenta.example", "Tomás Rodrigues")
LAN = ("lan.nguyen@talenta.example", "Nguyễn Thị Lan")
CAREERS = "/careers-at-night"
# What the agents read: each works in the app in their own language.
WORDS = {
    "en": {"status": "Your status", "online": "Online", "bell": "Notifications", "close": "Close"},
    "pt-BR": {
        "status": "Seu status",
        "online": "Disponível",
        "bell": "Notificações",
        "close": "Encerrar",
    },
    "vi": {
        "status": "Trạng thái của bạn",
        "online": "Trực tuyến",
        "bell": "Thông báo",
        "close": "Đóng",
    },
}
SIGN_OUT = {"en": "Sign out", "pt-BR": "Sair", "vi": "Đăng xuất"}
MENTIONED = {"en": "Marina Duarte mentioned you", "pt-BR": "Marina Duarte mencionou você"}
MENTIONED["vi"] = "Marina Duarte đã nhắc đến bạn"


@pytest.fixture
def clock() -> FrozenClock:
    """Sunday 23:30 in São Paulo, the last one before now (the browser's clock runs ahead)."""
    local = datetime.now(ZoneInfo("America/Sao_Paulo"))
    sunday = local - timedelta(days=(local.weekday() - 6) % 7)
    at = sunday.replace(hour=23, minute=30, second=0, microsecond=0)
    if at > local:
        at -= timedelta(days=7)
    return FrozenClock(at.astimezone(UTC))


@pytest.fixture
async def fake_graph() -> AsyncIterator[FakeGraph]:
    fake = FakeGraph(auto_statuses=True, status_delays=(0.05, 0.1, 0.2))
    async with serve(fake):
        yield fake


@pytest.fixture
def settings(settings: Settings, fake_graph: FakeGraph) -> Settings:
    settings.meta_graph_url = fake_graph.graph_url
    return settings


@pytest.fixture
async def demo(live: Live, fake_graph: FakeGraph) -> Connected:
    """The demo as `make run` loads it (a small share of its history), one of its numbers on
    the fake WhatsApp."""
    for built, what in ((APP_DIR / "index.html", "make app"), (WIDGET_FILE, "make widget")):
        if not built.exists():
            pytest.fail(f"{built} is missing: run `{what}` (make test builds it first)")
    runtime: Runtime = live.app.state.runtime
    runtime.public_url = live.http_url
    await load_demo_setting(runtime)  # the night team is set up from scratch
    numbers = await connect_whatsapp(
        runtime, fake_graph, f"{live.http_url}/webhooks/whatsapp/{{workspace_id}}"
    )
    return numbers[0]


@pytest.fixture
async def careers_site() -> AsyncIterator[dict[str, str]]:
    """The company's careers page on its own server, another origin than the app's; the chat's
    snippet is pasted in once the owner has it. Its address is under "host"."""
    pasted = {"snippet": ""}

    async def page(_: Request) -> HTMLResponse:
        body = f"<h1>Vagas</h1>{pasted['snippet']}"
        return HTMLResponse(f"<!doctype html><html lang='pt-BR'><title>Vagas</title>{body}</html>")

    server, task, host = await serve_app(Starlette(routes=[Route(CAREERS, page)]))
    pasted["host"] = host
    yield pasted
    server.should_exit = True
    await task


async def sign_in(browser: Browser, live: Live, email: str, language: str = "en") -> Page:
    """Signed in from a browser whose clock reads the server's (Sunday night, too)."""
    context = await browser.new_context(base_url=live.http_url)
    await context.clock.install(time=live.app.state.runtime.clock.now())
    page = await context.new_page()
    await page.goto(live.http_url)
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    bell = WORDS[language]["bell"]
    await expect(page.get_by_role("button", name=re.compile(f"^{bell}"))).to_be_visible()
    return page


async def go_online(page: Page, language: str) -> None:
    words = WORDS[language]
    await page.get_by_role("button", name=re.compile(f"^{words['status']}: ")).click()
    await page.get_by_role("menuitem", name=words["online"], exact=True).click()
    await expect(
        page.get_by_role("button", name=re.compile(f"^{words['status']}: {words['online']}"))
    ).to_be_visible()


async def language_of(runtime: Runtime, email: str) -> str:
    async with runtime.database.read_session() as db:
        found = await db.scalar(select(User.language).where(User.email == email))
    assert found in WORDS, found
    return str(found)


async def user_id(runtime: Runtime, email: str) -> uuid.UUID:
    async with runtime.database.read_session() as db:
        found = await db.scalar(select(User.id).where(User.email == email))
    assert found is not None, email
    return found


async def team_id(runtime: Runtime) -> uuid.UUID:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(Team.id)
            .join(Workspace, Workspace.id == Team.workspace_id)
            .where(Workspace.slug == DEMO_SLUG, Team.name == TEAM)
        )
    assert found is not None
    return found


async def conversation_of(runtime: Runtime, channel_id: uuid.UUID) -> Conversation:
    async with runtime.database.read_session() as db:
        found = await db.scalar(
            select(Conversation)
            .where(Conversation.channel_id == channel_id)
            .order_by(Conversation.opened_at.desc())
            .limit(1)
        )
    assert found is not None
    return found


async def signed_in_api(live: Live, runtime: Runtime, email: str) -> httpx.AsyncClient:
    """A member signed in over HTTP (another device), acting in the retail workspace."""
    client = httpx.AsyncClient(base_url=live.http_url)
    r = await client.post("/api/v1/auth/sign-in", json={"email": email, "password": DEMO_PASSWORD})
    assert r.status_code == 200, r.text
    async with runtime.database.read_session() as db:
        workspace = await db.scalar(select(Workspace.id).where(Workspace.slug == DEMO_SLUG))
    client.headers["X-CSRF-Token"] = client.cookies["frontdesk_csrf"]
    client.headers["X-Workspace-Id"] = str(workspace)
    return client


async def queue_and_inbox_agree(owner: Page, api: httpx.AsyncClient, team: uuid.UUID) -> list[str]:
    """The team's queue page and the inbox's unassigned conversations of the team list the same
    conversations; the names of those waiting."""
    queued = (await api.get(f"/api/v1/teams/{team}/queue")).json()["entries"]
    inbox = (
        await api.get(
            "/api/v1/conversations",
            params={"view": "unassigned", "team_id": str(team), "status": "open"},
        )
    ).json()["items"]
    assert sorted(q["conversation_id"] for q in queued) == sorted(c["id"] for c in inbox)
    names = [c["contact"]["name"] for c in inbox]
    await owner.goto(f"/queue/{team}")
    await expect(owner.get_by_role("heading", name=f"Queue: {TEAM}")).to_be_visible()
    if not names:
        await expect(owner.get_by_text("No one is waiting.")).to_be_visible()
    else:
        rows = owner.get_by_role("table", name=f"Waiting conversations of {TEAM}").get_by_role(
            "row"
        )
        await expect(rows).to_have_count(len(names) + 1)  # and the header
        for name in names:
            await expect(rows.filter(has_text=name)).to_have_count(1)
    await owner.goto("/")
    await owner.get_by_text("Unassigned").first.click()
    await owner.get_by_role("textbox", name="Team").click()
    await owner.get_by_role("option", name=TEAM, exact=True).click()
    if names:
        for name in names:
            row = owner.get_by_role("link", name=re.compile(f"^{re.escape(name)} "))
            await expect(row).to_have_count(1)
        rows = owner.locator("a[href^='/conversations/']")
        await expect(rows).to_have_count(len(names))
    else:
        await expect(owner.get_by_text("Nothing here. Enjoy the calm.")).to_be_visible()
    return names


async def set_up_the_team(owner: Page, screenshots: Path) -> None:
    await owner.get_by_role("button", name="Marina Duarte").click()
    await owner.get_by_role("menuitem", name="Settings").click()
    await owner.get_by_role("tab", name="Teams").click()
    form = owner.get_by_role("form", name="New team")
    await form.get_by_label("New team").fill(TEAM)
    await form.get_by_label("Description").fill("Candidates who write at night, every day")
    await form.get_by_role("button", name="Create team").click()
    row = owner.get_by_role("row", name=re.compile(f"^{TEAM}"))
    await row.get_by_role("button", name=f"Members of {TEAM}").click()
    dialog = owner.get_by_role("dialog", name=f"Members of {TEAM}")
    for (_, name), languages in (
        (TOMAS, ("Brazilian Portuguese", "English")),
        (LAN, ("Vietnamese",)),
    ):
        await dialog.get_by_role("textbox", name="Add an agent").click()
        await owner.get_by_role("option", name=name, exact=True).click()
        await dialog.get_by_role("button", name="Add", exact=True).click()
        member = dialog.get_by_role("listitem", name=name)
        await expect(member).to_be_visible()
        for language in languages:
            await dialog.get_by_role("textbox", name=f"Languages {name} speaks").click()
            await owner.get_by_role("option", name=language, exact=True).click()
            await owner.keyboard.press("Escape")
            await expect(member).to_contain_text(language)
    await owner.screenshot(path=str(screenshots / "first-day-team.png"))
    await dialog.get_by_role("button", name="Close").click()

    await owner.get_by_role("tab", name="Routing").click()
    await owner.get_by_role("textbox", name="Team", exact=True).click()
    await owner.get_by_role("option", name=TEAM, exact=True).click()
    by_language = owner.get_by_role("switch", name="Route by language")
    await by_language.check(force=True)  # the track drawn over the input takes the click
    await owner.get_by_role("button", name="Save team routing").click()
    await expect(owner.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    # The workspace keeps the client teams' office hours; the night team is always open.
    await owner.get_by_role("tab", name="Business hours").click()
    await owner.get_by_role("textbox", name="Hours for").click()
    await owner.get_by_role("option", name=TEAM, exact=True).click()
    await owner.get_by_role("switch", name="Use the workspace's hours").uncheck(force=True)
    await owner.get_by_role("switch", name="Keep business hours").uncheck(force=True)
    await owner.get_by_role("button", name="Save hours").click()
    await expect(
        owner.get_by_role("status").filter(has_text="Business hours saved.")
    ).to_be_visible()
    await expect(owner.get_by_role("status", name="Now")).to_contain_text("Always open")


async def connect_the_channels(owner: Page, whatsapp: str) -> str:
    """The website chat connected to the team, asking the visitor's name; the WhatsApp number
    moved to the team. The snippet to paste on the website."""
    await owner.get_by_role("tab", name="Channels").click()
    await owner.get_by_role("button", name="Connect a channel").click()
    connect = owner.get_by_role("dialog", name="Connect a channel")
    await connect.get_by_role("button", name="Website chat").click()
    form = connect.get_by_role("form", name="Connect a website chat")
    await form.get_by_label("New website chat").fill("Night careers chat")
    await form.get_by_role("textbox", name="Team").click()
    await owner.get_by_role("option", name=TEAM, exact=True).click()
    await form.get_by_role("checkbox", name="Ask the visitor's name before the chat").check()
    await form.get_by_role("button", name="Add", exact=True).click()
    snippet = connect.get_by_text(re.compile(r"^<script src=.*widget\.js"))
    await expect(snippet).to_be_visible()
    code = await snippet.inner_text()
    await connect.get_by_role("button", name="Close").click()

    table = owner.get_by_role("table", name="Channels")
    await table.get_by_role("button", name=whatsapp).click()
    card = owner.get_by_role("region", name=whatsapp)
    await card.get_by_role("textbox", name="Team").click()
    await owner.get_by_role("option", name=TEAM, exact=True).click()
    await owner.get_by_role("dialog", name=whatsapp).get_by_role("button", name="Close").click()
    await expect(
        table.get_by_role("row", name=re.compile(f"^{re.escape(whatsapp)}"))
    ).to_contain_text(TEAM)
    return code


# Loading the demo plays two weeks of history through the product's actions: most of the time.
@pytest.mark.timeout(600)
async def test_a_contact_centre_s_first_day(
    live: Live,
    demo: Connected,
    job_runner: JobRunner,
    fake_graph: FakeGraph,
    careers_site: dict[str, str],
    browser: Browser,
    screenshots: Path,
) -> None:
    runtime: Runtime = live.app.state.runtime
    started = time.monotonic()
    tomas_id, lan_id = await user_id(runtime, TOMAS[0]), await user_id(runtime, LAN[0])
    api = await signed_in_api(live, runtime, OWNER_EMAIL)
    async with runtime.database.read_session() as db:
        whatsapp = await db.scalar(
            select(Conversation.channel_id).where(Conversation.channel_id == demo.channel_id)
        )
        number_name = await db.scalar(select(Channel.name).where(Channel.id == demo.channel_id))
    assert whatsapp is not None
    assert number_name is not None

    # 1. The owner sets up the night team and its channels from the app.
    owner = await sign_in(browser, live, OWNER_EMAIL)
    await set_up_the_team(owner, screenshots)
    snippet = await connect_the_channels(owner, number_name)
    team = await team_id(runtime)
    assert await queue_and_inbox_agree(owner, api, team) == []

    # A Vietnamese candidate writes on WhatsApp before anyone is online: they wait, told so in
    # Vietnamese, and the queue page and the inbox both list them.
    now = int(runtime.clock.now().timestamp())
    hello = text_webhook(
        demo.number,
        "5511966660042",
        "Nguyễn Văn Minh",
        "Xin chào, tôi muốn ứng tuyển vị trí công nhân ca đêm. Công ty còn tuyển không ạ?",
        timestamp=now,
    )
    posted = await fake_graph.post_webhook(
        str(demo.number.webhook_url), hello, demo.number.app_secret
    )
    assert posted.status_code == 200, posted.text
    await jobs_done(runtime)
    minh = await conversation_of(runtime, demo.channel_id)
    assert (minh.team_id, minh.assignee_id) == (team, None)
    assert await queue_and_inbox_agree(owner, api, team) == ["Nguyễn Văn Minh"]
    told = [s["text"]["body"] for s in fake_graph.sent if s.get("type") == "text"]
    assert told, "no automatic message went to WhatsApp"
    assert told[-1].startswith("Hiện chưa có nhân viên nào sẵn sàng"), told

    # 2. Lan comes online: Minh is hers, greeted in Vietnamese by his given name.
    lan_speaks = await language_of(runtime, LAN[0])
    lan = await sign_in(browser, live, LAN[0], lan_speaks)
    await go_online(lan, lan_speaks)
    await jobs_done(runtime)
    assert (await conversation_of(runtime, demo.channel_id)).assignee_id == lan_id
    told = [s["text"]["body"] for s in fake_graph.sent if s.get("type") == "text"]
    assert told[-1].startswith("Chào Minh! Bạn đang trò chuyện với Lan"), told
    assert await queue_and_inbox_agree(owner, api, team) == []
    tomas_speaks = await language_of(runtime, TOMAS[0])
    tomas = await sign_in(browser, live, TOMAS[0], tomas_speaks)
    await go_online(tomas, tomas_speaks)

    # 3. A Brazilian visitor on the careers website gives her name and writes in Portuguese.
    careers_site["snippet"] = snippet
    visitor_context = await browser.new_context(locale="pt-BR")
    site = await visitor_context.new_page()
    await site.goto(f"http://{careers_site['host']}{CAREERS}")
    await site.get_by_role("button", name="Abrir chat").click()
    panel = site.get_by_role("dialog", name="Fale conosco")
    await panel.get_by_label("Seu nome").fill("Renata Alves")
    await panel.get_by_role("button", name="Iniciar conversa").click()
    composer = panel.get_by_role("textbox", name="Escreva uma mensagem…")
    await composer.fill("Boa noite! Vocês ainda têm vagas de operadora de caixa no turno da noite?")
    await composer.press("Enter")
    greeting = panel.get_by_text(re.compile(r"^Olá, Renata! Agora você está falando com Tomás;"))
    await expect(greeting).to_be_visible(timeout=LIVE)
    await site.screenshot(path=str(screenshots / "first-day-widget-greeting.png"))
    await jobs_done(runtime)
    async with runtime.database.read_session() as db:
        chat = await db.scalar(select(Channel.id).where(Channel.name == "Night careers chat"))
    assert chat is not None
    renata = await conversation_of(runtime, chat)
    assert (renata.team_id, renata.assignee_id) == (team, tomas_id)
    assert await queue_and_inbox_agree(owner, api, team) == []

    # Another Portuguese speaker writes from his phone's browser: Tomás again, not Lan.
    async with httpx.AsyncClient(base_url=f"{live.http_url}/api/widget/v1") as visitor:
        r = await visitor.post(
            f"/channels/{chat}/sessions", json={"name": "Carlos Mendes", "locale": "pt-BR"}
        )
        assert r.status_code == 200, r.text
        visitor.headers["X-Visitor-Token"] = r.json()["visitor_token"]
        r = await visitor.post(
            "/messages",
            json={
                "body": "Oi, a vaga de repositor é para o turno da noite?",
                "client_message_id": "c1",
            },
        )
        assert r.status_code == 201, r.text
        carlos = uuid.UUID(r.json()["conversation_id"])
    await jobs_done(runtime)
    async with runtime.database.read_session() as db:
        assignee = await db.scalar(
            select(Conversation.assignee_id).where(Conversation.id == carlos)
        )
        decisions = (
            await db.execute(
                select(Assignment.rule, Assignment.strategy, Assignment.candidates).where(
                    Assignment.conversation_id == carlos
                )
            )
        ).all()
        language = await db.scalar(
            select(Contact.language).join(Conversation).where(Conversation.id == carlos)
        )
    assert assignee == tomas_id, (language, decisions)
    assert await queue_and_inbox_agree(owner, api, team) == []

    # 4. Tomás closes Renata's conversation from his inbox and lands on the next of the view.
    await tomas.get_by_role("link", name=re.compile("^Renata Alves ")).click()
    await expect(tomas.get_by_role("heading", name="Renata Alves", level=2)).to_be_visible()
    log = tomas.get_by_role("log")
    await expect(log.get_by_text("turno da noite")).to_be_visible()
    # His view ("Mine", open), as his app lists it: the next is the one below, else above.
    his = await signed_in_api(live, runtime, TOMAS[0])
    listed = (
        await his.get("/api/v1/conversations", params={"view": "mine", "status": "open"})
    ).json()
    await his.aclose()
    mine = [c["id"] for c in listed["items"]]
    assert str(carlos) in mine
    at = mine.index(str(renata.id))
    then = mine[at + 1] if at + 1 < len(mine) else mine[at - 1]
    await tomas.get_by_role("button", name=WORDS[tomas_speaks]["close"], exact=True).click()
    await expect(tomas).to_have_url(f"{live.http_url}/conversations/{then}", timeout=LIVE)
    await tomas.screenshot(path=str(screenshots / "first-day-next-conversation.png"))

    # 5. Lan signs out; the owner mentions her in a note on Minh's conversation; she signs in
    # again and finds it in her bell.
    await lan.get_by_role("button", name=LAN[1]).click()
    await lan.get_by_role("menuitem", name=SIGN_OUT[lan_speaks]).click()
    await expect(lan.get_by_label("Email")).to_be_visible()
    r = await api.post(
        f"/api/v1/conversations/{minh.id}/notes",
        json={"body": "@Lan he can start on Monday night", "mention_user_ids": [str(lan_id)]},
    )
    assert r.status_code == 201, r.text
    lan = await sign_in(browser, live, LAN[0], lan_speaks)
    bell = lan.get_by_role("button", name=re.compile(WORDS[lan_speaks]["bell"] + r": \d+ "))
    await expect(bell).to_be_visible()
    await bell.click()
    listed = lan.get_by_role("dialog", name=WORDS[lan_speaks]["bell"])
    await expect(listed.get_by_text(MENTIONED[lan_speaks], exact=True)).to_be_visible()
    await expect(listed.get_by_text("he can start on Monday night")).to_be_visible()
    await lan.screenshot(path=str(screenshots / "first-day-bell.png"))
    await api.aclose()
    assert time.monotonic() - started < 120  # the day itself, once the demo is loaded

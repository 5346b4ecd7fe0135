"""Full-text search: ranked hits with marked snippets, filters, keyset pages, the inbox's
visibility, diacritics folded in Portuguese and Vietnamese, and the index kept in step with
every write (SQL triggers) on both databases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx

from frontdesk.core.runtime import Runtime
from tests.conftest import World
from tests.factories import Factory

URL = "/api/v1/search"


async def conversation(
    runtime: Runtime, world: World, body: str, *, team: str | None = None, days_ago: int = 0
) -> str:
    """A conversation of Erin's on WhatsApp whose first message is `body`."""
    acme = world.acme
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        conv = await f.conversation(
            acme.workspace,
            acme.channels["whatsapp"],
            acme.contacts["erin"],
            team=acme.teams[team] if team else None,
            body=body,
            at=runtime.clock.now() - timedelta(days=days_ago),
        )
        await s.commit()
    return str(conv.id)


async def found(client: httpx.AsyncClient, q: str, **params: Any) -> list[dict[str, Any]]:
    r = await client.get(URL, params={"q": q, **params})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


def text(hit: dict[str, Any]) -> str:
    return "".join(part["text"] for part in hit["snippet"])


def marked(hit: dict[str, Any]) -> list[str]:
    return [part["text"].lower() for part in hit["snippet"] if part["hit"]]


async def test_hits_come_ranked_with_their_words_marked_as_plain_text(
    runtime: Runtime, world: World
) -> None:
    once = await conversation(
        runtime, world, "Hello, a question about my contract, the refund and the dates I asked"
    )
    often = await conversation(runtime, world, "Refund! refund please, refund")
    markup = await conversation(runtime, world, "<b>refund</b> <img src=x onerror=alert(1)>")
    hits = await found(world.client("alice"), "refund")
    assert [h["conversation_id"] for h in hits][:1] == [often]
    assert {h["conversation_id"] for h in hits} == {once, often, markup}
    first = hits[0]
    assert (first["kind"], first["contact_name"]) == ("message", "Erin")
    assert (first["channel"]["type"], first["conversation_status"]) == ("whatsapp", "open")
    assert marked(first) == ["refund", "refund", "refund"]
    tagged = next(h for h in hits if h["conversation_id"] == markup)
    assert "refund</b> <img src=x onerror=alert" in text(tagged)
    assert marked(tagged) == ["refund"]


async def test_accents_are_optional_in_portuguese_and_vietnamese(
    runtime: Runtime, world: World
) -> None:
    pt = await conversation(runtime, world, "Ainda não recebi a minha encomenda")
    vi = await conversation(runtime, world, "Tôi muốn học tiếng Việt, đúng không?")
    alice = world.client("alice")
    assert [h["conversation_id"] for h in await found(alice, "nao recebi")] == [pt]
    assert [h["conversation_id"] for h in await found(alice, "encomenda NÃO")] == [pt]
    hits = await found(alice, '"tieng viet"')
    assert [h["conversation_id"] for h in hits] == [vi]
    assert " ".join(marked(hits[0])).split() == ["tiếng", "việt"]
    assert [h["conversation_id"] for h in await found(alice, "dung khong")] == [vi]
    assert await found(alice, '"viet tieng"') == []


async def test_web_search_syntax_or_and_leaving_words_out(runtime: Runtime, world: World) -> None:
    apples = await conversation(runtime, world, "apples are sweet")
    pears = await conversation(runtime, world, "pears are sweet")
    alice = world.client("alice")
    assert {h["conversation_id"] for h in await found(alice, "apples or pears")} == {
        apples,
        pears,
    }
    assert [h["conversation_id"] for h in await found(alice, "sweet -apples")] == [pears]
    # Nothing typed is read as the engine's own syntax.
    assert await found(alice, "sweet NEAR( AND* ^x") == []


async def test_notes_and_contacts_and_the_kind_filter(world: World) -> None:
    alice = world.client("alice")
    conv = world.acme.conversations["frank_unassigned"].id
    r = await alice.post(
        f"/api/v1/conversations/{conv}/notes", json={"body": "Frank prefers invoices by post"}
    )
    assert r.status_code == 201, r.text
    note = r.json()["id"]
    hits = await found(alice, "frank")
    assert {(h["kind"], h["message_id"]) for h in hits} == {
        ("note", note),
        ("contact", None),
    }
    contact = next(h for h in hits if h["kind"] == "contact")
    assert contact["contact_id"] == str(world.acme.contacts["frank"].id)
    assert (contact["conversation_id"], contact["channel"]) == (None, None)
    assert [h["kind"] for h in await found(alice, "frank", kind="note")] == ["note"]
    # An email address, a phone number by its digits, an identity's provider id.
    by_email = await found(alice, "frank@example.com", kind="contact")
    assert [h["contact_name"] for h in by_email] == ["Frank"]
    assert [h["contact_name"] for h in await found(alice, "60123456789")] == ["Erin"]
    assert await found(alice, "invoices", kind="contact") == []


async def test_filters_by_channel_team_agent_status_and_time(
    runtime: Runtime, world: World
) -> None:
    acme = world.acme
    old = await conversation(runtime, world, "the parcel is late", team="sales", days_ago=40)
    support = str(acme.conversations["erin_support"].id)
    r = await world.client("bob").post(
        f"/api/v1/conversations/{support}/messages",
        json={"body": "Your parcel left today", "client_message_id": "parcel-1"},
    )
    assert r.status_code == 201, r.text
    alice = world.client("alice")

    async def ids(**params: Any) -> set[str]:
        return {h["conversation_id"] for h in await found(alice, "parcel", **params)}

    assert await ids() == {old, support}
    assert await ids(team_id=str(acme.teams["sales"].id)) == {old}
    assert await ids(assignee_id=str(acme.members["bob"].id)) == {support}
    assert await ids(channel_id=str(acme.channels["email"].id)) == set()
    assert await ids(status=["closed"]) == set()
    week_ago = (runtime.clock.now() - timedelta(days=7)).isoformat()
    assert await ids(since=week_ago) == {support}
    assert await ids(until=week_ago) == {old}


async def test_keyset_pages_cover_every_hit_once_in_rank_order(
    runtime: Runtime, world: World
) -> None:
    for n in range(5):
        await conversation(runtime, world, "ticket " * (n + 1) + f"number {n}")
    alice = world.client("alice")
    everything = [h["message_id"] for h in await found(alice, "ticket", limit=10)]
    assert len(everything) == 5
    pages: list[str] = []
    cursor: str | None = None
    for _ in range(3):
        params: dict[str, Any] = {"q": "ticket", "limit": 2}
        if cursor:
            params["cursor"] = cursor
        body = (await alice.get(URL, params=params)).json()
        pages += [h["message_id"] for h in body["items"]]
        cursor = body["next_cursor"]
    assert (pages, cursor) == (everything, None)


async def test_agents_find_only_what_their_inbox_shows(runtime: Runtime, world: World) -> None:
    sales = str(world.acme.conversations["erin_sales"].id)
    assert await found(world.client("bob"), "openings") == []
    assert [h["conversation_id"] for h in await found(world.client("carol"), "openings")] == [sales]
    assert await found(world.client("oscar"), "openings") == []
    assert await found(world.client("oscar"), "frank") == []
    assert [h["contact_name"] for h in await found(world.client("olive"), "olga")] == ["Olga"]


async def test_whispers_are_never_found(world: World) -> None:
    conv = world.acme.conversations["erin_support"].id
    r = await world.client("alice").post(
        f"/api/v1/conversations/{conv}/whispers", json={"body": "quietly coach the refund"}
    )
    assert r.status_code == 201, r.text
    assert await found(world.client("alice"), "coach") == []
    assert await found(world.client("bob"), "coach") == []


async def test_the_index_follows_edits_of_contacts(world: World) -> None:
    alice = world.client("alice")
    erin = world.acme.contacts["erin"].id
    r = await alice.patch(f"/api/v1/contacts/{erin}", json={"name": "Erin Nguyễn"})
    assert r.status_code == 200, r.text
    assert [h["contact_name"] for h in await found(alice, "nguyen", kind="contact")] == [
        "Erin Nguyễn"
    ]
    r = await alice.patch(f"/api/v1/contacts/{erin}", json={"name": "Erin Souza"})
    assert r.status_code == 200, r.text
    assert await found(alice, "nguyen") == []


async def test_bad_searches_are_refused_clearly(world: World) -> None:
    alice = world.client("alice")
    for params in (
        {"q": ""},
        {"q": "   "},
        {"q": "?!"},
        {"q": "-alone"},
        {"q": "x" * 201},
        {"q": " ".join(["word"] * 17)},
        {"q": "hello", "cursor": "not-a-cursor"},
        {"q": "hello", "since": "2026-02-01T00:00:00Z", "until": "2026-01-01T00:00:00Z"},
        {"q": "hello", "kind": "whisper"},
    ):
        r = await alice.get(URL, params=params)
        assert r.status_code == 422, (params, r.text)
    r = await alice.get(URL)
    assert r.status_code == 422


async def test_a_client_viewer_finds_its_client_s_messages_and_contacts_only(
    world: World,
) -> None:
    acme = world.acme
    vera = world.persona("vera")
    support = acme.teams["support"].id
    alice = world.client("alice")
    r = await alice.patch(
        f"/api/v1/members/{vera.id}", json={"client_scope": {"team_ids": [str(support)]}}
    )
    assert r.status_code == 200, r.text
    conv = acme.conversations["erin_support"].id
    r = await world.client("bob").post(
        f"/api/v1/conversations/{conv}/notes", json={"body": "job ad budget is internal"}
    )
    assert r.status_code == 201, r.text
    client = world.client("vera")
    assert [(h["kind"], h["conversation_id"]) for h in await found(client, "job ad")] == [
        ("message", str(conv))
    ]
    assert await found(client, "openings") == []
    assert [h["contact_name"] for h in await found(client, "erin frank", kind="contact")] == []
    assert [h["contact_name"] for h in await found(client, "erin or frank")] == ["Erin"]

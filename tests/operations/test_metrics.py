"""/metrics as a scraper sees it: off without a token, refused without the right one, and the
counts of real requests, webhooks, routing decisions and the job queue."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from frontdesk.app import attach_runtime
from frontdesk.core.runtime import Runtime
from frontdesk.settings import Settings
from tests.api.test_routing import chat_team, run_jobs, set_state, visitor_writes
from tests.conftest import World

TOKEN = "scrape-token-" + "m" * 20


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def scraped(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def with_token(app: FastAPI, settings: Settings, runtime: Runtime) -> None:
    scraped_settings = settings.model_copy(update={"metrics_token": TOKEN})
    attach_runtime(app, scraped_settings, runtime, run_jobs=False)


async def test_metrics_are_off_without_a_token_and_refused_without_the_right_one(
    app: FastAPI, settings: Settings, runtime: Runtime, anon: httpx.AsyncClient
) -> None:
    assert (await anon.get("/metrics")).status_code == 404
    with_token(app, settings, runtime)
    assert (await anon.get("/metrics")).status_code == 401
    wrong = await anon.get("/metrics", headers={"Authorization": "Bearer " + "x" * 33})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"].startswith("Bearer")
    right = await anon.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code == 200
    assert right.headers["content-type"].startswith("text/plain")
    assert "frontdesk_http_requests_total" in right.text


async def test_requests_are_counted_by_route_template_and_carry_a_request_id(
    anon: httpx.AsyncClient,
) -> None:
    route = ("/api/v1/conversations/{conversation_id}", "GET", "401")
    before = sample("frontdesk_http_requests_total", route=route[0], method="GET", status="401")
    latency_before = sample(
        "frontdesk_http_request_duration_seconds_count", route=route[0], method="GET"
    )
    first = await anon.get("/api/v1/conversations/1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    kept = await anon.get(
        "/api/v1/conversations/1b4e28ba-2fa1-11d2-883f-0016d3cca428",
        headers={"X-Request-Id": "edge-42.abc"},
    )
    odd = await anon.get("/healthz", headers={"X-Request-Id": "has spaces; and more"})
    after = sample("frontdesk_http_requests_total", route=route[0], method="GET", status="401")
    assert after - before == 2
    latency = sample("frontdesk_http_request_duration_seconds_count", route=route[0], method="GET")
    assert latency - latency_before == 2
    assert len(first.headers["x-request-id"]) == 32
    assert kept.headers["x-request-id"] == "edge-42.abc"
    assert odd.headers["x-request-id"] != "has spaces; and more"


async def test_webhook_acks_are_counted_by_provider_and_outcome(anon: httpx.AsyncClient) -> None:
    before = sample("frontdesk_webhook_acks_total", provider="telegram", outcome="refused")
    r = await anon.post("/webhooks/telegram/1b4e28ba-2fa1-11d2-883f-0016d3cca427", content=b"{}")
    assert 400 <= r.status_code < 500
    after = sample("frontdesk_webhook_acks_total", provider="telegram", outcome="refused")
    assert after - before == 1


async def test_a_scrape_shows_routing_decisions_and_the_job_queue(
    world: World, app: FastAPI, settings: Settings, runtime: Runtime
) -> None:
    channel = await chat_team(runtime, world)
    await set_state(world.client("bob"), "online")
    await set_state(world.client("carol"), "online")
    assigned = sample("frontdesk_routing_decisions_total", outcome="assigned", rule="strategy")
    await visitor_writes(world, channel, "Visitor", "Hello!")
    await run_jobs(runtime)
    now = sample("frontdesk_routing_decisions_total", outcome="assigned", rule="strategy")
    assert now - assigned == 1

    async with runtime.uow() as uow:  # two jobs due for a while, one for later
        for delay in (-90, -30, 3600):
            uow.enqueue("metrics.probe", {}, delay=timedelta(seconds=delay))
        await uow.commit()
    with_token(app, settings, runtime)
    async with world.bearer(TOKEN) as scraper:
        r = await scraper.get("/metrics")
    assert r.status_code == 200
    seen = scraped(r.text)
    assert seen[("frontdesk_jobs_due", (("kind", "metrics.probe"),))] == 2
    age = seen[("frontdesk_jobs_oldest_due_age_seconds", (("kind", "metrics.probe"),))]
    assert age == 90
    key = ("frontdesk_routing_decisions_total", (("outcome", "assigned"), ("rule", "strategy")))
    assert seen[key] == now

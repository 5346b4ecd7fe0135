"""Chat routes as the routing report counts them: a menu option offered to a conversation, an
agent's reply marking it handled, an agent sending it back to the menu (who, when, the time to
redirect), the figures per route and per agent within the report's filters, and who may
redirect (409 when no route workflow holds the conversation)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from frontdesk.core.clock import FrozenClock
from frontdesk.core.conversations.models import Message
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows import routes, runs
from frontdesk.core.workflows.models import RouteOffer, RunStatus, Workflow, WorkflowRun
from frontdesk.db.outbox import EventLogEntry
from frontdesk.jobs.reports import update_reports
from tests.api.test_reports_scenario import Visitor, ok, reply
from tests.conftest import World
from tests.factories import Factory
from tests.workflows.conftest import dispatch

DAY = "2026-01-05"
CPF_OK = "529.982.247-25"


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 5, hour, minute, tzinfo=UTC)


async def menu_workflow(world: World) -> str:
    """A published greeting menu: Jobs → Support, Interview → Sales, Recruiter → Support."""
    support, sales = str(world.acme.teams["support"].id), str(world.acme.teams["sales"].id)
    body = {
        "template": "greeting_menu",
        "language": "pt-BR",
        "parameters": {"jobs_team": support, "interview_team": sales, "recruiter_team": support},
    }
    async with world.client("alice") as alice:
        made = await ok(alice.post("/api/v1/workflows/from-template", json=body))
        await ok(alice.post(f"/api/v1/workflows/{made['id']}/publish", json={}))
    return str(made["id"])


async def offer(
    runtime: Runtime,
    workflow_id: str,
    conversation_id: uuid.UUID,
    route: tuple[str, str],
    team_id: uuid.UUID,
) -> None:
    """What the engine does when a run's menu pick assigns a team: a run holds the
    conversation and records the route."""
    async with runtime.uow() as uow:
        workflow = await uow.session.get(Workflow, uuid.UUID(workflow_id))
        assert workflow is not None
        run = await uow.session.scalar(
            select(WorkflowRun).where(
                WorkflowRun.workflow_id == workflow.id,
                WorkflowRun.conversation_id == conversation_id,
                WorkflowRun.status.in_(RunStatus.ACTIVE),
            )
        ) or await runs.start_run(
            uow, workflow=workflow, trigger={"type": "test"}, conversation_id=conversation_id
        )
        assert run is not None
        await routes.offer(uow, run=run, key=route[0], label=route[1], team_id=team_id)
        await uow.commit()


async def offers(runtime: Runtime) -> list[RouteOffer]:
    async with runtime.database.read_session() as s:
        return list(await s.scalars(select(RouteOffer).order_by(RouteOffer.route_key)))


async def routing(client: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    params = {"period": "custom", "start_date": DAY, "end_date": DAY, "tz": "UTC", **extra}
    return dict(await ok(client.get("/api/v1/reports/routing", params=params)))


async def test_offered_handled_redirected_and_the_report_per_route_and_agent(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    acme = world.acme
    erin, frank = acme.conversations["erin_support"], acme.conversations["frank_unassigned"]
    bob_id = str(acme.members["bob"].id)
    sales, support = acme.teams["sales"].id, acme.teams["support"].id
    clock.set(at(9))
    workflow_id = await menu_workflow(world)
    async with world.client("bob") as bob:
        await reply(bob, str(erin.id), "Before any route: not a handled one")
        clock.set(at(9, 10))
        await offer(runtime, workflow_id, erin.id, ("interview", "Entrevista"), sales)
        await offer(runtime, workflow_id, frank.id, ("jobs", "Vagas"), support)
        route = await ok(bob.get(f"/api/v1/conversations/{erin.id}/route"))
        assert route["can_redirect"] is True
        assert (route["offer"]["route_key"], route["offer"]["handled_at"]) == ("interview", None)
        clock.set(at(9, 12))
        await reply(bob, str(erin.id), "Olá! Vamos marcar sua entrevista.")
        await update_reports(runtime, {})
        clock.set(at(9, 15))
        r = await bob.post(f"/api/v1/conversations/{erin.id}/redirect")
        assert r.status_code == 204, r.text
        again = await bob.post(f"/api/v1/conversations/{erin.id}/redirect")
        after = await ok(bob.get(f"/api/v1/conversations/{erin.id}/route"))
    assert again.status_code == 409
    assert after["can_redirect"] is False
    assert after["offer"]["time_to_redirect"] == 300.0
    interview, jobs = await offers(runtime)  # by key
    assert (interview.handled_at, str(interview.agent_id)) == (at(9, 12), bob_id)
    assert (interview.redirected_at, str(interview.redirected_by_id)) == (at(9, 15), bob_id)
    assert (jobs.handled_at, jobs.redirected_at, jobs.agent_id) == (None, None, None)
    async with runtime.database.read_session() as s:
        kinds = list(
            await s.scalars(
                select(EventLogEntry.type)
                .where(EventLogEntry.type.like("workflow_route.%"))
                .order_by(EventLogEntry.id)
            )
        )
        # The engine took the conversation back: its run at the menu holds it now.
        held = await s.scalar(
            select(WorkflowRun).where(
                WorkflowRun.conversation_id == erin.id, WorkflowRun.status.in_(RunStatus.ACTIVE)
            )
        )
    assert kinds == [
        "workflow_route.offered",
        "workflow_route.offered",
        "workflow_route.handled",
        "workflow_route.redirected",
    ]
    assert held is not None
    assert held.trigger["type"] == "redirect"

    async with world.client("dave") as dave:
        body = await routing(dave)
        by_bob = await routing(dave, agent_id=bob_id)
        sales_only = await routing(dave, team_id=str(acme.teams["sales"].id))
        next_day = await routing(dave, start_date="2026-01-06", end_date="2026-01-06")
    by_key = {row["key"]: row for row in body["chat_routes"]}
    assert by_key["interview"] | {"time_to_redirect": None} == {
        "key": "interview",
        "label": "Entrevista",
        "offered": 1,
        "handled": 1,
        "redirected": 1,
        "previous_offered": 0,
        "time_to_redirect": None,
    }
    assert by_key["interview"]["time_to_redirect"]["median"] == 300.0
    assert (by_key["jobs"]["offered"], by_key["jobs"]["handled"]) == (1, 0)
    agents = {row["id"]: row for row in body["chat_route_agents"]}
    assert (agents[bob_id]["offered"], agents[bob_id]["redirected"]) == (1, 1)
    assert agents[None]["offered"] == 1  # Frank's route reached nobody yet
    assert [r["key"] for r in by_bob["chat_routes"]] == ["interview"]
    assert [r["key"] for r in sales_only["chat_routes"]] == ["interview"]
    assert [(r["key"], r["offered"], r["previous_offered"]) for r in next_day["chat_routes"]] == [
        ("interview", 0, 1),
        ("jobs", 0, 1),
    ]


async def test_redirect_is_refused_when_nothing_holds_it_and_by_role(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    acme = world.acme
    erin = acme.conversations["erin_support"]
    async with world.client("bob") as bob:
        nothing = await bob.post(f"/api/v1/conversations/{erin.id}/redirect")
        route = await ok(bob.get(f"/api/v1/conversations/{erin.id}/route"))
    assert nothing.status_code == 409
    assert route == {"offer": None, "can_redirect": False}
    workflow_id = await menu_workflow(world)
    await offer(runtime, workflow_id, erin.id, ("interview", "Entrevista"), acme.teams["sales"].id)
    async with world.client("vera") as vera:
        viewer = await vera.post(f"/api/v1/conversations/{erin.id}/redirect")
    async with world.client("carol") as carol:
        other_team = await carol.post(f"/api/v1/conversations/{erin.id}/redirect")
    assert (viewer.status_code, other_team.status_code) == (403, 404)
    [row] = await offers(runtime)
    assert row.redirected_at is None
    async with world.client("alice") as alice:
        paused = await alice.post(f"/api/v1/workflows/{workflow_id}/pause")
        assert paused.status_code in (200, 201), paused.text
        while_paused = await alice.post(f"/api/v1/conversations/{erin.id}/redirect")
        await alice.post(f"/api/v1/workflows/{workflow_id}/resume")
        owner = await alice.post(f"/api/v1/conversations/{erin.id}/redirect")
    assert (while_paused.status_code, owner.status_code) == (409, 204)


async def test_a_website_customer_picks_the_interview_is_answered_and_sent_back_to_the_menu(
    world: World, runtime: Runtime, clock: FrozenClock
) -> None:
    """Through the engine: the template's menu, its route offered by the run's assign step,
    Carol's reply marking it handled, and her redirect starting the menu again."""
    acme = world.acme
    clock.set(at(10))
    async with runtime.database.write_session() as s:
        channel = await Factory(s, clock.now()).channel(acme.workspace, "webchat", "Site chat")
        await s.commit()
    await dispatch(runtime)  # the dispatcher starts at the log's end
    await menu_workflow(world)
    gabi = Visitor(world, channel.id, "Gabi")
    conversation_id = await gabi.writes("Olá")
    await dispatch(runtime)
    await gabi.writes("2")
    await dispatch(runtime)
    await gabi.writes(CPF_OK)
    await dispatch(runtime)
    [offered] = await offers(runtime)
    assert (offered.route_key, offered.route_label) == ("interview", "Entrevista")
    assert offered.team_id == acme.teams["sales"].id
    clock.set(at(10, 5))
    async with world.client("carol") as carol:
        await reply(carol, conversation_id, "Oi Gabi! Vamos marcar sua entrevista.")
        await update_reports(runtime, {})
        clock.set(at(10, 8))
        r = await carol.post(f"/api/v1/conversations/{conversation_id}/redirect")
        assert r.status_code == 204, r.text
    await dispatch(runtime)
    [row] = await offers(runtime)
    assert (row.handled_at, row.agent_id) == (at(10, 5), acme.members["carol"].id)
    assert row.redirected_at == at(10, 8)
    async with runtime.database.read_session() as s:
        menus = list(
            await s.scalars(
                select(Message.body)
                .where(
                    Message.conversation_id == uuid.UUID(conversation_id),
                    Message.sender_type == "bot",
                    Message.body.like("Olá%"),
                )
                .order_by(Message.created_at, Message.id)
            )
        )
    assert len(menus) == 2  # the menu again, after the redirect
    assert menus[0].endswith("3 Falar com recrutador")
    async with world.client("dave") as dave:
        body = await routing(dave)
    [interview] = body["chat_routes"]
    assert (interview["offered"], interview["handled"], interview["redirected"]) == (1, 1, 1)
    assert interview["time_to_redirect"]["median"] == 480.0

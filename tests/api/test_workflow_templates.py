"""Workflow templates: each one passes the publish checks in every language; the list and the
workflows made from them speak the workspace's language; the teams picked are wired in, and a
route left without a team stays unconnected for the builder; bad input writes nothing."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from sqlalchemy import func, select

from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.models import Workflow
from frontdesk.core.workflows.templates import TEMPLATES, Values, build_definition
from frontdesk.core.workflows.versions import definition_problems
from frontdesk.db.outbox import EventLogEntry
from tests.conftest import World

API = "/api/v1/workflows"
LANGUAGES = ("en", "pt-BR", "vi")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_passes_the_publish_checks(language: str) -> None:
    for key, template in TEMPLATES.items():
        ids = {p.key: str(uuid.uuid4()) for p in template.parameters if p.kind != "keywords"}
        definition = Definition.model_validate(build_definition(key, language, Values(ids=ids)))
        assert definition.trigger.type == template.trigger
        assert definition_problems(definition) == [], key


def _steps(workflow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in workflow["draft"]["steps"]}


async def _count(runtime: Runtime, model: Any) -> int:
    async with runtime.database.read_session() as s:
        return int(await s.scalar(select(func.count()).select_from(model)) or 0)


async def test_the_list_speaks_the_workspace_language_or_the_one_asked(world: World) -> None:
    async with world.client("bob") as bob:
        english = (await bob.get("/api/v1/workflow-templates")).json()
        vietnamese = (await bob.get("/api/v1/workflow-templates?language=vi")).json()
    assert [t["key"] for t in english] == list(TEMPLATES)
    menu = english[0]
    assert (menu["name"], menu["trigger"]) == ("Greeting menu", "conversation_opened")
    assert [(p["key"], p["kind"], p["required"]) for p in menu["parameters"]] == [
        ("jobs_team", "team", False),
        ("interview_team", "team", False),
        ("recruiter_team", "team", False),
    ]
    assert vietnamese[0]["name"] == "Menu chào mừng"
    async with world.client("alice") as alice:
        r = await alice.patch("/api/v1/workspaces/current", json={"default_language": "pt-BR"})
        assert r.status_code == 200, r.text
        portuguese = (await alice.get("/api/v1/workflow-templates")).json()
    assert portuguese[0]["name"] == "Menu de boas-vindas"
    assert portuguese[0]["parameters"][0]["label"] == "Equipe para “Vagas”"


async def test_a_greeting_menu_made_with_its_teams_is_published_as_it_is(
    world: World, runtime: Runtime
) -> None:
    acme = world.acme
    support, sales = str(acme.teams["support"].id), str(acme.teams["sales"].id)
    body = {
        "template": "greeting_menu",
        "language": "pt-BR",
        "parameters": {"jobs_team": support, "interview_team": sales, "recruiter_team": support},
    }
    async with world.client("dave") as dave:
        r = await dave.post(f"{API}/from-template", json=body)
        assert r.status_code == 201, r.text
        made = r.json()
        checked = (await dave.post(f"{API}/{made['id']}/validate")).json()
        published = await dave.post(f"{API}/{made['id']}/publish", json={"note": "first"})
    assert (made["name"], made["template"], made["status"]) == (
        "Menu de boas-vindas",
        "greeting_menu",
        "draft",
    )
    steps = _steps(made)
    menu = steps["menu"]["config"]
    assert menu["text"].endswith("1 Vagas\n2 Entrevista\n3 Falar com recrutador")
    assert [(o["id"], o["route"]["label"]) for o in menu["options"]] == [
        ("jobs", "Vagas"),
        ("interview", "Entrevista"),
        ("recruiter", "Falar com recrutador"),
    ]
    # A wrong answer re-shows the menu; the interview asks for the CPF before its team.
    assert steps["menu"]["next"]["invalid"] == "not_understood"
    assert steps["back_to_menu"]["config"] == {"target": "menu"}
    assert steps["ask_cpf"]["next"]["reply"] == "assign_interview"
    assert steps["assign_interview"]["config"]["team_id"] == sales
    assert steps["assign_jobs"]["config"]["team_id"] == support
    assert checked == {"is_valid": True, "problems": []}
    assert published.status_code == 201, published.text
    async with runtime.database.read_session() as s:
        changes = await s.scalars(
            select(EventLogEntry.payload)
            .where(EventLogEntry.type == "workflow.changed")
            .order_by(EventLogEntry.id)
        )
        assert [c["change"] for c in changes] == ["created", "published"]


async def test_a_route_without_its_team_is_left_for_the_builder_to_flag(world: World) -> None:
    body = {"template": "greeting_menu", "parameters": {"interview_team": ""}}
    async with world.client("alice") as alice:
        made = (await alice.post(f"{API}/from-template", json=body)).json()
        checked = (await alice.post(f"{API}/{made['id']}/validate")).json()
        refused = await alice.post(f"{API}/{made['id']}/publish", json={})
    assert made["name"] == "Greeting menu"
    assert "assign_jobs" not in _steps(made)
    dangling = {(p["step_id"], p["outlet"]) for p in checked["problems"]}
    assert {("menu", "jobs"), ("menu", "recruiter"), ("ask_cpf", "reply")} <= dangling
    assert refused.status_code == 422


async def test_keyword_route_takes_its_keywords_and_team(world: World) -> None:
    body = {
        "template": "keyword_route",
        "name": "CV keyword",
        "parameters": {
            "team": str(world.acme.teams["sales"].id),
            "keywords": ["currículo", " cv ", "cv"],
        },
    }
    async with world.client("alice") as alice:
        r = await alice.post(f"{API}/from-template", json=body)
    assert r.status_code == 201, r.text
    made = r.json()
    trigger = made["draft"]["trigger"]
    assert (made["name"], trigger["type"]) == ("CV keyword", "message_received")
    assert trigger["config"]["keywords"] == ["currículo", "cv"]
    assert trigger["config"]["route"]["key"] == "currículo"
    assert _steps(made)["assign_team"]["config"]["team_id"] == str(world.acme.teams["sales"].id)


async def test_bad_input_is_refused_and_writes_nothing(world: World, runtime: Runtime) -> None:
    foreign_team = str(world.other.teams["desk"].id)  # no team, and no tag, of acme's
    cases: list[tuple[dict[str, Any], str]] = [
        ({"template": "no_such"}, "template"),
        ({"template": "least_open"}, "parameters.team"),
        ({"template": "least_open", "parameters": {"team": "not-an-id"}}, "parameters.team"),
        ({"template": "least_open", "parameters": {"team": foreign_team}}, "parameters.team"),
        ({"template": "least_open", "parameters": {"colour": "red"}}, "parameters.colour"),
        ({"template": "keyword_route", "parameters": {"keywords": ["  "]}}, "parameters.keywords"),
        (
            {"template": "vip_to_owner", "parameters": {"vip_tag": foreign_team}},
            "parameters.vip_tag",
        ),
    ]
    async with world.client("alice") as alice:
        for body, field in cases:
            r = await alice.post(f"{API}/from-template", json=body)
            assert r.status_code == 422, r.text
            assert r.json()["error"]["details"]["field"] == field
    mine = {"template": "least_open", "parameters": {"team": str(world.acme.teams["sales"].id)}}
    async with world.client("bob") as bob:
        agent = await bob.post(f"{API}/from-template", json=mine)
    assert agent.status_code == 403
    assert await _count(runtime, Workflow) == 0

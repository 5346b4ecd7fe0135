"""Per-team supervision: a team lead supervises their own teams only (wallboard, raised hands,
monitor, take over); owners and managers every team. Monitoring is audited and refused to
agents and viewers."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from frontdesk.core.audit.models import AuditLogEntry
from frontdesk.core.runtime import Runtime
from tests.conftest import World


def ids(world: World) -> dict[str, str]:
    a = world.acme
    return {
        "support": str(a.teams["support"].id),
        "sales": str(a.teams["sales"].id),
        "erin_support": str(a.conversations["erin_support"].id),
        "erin_sales": str(a.conversations["erin_sales"].id),
        **{name: str(p.id) for name, p in a.members.items()},
    }


async def carol_leads_sales(world: World) -> dict[str, str]:
    """Carol leads Sales and works in Support; Bob works in both."""
    i, alice = ids(world), world.client("alice")
    for team in ("support", "sales"):
        body = {"user_ids": [i["bob"], i["carol"]]}
        assert (await alice.put(f"/api/v1/teams/{i[team]}/members", json=body)).status_code == 200
    r = await alice.put(
        f"/api/v1/teams/{i['sales']}/members/{i['carol']}/supervisor", json={"is_supervisor": True}
    )
    assert r.status_code == 200, r.text
    return i


async def test_rights_say_what_each_member_supervises(world: World) -> None:
    i = await carol_leads_sales(world)
    answers = {
        name: (await world.client(name).get("/api/v1/supervision/rights")).json()
        for name in ("alice", "dave", "carol", "bob", "vera")
    }
    assert answers == {
        "alice": {"all_teams": True, "team_ids": []},
        "dave": {"all_teams": True, "team_ids": []},
        "carol": {"all_teams": False, "team_ids": [i["sales"]]},
        "bob": {"all_teams": False, "team_ids": []},
        "vera": {"all_teams": False, "team_ids": []},
    }


async def test_a_team_lead_sees_the_wallboard_of_their_teams_only(world: World) -> None:
    i = await carol_leads_sales(world)
    bob, carol = world.client("bob"), world.client("carol")
    for conv in ("erin_support", "erin_sales"):
        r = await bob.post(f"/api/v1/conversations/{i[conv]}/help", json={"note": conv})
        assert r.status_code == 204, r.text
    board = (await carol.get("/api/v1/wallboard")).json()
    assert [t["name"] for t in board["teams"]] == ["Sales"]
    assert sorted(a["name"] for a in board["agents"]) == ["Bob", "Carol"]
    assert [h["note"] for h in board["raised_hands"]] == ["erin_sales"]
    # She is told of the hand in her team, not of the other one.
    bell = (await carol.get("/api/v1/notifications")).json()["items"]
    assert [(n["kind"], n["conversation"]["id"]) for n in bell] == [("help", i["erin_sales"])]
    # Managers and viewers see every team; an agent who leads nothing sees no wallboard.
    everyone = (await world.client("dave").get("/api/v1/wallboard")).json()
    assert {t["name"] for t in everyone["teams"]} >= {"Sales", "Support"}
    assert len(everyone["raised_hands"]) == 2
    viewer = (await world.client("vera").get("/api/v1/wallboard")).json()
    assert len(viewer["raised_hands"]) == 2
    assert (await bob.get("/api/v1/wallboard")).status_code == 403


async def test_a_team_lead_takes_over_in_their_team_only(world: World) -> None:
    i = await carol_leads_sales(world)
    carol = world.client("carol")
    r = await carol.post(f"/api/v1/conversations/{i['erin_support']}/take-over", json={})
    assert r.status_code == 403, r.text
    r = await carol.post(
        f"/api/v1/conversations/{i['erin_sales']}/take-over", json={"note": "Mine now"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["assignee"]["name"] == "Carol"
    after = (await world.client("alice").get(f"/api/v1/conversations/{i['erin_support']}")).json()
    assert after["assignee"]["name"] == "Bob"


async def test_monitoring_is_for_supervisors_and_is_audited(world: World, runtime: Runtime) -> None:
    i = await carol_leads_sales(world)
    r = await world.client("dave").post(f"/api/v1/conversations/{i['erin_support']}/monitor")
    assert r.status_code == 200, r.text
    assert r.json()["id"] == i["erin_support"]
    r = await world.client("carol").post(f"/api/v1/conversations/{i['erin_sales']}/monitor")
    assert r.status_code == 200, r.text
    refused = {
        name: (await world.client(name).post(f"/api/v1/conversations/{conv}/monitor")).status_code
        for name, conv in (
            ("bob", i["erin_support"]),  # an agent
            ("vera", i["erin_support"]),  # a viewer
            ("carol", i["erin_support"]),  # a lead of another team
            ("oscar", i["erin_support"]),  # another workspace
        )
    }
    assert refused == {"bob": 403, "vera": 403, "carol": 403, "oscar": 404}
    async with runtime.database.read_session() as db:
        entries = list(
            await db.scalars(
                select(AuditLogEntry)
                .where(AuditLogEntry.action == "conversation.monitored")
                .order_by(AuditLogEntry.created_at, AuditLogEntry.id)
            )
        )
    assert sorted((str(e.actor_user_id), e.target_id) for e in entries) == sorted(
        [(i["dave"], i["erin_support"]), (i["carol"], i["erin_sales"])]
    )
    assert all(e.created_at is not None for e in entries)


async def test_making_a_team_lead_is_audited(world: World, runtime: Runtime) -> None:
    i = await carol_leads_sales(world)
    # Setting it again changes nothing (and writes nothing more).
    r = await world.client("alice").put(
        f"/api/v1/teams/{i['sales']}/members/{i['carol']}/supervisor", json={"is_supervisor": True}
    )
    assert r.status_code == 200, r.text
    async with runtime.database.read_session() as db:
        entries = list(
            await db.scalars(
                select(AuditLogEntry).where(AuditLogEntry.action == "team.supervisor_changed")
            )
        )
    assert [(e.target_id, e.details["user_id"], e.details["is_supervisor"]) for e in entries] == [
        (i["sales"], i["carol"], True)
    ]


@pytest.mark.parametrize(
    ("name", "team", "member", "body", "status"),
    [
        ("bob", "support", "bob", {"is_supervisor": True}, 403),  # agents do not name leads
        ("vera", "support", "bob", {"is_supervisor": True}, 403),
        ("alice", "support", "carol", {"is_supervisor": True}, 404),  # not in the team
        ("alice", "support", "bob", {"is_supervisor": "maybe"}, 422),
        ("alice", "support", "bob", {}, 422),
        ("oscar", "support", "bob", {"is_supervisor": True}, 404),
    ],
)
async def test_who_may_name_a_team_lead(
    world: World, name: str, team: str, member: str, body: dict[str, Any], status: int
) -> None:
    i = ids(world)
    r = await world.client(name).put(
        f"/api/v1/teams/{i[team]}/members/{i[member]}/supervisor", json=body
    )
    assert r.status_code == status, r.text
    got = (await world.client("alice").get(f"/api/v1/teams/{i[team]}")).json()
    assert not any(m["is_supervisor"] for m in got["members"])


async def test_a_lead_lowers_a_hand_in_their_team_only_and_it_is_audited(
    world: World, runtime: Runtime
) -> None:
    i = await carol_leads_sales(world)
    bob, carol = world.client("bob"), world.client("carol")
    for conv in ("erin_support", "erin_sales"):
        assert (await bob.post(f"/api/v1/conversations/{i[conv]}/help", json={})).status_code == 204
    assert (
        await carol.delete(f"/api/v1/conversations/{i['erin_support']}/help")
    ).status_code == 403
    assert (await carol.delete(f"/api/v1/conversations/{i['erin_sales']}/help")).status_code == 204
    board = (await world.client("dave").get("/api/v1/wallboard")).json()
    assert [h["conversation_id"] for h in board["raised_hands"]] == [i["erin_support"]]
    # Bob lowering his own hand is not a supervisor's action: not audited.
    assert (await bob.delete(f"/api/v1/conversations/{i['erin_support']}/help")).status_code == 204
    async with runtime.database.read_session() as db:
        entries = list(
            await db.scalars(
                select(AuditLogEntry).where(AuditLogEntry.action == "conversation.help_lowered")
            )
        )
    assert [(str(e.actor_user_id), e.target_id, e.details["raised_by_id"]) for e in entries] == [
        (i["carol"], i["erin_sales"], i["bob"])
    ]

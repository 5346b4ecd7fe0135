"""Organisation admins' sockets hear which workspace's load changed, in every workspace of their
organisation (members of it or not), and nothing of other organisations; nobody else hears it.
"""

from __future__ import annotations

from frontdesk.core.runtime import Runtime
from frontdesk.core.workspaces.models import Workspace
from tests.api.test_reports_scenario import Visitor
from tests.factories import Factory
from tests.realtime.conftest import Live, Socket, settle

SIGNAL = "organisation.load_changed"


async def test_admins_hear_load_changes_of_their_organisation_only(
    live: Live, runtime: Runtime
) -> None:
    world = live.world
    async with runtime.database.write_session() as s:
        f = Factory(s, runtime.clock.now())
        branch = Workspace(
            organisation_id=world.acme.workspace.organisation_id,
            name="Acme Branch",
            slug="acme-branch",
            timezone="UTC",
            settings={},
            created_at=f.now,
        )
        s.add(branch)
        await f.flush()
        branch_site = await f.channel(branch, "webchat", "Branch site")
        other_site = await f.channel(world.other.workspace, "webchat", "Other site")
        # Alice administers Acme's organisation (she is no member of the branch); Oscar is
        # an organisation admin too, of the other organisation.
        for name, tenant in (("alice", world.acme), ("oscar", world.other)):
            user = world.persona(name).user
            user.organisation_id, user.is_org_admin = tenant.workspace.organisation_id, True
            s.add(user)
        await s.commit()
    alice, oscar, dave = [await live.socket(n) for n in ("alice", "oscar", "dave")]
    for sock in (alice, oscar, dave):
        await sock.wait_for(lambda s: bool(s.of_type("hello")))

    conversation = await Visitor(world, branch_site.id, "Ana").writes("Hello from the branch")
    await alice.wait_for(lambda s: bool(s.of_type(SIGNAL)))
    await Visitor(world, other_site.id, "Olga").writes("Hello from elsewhere")
    await oscar.wait_for(lambda s: bool(s.of_type(SIGNAL)))
    # A workspace opened in the organisation is heard too (`workspace.created`).
    async with world.client("alice") as client:
        r = await client.post(
            "/api/v1/workspaces", json={"name": "Acme North", "slug": "acme-north"}
        )
        assert r.status_code == 201, r.text
        north = r.json()["id"]
    await alice.wait_for(lambda s: north in heard(s))
    await settle(alice, oscar, dave)

    assert heard(alice) == {str(branch.id), north}
    assert heard(oscar) == {str(world.other.id)}
    assert dave.of_type(SIGNAL) == []  # a manager, no organisation admin
    # Only the workspace's id: nothing of the branch's conversation reaches its non-member.
    assert all(set(f["data"]) == {"workspace_id"} for f in alice.of_type(SIGNAL))
    assert conversation not in str(alice.frames)
    for sock in (alice, oscar, dave):
        await sock.close()


def heard(sock: Socket) -> set[str]:
    return {str(f["data"]["workspace_id"]) for f in sock.of_type(SIGNAL)}

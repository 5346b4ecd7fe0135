"""Tenant isolation swept over every route: a caller from `other` never reaches `acme`.

The sweep enumerates the app's routes, so a new route is covered automatically — or fails the
sweep when it takes a path parameter the sweep does not know how to fill, until it is added here.
For every route with an id of the first workspace in its path, members of the second workspace
(its owner and an agent, by cookie) and its API tokens of every role must get 404 (or the same
role refusal, 403, as for an id that exists nowhere), and nothing in the database may change.
Routes without ids must not return any id of the first workspace.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from typing import Any

import httpx
from fastapi.routing import APIRoute, iter_route_contexts
from PIL import Image
from sqlalchemy import select, text

from frontdesk.core.accounts.models import AuthSession
from frontdesk.core.canned.models import CannedResponse
from frontdesk.core.channels.api_callbacks import ApiCallback
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.conversations.models import Message
from frontdesk.core.hours.models import BusinessHours
from frontdesk.core.models import metadata
from frontdesk.core.notifications.models import Notification
from frontdesk.core.quality.models import QualityReview, QualityScorecard
from frontdesk.core.reports.target_models import OutcomeTarget
from frontdesk.core.runtime import Runtime
from frontdesk.core.security import hash_token
from frontdesk.core.sla.models import SlaPolicy
from frontdesk.core.tags.models import Tag
from frontdesk.core.views.models import SavedView
from frontdesk.core.workflows.models import RouteOffer
from frontdesk.db.outbox import EventLogEntry
from frontdesk.jobs.report_exports import write_report_export
from tests.conftest import World
from tests.factories import Factory
from tests.security.acme_broadcasts import acme_broadcasts_objects
from tests.security.acme_contacts import acme_contacts_objects
from tests.security.acme_similar import acme_similar_objects
from tests.security.acme_webhooks import acme_webhooks_objects
from tests.security.openapi_samples import request_body

# Routes that answer the same whoever calls them, or act only on the caller's own account.
NOT_TENANT_SCOPED = {
    "/healthz",
    "/readyz",
    # The public doors of a website chat: any visitor of the site may open them (they return
    # only what the widget shows). tests/api/test_widget.py checks what they reveal.
    "/api/widget/v1/channels/{channel_id}/config",
    "/api/widget/v1/channels/{channel_id}/sessions",
    # Static: the widget script, and the demo website of the demo workspace.
    "/widget.js",
    "/demo/site",
    "/{path:path}",  # the agent app's files
    # Provider webhooks: the provider's signature over the body is the credential, not a
    # session; tests/channels/whatsapp/test_webhook.py checks that nothing passes without it.
    "/webhooks/whatsapp/{workspace_id}",
    # Telegram's secret token header is its credential: tests/channels/telegram/test_webhook.py.
    "/webhooks/telegram/{channel_id}",
    # Meta's signature too: tests/channels/messenger/ and tests/channels/instagram/.
    "/webhooks/messenger/{workspace_id}",
    "/webhooks/instagram/{workspace_id}",
    # The API channel's inbound door: the channel's bearer token is its credential
    # (tests/channels/api_channel/test_inbound.py).
    "/api/channels/v1/{channel_id}/messages",
    # One Meta app's webhook: the app secret's signature (tests/channels/test_meta_app_webhook.py).
    "/webhooks/meta/{app_id}",
    # Twilio's X-Twilio-Signature with the channel's Auth Token (tests/channels/twilio/).
    "/webhooks/twilio/{workspace_id}/{channel_id}",
    "/webhooks/twilio/{workspace_id}/{channel_id}/status",
    # A mail provider's forwarding: the channel's forwarding secret (tests/channels/email/).
    "/webhooks/email/{channel_id}",
}
WIDGET = "/api/widget/"
PERSONAL = "/api/v1/me/"
# Capability URLs: the secret token in the path is the credential, whoever presents it.
CAPABILITY_PARAMS = {"token"}
SAFE_METHODS = {"GET"}
# Tables whose rows change merely because someone made a request (not tenant data).
VOLATILE_TABLES = {"login_attempt"}
VOLATILE_COLUMNS = {"last_seen_at", "last_used_at"}
PARAM = re.compile(r"{([a-z_]+)(?::[a-z]+)?}")
# Query parameters a route needs to answer at all; `{name}` is filled with acme's ids, so the
# report routes are asked about acme's teams, agents, channels and conversations by name.
QUERIES = {
    "/api/v1/reports/conversations": {"metric": "closed", "team_id": "{team_id}"},
    "/api/v1/reports/overview": {"team_id": "{team_id}", "agent_id": "{user_id}"},
    "/api/v1/reports/agents": {"agent_id": "{user_id}", "channel_id": "{channel_id}"},
    "/api/v1/reports/staffing": {"team_id": "{team_id}"},
    "/api/v1/reports/teams": {"team_id": "{team_id}", "tag_id": "{tag_id}"},
    "/api/v1/reports/channels": {"channel_id": "{channel_id}", "outcome": "hired"},
    "/api/v1/reports/responses": {"agent_id": "{user_id}", "tag_id": "{tag_id}"},
    "/api/v1/reports/service-level": {"team_id": "{team_id}"},
    "/api/v1/reports/routing": {"tag_id": "{tag_id}", "channel_id": "{channel_id}"},
    "/api/v1/reports/outcomes": {"team_id": "{team_id}", "agent_id": "{user_id}"},
    "/api/v1/reports/heatmap": {"team_id": "{team_id}", "channel_id": "{channel_id}"},
    "/api/v1/reports/agent-states": {"team_id": "{team_id}", "agent_id": "{user_id}"},
    "/api/v1/search": {"q": "hello", "channel_id": "{channel_id}", "team_id": "{team_id}"},
}


async def _acme_objects(runtime: Runtime, world: World) -> dict[str, str]:
    """An id of the first workspace for every path parameter name the API uses."""
    acme = world.acme
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        f = Factory(s, now)
        api_token = await f.api_token(acme.workspace)
        tag = Tag(workspace_id=acme.id, name="vip", color="red", is_outcome=False, created_at=now)
        field = CustomFieldDefinition(
            workspace_id=acme.id,
            key="city",
            label="City",
            field_type="text",
            options=[],
            created_at=now,
        )
        canned = CannedResponse(
            workspace_id=acme.id,
            shortcut="hello",
            title="Hello",
            body="Hi {{contact.name}}",
            created_at=now,
            updated_at=now,
        )
        # Shared, so every member of acme may see it: still "not found" for anyone else.
        view = SavedView(
            workspace_id=acme.id,
            owner_id=acme.members["alice"].id,
            name="Urgent WhatsApp",
            is_shared=True,
            filters={"statuses": ["open"], "channel_id": str(acme.channels["whatsapp"].id)},
            created_at=now,
            updated_at=now,
        )
        # Hours of the workspace and of a team: the snapshot shows nobody else changes them.
        s.add_all(
            BusinessHours(
                workspace_id=acme.id,
                team_id=team_id,
                timezone="UTC",
                is_enabled=True,
                periods=[{"weekday": "monday", "start": "09:00", "end": "17:00"}],
                holidays=[],
                created_at=now,
                updated_at=now,
            )
            for team_id in (None, acme.teams["support"].id)
        )
        # Bob's, of a conversation of acme: nobody of another workspace may read or mark it.
        notification = Notification(
            workspace_id=acme.id,
            user_id=acme.members["bob"].id,
            kind="mention",
            conversation_id=acme.conversations["erin_support"].id,
            actor_id=acme.members["alice"].id,
            created_at=now,
        )
        target = OutcomeTarget(
            workspace_id=acme.id,
            outcome="hired",
            count=8,
            period="day",
            applies_to="each_agent",
            team_id=acme.teams["support"].id,
            created_at=now,
            updated_at=now,
        )
        sla_policy = SlaPolicy(
            workspace_id=acme.id,
            name="Support",
            team_id=acme.teams["support"].id,
            first_response_minutes=15,
            is_business_hours=False,
            at_risk_percent=80,
            created_at=now,
            updated_at=now,
        )
        s.add_all([tag, field, canned, view, notification, target, sla_policy])
        await s.commit()
        message_id = await s.scalar(
            select(Message.id).where(
                Message.conversation_id == acme.conversations["erin_support"].id
            )
        )
        token_id = await s.scalar(
            text("SELECT id FROM api_token WHERE token_hash = :h").bindparams(
                h=hash_token(api_token)
            )
        )
    async with runtime.database.read_session() as s:
        session_id = await s.scalar(
            select(AuthSession.id).where(AuthSession.user_id == acme.members["alice"].id)
        )
    invite_token = await _acme_invitation(world)
    async with world.client("alice") as alice:
        picture = io.BytesIO()
        Image.new("RGB", (8, 8), "red").save(picture, format="PNG")
        uploaded = await alice.post(
            "/api/v1/attachments",
            files={"file": ("cv.png", picture.getvalue(), "image/png")},
            data={"conversation_id": str(acme.conversations["erin_support"].id)},
        )
        assert uploaded.status_code == 201, uploaded.text
        exported = await alice.post(
            "/api/v1/reports/exports", json={"kind": "conversations", "format": "csv"}
        )
        assert exported.status_code == 201, exported.text
    # Written, so acme's owner downloads it (the control) and nobody else can.
    await write_report_export(runtime, {"export_id": exported.json()["id"]})
    acme_visitor_message = await _visitor_message(world, runtime, world.acme.workspace)
    async with runtime.database.read_session() as s:
        invitation_id = await s.scalar(text("SELECT id FROM invitation"))
    scorecard_id, review_id = await _acme_quality_review(runtime, world)
    workflow_id, run_id = await _acme_workflow_run(world)
    await _acme_route_offer(runtime, world, workflow_id, run_id)
    return {
        "workspace_id": str(acme.id),
        "conversation_id": str(acme.conversations["erin_support"].id),
        "contact_id": str(acme.contacts["erin"].id),
        "other_contact_id": str(acme.contacts["frank"].id),
        "team_id": str(acme.teams["support"].id),
        "channel_id": str(acme.channels["whatsapp"].id),
        "user_id": str(acme.members["bob"].id),
        "member_id": str(acme.members["bob"].id),
        "tag_id": str(tag.id),
        "field_id": str(field.id),
        "canned_response_id": str(canned.id),
        "message_id": str(message_id),
        "token_id": str(uuid.UUID(str(token_id))),
        "invitation_id": str(uuid.UUID(str(invitation_id))),
        "token": invite_token,
        "visitor_message": acme_visitor_message[1],
        "attachment_id": uploaded.json()["id"],
        "view_id": str(view.id),
        "session_id": str(session_id),
        "notification_id": str(notification.id),
        "export_id": exported.json()["id"],
        "target_id": str(target.id),
        "scorecard_id": scorecard_id,
        "review_id": review_id,
        "sla_policy_id": str(sla_policy.id),
        "workflow_id": workflow_id,
        "run_id": run_id,
        "number": "1",  # acme's workflow's first version
        **await acme_contacts_objects(runtime, world),
        **await acme_broadcasts_objects(runtime, world),
        **await acme_webhooks_objects(runtime, world),
        **await acme_similar_objects(runtime, world),
    }


async def _acme_workflow_run(world: World) -> tuple[str, str]:
    """A published shortcut workflow of acme, run by Bob on his conversation."""
    flow = {
        "trigger": {"type": "shortcut", "config": {}},
        "start": "done",
        "steps": [{"id": "done", "type": "end"}],
    }
    async with world.client("alice") as alice:
        made = await alice.post("/api/v1/workflows", json={"name": "Flow", "definition": flow})
        assert made.status_code == 201, made.text
        workflow_id = made.json()["id"]
        published = await alice.post(f"/api/v1/workflows/{workflow_id}/publish", json={})
        assert published.status_code == 201, published.text
    conversation_id = world.acme.conversations["erin_support"].id
    async with world.client("bob") as bob:
        run = await bob.post(
            f"/api/v1/conversations/{conversation_id}/shortcuts",
            json={"workflow_id": workflow_id},
        )
        assert run.status_code == 201, run.text
    return workflow_id, run.json()["id"]


async def _acme_route_offer(runtime: Runtime, world: World, workflow_id: str, run_id: str) -> None:
    """A chat route of acme's workflow open on Bob's conversation: nobody else may read it or
    send the conversation back to the menu."""
    async with runtime.database.write_session() as s:
        s.add(
            RouteOffer(
                workspace_id=world.acme.id,
                workflow_id=uuid.UUID(workflow_id),
                run_id=uuid.UUID(run_id),
                conversation_id=world.acme.conversations["erin_support"].id,
                route_key="jobs",
                route_label="Jobs",
                team_id=world.acme.teams["support"].id,
                offered_at=runtime.clock.now(),
            )
        )
        await s.commit()


async def _acme_quality_review(runtime: Runtime, world: World) -> tuple[str, str]:
    """A scorecard of acme and a submitted review of Bob's conversation scored with it."""
    now = runtime.clock.now()
    async with runtime.database.write_session() as s:
        card_id = uuid.uuid4()
        s.add(
            QualityScorecard(
                id=card_id,
                workspace_id=world.acme.id,
                lineage_id=card_id,
                name="QA",
                created_at=now,
            )
        )
        await s.flush()
        review = QualityReview(
            workspace_id=world.acme.id,
            conversation_id=world.acme.conversations["erin_support"].id,
            agent_id=world.acme.members["bob"].id,
            closed_at=now,
            status="submitted",
            scorecard_id=card_id,
            score=80.0,
            created_at=now,
            submitted_at=now,
        )
        s.add(review)
        await s.commit()
    return str(card_id), str(review.id)


async def _visitor_message(world: World, runtime: Runtime, workspace: Any) -> tuple[str, str]:
    """A website visitor of `workspace` who wrote once: (their token, the message id)."""
    async with runtime.database.write_session() as s:
        channel = await Factory(s, runtime.clock.now()).channel(workspace, "webchat", "Site")
        await s.commit()
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
    ) as visitor:
        session = await visitor.post(f"/api/widget/v1/channels/{channel.id}/sessions", json={})
        assert session.status_code == 200, session.text
        token = session.json()["visitor_token"]
        sent = await visitor.post(
            "/api/widget/v1/messages",
            json={"body": "Is the job still open?", "client_message_id": "sweep-1"},
            headers={"X-Visitor-Token": token},
        )
        assert sent.status_code == 201, sent.text
    return token, str(sent.json()["id"])


def _visitor_client(world: World, token: str) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=world.app),  # type: ignore[arg-type]
        base_url="http://testserver",
        headers={"X-Visitor-Token": token},
    )


async def _acme_invitation(world: World) -> str:
    async with world.client("alice") as alice:
        response = await alice.post(
            "/api/v1/invitations", json={"email": "new.agent@acme.test", "role": "agent"}
        )
        assert response.status_code == 201, response.text
    mailer = world.app.state.runtime.mailer  # type: ignore[attr-defined]
    body = mailer.sent[-1].get_content()
    match = re.search(r"/invite/([A-Za-z0-9_\-]+)", body)
    assert match, body
    return match.group(1)


async def _snapshot(runtime: Runtime) -> dict[str, list[str]]:
    dump: dict[str, list[str]] = {}
    async with runtime.database.read_session() as s:
        for table in metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            columns = [c for c in table.columns if c.name not in VOLATILE_COLUMNS]
            rows = (await s.execute(select(*columns))).all()
            dump[table.name] = sorted(json.dumps([str(v) for v in row]) for row in rows)
    return dump


def _routes(world: World) -> list[tuple[str, str]]:
    """Every HTTP route the app serves, included routers flattened (schema or not)."""
    found = []
    for route in iter_route_contexts(world.app.routes):  # type: ignore[attr-defined]
        if not isinstance(route.original_route, APIRoute) or route.path in NOT_TENANT_SCOPED:
            continue
        for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, str(route.path)))
    return found


async def _send(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    body: tuple[str, Any] | None,
    ids: dict[str, str] | None = None,
) -> httpx.Response:
    url = PARAM.sub(lambda m: (ids or {})[m.group(1)], path) if ids else path
    query = {
        k: PARAM.sub(lambda m: (ids or {})[m.group(1)], v) for k, v in QUERIES.get(path, {}).items()
    }
    if body is None:
        return await client.request(method, url, params=query)
    kind, value = body
    if kind == "json":
        return await client.request(method, url, json=value)
    return await client.request(method, url, files={"file": ("a.txt", b"hello", "text/plain")})


async def test_other_workspace_reaches_nothing_of_acme(world: World, runtime: Runtime) -> None:
    ids = await _acme_objects(runtime, world)
    # A version number is no id: "1" is in most answers.
    acme_ids = {v for k, v in ids.items() if k not in ("token", "number")}
    async with world.client("alice") as alice:
        spec = (await alice.get("/api/v1/openapi.json")).json()
    # A token of every role (an owner token cannot be made through the API; one inserted
    # anyway must still reach nothing of acme).
    async with runtime.database.write_session() as s:
        factory = Factory(s, runtime.clock.now())
        other_tokens = {
            role: await factory.api_token(world.other.workspace, role, f"{role} bot")
            for role in ("owner", "manager", "agent", "viewer")
        }
        await s.commit()
    other_visitor, _ = await _visitor_message(world, runtime, world.other.workspace)
    # Set-up routes of one channel type answer only for a channel of that type: acme's own.
    async with runtime.database.write_session() as s:
        factory = Factory(s, runtime.clock.now())
        # The route's last word names the kind; Twilio's routes serve an SMS channel.
        typed = {
            kind: str((await factory.channel(world.acme.workspace, type_, kind)).id)
            for kind, type_ in (
                ("messenger", "messenger"),
                ("instagram", "instagram"),
                ("api", "api"),
                ("email", "email"),
                ("twilio", "sms"),
            )
        }
        now = runtime.clock.now()
        callback = ApiCallback(
            workspace_id=world.acme.id,
            channel_id=uuid.UUID(typed["api"]),
            event_type="message.created",
            payload={},
            status="failed",
            attempts=1,
            max_attempts=8,
            history=[],
            created_at=now,
            updated_at=now,
        )
        s.add(callback)
        await s.commit()
        ids["callback_id"] = str(callback.id)
    acme_ids |= {*typed.values(), ids["callback_id"]}

    before = await _snapshot(runtime)
    async with runtime.database.read_session() as s:
        last_event = await s.scalar(
            select(EventLogEntry.id).order_by(EventLogEntry.id.desc()).limit(1)
        )

    unknown_params: list[str] = []
    failures: list[str] = []
    controls: list[str] = []
    swept = 0
    for method, path in _routes(world):
        params = PARAM.findall(path)
        if CAPABILITY_PARAMS & set(params):
            continue
        kind = next((k for k in typed if path.endswith(f"/{{channel_id}}/{k}")), None)
        kind = kind or next((k for k in typed if f"/{{channel_id}}/{k}/" in path), None)
        route_ids = {**ids, "channel_id": typed[kind]} if kind else ids
        missing = [p for p in params if p not in route_ids]
        if missing:
            unknown_params.append(f"{method} {path}: {missing}")
            continue
        operation = spec["paths"].get(path, {}).get(method.lower())
        body = request_body(spec, operation, route_ids) if operation else None
        carries_acme_id = body is not None and any(i in json.dumps(body[1]) for i in acme_ids)
        if not params and method not in SAFE_METHODS and not carries_acme_id:
            continue  # acts on the caller's own workspace only: nothing of acme to reach
        widget = path.startswith(WIDGET)
        if params and method in SAFE_METHODS and not widget:
            # Control: the ids are real, so a 404 below means isolation, not a typo.
            async with world.client("alice") as alice:
                own = await _send(alice, method, path, body, route_ids)
            if own.status_code != 200:
                controls.append(f"{method} {path} -> {own.status_code} for acme's owner")
        callers = (
            [("visitor", _visitor_client(world, other_visitor))]
            if widget
            else [
                ("owner cookie", world.client("oscar")),
                ("agent cookie", world.client("olive")),
                *((f"{role} token", world.bearer(t)) for role, t in other_tokens.items()),
            ]
        )
        for label, client in callers:
            async with client:
                response = await _send(client, method, path, body, route_ids)
                if params and response.status_code == 403:
                    # A role refusal is no hint only if an id that exists nowhere gets it too.
                    made_up = {p: str(uuid.uuid4()) for p in params}
                    alike = await _send(client, method, path, body, {**route_ids, **made_up})
            swept += 1
            text_ = response.text
            if params:
                refused_by_role = response.status_code == 403 and (
                    alike.status_code,
                    alike.text,
                ) == (403, text_)
                # The caller's own account only: a token, which has none, is not signed in.
                personal = path.startswith(PERSONAL) and label.endswith("token")
                if personal and response.status_code == 401:
                    continue
                if response.status_code != 404 and not refused_by_role:
                    failures.append(
                        f"{label} {method} {path} -> {response.status_code} {text_[:200]}"
                    )
            elif method not in SAFE_METHODS and not 400 <= response.status_code < 500:
                failures.append(f"{label} {method} {path} with acme ids -> {response.status_code}")
            elif response.status_code >= 500 or any(i in text_ for i in acme_ids):
                failures.append(f"{label} {method} {path} leaked or failed: {response.status_code}")

    assert not unknown_params, (
        f"routes with path parameters the sweep cannot fill: {unknown_params}"
    )
    assert not failures, "\n".join(failures)
    assert not controls, "\n".join(controls)
    assert swept > 40
    assert await _snapshot(runtime) == before
    async with runtime.database.read_session() as s:
        new_acme_events = await s.scalar(
            select(EventLogEntry.id)
            .where(
                EventLogEntry.id > (last_event or 0), EventLogEntry.workspace_id == world.acme.id
            )
            .limit(1)
        )
    assert new_acme_events is None

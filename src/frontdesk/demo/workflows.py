"""The demo's chat routes: the retail workspace's greeting menu ("1 Vagas, 2 Entrevista, 3 Falar
com recrutador"), made from the template and published through the same actions as the app.

It is made after the history is played, so the history is exactly what it was without it,
and the workflows' dispatcher is moved past the history's events (a dispatcher that starts
later would otherwise read them). In the demo the menu answers a customer who writes "menu"
(a keyword trigger) rather than every new conversation: the demo's live arrivals and the
journeys that start from the demo keep going straight to the teams, and anyone trying the
demo sees the menu by writing "menu" on a WhatsApp number or the website chat.
"""

from __future__ import annotations

from sqlalchemy import func, select

from frontdesk.core.actor import Actor
from frontdesk.core.runtime import Runtime
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.models import WorkflowCursor
from frontdesk.core.workflows.schemas import WorkflowUpdate
from frontdesk.core.workflows.templates import create_workflow_from_template
from frontdesk.core.workflows.templates.schemas import WorkflowFromTemplate
from frontdesk.core.workflows.versions import publish_workflow, save_draft
from frontdesk.core.workspaces.models import Role, Team
from frontdesk.db.outbox import EventLogEntry
from frontdesk.db.uow import UnitOfWork
from frontdesk.db.upsert import insert_unless_stored
from frontdesk.demo.spec import DEMO_SLUG
from frontdesk.demo.workspace import DemoWorkspace

KEYWORDS = ["menu"]
ROUTES = ("jobs_team", "interview_team", "recruiter_team")


async def _skip_history(uow: UnitOfWork) -> None:
    """The dispatcher reads on from the log's end: no history event starts a run."""
    latest = int(await uow.session.scalar(select(func.max(EventLogEntry.id))) or 0)
    values = {"id": 1, "last_event_id": latest, "updated_at": uow.now()}
    await insert_unless_stored(uow.session, WorkflowCursor, values, ("id",), WorkflowCursor.id)
    cursor = await uow.session.get(WorkflowCursor, 1)
    if cursor is not None and cursor.last_event_id < latest:
        cursor.last_event_id, cursor.updated_at = latest, uow.now()


async def seed_workflows(runtime: Runtime, workspaces: list[DemoWorkspace]) -> None:
    dw = next((w for w in workspaces if w.spec.slug == DEMO_SLUG), None)
    if dw is None:
        return
    teams = [r for r in dw.rows if isinstance(r, Team)]
    parameters: dict[str, str | list[str]] = {
        key: str(team.id) for key, team in zip(ROUTES, teams, strict=False)
    }
    actor = Actor(workspace_id=dw.row.id, role=Role.OWNER, user_id=dw.owner.id)
    async with runtime.uow() as uow:
        workflow = await create_workflow_from_template(
            uow,
            actor,
            WorkflowFromTemplate(template="greeting_menu", language="pt-BR", parameters=parameters),
        )
        draft = Definition.model_validate(workflow.draft)
        draft.trigger.type = "message_received"
        draft.trigger.config = {"match": "keyword", "keywords": KEYWORDS}
        await save_draft(
            uow, actor, workflow, WorkflowUpdate(version=workflow.version, draft=draft)
        )
        await publish_workflow(uow, actor, workflow, "Demo: answers “menu”")
        await _skip_history(uow)
        await uow.commit()

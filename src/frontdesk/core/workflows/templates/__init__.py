"""Workflow templates: the list the app offers, and making a workflow (a draft) from one.

A workflow made from a template is an ordinary workflow: its draft is the template's
definition in the workspace's language (or the one the maker picks), with the maker's teams,
tag and keywords filled in; it is created through the same action as a blank one and is
published like any other. Its `template` column keeps the template's key (the chat routes and
the builder read it).
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from frontdesk.core.actor import Actor
from frontdesk.core.contacts.models import CustomFieldDefinition
from frontdesk.core.errors import Invalid
from frontdesk.core.tags.models import Tag
from frontdesk.core.workflows.definition import Definition
from frontdesk.core.workflows.models import Workflow
from frontdesk.core.workflows.schemas import WorkflowCreate
from frontdesk.core.workflows.templates.catalogue import (
    TEMPLATES,
    Parameter,
    Template,
    Values,
    build_definition,
    texts,
)
from frontdesk.core.workflows.templates.schemas import (
    WorkflowFromTemplate,
    WorkflowTemplateParameterRead,
    WorkflowTemplateRead,
)
from frontdesk.core.workflows.versions import create_workflow
from frontdesk.core.workspaces.models import Team
from frontdesk.core.workspaces.settings import load_conversation_settings
from frontdesk.db.uow import UnitOfWork

MAX_KEYWORDS = 20
MAX_KEYWORD = 40

__all__ = [
    "TEMPLATES",
    "Values",
    "build_definition",
    "create_workflow_from_template",
    "list_templates",
    "template_definition",
    "template_language",
]


def template_read(template: Template, language: str) -> WorkflowTemplateRead:
    t = texts(language)
    return WorkflowTemplateRead(
        key=template.key,
        name=t[f"{template.key}.name"],
        description=t[f"{template.key}.description"],
        trigger=template.trigger,
        parameters=[
            WorkflowTemplateParameterRead(
                key=p.key, kind=p.kind, label=t[f"param.{p.key}"], required=p.required
            )
            for p in template.parameters
        ],
    )


async def template_language(db: AsyncSession, workspace_id: uuid.UUID, wanted: str | None) -> str:
    """The language asked for, else the workspace's default language."""
    if wanted:
        return wanted
    return (await load_conversation_settings(db, workspace_id)).default_language


async def list_templates(
    db: AsyncSession, actor: Actor, language: str | None
) -> list[WorkflowTemplateRead]:
    chosen = await template_language(db, actor.workspace_id, language)
    return [template_read(t, chosen) for t in TEMPLATES.values()]


async def _check_id(
    db: AsyncSession, actor: Actor, parameter: Parameter, raw: str | list[str]
) -> str:
    field = f"parameters.{parameter.key}"
    try:
        wanted = uuid.UUID(str(raw)) if isinstance(raw, str) else None
    except ValueError:
        wanted = None
    if wanted is None:
        raise Invalid(f"{parameter.key} must be an id", field=field)
    model: type[Team] | type[Tag] = Team if parameter.kind == "team" else Tag
    found = await db.scalar(
        select(model.id).where(
            model.id == wanted,
            model.workspace_id == actor.workspace_id,
            model.archived_at.is_(None),
        )
    )
    if found is None:
        raise Invalid(f"no such {parameter.kind}", field=field)
    return str(found)


def _check_keywords(parameter: Parameter, raw: str | list[str]) -> list[str]:
    field = f"parameters.{parameter.key}"
    words = [raw] if isinstance(raw, str) else raw
    cleaned = list(dict.fromkeys(w.strip() for w in words if w.strip()))
    if not cleaned or len(cleaned) > MAX_KEYWORDS or any(len(w) > MAX_KEYWORD for w in cleaned):
        raise Invalid(
            f"give 1 to {MAX_KEYWORDS} keywords of at most {MAX_KEYWORD} characters", field=field
        )
    return cleaned


async def _values(
    db: AsyncSession, actor: Actor, template: Template, given: dict[str, str | list[str]]
) -> Values:
    known = {p.key: p for p in template.parameters}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise Invalid(
            f"the template has no parameter {unknown[0]}", field=f"parameters.{unknown[0]}"
        )
    fields = await db.scalars(
        select(CustomFieldDefinition.key).where(
            CustomFieldDefinition.workspace_id == actor.workspace_id,
            CustomFieldDefinition.archived_at.is_(None),
        )
    )
    values = Values(contact_fields=set(fields))
    for key, parameter in known.items():
        raw = given.get(key)
        if not raw:
            if parameter.required:
                raise Invalid(f"{key} is required", field=f"parameters.{key}")
            continue
        if parameter.kind == "keywords":
            values.keywords = _check_keywords(parameter, raw)
        else:
            values.ids[key] = await _check_id(db, actor, parameter, raw)
    return values


async def template_definition(
    db: AsyncSession, actor: Actor, data: WorkflowFromTemplate
) -> tuple[Template, str, Definition]:
    """The checked template, its language and the definition its parameters make (422 for an
    unknown template, parameter, team or tag)."""
    template = TEMPLATES.get(data.template)
    if template is None:
        raise Invalid("no such template", field="template")
    language = await template_language(db, actor.workspace_id, data.language)
    values = await _values(db, actor, template, data.parameters)
    raw: dict[str, Any] = build_definition(template.key, language, values)
    return template, language, Definition.model_validate(raw)


async def create_workflow_from_template(
    uow: UnitOfWork, actor: Actor, data: WorkflowFromTemplate
) -> Workflow:
    """A new workflow whose draft is the template's definition (owners and managers)."""
    actor.require_admin()
    template, language, definition = await template_definition(uow.session, actor, data)
    read = template_read(template, language)
    return await create_workflow(
        uow,
        actor,
        WorkflowCreate(
            name=data.name or read.name,
            description=read.description,
            definition=definition,
            template=template.key,
        ),
    )

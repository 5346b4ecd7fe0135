"""What the workflows API reads and writes: workflows, their versions, a diff between two of
them, runs with their steps, and the problems that keep a draft from being published."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from frontdesk.core.pagination import Page
from frontdesk.core.schemas import Input
from frontdesk.core.workflows.definition import Definition, Problem

WorkflowStatusName = Literal["draft", "active", "paused", "archived"]
RunStatusName = Literal["running", "waiting", "completed", "failed", "cancelled"]


class WorkflowCreate(Input):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=500)
    definition: Definition | None = Field(
        default=None,
        description="The first draft (a template's definition); null: a blank workflow.",
    )
    template: str | None = Field(
        default=None, max_length=40, description="The template it was made from, if any."
    )


class WorkflowUpdate(Input):
    """Save the draft: `version` is the workflow's version the editor started from; a newer
    one on the server refuses the write with 409."""

    version: int = Field(ge=1)
    name: str | None = Field(default=None, min_length=1, max_length=120)
    description: str | None = Field(default=None, max_length=500)
    draft: Definition | None = None


class WorkflowFields(BaseModel):
    """What the list and a workflow's page both show."""

    id: uuid.UUID
    name: str
    description: str
    status: WorkflowStatusName
    template: str | None
    trigger_type: str | None = Field(description="The published version's trigger, if any.")
    draft_trigger_type: str = Field(description="The draft's trigger.")
    published_version: int | None = Field(description="The number of the version in force.")
    published_at: datetime | None = Field(description="When the version in force was published.")
    has_unpublished_changes: bool
    next_fire_at: datetime | None
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None
    version: int


class WorkflowSummary(WorkflowFields):
    """A row of the workflows list."""

    runs_today: int = Field(
        description="Runs started since midnight in the workspace's time zone (test runs aside)."
    )


class WorkflowRead(WorkflowFields):
    draft: Definition
    webhook_url: str | None = Field(
        default=None, description="Where a webhook-triggered workflow is called (published)."
    )
    has_runs: bool = Field(description="A workflow that ran is archived, never deleted.")


class WorkflowVersionSummary(BaseModel):
    id: uuid.UUID
    workflow_id: uuid.UUID
    number: int
    trigger_type: str
    note: str
    published_at: datetime
    published_by_id: uuid.UUID | None
    is_current: bool = Field(description="The version the workflow's trigger runs now.")


class WorkflowVersionRead(WorkflowVersionSummary):
    definition: Definition


class WorkflowPublished(WorkflowVersionRead):
    """The version just published; `webhook_secret` only when this publish created it (shown
    once: rotate it to see a new one)."""

    webhook_url: str | None = None
    webhook_secret: str | None = None


class PublishRequest(Input):
    note: str = Field(default="", max_length=300)


class RollbackRequest(Input):
    number: int = Field(ge=1, description="The version whose definition is published again.")
    note: str = Field(default="", max_length=300)


class WorkflowProblems(BaseModel):
    is_valid: bool
    problems: list[Problem]


class StepRef(BaseModel):
    step_id: str
    type: str
    name: str


class StepChange(StepRef):
    fields: list[str] = Field(
        description='What changed: "type", "name", "position", "config.<key>", "next.<outlet>".'
    )


class WorkflowDiff(BaseModel):
    """From one version (or the draft) to another: what the builder highlights."""

    from_version: str = Field(description='A version number, or "draft".')
    to_version: str
    trigger_changed: bool
    trigger_before: dict[str, Any]
    trigger_after: dict[str, Any]
    start_changed: bool
    steps_added: list[StepRef]
    steps_removed: list[StepRef]
    steps_changed: list[StepChange]


class WorkflowTestRun(Input):
    contact_id: uuid.UUID
    variables: dict[str, Any] | None = None


class RunCancel(Input):
    reason: str = Field(default="", max_length=300)


class ShortcutRunCreate(Input):
    workflow_id: uuid.UUID


class ShortcutRead(BaseModel):
    id: uuid.UUID
    name: str
    description: str


class StepRunRead(BaseModel):
    id: uuid.UUID
    seq: int
    step_id: str
    step_type: str
    status: str
    outlet: str | None
    input: dict[str, Any]
    output: dict[str, Any]
    error: str | None
    attempts: int
    started_at: datetime
    ended_at: datetime | None


class RunRead(BaseModel):
    id: uuid.UUID
    workflow_id: uuid.UUID
    workflow_name: str
    version_id: uuid.UUID
    version_number: int
    conversation_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    parent_run_id: uuid.UUID | None
    status: RunStatusName
    current_step: str | None
    wait_kind: str | None
    wait_until: datetime | None
    trigger_type: str | None
    steps_taken: int
    is_test: bool
    error: str | None
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None


class RunDetailRead(RunRead):
    variables: dict[str, Any]
    trigger: dict[str, Any]
    steps: list[StepRunRead]


class RunPage(Page[RunRead]):
    """Runs, newest first; pass `next_cursor` back as `cursor` for the next page."""


class WebhookSecretRead(BaseModel):
    webhook_url: str
    webhook_secret: str = Field(description="Shown once: sign calls with it (HMAC-SHA256).")


class WebhookAccepted(BaseModel):
    run_id: uuid.UUID | None = Field(description="Null when the workflow started no run.")
    contact_id: uuid.UUID | None


class VariableRead(BaseModel):
    path: str = Field(description='What a step writes between braces: "contact.name".')
    group: str
    label: str = ""


class VariableCatalogue(BaseModel):
    variables: list[VariableRead]

"""Workflows, their published versions, their runs and each step a run took.

A workflow holds an editable draft; publishing copies the draft into a new `workflow_version`
that is never changed again. A run names the version it started on and keeps it to the end, so
editing a workflow mid-run changes nothing for runs already going.

A run is advanced by jobs: each step taken is a `workflow_step_run` row, written in the same
transaction as the step's effects (or, for a step whose effect is outside the database, before
the effect with an idempotency key), so a restart resumes where the run was and never repeats
a step that had an outside effect.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from frontdesk.db.base import Base, uuid_pk
from frontdesk.db.types import JSONType


class WorkflowStatus:
    DRAFT = "draft"  # never published
    ACTIVE = "active"  # its published version answers its trigger
    PAUSED = "paused"  # published, but its trigger starts no run
    ARCHIVED = "archived"
    ALL = (DRAFT, ACTIVE, PAUSED, ARCHIVED)


class RunStatus:
    RUNNING = "running"  # a job will take its next step
    WAITING = "waiting"  # for a reply or a time (`wait_kind`, `wait_until`)
    COMPLETED = "completed"
    FAILED = "failed"  # a step failed for good; it can be retried from that step
    CANCELLED = "cancelled"
    ACTIVE = (RUNNING, WAITING)
    ALL = (RUNNING, WAITING, COMPLETED, FAILED, CANCELLED)


class StepRunStatus:
    STARTED = "started"  # written before an outside effect; its result is not known yet
    DONE = "done"
    WAITING = "waiting"
    FAILED = "failed"
    ALL = (STARTED, DONE, WAITING, FAILED)


class Workflow(Base):
    __tablename__ = "workflow"
    __table_args__ = (
        Index("ix_workflow_ws_trigger", "workspace_id", "status", "trigger_type"),
        UniqueConstraint("webhook_token"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(12), default=WorkflowStatus.DRAFT)
    # The template it was made from ("greeting_menu", ...), for the chat routes and the builder.
    template: Mapped[str | None] = mapped_column(String(40))
    # The editable definition (see definition.py); publishing copies it into a version.
    draft: Mapped[dict[str, Any]] = mapped_column(JSONType)
    # The trigger type of the published version (what the dispatcher looks up), if any.
    trigger_type: Mapped[str | None] = mapped_column(String(40))
    published_version_id: Mapped[uuid.UUID | None]
    # An incoming-webhook trigger: the public token in its URL and the secret that signs calls.
    webhook_token: Mapped[str | None] = mapped_column(String(64))
    webhook_secret: Mapped[str | None] = mapped_column(String(128))
    # A schedule trigger: when it next fires (kept by the schedule job).
    next_fire_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime]
    archived_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)


class WorkflowVersion(Base):
    __tablename__ = "workflow_version"
    __table_args__ = (UniqueConstraint("workflow_id", "number"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow.id", ondelete="CASCADE"))
    number: Mapped[int]
    definition: Mapped[dict[str, Any]] = mapped_column(JSONType)
    trigger_type: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(String(300), default="")
    published_at: Mapped[datetime]
    published_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )


class WorkflowRun(Base):
    __tablename__ = "workflow_run"
    __table_args__ = (
        # One active run per conversation and workflow: `active_key` is set while the run is
        # running or waiting and cleared when it ends (NULLs never collide, on both databases).
        UniqueConstraint("active_key"),
        Index("ix_workflow_run_ws_workflow", "workspace_id", "workflow_id", "started_at"),
        Index("ix_workflow_run_conversation", "conversation_id", "started_at"),
        Index("ix_workflow_run_waiting", "status", "wait_kind", "wait_until"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow.id", ondelete="CASCADE"))
    version_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("workflow_version.id", ondelete="CASCADE")
    )
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact.id", ondelete="CASCADE")
    )
    parent_run_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("workflow_run.id", ondelete="SET NULL")
    )
    status: Mapped[str] = mapped_column(String(12), default=RunStatus.RUNNING)
    active_key: Mapped[str | None] = mapped_column(String(80))
    # The step to take next (or the one it waits on); None once ended.
    current_step: Mapped[str | None] = mapped_column(String(64))
    wait_kind: Mapped[str | None] = mapped_column(String(12))  # "reply" | "time"
    wait_until: Mapped[datetime | None]
    variables: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    # What started it: the trigger type and the event or call that fired it.
    trigger: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    steps_taken: Mapped[int] = mapped_column(default=0)
    is_test: Mapped[bool] = mapped_column(default=False)
    error: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class WorkflowStepRun(Base):
    __tablename__ = "workflow_step_run"
    __table_args__ = (
        UniqueConstraint("run_id", "seq"),
        UniqueConstraint("idempotency_key"),
    )

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_run.id", ondelete="CASCADE"))
    seq: Mapped[int]
    step_id: Mapped[str] = mapped_column(String(64))
    step_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(12))
    # The outlet it left by ("next", "reply", "timeout", an option's id, ...).
    outlet: Mapped[str | None] = mapped_column(String(64))
    input: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    output: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    # For a step with an outside effect: the same key on every attempt of that step.
    idempotency_key: Mapped[str | None] = mapped_column(String(100))
    attempts: Mapped[int] = mapped_column(default=1)
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]


class RouteOffer(Base):
    """One chat route offered to a conversation (a menu option or a keyword that matched): which
    team and agent handled it, and whether a human sent it back to the menu, and when."""

    __tablename__ = "workflow_route_offer"
    __table_args__ = (Index("ix_workflow_route_offer_ws_time", "workspace_id", "offered_at"),)

    id: Mapped[uuid.UUID] = uuid_pk()
    workspace_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    workflow_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow.id", ondelete="CASCADE"))
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("workflow_run.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE"), index=True
    )
    route_key: Mapped[str] = mapped_column(String(64))  # the option's id or the keyword
    route_label: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"))
    offered_at: Mapped[datetime]
    # The agent the conversation was with when the route was handled or redirected.
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None]
    redirected_at: Mapped[datetime | None]
    redirected_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL")
    )


class WorkflowCursor(Base):
    """How far the trigger dispatcher has read the event log (one row, id 1)."""

    __tablename__ = "workflow_cursor"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime]

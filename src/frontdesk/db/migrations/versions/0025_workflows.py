"""Workflows: definitions with their published versions, durable runs and the steps they took

Also the chat routes' offers (for the routing report), the trigger dispatcher's cursor, and the
conversation's `bot_run_id` (the run that has it, while a bot handles it).

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 22:52:05.387323
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import frontdesk.db.types

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "workflow_cursor",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_cursor")),
    )
    op.create_table(
        "workflow",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("template", sa.String(length=40), nullable=True),
        sa.Column("draft", _JSON, nullable=False),
        sa.Column("trigger_type", sa.String(length=40), nullable=True),
        sa.Column("published_version_id", sa.Uuid(), nullable=True),
        sa.Column("webhook_token", sa.String(length=64), nullable=True),
        sa.Column("webhook_secret", sa.String(length=128), nullable=True),
        sa.Column("next_fire_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("archived_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_workflow_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workflow_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow")),
        sa.UniqueConstraint("webhook_token", name=op.f("uq_workflow_webhook_token")),
    )
    with op.batch_alter_table("workflow", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workflow_ws_trigger", ["workspace_id", "status", "trigger_type"], unique=False
        )

    op.create_table(
        "workflow_version",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("definition", _JSON, nullable=False),
        sa.Column("trigger_type", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("published_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["published_by_id"],
            ["user.id"],
            name=op.f("fk_workflow_version_published_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflow.id"],
            name=op.f("fk_workflow_version_workflow_id_workflow"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workflow_version_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_version")),
        sa.UniqueConstraint(
            "workflow_id", "number", name=op.f("uq_workflow_version_workflow_id_number")
        ),
    )
    op.create_table(
        "workflow_run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("parent_run_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("active_key", sa.String(length=80), nullable=True),
        sa.Column("current_step", sa.String(length=64), nullable=True),
        sa.Column("wait_kind", sa.String(length=12), nullable=True),
        sa.Column("wait_until", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("variables", _JSON, nullable=False),
        sa.Column("trigger", _JSON, nullable=False),
        sa.Column("steps_taken", sa.Integer(), nullable=False),
        sa.Column("is_test", sa.Boolean(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_workflow_run_contact_id_contact"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_workflow_run_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_run_id"],
            ["workflow_run.id"],
            name=op.f("fk_workflow_run_parent_run_id_workflow_run"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["workflow_version.id"],
            name=op.f("fk_workflow_run_version_id_workflow_version"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflow.id"],
            name=op.f("fk_workflow_run_workflow_id_workflow"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workflow_run_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_run")),
        sa.UniqueConstraint("active_key", name=op.f("uq_workflow_run_active_key")),
    )
    with op.batch_alter_table("workflow_run", schema=None) as batch_op:
        batch_op.create_index(
            "ix_workflow_run_conversation", ["conversation_id", "started_at"], unique=False
        )
        batch_op.create_index(
            "ix_workflow_run_waiting", ["status", "wait_kind", "wait_until"], unique=False
        )
        batch_op.create_index(
            "ix_workflow_run_ws_workflow",
            ["workspace_id", "workflow_id", "started_at"],
            unique=False,
        )

    op.create_table(
        "workflow_route_offer",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("workflow_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("route_key", sa.String(length=64), nullable=False),
        sa.Column("route_label", sa.String(length=120), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("offered_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("handled_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("redirected_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("redirected_by_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["user.id"],
            name=op.f("fk_workflow_route_offer_agent_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversation.id"],
            name=op.f("fk_workflow_route_offer_conversation_id_conversation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["redirected_by_id"],
            ["user.id"],
            name=op.f("fk_workflow_route_offer_redirected_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["workflow_run.id"],
            name=op.f("fk_workflow_route_offer_run_id_workflow_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_workflow_route_offer_team_id_team"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflow.id"],
            name=op.f("fk_workflow_route_offer_workflow_id_workflow"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workflow_route_offer_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_route_offer")),
    )
    with op.batch_alter_table("workflow_route_offer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workflow_route_offer_conversation_id"), ["conversation_id"], unique=False
        )
        batch_op.create_index(
            "ix_workflow_route_offer_ws_time", ["workspace_id", "offered_at"], unique=False
        )

    op.create_table(
        "workflow_step_run",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("run_id", sa.Uuid(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.String(length=64), nullable=False),
        sa.Column("step_type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("outlet", sa.String(length=64), nullable=True),
        sa.Column("input", _JSON, nullable=False),
        sa.Column("output", _JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("idempotency_key", sa.String(length=100), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("started_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", frontdesk.db.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["workflow_run.id"],
            name=op.f("fk_workflow_step_run_run_id_workflow_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_workflow_step_run_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workflow_step_run")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_workflow_step_run_idempotency_key")),
        sa.UniqueConstraint("run_id", "seq", name=op.f("uq_workflow_step_run_run_id_seq")),
    )
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bot_run_id", sa.Uuid(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversation", schema=None) as batch_op:
        batch_op.drop_column("bot_run_id")

    op.drop_table("workflow_step_run")
    with op.batch_alter_table("workflow_route_offer", schema=None) as batch_op:
        batch_op.drop_index("ix_workflow_route_offer_ws_time")
        batch_op.drop_index(batch_op.f("ix_workflow_route_offer_conversation_id"))

    op.drop_table("workflow_route_offer")
    with op.batch_alter_table("workflow_run", schema=None) as batch_op:
        batch_op.drop_index("ix_workflow_run_ws_workflow")
        batch_op.drop_index("ix_workflow_run_waiting")
        batch_op.drop_index("ix_workflow_run_conversation")

    op.drop_table("workflow_run")
    op.drop_table("workflow_version")
    with op.batch_alter_table("workflow", schema=None) as batch_op:
        batch_op.drop_index("ix_workflow_ws_trigger")

    op.drop_table("workflow")
    op.drop_table("workflow_cursor")

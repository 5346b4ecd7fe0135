"""SLA policies and conversation due times

`sla_policy`: targets in minutes (first response, next response, resolution) for a team (or
every team) and a priority (or every priority), in calendar or business-hours time.
`conversation_sla`: each conversation's clock starts, due times and what was announced;
`sla_cursor`: how far the SLA job read the event log. Notifications gain a `detail` (an SLA
notice's target and state).

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import frontdesk.db.types

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TIME = frontdesk.db.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sla_policy",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=True),
        sa.Column("next_response_minutes", sa.Integer(), nullable=True),
        sa.Column("resolution_minutes", sa.Integer(), nullable=True),
        sa.Column("is_business_hours", sa.Boolean(), nullable=False),
        sa.Column("at_risk_percent", sa.Integer(), nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_sla_policy_ws_team", "sla_policy", ["workspace_id", "team_id"])
    op.create_table(
        "conversation_sla",
        sa.Column("conversation_id", sa.Uuid(), nullable=False),
        sa.Column("workspace_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("policy_id", sa.Uuid(), nullable=True),
        sa.Column("segment", sa.Integer(), nullable=False),
        sa.Column("started_at", _TIME, nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.Column("customer_since", _TIME, nullable=True),
        sa.Column("first_replied_at", _TIME, nullable=True),
        sa.Column("waiting_since", _TIME, nullable=True),
        *(
            column
            for target in ("first_response", "next_response", "resolution")
            for column in (
                sa.Column(f"{target}_due_at", _TIME, nullable=True),
                sa.Column(f"{target}_risk_at", _TIME, nullable=True),
                sa.Column(f"{target}_alerted", sa.String(length=16), nullable=True),
            )
        ),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("next_check_at", _TIME, nullable=True),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["conversation_id"], ["conversation.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspace.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("conversation_id"),
    )
    op.create_index("ix_conversation_sla_check", "conversation_sla", ["next_check_at"])
    op.create_index("ix_conversation_sla_ws_status", "conversation_sla", ["workspace_id", "status"])
    op.create_table(
        "sla_cursor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_column("detail")
    op.drop_table("sla_cursor")
    op.drop_index("ix_conversation_sla_ws_status", table_name="conversation_sla")
    op.drop_index("ix_conversation_sla_check", table_name="conversation_sla")
    op.drop_table("conversation_sla")
    op.drop_index("ix_sla_policy_ws_team", table_name="sla_policy")
    op.drop_table("sla_policy")

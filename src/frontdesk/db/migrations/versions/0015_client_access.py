"""client access

A viewer membership (and an invitation to one) may carry a client scope: the teams and/or
channels of one client company, `{"team_ids": [...], "channel_ids": [...]}`; null means the
viewer sees the whole workspace.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 16:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    for table in ("membership", "invitation"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("client_scope", JSON, nullable=True))


def downgrade() -> None:
    for table in ("invitation", "membership"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("client_scope")

"""language and reopening

A contact's language now says where it came from (detected, set by an agent, or given by the
provider or the widget) and keeps detection's evidence; members list the languages they speak.
The workspace's default language and reopen window live in its settings JSON (no column).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.add_column(sa.Column("language_source", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("language_evidence", JSON, nullable=True))
    # Languages stored before were typed by a member.
    contact = sa.table(
        "contact", sa.column("language", sa.String), sa.column("language_source", sa.String)
    )
    op.execute(
        contact.update()
        .where(contact.c.language.is_not(None))
        .values(language_source=sa.literal("agent"))
    )
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("languages", JSON, nullable=True))
    membership = sa.table("membership", sa.column("languages", JSON))
    op.execute(membership.update().values(languages=sa.literal([], JSON)))
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.alter_column("languages", existing_type=JSON, nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("languages")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("language_evidence")
        batch_op.drop_column("language_source")

"""Outbound webhook subscriptions and their deliveries

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07 06:00:00.000000
"""

from collections.abc import Sequence

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass

"""heartbeats: when the worker (or a web process doing its rounds) last ran

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:20:00

The readiness answer (/readyz) reports how long ago background work last ran,
so a monitor can alert on a stopped worker.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heartbeats",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_heartbeats")),
    )


def downgrade() -> None:
    op.drop_table("heartbeats")

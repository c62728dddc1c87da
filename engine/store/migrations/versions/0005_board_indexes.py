"""board indexes: a network's cards in stage order, and owners per network

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 23:30:00

The board reads the first cards of each stage as one short index range per
stage; the owner filter asks which users own a card in the viewer's networks.
"""

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_collaborations_network_state_entered",
        "collaborations",
        ["network_id", "state", "state_entered_at", "id"],
    )
    op.create_index(
        "ix_collaborations_owner_network", "collaborations", ["owner_id", "network_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_collaborations_owner_network", table_name="collaborations")
    op.drop_index("ix_collaborations_network_state_entered", table_name="collaborations")

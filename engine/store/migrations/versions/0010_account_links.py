"""account links: invitations and password resets by e-mail, and the reset throttle

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 17:10:00

``account_links`` holds only the SHA-256 of each e-mailed secret, with its purpose,
expiry and whether it was used or voided. ``reset_requests`` counts the "forgot my
password" requests per address and per client, known address or not, for the throttle.
"""

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "account_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_account_links_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_links")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_account_links_token_hash")),
    )
    op.create_index("ix_account_links_user_id", "account_links", ["user_id", "purpose"])
    op.create_table(
        "reset_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reset_requests")),
    )
    op.create_index("ix_reset_requests_email_at", "reset_requests", ["email", "at"])
    op.create_index("ix_reset_requests_client_at", "reset_requests", ["client", "at"])


def downgrade() -> None:
    op.drop_index("ix_reset_requests_client_at", table_name="reset_requests")
    op.drop_index("ix_reset_requests_email_at", table_name="reset_requests")
    op.drop_table("reset_requests")
    op.drop_index("ix_account_links_user_id", table_name="account_links")
    op.drop_table("account_links")

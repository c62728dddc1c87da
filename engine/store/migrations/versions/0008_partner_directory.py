"""partner directory: networks' partner lists, name keys, reading, address, phone, website

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 12:40:00

A network's staff register partners before any collaboration exists (a list
imported from a spreadsheet, a company to approach next month), so which
networks hold a partner is recorded on its own (network_partners), filled here
from the collaborations. Names are no longer unique across the whole system:
two municipalities may each know a 「みどり商店」, and duplicates are caught by
the normalised key within a network instead.
"""

import sqlalchemy as sa
from alembic import op

from engine.domain.names import name_key

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_TEXT_COLUMNS = (("kana", 200), ("address", 300), ("phone", 30), ("website", 300))


def upgrade() -> None:
    with op.batch_alter_table("partners") as batch:
        batch.drop_constraint("uq_partners_name", type_="unique")
        batch.add_column(sa.Column("name_key", sa.String(200), nullable=False, server_default=""))
        for name, length in _TEXT_COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
    conn = op.get_bind()
    partners = sa.table("partners", sa.column("id"), sa.column("name"), sa.column("name_key"))
    for row in conn.execute(sa.select(partners.c.id, partners.c.name)).all():
        conn.execute(
            partners.update().where(partners.c.id == row.id).values(name_key=name_key(row.name))
        )
    with op.batch_alter_table("partners") as batch:
        # The key is always written by the application; no default hides a forgotten one.
        batch.alter_column("name_key", server_default=None)
        batch.create_index("ix_partners_name_key", ["name_key"])
    op.create_table(
        "network_partners",
        sa.Column("network_id", sa.Integer(), nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["network_id"],
            ["networks.id"],
            name=op.f("fk_network_partners_network_id_networks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["partner_id"],
            ["partners.id"],
            name=op.f("fk_network_partners_partner_id_partners"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("network_id", "partner_id", name=op.f("pk_network_partners")),
    )
    op.create_index("ix_network_partners_partner_id", "network_partners", ["partner_id"])
    op.execute(
        "INSERT INTO network_partners (network_id, partner_id)"
        " SELECT DISTINCT network_id, partner_id FROM collaborations"
    )


def downgrade() -> None:
    op.drop_index("ix_network_partners_partner_id", table_name="network_partners")
    op.drop_table("network_partners")
    with op.batch_alter_table("partners") as batch:
        batch.drop_index("ix_partners_name_key")
        for name, _ in _TEXT_COLUMNS:
            batch.drop_column(name)
        batch.drop_column("name_key")
        # Names made unique only by their keys would break this; say so rather than guess.
        batch.create_unique_constraint("uq_partners_name", ["name"])

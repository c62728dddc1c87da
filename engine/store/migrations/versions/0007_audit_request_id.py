"""audit_log.request_id, history.request_id: which request (or job) made the change

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14 02:10:00

Each audit entry and each lifecycle move keeps the id of the web request
(the X-Request-ID the response carried) or of the background job
(``job:<arq job id>``) that wrote it, so the log lines of that request can be
found from the audit log and back. Empty for the command line and for rows
written before this revision.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("audit_log", "history"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("request_id", sa.String(100), nullable=True))


def downgrade() -> None:
    for table in ("history", "audit_log"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("request_id")

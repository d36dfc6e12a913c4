"""Console views (issue 16): when each member of staff last opened the leads list, for
its "new since my last visit" view.

Created 2026-12-02.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("leads_visit_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("leads_previous_visit_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("leads_previous_visit_at")
        batch.drop_column("leads_visit_at")

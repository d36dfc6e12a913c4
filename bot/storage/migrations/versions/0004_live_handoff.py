"""Live handoff to staff (issue 16): each member's availability, and the handed-over conversations.

Created 2026-12-02.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("staff_users") as batch:
        batch.add_column(sa.Column("handoff_available", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table(
        "handoffs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.String(length=255), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("accepted_by", sa.String(length=254), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by", sa.String(length=254), nullable=True),
        sa.Column("seen_event_id", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name="fk_handoffs_lead_id_leads", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_handoffs"),
    )
    op.create_index("ix_handoffs_sender_state", "handoffs", ["sender_id", "state"])


def downgrade() -> None:
    op.drop_index("ix_handoffs_sender_state", table_name="handoffs")
    op.drop_table("handoffs")
    with op.batch_alter_table("staff_users") as batch:
        batch.drop_column("handoff_available")

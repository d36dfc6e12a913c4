"""API tokens expire and carry scopes (issue 15, defect 10).

Tokens that existed before this revision keep working, with the read scope
only, until 90 days after the upgrade.

Created 2026-12-02.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.add_column(sa.Column("scopes", sa.String(length=200), server_default="leads:read", nullable=False))
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    tokens = sa.table("api_tokens", sa.column("expires_at", sa.DateTime(timezone=True)))
    existing_expire = datetime.now(timezone.utc) + timedelta(days=90)
    if op.get_bind().dialect.name == "sqlite":
        existing_expire = existing_expire.replace(tzinfo=None)  # UTCDateTime keeps naive UTC in SQLite
    op.execute(tokens.update().where(tokens.c.expires_at.is_(None)).values(expires_at=existing_expire))
    with op.batch_alter_table("api_tokens") as batch:
        batch.alter_column("expires_at", existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("api_tokens") as batch:
        batch.drop_column("expires_at")
        batch.drop_column("scopes")

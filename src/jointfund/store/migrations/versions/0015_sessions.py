"""Web sessions kept by the books: a session started, and one ended (sign-out).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06

A signed cookie alone cannot be taken back: sign-out only sent a new cookie, and a copy of the
old one kept working for twelve hours. The cookie now carries a random session id; the books
keep the SHA-256 of it when the session starts and when it ends, both append-only and chained.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.governance import SESSION_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the two tables and make them refuse change."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "users" not in present:
        return  # 0003 has not run yet: it creates every governance table, these two included
    # Books made before this revision lack them.
    missing = [t for t in SESSION_TABLES if t.name not in present]
    for table in missing:
        table.create(bind)
    statements = append_only_ddl(bind.dialect.name, [t.name for t in missing])
    for statement in statements:
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(SESSION_TABLES):
        table.drop(bind)

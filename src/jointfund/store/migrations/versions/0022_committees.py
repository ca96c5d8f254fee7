"""The board's committees: seatings of members and their recommendations to proposals.

Revision ID: 0022
Revises: 0020
Create Date: 2026-12-06

Both tables are history: append-only (triggers) and chained in `row_chain`, so `verify` names
a forged seat or vote.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.governance import COMMITTEE_APPEND_ONLY, COMMITTEE_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0022"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables where missing, and make them refuse change."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "users" not in present:
        return  # 0003 has not run yet: it creates every governance table, these included
    missing = [t for t in COMMITTEE_TABLES if t.name not in present]
    for table in missing:
        table.create(bind)
    names = [t.name for t in missing if t.name in COMMITTEE_APPEND_ONLY]
    for statement in append_only_ddl(bind.dialect.name, names):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(COMMITTEE_TABLES):
        table.drop(bind)

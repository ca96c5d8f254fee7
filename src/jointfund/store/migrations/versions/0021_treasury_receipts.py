"""Treasury receipts by budget code and the subsoil auctions whose proceeds are receipts.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06

`treasury_receipts` keeps each cumulative figure a Treasury file reports (budget, fund, revenue
code, month) as a version; `auction_sales` keeps each Prozorro.Sale subsoil auction read, with
the licence it led to. Both are append-only and chained, so `verify` names any edit.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.receipts import RECEIPT_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables where missing and make them refuse change."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    missing = [t for t in RECEIPT_TABLES if t.name not in present]
    for table in missing:
        table.create(bind)
    for statement in append_only_ddl(bind.dialect.name, [t.name for t in missing]):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(RECEIPT_TABLES):
        table.drop(bind)

"""Transfers of accrued receipts (which period each settles) and the cycle's deadlines met.

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-06

Under the contribution cycle (Res. 1616) Ukraine's share of the receipts waits in the state
budget's special fund and reaches the partnership once a year. A transfer is a contribution of
form "transfer"; `contribution_transfers` records the period it settles, its deadline and what
the register of accruals held for that period when it arrived. `deadline_records` records the
other statutory deadlines met (reports received, audits done). Append-only and chained.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.operations import TRANSFER_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0017"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table on books made before it, and make it refuse change."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "contributions" not in present:
        return  # 0003 has not run yet: it creates every operations table, this one included
    missing = [t for t in TRANSFER_TABLES if t.name not in present]
    for table in missing:
        table.create(bind)
    for statement in append_only_ddl(bind.dialect.name, [t.name for t in missing]):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(TRANSFER_TABLES):
        table.drop(bind)

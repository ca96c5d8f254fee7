"""The ledger: accounts, entries, postings, balances, day totals, chain head, period closes.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from jointfund.store.tables.ledger import (
    APPEND_ONLY,
    accounts,
    balances,
    day_totals,
    entries,
    ledger_head,
    period_closes,
    postings,
)
from jointfund.store.triggers import account_guard_ddl, append_only_ddl

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TABLES = (accounts, entries, postings, balances, day_totals, ledger_head, period_closes)


def upgrade() -> None:
    """Create the ledger tables and make the journal append-only."""
    bind = op.get_bind()
    for table in _TABLES:
        table.create(bind)
    op.execute(ledger_head.insert().values(id=1, last_seq=0, last_hash="0" * 64))
    for statement in append_only_ddl(bind.dialect.name, APPEND_ONLY):
        op.execute(statement)
    for statement in account_guard_ddl(bind.dialect.name):
        op.execute(statement)


def downgrade() -> None:
    """Drop the ledger (only for throwaway databases)."""
    bind = op.get_bind()
    for table in reversed(_TABLES):
        table.drop(bind)

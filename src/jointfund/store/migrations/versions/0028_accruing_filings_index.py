"""An index of the filings whose share accrues to a contribution account.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-07

The calendar (and the overview, which shows its deadlines) finds the filings accruing to a
contribution account on every request. Without an index on the account, SQLite walked every
filing with no entry through the entry index and looked each one up: 35 ms at 200,093
filings, 18 s at ten million (`benchmarks/scale.py`, 7 Dec). The index is partial (only
filings with a credit account), so the filings booked directly, nearly all of them, cost it
nothing.
"""

from __future__ import annotations

from alembic import op

from jointfund.store.indexes import create_missing_index
from jointfund.store.tables.registry import filings

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_accruing")


def upgrade() -> None:
    """Create the index where the filings table predates it (0002 creates it with the table)."""
    create_missing_index(op.get_bind(), _INDEX)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    _INDEX.drop(op.get_bind())

"""Filing totals: the latest filings summed per year, licence, stream, currency; and per month.

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-06

The public transparency page and its API summed every stored filing on every request (4.5 s
at 155k filings). This table holds those sums, kept in the import's own transaction and
recomputed by `verify`; `filing_months` does the same per period and licence for the
overview's inflows by resource and month. Books made before them get them filled from their
filings here. The index on (period, id) lets the public data be read a page at a time in
period order.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.filing_totals import rebuild_filing_totals
from jointfund.store.indexes import create_missing_index
from jointfund.store.tables.registry import filing_months, filing_totals, filings

revision = "0018"
down_revision = "0015"
branch_labels = None
depends_on = None

_PERIOD_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_period")


def upgrade() -> None:
    """Create the table and sum the filings already stored into it."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filings" not in present:
        return  # 0002 has not run yet: it creates filing_totals with the filings
    for table in (filing_totals, filing_months):
        if table.name not in present:
            table.create(bind)
    create_missing_index(bind, _PERIOD_INDEX)
    rebuild_filing_totals(bind)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    _PERIOD_INDEX.drop(op.get_bind())
    filing_months.drop(op.get_bind())
    filing_totals.drop(op.get_bind())

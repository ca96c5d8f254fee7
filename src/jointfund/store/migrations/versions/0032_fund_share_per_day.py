"""The fund's share of the latest eligible filings per stream, day received, currency and place.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-07

The reconciliation by budget code read every stored filing to sum the fund's share by stream
and month received (28.7 s a request at a million filings, 7 Dec). `filing_fund_days` keeps
those sums per day; it is summed afresh from the filings here.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.filing_totals import rebuild_filing_totals
from jointfund.store.tables.registry import filing_fund_days

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the table where the filings table predates it."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filings" not in present:
        return  # 0002 has not run yet: it creates it with the filings
    if filing_fund_days.name not in present:
        filing_fund_days.create(bind)
        rebuild_filing_totals(bind, tables=(filing_fund_days.name,))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

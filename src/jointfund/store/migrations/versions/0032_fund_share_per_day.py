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

from jointfund.store.filing_totals import create_kept_tables
from jointfund.store.tables.registry import filing_fund_days

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the kept tables where the filings table predates them."""
    create_kept_tables(op.get_bind(), (filing_fund_days,))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

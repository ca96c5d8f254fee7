"""The latest rent filings counted per period, day received and the licence's resources.

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-07

The compliance calendar built one item per rent filing to count those that met their Tax
Code deadline, met it late or break a rule (44.7 s for 360,100 at 600,093 filings, 7 Dec).
Each of those depends only on the period, the day received and the licence's resources, so
`filing_rent_days` keeps the count per that key; it is summed afresh from the filings here.
"""

from __future__ import annotations

from alembic import op

from jointfund.store.filing_totals import create_kept_tables
from jointfund.store.tables.registry import filing_rent_days

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the kept tables where the filings table predates them."""
    create_kept_tables(op.get_bind(), (filing_rent_days,))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

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
from sqlalchemy import inspect

from jointfund.store.filing_totals import rebuild_filing_totals
from jointfund.store.tables.registry import filing_rent_days

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the table where the filings table predates it."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filings" not in present:
        return  # 0002 has not run yet: it creates it with the filings
    if filing_rent_days.name not in present:
        filing_rent_days.create(bind)
        rebuild_filing_totals(bind, tables=(filing_rent_days.name,))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

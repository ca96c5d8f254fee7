"""The latest filings summed per licence over every year, and per year and stream.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-07

The public page's default view (every year) grouped the per-year sums of every licence on the
first read after each change: 200,000 rows at 20,019 licences and ten years, 1.2-1.5 s for its
tables and totals (7 Dec). `filing_licences` keeps them per licence, so that view's tables and
its totals by resource and oblast read rows of licences; `filing_year_streams` keeps them per
year and stream, for its totals by year and stream. Both are summed afresh from the filings
here.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.filing_totals import rebuild_filing_totals
from jointfund.store.tables.registry import filing_licences, filing_year_streams

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the two tables where the filings table predates them."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filings" not in present:
        return  # 0002 has not run yet: it creates them with the filings
    for table in (filing_licences, filing_year_streams):
        if table.name not in present:
            table.create(bind)
            rebuild_filing_totals(bind, tables=(table.name,))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

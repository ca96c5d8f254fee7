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

from jointfund.store.filing_totals import create_kept_tables
from jointfund.store.tables.registry import filing_licences, filing_year_streams

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the kept tables where the filings table predates them."""
    create_kept_tables(
        op.get_bind(),
        (
            filing_licences,
            filing_year_streams,
        ),
    )


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

"""The register of accruals summed per contribution account, day received and currency, and
per year received, licence and stream.

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-07

Under the agreement's cycle every filing accrues until a transfer, and the overview's calendar
summed them all on its first request after each change (2.46 s at ten million filings on
PostgreSQL, 7 Dec), and the cycle report summed them per licence and stream on every request
(451-579 ms at 114,306). `filing_accrual_days` keeps the sums per day and
`filing_accrual_licences` per year, licence and stream; both are summed afresh from the filings
here.
"""

from __future__ import annotations

from alembic import op

from jointfund.store.filing_totals import create_kept_tables
from jointfund.store.tables.registry import filing_accrual_days, filing_accrual_licences

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make and fill the kept tables where the filings table predates them."""
    create_kept_tables(
        op.get_bind(),
        (
            filing_accrual_days,
            filing_accrual_licences,
        ),
    )


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

"""The monthly filing sums keyed by the resources of the licence, not the licence.

Revision ID: 0027
Revises: 0018
Create Date: 2026-12-07

The overview's inflows by resource and month joined the monthly sums per licence to the
register and grouped them on every first read after a change: 150 ms at 20,019 licences and
200,093 filings, and a row per licence and month (2.4 million at ten years of a national
register). A licence's resources cannot change once it has filings (`fund.licences`), so the
sums can be kept per period and resource list instead: rows of periods times resource lists,
whatever the register holds. The table is made again in its new shape and summed afresh from
the filings.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.filing_totals import rebuild_filing_totals
from jointfund.store.tables.registry import filing_months

revision = "0027"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Make `filing_months` again keyed by period and resources, and fill it."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filings" not in present:
        return  # 0002 has not run yet: it creates filing_months in this shape
    if "filing_months" in present:
        columns = {c["name"] for c in inspect(bind).get_columns("filing_months")}
        if "resources" in columns:
            return  # made in this shape (by 0002 or 0018 after this revision was written)
        filing_months.drop(bind)
    filing_months.create(bind)
    rebuild_filing_totals(bind, tables=("filing_months",))


def downgrade() -> None:
    """Nothing to undo in place (throwaway databases only)."""

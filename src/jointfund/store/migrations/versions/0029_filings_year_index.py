"""An index of the filings by the year of their period and their id.

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-07

`GET /api/filings?year=` pages a year's filings in id order. Matched with `period LIKE
'YYYY-%'` on each row, a page walked every filing from the cursor on until it had found its
rows: 315 ms at ten million filings for a year near the end of the history
(`benchmarks/scale.py`, 7 Dec). The index holds the year (`substr(period, 1, 4)`) and the id,
so a page reads only its own rows.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.indexes import index_names
from jointfund.store.tables.registry import filings

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_year")


def upgrade() -> None:
    """Create the index where the filings table predates it."""
    bind = op.get_bind()
    if "filings" not in set(inspect(bind).get_table_names()):
        return  # 0002 has not run yet: it creates the index with the table
    if _INDEX.name not in index_names(bind, "filings"):
        _INDEX.create(bind)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    _INDEX.drop(op.get_bind())

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

from jointfund.store.indexes import create_missing_index
from jointfund.store.tables.registry import filings

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_year")


def upgrade() -> None:
    """Create the index where the filings table predates it (0002 creates it with the table)."""
    create_missing_index(op.get_bind(), _INDEX)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    _INDEX.drop(op.get_bind())

"""An index on filings by the entry that booked them, to trace an entry to its filings.

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-06

An inflow entry is a daily summary of many filings; the entry page lists them and the filings
page filters by entry. Without this index each was a scan of every stored filing.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.registry import filings

revision = "0024"
down_revision = "0020"
branch_labels = None
depends_on = None

_ENTRY_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_entry")


def upgrade() -> None:
    """Create the index where the filings table predates it."""
    bind = op.get_bind()
    if "filings" not in set(inspect(bind).get_table_names()):
        return
    if "ix_filings_entry" not in {i["name"] for i in inspect(bind).get_indexes("filings")}:
        _ENTRY_INDEX.create(bind)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    _ENTRY_INDEX.drop(op.get_bind())

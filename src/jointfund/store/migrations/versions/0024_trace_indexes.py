"""Indexes to trace and page the books: filings by the entry that booked them, entries by kind.

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-06

An inflow entry is a daily summary of many filings; the entry page lists them and the filings
page filters by entry. The journal page filters by kind and shows how many entries match.
Without these indexes each was a scan of every stored filing or entry.
"""

from __future__ import annotations

from alembic import op

from jointfund.store.indexes import create_missing_index
from jointfund.store.tables.ledger import entries
from jointfund.store.tables.registry import filings

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

_INDEXES = {
    "filings": next(i for i in filings.indexes if i.name == "ix_filings_entry"),
    "entries": next(i for i in entries.indexes if i.name == "ix_entries_kind"),
}


def upgrade() -> None:
    """Create each index where its table predates it."""
    for index in _INDEXES.values():
        create_missing_index(op.get_bind(), index)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    for index in _INDEXES.values():
        index.drop(op.get_bind())

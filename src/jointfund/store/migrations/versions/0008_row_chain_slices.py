"""Row-chain slice records: one record holds the digests of a bulk import's rows.

Revision ID: 0008
Revises: 0005
Create Date: 2026-12-06

A filings import chained every row with a record of its own: a million-row import appended a
million records, a quarter of its cost. A slice record keeps each row's id and content digest
in `row_digests` and is hashed and linked like any other record. Books created before this
revision gain the (empty) column here; their per-row records keep verifying as they are.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, LargeBinary, inspect

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add `row_chain.row_digests` where 0005 created the table without it."""
    names = {c["name"] for c in inspect(op.get_bind()).get_columns("row_chain")}
    if "row_digests" not in names:
        op.add_column("row_chain", Column("row_digests", LargeBinary))


def downgrade() -> None:
    """Keep the column (throwaway databases only drop the whole chain, in 0005)."""

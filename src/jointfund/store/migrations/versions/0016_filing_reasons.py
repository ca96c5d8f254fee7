"""True reasons for stored filings whose kept "why not eligible" text named another period.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06

The decider worked out the reason once per licence, stream and side of entry into force, so
every filing of a licence and stream before entry into force kept the first one's text
("receipts for periods ending 2024-11-30 …", also on the 2025-01 … 2025-04 filings). Filings
are append-only and chained, so their rows stay as stored (and keep verifying); this revision
adds `filing_reasons`, append-only and chained, and notes for each such filing the reason
that is true of it, written from its own period, period end and receipt date.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.filing_reasons import note_true_reasons
from jointfund.store.tables.registry import FILING_REASON_APPEND_ONLY, filing_reasons
from jointfund.store.triggers import append_only_ddl

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the table (append-only), note the true reasons, chain the notes."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "filing_reasons" not in present:
        filing_reasons.create(bind)
        for statement in append_only_ddl(bind.dialect.name, FILING_REASON_APPEND_ONLY):
            if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
                continue  # created by 0001
            op.execute(statement)
    if "filings" not in present:
        return  # new books: the registry branch creates filings, and the decider is right
    note_true_reasons(bind)


def downgrade() -> None:
    """Drop the notes (throwaway databases only)."""
    filing_reasons.drop(op.get_bind())

"""An FX rate remembers the row of its file it was read from, so its page says "file, row N".

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06

Rates stored before this revision keep NULL (their page says the row is unknown; nothing is
guessed), and the row chain spells the column only when set (`row_chain.LATE_COLUMNS`), so
every rate chained before keeps its hash and `verify` stays green across the upgrade. A rate
stored after it is chained with its row, so an edit of the row is named by `verify`. Books
created after `0002` already have the column.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Integer, inspect

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the column where the table predates it (ALTER TABLE ... ADD COLUMN on both
    backends: the append-only triggers guard rows, not the table's shape)."""
    bind = op.get_bind()
    if "fx_rates" not in set(inspect(bind).get_table_names()):
        return
    if "source_row" not in {c["name"] for c in inspect(bind).get_columns("fx_rates")}:
        op.add_column("fx_rates", Column("source_row", Integer))


def downgrade() -> None:
    """Keep the column (throwaway databases only drop the whole table, in 0002)."""

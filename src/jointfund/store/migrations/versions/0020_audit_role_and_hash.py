"""The audit log names the actor's role and the SHA-256 of each record's detail; indexed to read.

Revision ID: 0020
Revises: 0015
Create Date: 2026-12-06

Records written before this revision keep NULL in both columns, and the row chain spells those
columns only when set (`row_chain.LATE_COLUMNS`), so every record chained before keeps its hash
and `verify` stays green across the upgrade. Books created after `0003` already have them.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, String, inspect

from jointfund.store.indexes import index_names

revision = "0020"
down_revision = "0015"
branch_labels = None
depends_on = None

_INDEXES = {"ix_audit_log_action": "action", "ix_audit_log_actor": "actor"}


def upgrade() -> None:
    """Add the two columns and the reading indexes where the table predates them."""
    bind = op.get_bind()
    if "audit_log" not in set(inspect(bind).get_table_names()):
        return
    columns = {c["name"] for c in inspect(bind).get_columns("audit_log")}
    if "role" not in columns:
        op.add_column("audit_log", Column("role", String(32)))
    if "detail_hash" not in columns:
        op.add_column("audit_log", Column("detail_hash", String(64)))
    indexes = index_names(bind, "audit_log")
    for name, column in _INDEXES.items():
        if name not in indexes:
            op.create_index(name, "audit_log", [column])


def downgrade() -> None:
    """Keep the columns (throwaway databases only drop the whole log, in 0003)."""

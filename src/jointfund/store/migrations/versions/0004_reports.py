"""Reports: the append-only log of produced reports (its own branch from 0001).

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.reports import REPORT_APPEND_ONLY, report_log
from jointfund.store.triggers import append_only_ddl

revision = "0004"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the report log; produced reports are history, so it refuses change."""
    bind = op.get_bind()
    # A wipe that did not know this table leaves it behind without its revision: start over.
    if inspect(bind).has_table(report_log.name):
        report_log.drop(bind)
    report_log.create(bind)
    for statement in append_only_ddl(bind.dialect.name, REPORT_APPEND_ONLY):
        op.execute(statement)


def downgrade() -> None:
    """Drop it (throwaway databases only)."""
    report_log.drop(op.get_bind())

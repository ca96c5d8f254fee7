"""In-kind aid as reported: cost reports, valuations with evidence, recommendations.

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-06

The Ministry of Defence reports the cost of new U.S. military assistance (Res. 1411), an
evaluation consultant values it for the Audit Committee, the committee recommends one assessed
value and the board approves it. Each step is a row that refuses change, chained like every
other history table; the credit stays a `contributions` row.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.in_kind import IN_KIND_REPORT_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0023"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables on books made before them, and make them refuse change."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    if "contributions" not in present:
        return  # 0003 has not run yet: it creates every operations table, these included
    missing = [t for t in IN_KIND_REPORT_TABLES if t.name not in present]
    for table in missing:
        table.create(bind)
    for statement in append_only_ddl(bind.dialect.name, [t.name for t in missing]):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop them (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(IN_KIND_REPORT_TABLES):
        table.drop(bind)

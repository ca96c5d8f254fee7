"""Postings without foreign keys: the ledger and `verify` hold what they guarded.

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-30

On PostgreSQL every posting paid two trigger-run lookups (its entry, its account), which
halved bulk posting. The ledger checks each account before inserting, entries and accounts
cannot be deleted, and `verify` names orphan postings and unknown accounts. Books created
before this revision lose the two constraints here; the rows are kept as they are.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.store.tables.ledger import postings
from jointfund.store.triggers import append_only_ddl

revision = "0007"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop the foreign keys of `postings` where they exist."""
    bind = op.get_bind()
    keys = inspect(bind).get_foreign_keys("postings")
    if not keys:
        return
    if bind.dialect.name == "postgresql":
        for key in keys:
            op.execute(f'ALTER TABLE postings DROP CONSTRAINT "{key["name"]}"')
        return
    # SQLite cannot drop a constraint: rebuild the table (its triggers go with it, and come
    # back from the same DDL that made them).
    op.execute("CREATE TEMP TABLE postings_kept AS SELECT * FROM postings")
    op.execute("DROP TABLE postings")
    postings.create(bind)
    columns = ", ".join(c.name for c in postings.columns)
    op.execute(f"INSERT INTO postings ({columns}) SELECT {columns} FROM postings_kept")
    op.execute("DROP TABLE postings_kept")
    for statement in append_only_ddl("sqlite", ("postings",)):
        op.execute(statement)


def downgrade() -> None:
    """Keep the table as it is: the constraints are not restored (throwaway databases only)."""

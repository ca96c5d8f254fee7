"""Row chain: a hash-linked record of every row of the append-only tables outside the journal.

Revision ID: 0005
Revises: 0001
Create Date: 2026-11-22

Books that already hold rows get them chained here, table by table in primary-key order, so
`verify` is green right after the upgrade. A table another branch has not created yet is
empty when it arrives and is chained from its first insert.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect

from jointfund.ledger.hashing import GENESIS_HASH
from jointfund.store.row_chain import PROTECTED, chain_existing
from jointfund.store.tables.chain import ROW_CHAIN_APPEND_ONLY, row_chain, row_chain_head
from jointfund.store.tables.ledger import metadata
from jointfund.store.triggers import append_only_ddl

revision = "0005"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = (row_chain, row_chain_head)


def upgrade() -> None:
    """Create the chain and its head, make the chain append-only, chain the rows already there."""
    bind = op.get_bind()
    # A wipe that did not know these tables leaves them behind without their revision.
    for table in _TABLES:
        if inspect(bind).has_table(table.name):
            table.drop(bind)
        table.create(bind)
    op.execute(row_chain_head.insert().values(id=1, last_seq=0, last_hash=GENESIS_HASH))
    for statement in append_only_ddl(bind.dialect.name, ROW_CHAIN_APPEND_ONLY):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)
    present = set(inspect(bind).get_table_names())
    for name in PROTECTED:
        if name in present:
            chain_existing(bind, metadata.tables[name])


def downgrade() -> None:
    """Drop the chain (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(_TABLES):
        table.drop(bind)

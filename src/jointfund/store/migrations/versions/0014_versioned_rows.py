"""Versioned rows: users, tokens, licences, proposals and accounts chained at every change.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-06

These tables change (a user deactivated, a token revoked, a licence reclassified, a proposal
amended or executed, an account closed), and they decide what the fund does, so `verify`
must see an edit to them. Each gains `row_version`; every version of every row is chained
under `<row key>@<row_version>`. Rows books already hold are chained here as version 1, so
`verify` is green right after the upgrade; a table another branch has not created yet is
created with the column and chained from its first insert.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import Column, Integer, inspect

from jointfund.store.row_chain import VERSION_COLUMN, VERSIONED, chain_unchained
from jointfund.store.tables.ledger import metadata

revision = "0014"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add the version column where the table predates it, then chain the rows already held."""
    bind = op.get_bind()
    present = set(inspect(bind).get_table_names())
    for name in VERSIONED:
        if name not in present:
            continue
        columns = {c["name"] for c in inspect(bind).get_columns(name)}
        if VERSION_COLUMN not in columns:
            op.add_column(name, Column(VERSION_COLUMN, Integer, nullable=False, server_default="1"))
        chain_unchained(bind, metadata.tables[name])


def downgrade() -> None:
    """Keep the columns (throwaway databases only drop the whole chain, in 0005)."""

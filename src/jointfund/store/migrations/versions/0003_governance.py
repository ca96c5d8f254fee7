"""Governance and fund operations: users, tokens, proposals, approvals, audit log, contributions.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from jointfund.store.tables.governance import GOVERNANCE_APPEND_ONLY, GOVERNANCE_TABLES
from jointfund.store.tables.operations import OPERATIONS_APPEND_ONLY, OPERATIONS_TABLES
from jointfund.store.triggers import append_only_ddl

revision = "0003"
down_revision = "0001"
branch_labels = None
depends_on = None

_TABLES = (*GOVERNANCE_TABLES, *OPERATIONS_TABLES)


def upgrade() -> None:
    """Create the tables; history tables (audit log, approvals, contributions) refuse change."""
    bind = op.get_bind()
    for table in _TABLES:
        table.create(bind)
    for statement in append_only_ddl(
        bind.dialect.name, (*GOVERNANCE_APPEND_ONLY, *OPERATIONS_APPEND_ONLY)
    ):
        op.execute(statement)


def downgrade() -> None:
    """Drop them (only for throwaway databases)."""
    bind = op.get_bind()
    for table in reversed(_TABLES):
        table.drop(bind)

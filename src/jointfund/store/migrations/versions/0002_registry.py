"""Registry: adopted term sheets, licences, revenue filings, FX rates.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from alembic import op

from jointfund.store.tables.registry import (
    REGISTRY_APPEND_ONLY,
    filing_accrual_days,
    filing_accrual_licences,
    filing_fund_days,
    filing_licences,
    filing_months,
    filing_rent_days,
    filing_totals,
    filing_year_streams,
    filings,
    fx_rates,
    licences,
    term_sheets,
)
from jointfund.store.triggers import append_only_ddl

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The kept sums came with 0018 and 0030-0033; fresh books get them here, with the filings they sum.
_TABLES = (
    term_sheets,
    licences,
    filings,
    fx_rates,
    filing_totals,
    filing_months,
    filing_licences,
    filing_year_streams,
    filing_rent_days,
    filing_fund_days,
    filing_accrual_days,
    filing_accrual_licences,
)


def upgrade() -> None:
    """Create the registry tables; filings, rates and adopted terms are append-only."""
    bind = op.get_bind()
    for table in _TABLES:
        table.create(bind)
    for statement in append_only_ddl(bind.dialect.name, REGISTRY_APPEND_ONLY):
        if "CREATE OR REPLACE FUNCTION" in statement and bind.dialect.name == "postgresql":
            continue  # created by 0001
        op.execute(statement)


def downgrade() -> None:
    """Drop the registry (throwaway databases only)."""
    bind = op.get_bind()
    for table in reversed(_TABLES):
        table.drop(bind)

"""Storage: SQLAlchemy Core tables, migrations and queries for SQLite and PostgreSQL.

The package is its own façade: `fund` imports `jointfund.store` and calls the public module
of each noun (`store.filings.insert_filings(tx, ...)`, `store.audit.append_audit(...)`);
the rest (`tables`, `posting` internals, `bulk_rows`, `upsert`, `triggers`, `migrations`) is
how those modules do their work. No SQLAlchemy object leaves the package: every function
returns plain records (`Tx`, the open transaction a use case passes back in, is opaque).
"""

from sqlalchemy import Connection as Tx

# The table modules register every table on the shared metadata (wipe() drops them all).
from jointfund.store import (
    accounts,
    audit,
    backup,
    balances,
    books,
    closes,
    committees,
    contributions,
    filing_reads,
    filing_reasons,
    filing_totals,
    filings,
    fund_share,
    fx_rates,
    head,
    investments,
    journal,
    licences,
    partners,
    posting,
    proposals,
    receipts,
    report_log,
    row_chain,
    sessions,
    tables,
    term_sheets,
    tokens,
    users,
    verification,
    verify_since,
)
from jointfund.store.database import (
    Database,
    is_empty,
    open_database,
    schema_revision,
    upgrade,
    wipe,
)
from jointfund.store.tables import chain as _chain_tables  # noqa: F401
from jointfund.store.tables import governance as _governance_tables  # noqa: F401
from jointfund.store.tables import operations as _operations_tables  # noqa: F401
from jointfund.store.tables import receipts as _receipt_tables  # noqa: F401
from jointfund.store.tables import registry as _registry_tables  # noqa: F401
from jointfund.store.tables import reports as _report_tables  # noqa: F401

__all__ = [
    "Database",
    "Tx",
    "accounts",
    "audit",
    "backup",
    "balances",
    "books",
    "closes",
    "committees",
    "contributions",
    "filing_reads",
    "filing_reasons",
    "filing_totals",
    "filings",
    "fund_share",
    "fx_rates",
    "head",
    "investments",
    "is_empty",
    "journal",
    "licences",
    "open_database",
    "partners",
    "posting",
    "proposals",
    "receipts",
    "report_log",
    "row_chain",
    "schema_revision",
    "sessions",
    "tables",
    "term_sheets",
    "tokens",
    "upgrade",
    "users",
    "verification",
    "verify_since",
    "wipe",
]

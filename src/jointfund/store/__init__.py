"""Storage: SQLAlchemy Core tables, migrations and queries for SQLite and PostgreSQL."""

# Importing the table modules registers every table on the shared metadata (wipe() drops them).
from jointfund.store import governance_tables as _governance_tables  # noqa: F401
from jointfund.store import operations_tables as _operations_tables  # noqa: F401
from jointfund.store import registry_tables as _registry_tables  # noqa: F401
from jointfund.store import report_log as _report_log  # noqa: F401
from jointfund.store.database import (
    Database,
    is_empty,
    open_database,
    schema_revision,
    upgrade,
    wipe,
)
from jointfund.store.ledger import Ledger
from jointfund.store.queries import BalanceRow

__all__ = [
    "BalanceRow",
    "Database",
    "Ledger",
    "is_empty",
    "open_database",
    "schema_revision",
    "upgrade",
    "wipe",
]

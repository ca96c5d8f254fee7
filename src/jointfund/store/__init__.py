"""Storage: SQLAlchemy Core tables, migrations and queries for SQLite and PostgreSQL."""

from jointfund.store import registry_tables as _registry_tables  # noqa: F401 - registers tables
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

"""Use cases: one function per user action, each checking who may do it, in one transaction.

Adapters (the CLI, the HTTP app) reach the books only through here: `open_books` gives them a
`Database` handle to pass back in, and every use case returns plain frozen records. Every
write goes through `fund.door`.
"""

from jointfund.store import Database, open_database


def open_books(url_or_path: str, *, migrate: bool = True, pool: bool = True) -> Database:
    """The books at a SQLAlchemy URL or SQLite file path, migrated to the newest schema."""
    return open_database(url_or_path, migrate=migrate, pool=pool)


__all__ = ["Database", "open_books"]

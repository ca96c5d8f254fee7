"""Books made before revision 0007 lose the posting foreign keys and keep every row."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import DBAPIError

from jointfund.store import Database, open_database
from jointfund.store.books import Books
from jointfund.store.triggers import append_only_ddl

from ..ledger.books_fixtures import books_with_chart, transfer

_OLD_SQLITE_POSTINGS = (
    "CREATE TABLE postings (entry_seq INTEGER NOT NULL REFERENCES entries (seq), "
    "idx SMALLINT NOT NULL, account_id INTEGER NOT NULL REFERENCES accounts (id), "
    "amount BIGINT NOT NULL, currency VARCHAR(3) NOT NULL, PRIMARY KEY (entry_seq, idx)) "
    "WITHOUT ROWID"
)


def _back_to_revision_0006(url: str) -> None:
    """Give the postings table the two foreign keys it had before 0007, and forget 0007."""
    engine = create_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(
                "ALTER TABLE postings ADD FOREIGN KEY (entry_seq) REFERENCES entries (seq), "
                "ADD FOREIGN KEY (account_id) REFERENCES accounts (id)"
            )
        else:
            conn.exec_driver_sql("CREATE TEMP TABLE old_rows AS SELECT * FROM postings")
            conn.exec_driver_sql("DROP TABLE postings")
            conn.exec_driver_sql(_OLD_SQLITE_POSTINGS)
            conn.exec_driver_sql(
                "CREATE INDEX ix_postings_account ON postings (account_id, entry_seq)"
            )
            conn.exec_driver_sql("INSERT INTO postings SELECT * FROM old_rows")
            for statement in append_only_ddl("sqlite", ("postings",)):
                conn.exec_driver_sql(statement)
        conn.execute(text("DELETE FROM alembic_version WHERE version_num = '0007'"))
    engine.dispose()


def test_upgrade_drops_the_foreign_keys_and_keeps_history(db: Database, db_url: str) -> None:
    books = books_with_chart(Books(db))
    books.post_many(
        [
            transfer(f"m{i}", date(2025, 3, 1 + i), "Assets:Cash:USD", "Equity:Capital:US", 100 + i)
            for i in range(20)
        ]
    )
    before = books.balances()
    db.dispose()
    _back_to_revision_0006(db_url)
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert len(inspect(conn).get_foreign_keys("postings")) == 2
    engine.dispose()

    upgraded = open_database(db_url)
    try:
        with upgraded.read() as conn:
            assert inspect(conn).get_foreign_keys("postings") == []
            assert inspect(conn).get_indexes("postings")[0]["name"] == "ix_postings_account"
        again = Books(upgraded)
        assert again.balances() == before
        assert again.verify().ok
        # Still append-only after the rebuild.
        with pytest.raises(DBAPIError, match="append-only"), upgraded.write() as conn:
            conn.execute(text("UPDATE postings SET amount = amount + 1"))
    finally:
        upgraded.dispose()

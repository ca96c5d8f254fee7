"""SQLAlchemy Core tables of the ledger: one schema for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

# SQLite makes only an INTEGER PRIMARY KEY the rowid itself; BIGINT would add a second B-tree.
Seq = BigInteger().with_variant(Integer(), "sqlite")

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("type", String(16), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("partner", String(16)),
    Column("non_negative", Boolean, nullable=False, default=False),
    Column("opened_on", Date, nullable=False),
    Column("closed_on", Date),
    Column("row_version", Integer, nullable=False, default=1, server_default="1"),
)

entries = Table(
    "entries",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=False),
    Column("key", String(200), nullable=False),
    Column("effective_date", Date, nullable=False),
    Column("booked_at", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("memo", Text, nullable=False),
    Column("metadata", Text, nullable=False),
    Column("links", Text, nullable=False),
    Column("reverses_seq", BigInteger, ForeignKey("entries.seq")),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    UniqueConstraint("key", name="uq_entries_key"),
    Index("ix_entries_effective_date", "effective_date"),
    # The journal filtered by kind, a page at a time and counted (migration 0024).
    Index("ix_entries_kind", "kind", "seq"),
    # Partial, so the millions of entries that reverse nothing cost no index row.
    Index(
        "uq_entries_reverses",
        "reverses_seq",
        unique=True,
        sqlite_where=text("reverses_seq IS NOT NULL"),
        postgresql_where=text("reverses_seq IS NOT NULL"),
    ),
)

# No foreign keys here, on purpose: they doubled the cost of bulk posting on PostgreSQL (one
# trigger-run lookup per posting and key) and guard nothing the ledger does not already hold.
# The ledger checks every account before it inserts, entries and accounts can never be deleted
# (triggers), and `verify` names any posting whose entry is missing or whose account is unknown
# (the account's name is part of the hashed content).
postings = Table(
    "postings",
    metadata,
    Column("entry_seq", Seq, primary_key=True),
    Column("idx", SmallInteger, primary_key=True, autoincrement=False),
    Column("account_id", Integer, nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("currency", String(3), nullable=False),
    Index("ix_postings_account", "account_id", "entry_seq"),
    sqlite_with_rowid=False,
)

balances = Table(
    "balances",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
    Column("amount", BigInteger, nullable=False),
)

day_totals = Table(
    "day_totals",
    metadata,
    Column("account_id", Integer, ForeignKey("accounts.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("amount", BigInteger, nullable=False),
)

ledger_head = Table(
    "ledger_head",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)

period_closes = Table(
    "period_closes",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("through", Date, nullable=False, unique=True),
    Column("closed_at", String(32), nullable=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("entry_count", BigInteger, nullable=False),
    Column("checkpoint", Text, nullable=False),
)

# Tables whose rows are history: the database itself refuses UPDATE and DELETE on them.
APPEND_ONLY = ("entries", "postings", "period_closes")

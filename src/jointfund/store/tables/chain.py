"""The row chain's tables: one record per chained row (or slice of rows) and the head."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from jointfund.store.tables.ledger import Seq, metadata

row_chain = Table(
    "row_chain",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=False),
    Column("table_name", String(64), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("row_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # A slice record's rows: per row its id (8 bytes, big-endian) and content SHA-256 (32).
    Column("row_digests", LargeBinary),
    # One record per row or slice: chaining a row twice is a bug; verify looks rows up by it.
    UniqueConstraint("table_name", "row_key", name="uq_row_chain_row"),
)


row_chain_head = Table(
    "row_chain_head",
    metadata,
    Column("id", SmallInteger, primary_key=True, autoincrement=False),
    Column("last_seq", BigInteger, nullable=False),
    Column("last_hash", String(64), nullable=False),
)


ROW_CHAIN_APPEND_ONLY = ("row_chain",)

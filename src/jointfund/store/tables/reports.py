"""The report log's table: every report produced, with the SHA-256 of its bytes."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from jointfund.store.tables.ledger import metadata

report_log = Table(
    "report_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(32), nullable=False),
    Column("period", String(32), nullable=False),
    Column("format", String(8), nullable=False),
    Column("produced_at", String(32), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Index("ix_report_log_kind", "kind", "produced_at"),
)


REPORT_APPEND_ONLY = ("report_log",)

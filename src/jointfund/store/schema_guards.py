"""The schema's own guards, checked by `verify` and before a restore: the triggers that make
history append-only, the unique constraints that keep keys and votes single, and the
migrations at their newest revision.

Dropping a trigger (or restoring a backup whose triggers were dropped) makes the live books
editable again; `verify` names what is missing.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from jointfund.i18n.message import Message
from jointfund.ledger import Finding
from jointfund.store.indexes import unique_keys
from jointfund.store.tables.chain import ROW_CHAIN_APPEND_ONLY
from jointfund.store.tables.governance import GOVERNANCE_APPEND_ONLY
from jointfund.store.tables.ledger import APPEND_ONLY
from jointfund.store.tables.operations import OPERATIONS_APPEND_ONLY
from jointfund.store.tables.receipts import RECEIPTS_APPEND_ONLY
from jointfund.store.tables.registry import FILING_REASON_APPEND_ONLY, REGISTRY_APPEND_ONLY
from jointfund.store.tables.reports import REPORT_APPEND_ONLY

HISTORY_TABLES = (
    *APPEND_ONLY,
    *REGISTRY_APPEND_ONLY,
    *FILING_REASON_APPEND_ONLY,
    *GOVERNANCE_APPEND_ONLY,
    *OPERATIONS_APPEND_ONLY,
    *RECEIPTS_APPEND_ONLY,
    *REPORT_APPEND_ONLY,
    *ROW_CHAIN_APPEND_ONLY,
)
"""Every table whose rows are history: the database must refuse UPDATE and DELETE on them."""

UNIQUE = {
    "entries": ("key",),
    "filings": ("payer_reference", "version"),
    "approvals": ("proposal_id", "user_id", "payload_hash"),
    "committee_votes": ("proposal_id", "committee", "user_id", "payload_hash"),
    "row_chain": ("table_name", "row_key"),
    "api_tokens": ("token_hash",),
    "users": ("name",),
}
"""Keys the database itself must keep single (one entry per idempotency key, one vote per
manager and payload, one record per chained row, one user per name)."""


def expected_triggers(dialect: str) -> set[str]:
    """The names of the guard triggers the migrations create on `dialect`."""
    if dialect == "sqlite":
        names = {f"{t}_no_{op}" for t in HISTORY_TABLES for op in ("update", "delete")}
        return names | {"accounts_no_delete", "accounts_frozen"}
    names = {f"{t}_{kind}" for t in HISTORY_TABLES for kind in ("append_only", "no_truncate")}
    return names | {"accounts_guard"}


def present_triggers(conn: Connection) -> set[str]:
    """The triggers the database holds on the books' tables."""
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {str(r[0]) for r in rows}
    rows = conn.execute(
        text(
            "SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
    )
    return {str(r[0]) for r in rows}


def guard_findings(conn: Connection, *, heads: set[str] | None = None) -> list[Finding]:
    """Every guard of the schema that is missing; `heads`, when given, are the migration
    revisions the code has, which the database must be at."""
    found = [
        Finding(
            Message(
                "schema guard missing: trigger {name} (history can be edited in place)",
                name=name,
            )
        )
        for name in sorted(expected_triggers(conn.dialect.name) - present_triggers(conn))
    ]
    tables = set(inspect(conn).get_table_names())
    for table, columns in UNIQUE.items():
        if table in tables and columns not in unique_keys(conn, table):
            found.append(
                Finding(
                    Message(
                        "schema guard missing: unique key ({value}) on {table}",
                        value=", ".join(columns),
                        table=table,
                    )
                )
            )
    if heads is not None:
        at = set()
        if "alembic_version" in tables:
            at = {
                str(r[0]) for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")
            }
        if at != heads:
            found.append(
                Finding(
                    Message(
                        "schema at revisions {value}, the code at {value2}",
                        value=", ".join(sorted(at)) or "none",
                        value2=", ".join(sorted(heads)),
                    )
                )
            )
    return found

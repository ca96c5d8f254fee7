"""The row chain: SHA-256 links over every append-only table outside the journal.

The journal (`entries`, `postings`) carries its own chain. Every other history table
(closes, filings, rates, term sheets, approvals, contributions, the audit log, the report
log, ...) gets `row_chain` records written in the same transaction as its rows, each linked
to the record before it. A row inserted on its own gets a record holding the hash of its
canonical content. A bulk import (filings) gets one record per slice of rows instead, holding
each row's id and content digest, with the record's hash taken over those digests: verify
still names the very row that changed, and a million-row import appends fifty records, not
a million. `verify` recomputes the rows against the chain (`store.row_chain_verify`), so an
edit made with the triggers disabled no longer passes unseen.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean,
    Connection,
    Date,
    Table,
    and_,
    insert,
    select,
    tuple_,
    update,
)

from jointfund.ledger.hashing import canonical_json, canonical_row
from jointfund.store.bulk_rows import bulk_insert
from jointfund.store.head import lock_books
from jointfund.store.tables.chain import row_chain, row_chain_head
from jointfund.store.tx_memo import recall, remember

# Every append-only table outside the journal, in the order the migration chains old rows.
PROTECTED = (
    "period_closes",
    "term_sheets",
    "fx_rates",
    "filings",
    "approvals",
    "term_changes",
    "admitted_partners",
    "audit_log",
    "contributions",
    "in_kind_values",
    "in_kind_approvals",
    "investments",
    "investment_marks",
    "contribution_transfers",
    "deadline_records",
    "report_log",
    "sessions_started",
    "sessions_ended",
    "filing_reasons",
    "treasury_receipts",
    "auction_sales",
    "in_kind_cost_reports",
    "in_kind_valuations",
    "in_kind_recommendations",
    "committee_seatings",
    "committee_votes",
)


# The tables whose rows change (a user deactivated, a token revoked, a licence reclassified, a
# proposal amended or executed, an account closed) and drive what the fund does: every version
# of every row is chained, keyed `<row key>@<row_version>`, and verify holds each row to the
# newest version the chain has for it.
VERSIONED = ("accounts", "users", "api_tokens", "licences", "proposals")
VERSION_COLUMN = "row_version"

# Columns a table gained after rows of it were chained, last in the table: spelled only when
# set, so a row chained before they existed hashes as it did (and setting one later on such
# a row changes its hash, which verify names).
LATE_COLUMNS = {"audit_log": ("role", "detail_hash"), "fx_rates": ("source_row",)}

CHAIN_COLUMNS = ("seq", "table_name", "row_key", "row_hash", "prev_hash", "hash")


SLICE_ITEM = struct.Struct(">q32s")
"""One row of a slice record: its integer key and the SHA-256 of its canonical content."""


def link_hash(prev_hash: str, seq: int, table: str, row_key: str, row_hash: str) -> str:
    """The hash that links row-chain record `seq` to every record before it."""
    return hashlib.sha256(f"{prev_hash}|{seq}|{table}|{row_key}|{row_hash}".encode()).hexdigest()


class RowCanon:
    """How one table's rows are spelled for hashing: every column, in table order.

    Values are spelled one way whatever the driver hands back: dates as ISO text, booleans
    as true/false, None as null; integers and text are what both backends return already.
    """

    def __init__(self, table: Table) -> None:
        self.table = table
        columns = list(table.columns)
        self.dates = [i for i, c in enumerate(columns) if isinstance(c.type, Date)]
        self.bools = [i for i, c in enumerate(columns) if isinstance(c.type, Boolean)]
        self.key_at = [i for i, c in enumerate(columns) if c.primary_key]
        names = [c.name for c in columns]
        self.version_at = names.index(VERSION_COLUMN) if VERSION_COLUMN in names else None
        late = LATE_COLUMNS.get(str(table.name), ())
        assert tuple(names[len(names) - len(late) :]) == late, "late columns come last"
        self.late = len(late)

    def spelled(self, row: Sequence[Any]) -> list[Any]:
        """The row's values as they are hashed: dates as ISO text, flags as booleans."""
        values = list(row)
        for i in self.dates:
            value = values[i]
            if value is not None and not isinstance(value, str):
                values[i] = value.isoformat()
        for i in self.bools:
            value = values[i]
            if value is not None:
                values[i] = bool(value)
        late = self.late
        while late and values[-1] is None:
            values.pop()
            late -= 1
        return values

    def text(self, row: Sequence[Any]) -> tuple[str, str]:
        """(row key, canonical content) of one row given in table column order."""
        values = self.spelled(row)
        return self.key_of(values), canonical_json(values)

    def hashed(self, row: Sequence[Any]) -> tuple[str, str]:
        """(row key, SHA-256 of the canonical content) of one row."""
        values = self.spelled(row)
        return self.key_of(values), hashlib.sha256(canonical_row(values)).hexdigest()

    def key_of(self, values: Sequence[Any]) -> str:
        """The row key of spelled values: an integer key as digits, others as canonical JSON;
        a versioned table's key ends in `@<row_version>`."""
        base = self.base_key(values)
        if self.version_at is None:
            return base
        return f"{base}@{values[self.version_at]}"

    def base_key(self, values: Sequence[Any]) -> str:
        """The row key without a version: the primary key alone."""
        if len(self.key_at) == 1:
            first = values[self.key_at[0]]
            return str(first) if type(first) is int else canonical_json(first)
        return canonical_json([values[i] for i in self.key_at])

    def key_values(self, row_key: str) -> tuple[Any, ...]:
        """The primary-key values a row key spells, typed for a query on the table."""
        parsed = json.loads(row_key)
        parts = [parsed] if len(self.key_at) == 1 else list(parsed)
        columns = list(self.table.columns)
        out = []
        for i, value in zip(self.key_at, parts, strict=True):
            is_day = isinstance(columns[i].type, Date) and isinstance(value, str)
            out.append(date.fromisoformat(value) if is_day else value)
        return tuple(out)


_MOVED = "jointfund.row_head_moved"
"""Where this transaction last moved the row chain's head: (seq, hash)."""


def lock_row_head(conn: Connection) -> tuple[int, str]:
    """The row chain's head, locked until commit on PostgreSQL.

    The journal's head is locked first: posting takes it before anything it chains, so every
    writer takes the two in one order and two writers never wait on each other in a circle.
    Once this transaction has moved the head outside any savepoint, it holds the lock and
    knows the head: a second chaining write (an upload's filings, then its audit record)
    reads it without a round trip while every other writer waits.
    """
    moved: tuple[int, str] | None = recall(conn, _MOVED)
    if moved is not None:
        return moved
    stmt = select(row_chain_head.c.last_seq, row_chain_head.c.last_hash)
    if conn.dialect.name == "postgresql":
        lock_books(conn)
        stmt = stmt.with_for_update()
    row = conn.execute(stmt.where(row_chain_head.c.id == 1)).one()
    return int(row.last_seq), str(row.last_hash)


def row_head(conn: Connection) -> tuple[int, str]:
    """The row chain's head as this transaction sees it (no lock)."""
    row = conn.execute(
        select(row_chain_head.c.last_seq, row_chain_head.c.last_hash).where(
            row_chain_head.c.id == 1
        )
    ).one()
    return int(row.last_seq), str(row.last_hash)


def chain_rows(
    conn: Connection, table: Table, rows: Iterable[Sequence[Any]], *, spelled: bool = False
) -> int:
    """Chain rows just inserted into `table`, in the caller's transaction; returns how many.

    Each row is a tuple in `table.columns` order holding exactly what was stored (ids
    included); each gets its own record. `spelled` rows (bulk imports build them so) already
    hold dates as ISO text and flags as bool, and are keyed by their first column, an integer:
    they go into one slice record together, which the caller keeps to a sensible size.
    """
    if spelled:
        return _chain_slice(conn, str(table.name), list(rows))
    canon = RowCanon(table)
    hashed = [canon.hashed(row) for row in rows]
    if not hashed:
        return 0
    last_seq, prev = lock_row_head(conn)
    # A plain str: the driver adapts SQLAlchemy's quoted_name through a slow attribute lookup.
    name = str(table.name)
    records: list[tuple[Any, ...]] = []
    append = records.append
    for seq, (key, digest) in enumerate(hashed, start=last_seq + 1):
        linked = link_hash(prev, seq, name, key, digest)
        append((seq, name, key, digest, prev, linked))
        prev = linked
    bulk_insert(conn, "row_chain", CHAIN_COLUMNS, records)
    _move_head(conn, last_seq + len(records), prev)
    return len(records)


def slice_digests(rows: Sequence[Sequence[Any]]) -> bytes:
    """Each spelled row's integer key and content digest, packed as a slice record holds them."""
    pack, sha256 = SLICE_ITEM.pack, hashlib.sha256
    return b"".join([pack(row[0], sha256(canonical_row(row)).digest()) for row in rows])


def slice_key(rows: Sequence[Sequence[Any]]) -> str:
    """A slice record's row key: the first and last id it covers, as `first..last`."""
    ids = [row[0] for row in rows]
    return f"{min(ids)}..{max(ids)}"


def _chain_slice(conn: Connection, name: str, rows: list[Sequence[Any]]) -> int:
    """One record for `rows`: their digests, hashed and linked like any other record."""
    if not rows:
        return 0
    blob = slice_digests(rows)
    key, digest = slice_key(rows), hashlib.sha256(blob).hexdigest()
    last_seq, prev = lock_row_head(conn)
    seq = last_seq + 1
    linked = link_hash(prev, seq, name, key, digest)
    conn.execute(
        insert(row_chain).values(
            seq=seq,
            table_name=name,
            row_key=key,
            row_hash=digest,
            prev_hash=prev,
            hash=linked,
            row_digests=blob,
        )
    )
    _move_head(conn, seq, linked)
    return len(rows)


def _move_head(conn: Connection, last_seq: int, last_hash: str) -> None:
    conn.execute(
        update(row_chain_head)
        .where(row_chain_head.c.id == 1)
        .values(last_seq=last_seq, last_hash=last_hash)
    )
    remember(conn, _MOVED, (last_seq, last_hash))


def chain_stored(conn: Connection, table: Table, where: Any) -> int:
    """Chain the rows of `table` matching `where`, read back exactly as stored."""
    pk = list(table.primary_key.columns)
    rows = conn.execute(select(table).where(where).order_by(*pk)).all()
    return chain_rows(conn, table, [tuple(r) for r in rows])


def chain_inserted(conn: Connection, table: Table, primary_key: Sequence[Any] | None) -> int:
    """Chain the one row an `insert()` just stored, given its `inserted_primary_key`."""
    assert primary_key is not None
    pk = list(table.primary_key.columns)
    return chain_stored(conn, table, and_(*(c == v for c, v in zip(pk, primary_key, strict=True))))


def insert_chained(conn: Connection, table: Table, values: dict[str, Any]) -> tuple[Any, ...]:
    """Insert one row and chain it as the database hands it back (`RETURNING`, on both
    backends): one statement fewer than reading it again, on every write's audit record."""
    row = tuple(conn.execute(table.insert().values(**values).returning(*table.columns)).one())
    chain_rows(conn, table, [row])
    return row


def chain_existing(conn: Connection, table: Table, page: int = 5000) -> int:
    """Chain every row already in `table`, in primary-key order (for upgrading old books)."""
    pk = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*pk).execution_options(yield_per=page))
    done = 0
    for part in result.partitions():
        done += chain_rows(conn, table, [tuple(r) for r in part])
    return done


def chain_unchained(conn: Connection, table: Table, page: int = 5000) -> int:
    """Chain the rows of `table` the chain does not hold yet, in primary-key order (for an
    upgrade that may run again over books it has seen)."""
    canon, name = RowCanon(table), str(table.name)
    held = set(
        conn.execute(select(row_chain.c.row_key).where(row_chain.c.table_name == name)).scalars()
    )
    pk = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*pk).execution_options(yield_per=page))
    done = 0
    for part in result.partitions():
        fresh = [tuple(r) for r in part if canon.key_of(canon.spelled(tuple(r))) not in held]
        done += chain_rows(conn, table, fresh)
    return done


def bump_version(conn: Connection, table: Table, where: Any, **values: Any) -> int:
    """Update the rows of a versioned `table` matching `where` to a new version, and chain it;
    returns how many rows changed."""
    version = table.c[VERSION_COLUMN]
    pk = list(table.primary_key.columns)
    changed = conn.execute(
        update(table).where(where).values(**values, row_version=version + 1).returning(*pk)
    ).all()
    if not changed:
        return 0
    keys = [tuple(r) for r in changed]
    match = pk[0].in_([k[0] for k in keys]) if len(pk) == 1 else tuple_(*pk).in_(keys)
    chain_stored(conn, table, match)
    return len(keys)

"""The row chain: a SHA-256 link per row of every append-only table outside the journal.

The journal (`entries`, `postings`) carries its own chain. Every other history table
(closes, filings, rates, term sheets, approvals, contributions, the audit log, the report
log, ...) gets one `row_chain` record per inserted row, written in the same transaction:
the hash of the row's canonical content, linked to the record before it. `verify` recomputes
the rows against it, so an edit made with the triggers disabled no longer passes unseen.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    select,
    tuple_,
    update,
)

from jointfund.ledger import Checkpoint, Finding
from jointfund.ledger.hashing import GENESIS_HASH, canonical_json
from jointfund.store.bulk_rows import bulk_insert
from jointfund.store.posting import lock_books
from jointfund.store.schema import Seq, metadata

row_chain = Table(
    "row_chain",
    metadata,
    Column("seq", Seq, primary_key=True, autoincrement=False),
    Column("table_name", String(64), nullable=False),
    Column("row_key", Text, nullable=False),
    Column("row_hash", String(64), nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    # One record per row: a second chaining of a row is a bug, and verify looks rows up by it.
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
    "report_log",
)

CHAIN_COLUMNS = ("seq", "table_name", "row_key", "row_hash", "prev_hash", "hash")


def _unspellable(value: Any) -> Any:
    raise TypeError(f"a {type(value).__name__} cannot be spelled in a chained row")


# `canonical_json` of a flat list of scalars. A million-row import hashes every row, so the
# C encoder is built once here instead of once per row as `json.dumps` does (half the cost).
_c_encoder = (
    c_make_encoder(None, _unspellable, encode_basestring, None, ":", ",", True, False, True)
    if c_make_encoder is not None
    else None
)


def _encode(value: Any) -> str:
    if _c_encoder is None:
        return canonical_json(value)
    return "".join(_c_encoder(value, 0))


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

    def text(self, row: Sequence[Any]) -> tuple[str, str]:
        """(row key, canonical content) of one row given in table column order."""
        values = list(row)
        for i in self.dates:
            value = values[i]
            if value is not None and not isinstance(value, str):
                values[i] = value.isoformat()
        for i in self.bools:
            value = values[i]
            if value is not None:
                values[i] = bool(value)
        if len(self.key_at) == 1:
            first = values[self.key_at[0]]
            key = str(first) if type(first) is int else _encode(first)
        else:
            key = _encode([values[i] for i in self.key_at])
        return key, _encode(values)

    def hashed(self, row: Sequence[Any]) -> tuple[str, str]:
        """(row key, SHA-256 of the canonical content) of one row."""
        key, content = self.text(row)
        return key, hashlib.sha256(content.encode()).hexdigest()

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


def lock_row_head(conn: Connection) -> tuple[int, str]:
    """The row chain's head, locked until commit on PostgreSQL.

    The journal's head is locked first: posting takes it before anything it chains, so every
    writer takes the two in one order and two writers never wait on each other in a circle.
    """
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
    """Append one chain record per row just inserted into `table`, in the caller's transaction.

    Each row is a tuple in `table.columns` order holding exactly what was stored (ids
    included). `spelled` rows already hold dates as ISO text and flags as bool and have a
    single integer key (bulk imports build them so), which spares the per-row respelling.
    Returns how many records were appended.
    """
    hashed = _spelled_hashes(rows) if spelled else [RowCanon(table).hashed(row) for row in rows]
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
    conn.execute(
        update(row_chain_head)
        .where(row_chain_head.c.id == 1)
        .values(last_seq=last_seq + len(records), last_hash=prev)
    )
    return len(records)


def _spelled_hashes(rows: Iterable[Sequence[Any]]) -> list[tuple[str, str]]:
    """(row key, content hash) of rows already in canonical spelling, keyed by their first int."""
    if _c_encoder is None:
        return [(str(row[0]), hashlib.sha256(_encode(row).encode()).hexdigest()) for row in rows]
    encode, sha256, join = _c_encoder, hashlib.sha256, "".join
    return [(str(row[0]), sha256(join(encode(row, 0)).encode()).hexdigest()) for row in rows]


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


def chain_existing(conn: Connection, table: Table, page: int = 5000) -> int:
    """Chain every row already in `table`, in primary-key order (for upgrading old books)."""
    pk = list(table.primary_key.columns)
    result = conn.execute(select(table).order_by(*pk).execution_options(yield_per=page))
    done = 0
    for part in result.partitions():
        done += chain_rows(conn, table, [tuple(r) for r in part])
    return done


# --- verification ------------------------------------------------------------------------


def row_findings(
    conn: Connection, checkpoint: Checkpoint | None = None, page: int = 2000
) -> list[Finding]:
    """Every disagreement between the protected tables, their row chain and its head.

    The chain's own links come first, then each table's rows in primary-key order: a row
    whose content changed, a row with no record (inserted behind the books' back, or
    renumbered) and a record with no row (deleted, or renumbered).
    """
    counts, found = _walk_chain(conn, checkpoint, page)
    found.extend(
        Finding(f"the row chain holds {n} record(s) of {name!r}, which it does not protect")
        for name, n in sorted(counts.items())
        if name not in PROTECTED
    )
    for name in PROTECTED:
        table = metadata.tables[name]
        matched, row_found = _walk_table(conn, table, page)
        found.extend(row_found)
        if counts.get(name, 0) > matched:
            found.extend(_missing_rows(conn, table, page))
    return found


def _walk_chain(
    conn: Connection, checkpoint: Checkpoint | None, page: int
) -> tuple[dict[str, int], list[Finding]]:
    found: list[Finding] = []
    counts: dict[str, int] = defaultdict(int)
    kept_seq, kept_hash = -1, ""
    if checkpoint is not None and checkpoint.rows_seq is not None:
        kept_seq, kept_hash = checkpoint.rows_seq, str(checkpoint.rows_hash)
        if kept_seq == 0 and kept_hash != GENESIS_HASH:
            found.append(Finding("checkpoint of an empty row chain has a non-genesis hash"))
    kept_seen = kept_seq <= 0
    expected, prev = 1, GENESIS_HASH
    c = row_chain.c
    stmt = select(c.seq, c.table_name, c.row_key, c.row_hash, c.prev_hash, c.hash)
    for part in conn.execute(stmt.order_by(c.seq).execution_options(yield_per=page)).partitions():
        for seq, name, key, digest, linked_to, linked in part:
            problems = []
            if seq != expected:
                problems.append(f"sequence gap, expected #{expected}")
            if linked_to != prev:
                problems.append("link to the record before it broken")
            if link_hash(linked_to, seq, name, key, digest) != linked:
                problems.append("does not match its hash")
            if seq == kept_seq:
                kept_seen = True
                if linked != kept_hash:
                    problems.append(
                        f"hash differs from the checkpoint of the close through "
                        f"{checkpoint.through if checkpoint else '?'}: "
                        "the row chain before it was rewritten"
                    )
            found.extend(
                Finding(f"row-chain record #{seq} ({name} {key}): {p}", row=f"{name}:{key}")
                for p in problems
            )
            counts[name] += 1
            expected, prev = int(seq) + 1, linked
    if not kept_seen:
        found.append(Finding(f"row-chain record #{kept_seq} of the checkpoint is missing"))
    head = row_head(conn)
    if head != (expected - 1, prev):
        found.append(Finding(f"row-chain head says #{head[0]}, the chain ends at #{expected - 1}"))
    return dict(counts), found


def _walk_table(conn: Connection, table: Table, page: int) -> tuple[int, list[Finding]]:
    """(rows that have a chain record, findings) for one table, streamed in key order."""
    canon, name = RowCanon(table), table.name
    pk = list(table.primary_key.columns)
    found: list[Finding] = []
    matched = 0
    stmt = select(table).order_by(*pk)
    for part in conn.execute(stmt.execution_options(yield_per=page)).partitions():
        hashed = [canon.hashed(tuple(r)) for r in part]
        chained = {
            c.row_key: (int(c.seq), c.row_hash)
            for c in conn.execute(
                select(row_chain.c.row_key, row_chain.c.seq, row_chain.c.row_hash).where(
                    row_chain.c.table_name == name,
                    row_chain.c.row_key.in_([key for key, _ in hashed]),
                )
            )
        }
        for key, digest in hashed:
            hit = chained.get(key)
            if hit is None:
                found.append(
                    Finding(
                        f"{name} row {key} has no row-chain record: inserted or renumbered "
                        "behind the books' back",
                        row=f"{name}:{key}",
                    )
                )
                continue
            matched += 1
            if hit[1] != digest:
                found.append(
                    Finding(
                        f"{name} row {key} differs from row-chain record #{hit[0]}: "
                        "edited behind the books' back",
                        row=f"{name}:{key}",
                    )
                )
    return matched, found


def _missing_rows(conn: Connection, table: Table, page: int) -> list[Finding]:
    """Chain records of `table` whose row is gone (only read when the counts disagree)."""
    canon, name = RowCanon(table), table.name
    pk = list(table.primary_key.columns)
    found: list[Finding] = []
    stmt = (
        select(row_chain.c.seq, row_chain.c.row_key)
        .where(row_chain.c.table_name == name)
        .order_by(row_chain.c.seq)
    )
    for part in conn.execute(stmt.execution_options(yield_per=page)).partitions():
        wanted = {r.row_key: int(r.seq) for r in part}
        values = [canon.key_values(key) for key in wanted]
        match = pk[0].in_([v[0] for v in values]) if len(pk) == 1 else tuple_(*pk).in_(values)
        present = {canon.text(tuple(r))[0] for r in conn.execute(select(table).where(match))}
        found.extend(
            Finding(
                f"{name} row {key} is missing: chained as record #{seq}, then deleted or "
                "renumbered behind the books' back",
                row=f"{name}:{key}",
            )
            for key, seq in wanted.items()
            if key not in present
        )
    return found

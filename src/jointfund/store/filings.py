"""Stored revenue filings: every version, with the terms' decision on each."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import islice
from typing import Any, NamedTuple, Protocol

from sqlalchemy import Connection, func, select

from jointfund.intake.records import FilingRecord
from jointfund.store.bulk_rows import bulk_insert
from jointfund.store.filing_totals import add_filings
from jointfund.store.row_chain import chain_rows
from jointfund.store.tables.registry import filings


def year_periods(year: int) -> tuple[str, str]:
    """The first and last period label of a year. Periods are months (`YYYY-MM`) or quarters
    (`YYYY-Qn`), and "Q" sorts after every digit, so this one range holds both (and uses the
    period index)."""
    return f"{year:04d}-01", f"{year:04d}-Q4"


class StoredFiling(NamedTuple):
    """A stored filing version: what re-imports compare against and corrections undo."""

    version: int
    content: tuple[Any, ...]
    entry_key: str | None
    currency: str
    fund_minor: int
    reporting_minor: int
    credit_account: str | None

    def same_content(self, record: FilingRecord) -> bool:
        """Whether `record` is exactly this stored version (so re-importing it is a no-op)."""
        return self.content == filing_content(record)


def filing_content(record: FilingRecord) -> tuple[Any, ...]:
    """The fields that make two filings with one reference and version the same filing."""
    return (
        record.licence_id,
        record.period,
        record.stream,
        record.gross_minor,
        record.costs_minor,
        record.currency,
        record.received_on,
    )


_STORED_COLUMNS = (
    "payer_reference",
    "version",
    "licence_id",
    "period",
    "stream",
    "gross_minor",
    "costs_minor",
    "currency",
    "received_on",
    "entry_key",
    "fund_minor",
    "reporting_minor",
    "credit_account",
)


def filings_by_reference(
    conn: Connection, refs: Iterable[str]
) -> dict[str, dict[int, StoredFiling]]:
    """Every stored version of each payer reference (looked up in file order, 5,000 a query)."""
    found: dict[str, dict[int, StoredFiling]] = {}
    wanted = list(dict.fromkeys(refs))
    # A first import of a big file looks up nothing; a small one asks its one lookup
    # straight away (an upload asks under the books' lock: one round trip fewer).
    if len(wanted) > 5000 and conn.execute(select(filings.c.id).limit(1)).first() is None:
        return found
    cols = [filings.c[name] for name in _STORED_COLUMNS]
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        rows = conn.execute(select(*cols).where(filings.c.payer_reference.in_(chunk))).all()
        for ref, version, *content, entry_key, fund, reporting, account in rows:
            found.setdefault(ref, {})[version] = StoredFiling(
                version, tuple(content), entry_key, content[5], fund, reporting, account
            )
    return found


FILING_COLUMNS = tuple(c.name for c in filings.columns)
_VERSION_AT = FILING_COLUMNS.index("version")


# Rows go in (and into the row chain) in slices, so the driver's buffers stay small.
_FILING_SLICE = 20_000


class BookedFiling(Protocol):
    """A filing with the terms' decision on it, as the use case that booked it made it."""

    @property
    def filing(self) -> FilingRecord: ...
    @property
    def eligible(self) -> bool: ...
    @property
    def rule_id(self) -> str | None: ...
    @property
    def share(self) -> Decimal: ...
    @property
    def fund_minor(self) -> int: ...
    @property
    def reporting_minor(self) -> int: ...
    @property
    def fx_rate(self) -> str | None: ...
    @property
    def credit_account(self) -> str | None: ...
    @property
    def reason(self) -> str | None: ...


class BookingStamp(NamedTuple):
    """What every filing of one import shares: the terms that decided, when, from which file."""

    terms_id: str
    booked_at: str
    source: str


def insert_booked(
    conn: Connection,
    ids: list[int],
    booked: Sequence[BookedFiling],
    entry_keys: list[str | None],
    stamp: BookingStamp,
) -> None:
    """Append the booked filings of one import, with the ids `next_filing_ids` gave them and
    the key of the ledger entry each one's money went into."""
    insert_filings(conn, _filing_rows(ids, booked, entry_keys, stamp), len(booked))


class _Spelled(dict[Any, str]):
    """Values spelled as text by `spell`, each worked out on first use and kept."""

    def __init__(self, spell: Callable[[Any], str]) -> None:
        super().__init__()
        self.spell = spell

    def __missing__(self, value: Any) -> str:
        spelled = self[value] = self.spell(value)
        return spelled


def _filing_rows(
    ids: list[int],
    booked: Sequence[BookedFiling],
    keys: list[str | None],
    stamp: BookingStamp,
) -> Iterator[tuple[Any, ...]]:
    """`filings` rows in FILING_COLUMNS order as the row chain spells them, made as they are
    stored: dates as ISO text, which both databases take."""
    # A file holds a few dozen periods, days and streams: each is spelled once.
    iso, text = _Spelled(date.isoformat), _Spelled(str)
    return (
        (
            row_id,
            f.payer_reference,
            f.version,
            f.licence_id,
            f.period,
            iso[f.period_end],
            text[f.stream],
            f.gross_minor,
            f.costs_minor,
            f.currency,
            iso[f.received_on],
            d.eligible,
            d.fund_minor,
            f.gross_minor - d.fund_minor,
            d.reporting_minor,
            d.fx_rate,
            d.rule_id,
            str(d.share),  # not cached: Decimal("0.50") == Decimal("0.5"), spelled apart
            d.reason,
            key,
            d.credit_account,
            stamp.terms_id,
            stamp.booked_at,
            stamp.source,
        )
        for row_id, d, key in zip(ids, booked, keys, strict=True)
        for f in (d.filing,)
    )


def insert_filings(conn: Connection, rows: Iterable[tuple[Any, ...]], count: int) -> None:
    """Append `count` booked filings, each a tuple in FILING_COLUMNS order with its id from
    `next_filing_ids`, dates as ISO text and flags as bool (so the row chain hashes the tuple
    as it is); imports store up to millions at once, so straight to the driver, a slice at a
    time as `rows` yields them (a million built up front cost 250 MB and their page faults)."""
    stream = iter(rows)
    part = list(islice(stream, _FILING_SLICE))
    if not part:
        return
    first_id = last_id = int(part[0][0])
    rebuild = _rebuilds_licence_index(conn, first_id, count)
    if rebuild:
        for index in _REBUILT_INDEXES:
            index.drop(conn)
    corrects = False  # whether any row is a later version of a filing (it may supersede one)
    while part:
        bulk_insert(conn, "filings", FILING_COLUMNS, part)
        chain_rows(conn, filings, part, spelled=True)
        last_id = int(part[-1][0])
        corrects = corrects or any(row[_VERSION_AT] > 1 for row in part)
        part = list(islice(stream, _FILING_SLICE))
    if rebuild:
        for index in _REBUILT_INDEXES:
            index.create(conn)
    if _outgrows_statistics(conn, first_id, count):
        conn.exec_driver_sql("ANALYZE filings")
    # the totals move with the rows, in this transaction
    add_filings(conn, first_id, last_id, supersedes=corrects)


def _outgrows_statistics(conn: Connection, first_id: int, count: int) -> bool:
    """Whether PostgreSQL's planner must learn the table's new size before anything else reads
    it: an import that at least doubles it. Planned from a table it thought empty, the next
    import's lookups of 5,000 references each walked every row (8.6 s a query at 250,093
    filings, 7 Dec); autovacuum catches up only after the commit, and not always in time."""
    if conn.dialect.name != "postgresql" or count < _REBUILD_FROM:
        return False
    return first_id - 1 <= count


_REBUILT_INDEXES = tuple(
    i
    for i in filings.indexes
    if i.name
    in (
        "ix_filings_licence",
        "ix_filings_period",
        "ix_filings_received",
        "ix_filings_gross",
        "ix_filings_fx_rate",
    )
)


# An import of at least this many rows that at least doubles the table rebuilds the index.
_REBUILD_FROM = 50_000


def _rebuilds_licence_index(conn: Connection, first_id: int, count: int) -> bool:
    """Whether to build the licence and period indexes after the insert, not row by row.

    Rows arrive in file order, so each one lands on a different page of the (licence,
    period) index: a bulk insert into SQLite spends more on that than on the rows themselves,
    and one sorted build afterwards costs a tenth. Inside the import's transaction, so a
    failed import keeps the old index; WAL readers keep reading the old snapshot meanwhile.
    PostgreSQL keeps its index (dropping it would lock readers out until commit).
    """
    if conn.dialect.name != "sqlite" or count < _REBUILD_FROM:
        return False
    stored = first_id - 1  # ids run on from max(id), and no filing is ever deleted
    return stored <= count


def next_filing_ids(conn: Connection, count: int) -> list[int]:
    """`count` fresh filing ids: the ones the database would have given the rows itself.

    Taken before the insert, so the row chain can name each row without reading a million
    rows back.
    """
    if not count:
        return []
    if conn.dialect.name == "postgresql":
        return list(
            conn.exec_driver_sql(
                "SELECT nextval(pg_get_serial_sequence('filings', 'id')) "
                "FROM generate_series(1, %(n)s)",
                {"n": count},
            ).scalars()
        )
    # SQLite gives a new row max(id) + 1; the write transaction holds the only write lock.
    top = int(conn.execute(select(func.max(filings.c.id))).scalar() or 0)
    return list(range(top + 1, top + count + 1))

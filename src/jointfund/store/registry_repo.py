"""Reading and writing the registry: adopted terms, licences, filings, FX rates."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, func, select, update

from jointfund.errors import ConflictError, NotFoundError
from jointfund.intake.records import FilingRecord, FxRecord, LicenceRecord
from jointfund.money import FxRate, RateTable
from jointfund.money.fx import DEFAULT_MAX_AGE_DAYS
from jointfund.store.bulk_rows import bulk_insert
from jointfund.store.posting import booked_now
from jointfund.store.registry_tables import filings, fx_rates, licences, term_sheets
from jointfund.store.row_chain import chain_inserted, chain_rows


def adopt_terms(conn: Connection, terms_id: str, yaml_text: str, adopted_by: str) -> bool:
    """Make a term sheet the fund's current one; False when it already is."""
    current = current_terms_row(conn)
    if current is not None and current.yaml == yaml_text:
        return False
    key = conn.execute(
        term_sheets.insert().values(
            terms_id=terms_id, yaml=yaml_text, adopted_at=booked_now(), adopted_by=adopted_by
        )
    ).inserted_primary_key
    chain_inserted(conn, term_sheets, key)
    return True


def current_terms_row(conn: Connection) -> Row[Any] | None:
    """The latest adopted term sheet row, if any."""
    return conn.execute(select(term_sheets).order_by(term_sheets.c.id.desc()).limit(1)).first()


def _licence_values(record: LicenceRecord) -> dict[str, Any]:
    return {
        "licence_id": record.licence_id,
        "holder": record.holder,
        "holder_registry_id": record.holder_registry_id,
        "deposit": record.deposit,
        "resources": json.dumps(list(record.resources)),
        "oblast": record.oblast,
        "instrument": record.instrument,
        "issued_on": record.issued_on,
        "status": record.status,
        "is_new": record.is_new,
        "territory": record.territory,
    }


def _content_hash(values: dict[str, Any]) -> str:
    text = json.dumps(values, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    """How many records an import created, changed, or found unchanged."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0


def upsert_licences(conn: Connection, records: Sequence[LicenceRecord]) -> UpsertCounts:
    """Register licences; identical re-imports change nothing, changed ones are updated."""
    existing = {
        r.licence_id: r.content_hash
        for r in conn.execute(select(licences.c.licence_id, licences.c.content_hash))
    }
    now = booked_now()
    created = updated = 0
    fresh: list[dict[str, Any]] = []
    for record in records:
        values = _licence_values(record)
        digest = _content_hash(values)
        if record.licence_id not in existing:
            fresh.append({**values, "content_hash": digest, "updated_at": now})
            created += 1
        elif existing[record.licence_id] != digest:
            conn.execute(
                update(licences)
                .where(licences.c.licence_id == record.licence_id)
                .values(**values, content_hash=digest, updated_at=now)
            )
            updated += 1
    if fresh:
        conn.execute(licences.insert(), fresh)
    return UpsertCounts(created, updated, len(records) - created - updated)


def licence_from_row(row: Row[Any]) -> LicenceRecord:
    """The registry row as the intake record."""
    return LicenceRecord(
        licence_id=row.licence_id,
        holder=row.holder,
        holder_registry_id=row.holder_registry_id,
        deposit=row.deposit,
        resources=tuple(json.loads(row.resources)),
        oblast=row.oblast,
        instrument=row.instrument,
        issued_on=row.issued_on,
        status=row.status,
        is_new=row.is_new,
        territory=row.territory,
    )


def licences_by_id(conn: Connection, ids: Iterable[str] | None = None) -> dict[str, LicenceRecord]:
    """Licences by id (all of them when `ids` is None)."""
    stmt = select(licences)
    if ids is not None:
        wanted = sorted(set(ids))
        found: dict[str, LicenceRecord] = {}
        for start in range(0, len(wanted), 500):
            rows = conn.execute(stmt.where(licences.c.licence_id.in_(wanted[start : start + 500])))
            found.update({r.licence_id: licence_from_row(r) for r in rows})
        return found
    return {
        r.licence_id: licence_from_row(r)
        for r in conn.execute(stmt.order_by(licences.c.licence_id))
    }


def insert_fx_rates(conn: Connection, records: Sequence[FxRecord], source: str) -> UpsertCounts:
    """Store rates; the same rate again is a no-op, another rate for the same day is a conflict."""
    stored = {
        (r.on, r.base, r.quote): Decimal(r.rate)
        for r in conn.execute(
            select(fx_rates.c.on, fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate)
        )
    }
    fresh = []
    seen: dict[tuple[date, str, str], Decimal] = {}
    for record in records:
        key = (record.on, record.base, record.quote)
        have = stored.get(key, seen.get(key))
        if have is not None:
            if have != record.rate:
                raise ConflictError(
                    f"{record.base}/{record.quote} on {record.on} is already {have}, "
                    f"not {record.rate}"
                )
            continue
        seen[key] = record.rate
        fresh.append(
            {
                "on": record.on,
                "base": record.base,
                "quote": record.quote,
                "rate": str(record.rate),
                "source": source,
            }
        )
    if fresh:
        conn.execute(fx_rates.insert(), fresh)
        names = [c.name for c in fx_rates.columns]
        chain_rows(conn, fx_rates, [tuple(row[n] for n in names) for row in fresh])
    return UpsertCounts(created=len(fresh), unchanged=len(records) - len(fresh))


def rate_table(conn: Connection, *, for_days: Iterable[date] | None = None) -> RateTable:
    """The stored rates as a lookup table: all of them, or only those a conversion on one of
    `for_days` can use (dated from `DEFAULT_MAX_AGE_DAYS` before the first day to the last),
    so an upload of a few filings does not read years of daily rates."""
    stmt = select(fx_rates)
    if for_days is not None:
        days = sorted(set(for_days))
        if not days:
            return RateTable(())
        start = days[0] - timedelta(days=DEFAULT_MAX_AGE_DAYS)
        stmt = stmt.where(fx_rates.c.on.between(start, days[-1]))
    rows = conn.execute(stmt)
    return RateTable(FxRate(r.on, r.base, r.quote, Decimal(r.rate)) for r in rows)


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
    if conn.execute(select(filings.c.id).limit(1)).first() is None:
        return found  # the first import: nothing to look up
    wanted = list(dict.fromkeys(refs))
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
# Rows go in (and into the row chain) in slices, so the driver's buffers stay small.
_FILING_SLICE = 20_000


def insert_filings(conn: Connection, rows: Iterable[tuple[Any, ...]], count: int) -> None:
    """Append `count` booked filings, each a tuple in FILING_COLUMNS order with its id from
    `next_filing_ids`, dates as ISO text and flags as bool (so the row chain hashes the tuple
    as it is); imports store up to millions at once, so straight to the driver, a slice at a
    time as `rows` yields them (a million built up front cost 250 MB and their page faults)."""
    stream = iter(rows)
    part = list(islice(stream, _FILING_SLICE))
    if not part:
        return
    rebuild = _rebuilds_licence_index(conn, int(part[0][0]), count)
    if rebuild:
        _LICENCE_INDEX.drop(conn)
    while part:
        bulk_insert(conn, "filings", FILING_COLUMNS, part)
        chain_rows(conn, filings, part, spelled=True)
        part = list(islice(stream, _FILING_SLICE))
    if rebuild:
        _LICENCE_INDEX.create(conn)


_LICENCE_INDEX = next(i for i in filings.indexes if i.name == "ix_filings_licence")
# An import of at least this many rows that at least doubles the table rebuilds the index.
_REBUILD_FROM = 50_000


def _rebuilds_licence_index(conn: Connection, first_id: int, count: int) -> bool:
    """Whether to build the licence index after the insert instead of row by row.

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


def filing_rows(
    conn: Connection, *, year: int | None = None, licence_id: str | None = None
) -> list[Row[Any]]:
    """Stored filings (latest and superseded versions), optionally for one year or licence."""
    stmt = select(filings)
    if year is not None:
        stmt = stmt.where(filings.c.period.like(f"{year}-%"))
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    return list(
        conn.execute(stmt.order_by(filings.c.period, filings.c.payer_reference, filings.c.version))
    )


def count_filings(conn: Connection) -> int:
    """How many filing versions are stored."""
    return int(conn.execute(select(func.count()).select_from(filings)).scalar() or 0)


def require_terms_yaml(conn: Connection) -> tuple[str, str]:
    """The adopted term sheet's id and YAML, or a clear error when the fund has none."""
    row = current_terms_row(conn)
    if row is None:
        raise NotFoundError("the fund has no term sheet; run `jointfund init --terms PRESET`")
    return row.terms_id, row.yaml


def filing_page(
    conn: Connection,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[Row[Any]]:
    """Stored filings (every version) in id order after `after_id`: a stable cursor page."""
    stmt = select(filings).where(filings.c.id > after_id)
    if year is not None:
        stmt = stmt.where(filings.c.period.like(f"{year}-%"))
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    return list(conn.execute(stmt.order_by(filings.c.id).limit(limit)))

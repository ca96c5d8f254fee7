"""Reading stored filings: rows by year or licence, pages by id, the latest version by period
(sorted along an index, counted), and the latest payments streamed for the transparency files."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Connection, Row, func, select

from jointfund.store.filings import FILING_COLUMNS, year_periods
from jointfund.store.keyset import Sort, keyset_page
from jointfund.store.tables.registry import FILING_YEAR, filings

_T = TypeVar("_T")

newer = filings.alias("newer")  # a later version of the same filing


@dataclass(frozen=True, slots=True)
class FilingRow:
    """A stored filing version with the terms' decision on it, as the registry keeps it."""

    id: int
    payer_reference: str
    version: int
    licence_id: str
    period: str
    period_end: date
    stream: str
    gross_minor: int
    costs_minor: int
    currency: str
    received_on: date
    eligible: bool
    fund_minor: int
    budget_minor: int
    reporting_minor: int
    fx_rate: str | None
    rule_id: str | None
    share: str
    reason: str | None
    entry_key: str | None
    credit_account: str | None
    terms_id: str
    imported_at: str
    source: str


def filing_row(row: Row[Any]) -> FilingRow:
    values = row._mapping
    return FilingRow(
        **{name: values[name] for name in FILING_COLUMNS}
        | {
            "period_end": _day(values["period_end"]),
            "received_on": _day(values["received_on"]),
            "eligible": bool(values["eligible"]),
        }
    )


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def filing_rows(
    conn: Connection, *, year: int | None = None, licence_id: str | None = None
) -> list[FilingRow]:
    """Stored filings (latest and superseded versions), optionally for one year or licence."""
    stmt = select(filings)
    if year is not None:
        stmt = stmt.where(filings.c.period.like(f"{year}-%"))
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    ordered = stmt.order_by(filings.c.period, filings.c.payer_reference, filings.c.version)
    return [filing_row(r) for r in conn.execute(ordered)]


def count_filings(conn: Connection) -> int:
    """How many filing versions are stored."""
    return int(conn.execute(select(func.count()).select_from(filings)).scalar() or 0)


def filing_page(
    conn: Connection,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> list[FilingRow]:
    """Stored filings (every version) in id order after `after_id`: a stable cursor page."""
    stmt = select(filings).where(filings.c.id > after_id)
    if year is not None:
        stmt = stmt.where(FILING_YEAR == f"{year:04d}")  # noqa: SIM300
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    return [filing_row(r) for r in conn.execute(stmt.order_by(filings.c.id).limit(limit))]


def latest_filing_page(
    conn: Connection, *, year: int | None = None, after_id: int = 0, limit: int = 100
) -> list[FilingRow]:
    """The latest version of each filing, in (period, id) order after filing `after_id`: a
    stable cursor page read along the period index, so its cost does not grow with history."""
    stmt = select(filings).where(
        ~select(newer.c.id)
        .where(newer.c.payer_reference == filings.c.payer_reference)
        .where(newer.c.version > filings.c.version)
        .exists()
    )
    if year is not None:
        stmt = stmt.where(filings.c.period.between(*year_periods(year)))
    if after_id:
        period = conn.execute(select(filings.c.period).where(filings.c.id == after_id)).scalar()
        if period is not None:
            stmt = stmt.where(
                (filings.c.period > period)
                | ((filings.c.period == period) & (filings.c.id > after_id))
            )
    ordered = stmt.order_by(filings.c.period, filings.c.id).limit(limit)
    return [filing_row(r) for r in conn.execute(ordered)]


# The filings page's sorts, each read along an index with the id breaking ties: the period
# (migration 0018), the licence (its (licence_id, period) index), the day received and the
# amount within its currency (migration 0025).
FILING_SORTS = {
    "period": (filings.c.period, filings.c.id),
    "received": (filings.c.received_on, filings.c.id),
    "licence": (filings.c.licence_id, filings.c.period, filings.c.id),
    "gross": (filings.c.currency, filings.c.gross_minor, filings.c.id),
}


def filing_sort_key(sort: Sort) -> Callable[[FilingRow], tuple[Any, ...]]:
    """The sort's order on rows already read (to merge pages read per licence)."""
    names = [c.name for c in FILING_SORTS[sort.name]]
    return lambda row: tuple(getattr(row, n) for n in names)


def filing_page_by_period(
    conn: Connection,
    *,
    year: int | None = None,
    licence_id: str | None = None,
    after_id: int = 0,
    before_id: int = 0,
    limit: int = 100,
    sort: Sort | None = None,
) -> list[FilingRow]:
    """Stored filings (every version) in (period, id) order, or the order of `sort`: the page
    after filing `after_id`, or the page before filing `before_id`. Read along an index, so
    a page costs the same at any depth of history and for any year."""
    order = sort or Sort("period")
    stmt = select(filings)
    if year is not None:
        stmt = stmt.where(filings.c.period.between(*year_periods(year)))
    if licence_id is not None:
        stmt = stmt.where(filings.c.licence_id == licence_id)
    rows = keyset_page(
        conn,
        stmt,
        FILING_SORTS[order.name],
        order.descending,
        after=after_id or None,
        before=before_id or None,
        limit=limit,
    )
    return [filing_row(r) for r in rows]


class LatestPayment(NamedTuple):
    """The public fields of the latest version of a filing, as the transparency data reads it."""

    licence_id: str
    period: str
    stream: str
    currency: str
    gross_minor: int
    fund_minor: int
    budget_minor: int
    reporting_minor: int
    received_on: date
    eligible: bool


_PAYMENT_COLUMNS = tuple(filings.c[name] for name in LatestPayment._fields)


def iter_latest_filings(
    conn: Connection, make: Callable[..., _T], *, year: int | None = None
) -> Iterator[_T]:
    """The latest version of every filing (of one year's periods when given), in the order the
    transparency data reads them (period, licence, stream, receipt day, reference), streamed
    from the database a few thousand rows at a time: memory does not grow with the books.
    `make` builds each from LatestPayment's fields in order (LatestPayment, or the caller's own
    record type, so a million rows are not built twice)."""
    stmt = select(*_PAYMENT_COLUMNS).where(
        ~select(newer.c.id)
        .where(newer.c.payer_reference == filings.c.payer_reference)
        .where(newer.c.version > filings.c.version)
        .exists()
    )
    if year is not None:
        stmt = stmt.where(filings.c.period.between(*year_periods(year)))
    stmt = stmt.order_by(
        filings.c.period,
        filings.c.licence_id,
        filings.c.stream,
        filings.c.received_on,
        filings.c.payer_reference,
    )
    result = conn.execution_options(stream_results=True, yield_per=5000).execute(stmt)
    days: dict[Any, date] = {}
    for licence, period, stream, currency, gross, fund, budget, usd, day, eligible in result:
        received = days.get(day)
        if received is None:
            received = days[day] = _day(day)
        yield make(
            licence, period, stream, currency, gross, fund, budget, usd, received, bool(eligible)
        )

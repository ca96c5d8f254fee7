"""Dated FX rates: stored once each, read back as a lookup table."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import Connection, func, select

from jointfund.errors import ConflictError
from jointfund.i18n.message import Message
from jointfund.intake.records import FxRecord
from jointfund.money import FxRate, RateTable
from jointfund.money.fx import DEFAULT_MAX_AGE_DAYS
from jointfund.store.licences import UpsertCounts
from jointfund.store.row_chain import chain_rows
from jointfund.store.tables.registry import fx_rates


def insert_fx_rates(
    conn: Connection, items: Sequence[tuple[int | None, FxRecord]], source: str
) -> UpsertCounts:
    """Store rates, each `(row of the source file, rate)`, the row kept with the rate (its
    trace says "file, row N"; None: not known); the same rate again is a no-op (the first
    row stays), another rate for the same day is a conflict."""
    stored = {
        (r.on, r.base, r.quote): Decimal(r.rate)
        for r in conn.execute(
            select(fx_rates.c.on, fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate)
        )
    }
    fresh = []
    seen: dict[tuple[date, str, str], Decimal] = {}
    for row, record in items:
        key = (record.on, record.base, record.quote)
        have = stored.get(key, seen.get(key))
        if have is not None:
            if have != record.rate:
                raise ConflictError(
                    Message(
                        "{base}/{quote} on {on} is already {have}, not {rate}",
                        base=record.base,
                        quote=record.quote,
                        on=record.on,
                        have=have,
                        rate=record.rate,
                    )
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
                "source_row": row,
            }
        )
    if fresh:
        conn.execute(fx_rates.insert(), fresh)
        names = [c.name for c in fx_rates.columns]
        chain_rows(conn, fx_rates, [tuple(row[n] for n in names) for row in fresh])
    return UpsertCounts(created=len(fresh), unchanged=len(items) - len(fresh))


def pair_history(
    conn: Connection, pairs: Iterable[tuple[str, str]], start: date, end: date
) -> dict[tuple[str, str], list[tuple[date, Decimal]]]:
    """The stored rates of each pair dated from `start` to `end`, oldest first."""
    wanted = set(pairs)
    found: dict[tuple[str, str], list[tuple[date, Decimal]]] = {pair: [] for pair in wanted}
    stmt = (
        select(fx_rates.c.on, fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate)
        .where(fx_rates.c.on.between(start, end))
        .order_by(fx_rates.c.on)
    )
    for row in conn.execute(stmt):
        if (row.base, row.quote) in wanted:
            found[(row.base, row.quote)].append((row.on, Decimal(row.rate)))
    return found


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


def rates_in_force(conn: Connection, on: date) -> RateTable:
    """The newest stored rate of each pair dated on or before `on`: every rate a translation on
    that day can use (a direct or opposite pair's latest), without reading ten years of daily
    rates (the overview's position read them all on every request)."""
    newest = (
        select(fx_rates.c.base, fx_rates.c.quote, func.max(fx_rates.c.on).label("on"))
        .where(fx_rates.c.on <= on)
        .group_by(fx_rates.c.base, fx_rates.c.quote)
        .subquery()
    )
    stmt = select(fx_rates.c.on, fx_rates.c.base, fx_rates.c.quote, fx_rates.c.rate).join(
        newest,
        (fx_rates.c.base == newest.c.base)
        & (fx_rates.c.quote == newest.c.quote)
        & (fx_rates.c.on == newest.c.on),
    )
    return RateTable(FxRate(r.on, r.base, r.quote, Decimal(r.rate)) for r in conn.execute(stmt))

"""Reads that trace FX rates both ways: the stored rates an entry's filings were converted at,
and the entries booked at one stored rate. A filing records the rate it used as words
("USD/UAH 41.2880 on 2025-06-30"); these reads match those words to the stored rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from jointfund.errors import NotFoundError
from jointfund.i18n.message import Message
from jointfund.store.tables.ledger import entries
from jointfund.store.tables.registry import filings, fx_rates

_WORDS = re.compile(r"^([A-Z]{3})/([A-Z]{3}) (\S+) on (\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True, slots=True)
class StoredRate:
    """One stored FX rate (1 base = rate quote on a day), the file it was imported from, and
    how many filings were converted at it (within what was asked: one entry, or all); the row
    of the file it was read from, None for a rate stored before rows were kept."""

    on: date
    base: str
    quote: str
    rate: str
    source: str
    filings: int
    source_row: int | None = None

    @property
    def words(self) -> str:
        """How a filing converted at this rate records it."""
        return rate_words(self.base, self.quote, self.rate, self.on)


@dataclass(frozen=True, slots=True)
class RateEntry:
    """An entry booked (in part) at one rate, and how many of its filings used the rate."""

    seq: int
    key: str
    day: date
    kind: str
    memo: str
    filings: int


def rate_words(base: str, quote: str, rate: str, on: date) -> str:
    """The words a filing records for the rate it was converted at."""
    return f"{base}/{quote} {rate} on {on.isoformat()}"


def parse_rate_words(words: str) -> tuple[date, str, str] | None:
    """The day, base and quote a filing's rate words name (None for other text)."""
    parts = _WORDS.match(words)
    if parts is None:
        return None
    base, quote, _, day = parts.groups()
    try:
        return date.fromisoformat(day), base, quote
    except ValueError:
        return None


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _stored(conn: Connection, on: date, base: str, quote: str) -> Any:
    return conn.execute(
        select(fx_rates).where(
            fx_rates.c.on == on, fx_rates.c.base == base, fx_rates.c.quote == quote
        )
    ).first()


def rates_of_entry(conn: Connection, key: str) -> list[StoredRate]:
    """The stored rates the filings an entry booked were converted at, by day and pair, each
    with how many of the entry's filings used it (read along the (entry_key, id) index)."""
    used = conn.execute(
        select(filings.c.fx_rate, func.count())
        .where(filings.c.entry_key == key, filings.c.fx_rate.is_not(None))
        .group_by(filings.c.fx_rate)
    ).all()
    found: list[StoredRate] = []
    for words, count in used:
        parts = _WORDS.match(words or "")
        if parts is None:
            continue
        base, quote, _, day = parts.groups()
        row = _stored(conn, date.fromisoformat(day), base, quote)
        if row is not None and rate_words(base, quote, row.rate, _day(row.on)) == words:
            found.append(
                StoredRate(
                    _day(row.on),
                    row.base,
                    row.quote,
                    row.rate,
                    row.source,
                    int(count),
                    row.source_row,
                )
            )
    return sorted(found, key=lambda r: (r.on, r.base, r.quote))


def stored_rate(conn: Connection, on: date, base: str, quote: str) -> StoredRate:
    """One stored rate and how many filings were converted at it (the fx_rate index)."""
    row = _stored(conn, on, base, quote)
    if row is None:
        raise NotFoundError(
            Message("no stored {base}/{quote} rate on {on}", base=base, quote=quote, on=on)
        )
    words = rate_words(row.base, row.quote, row.rate, _day(row.on))
    count = conn.execute(
        select(func.count()).select_from(filings).where(filings.c.fx_rate == words)
    ).scalar()
    return StoredRate(
        _day(row.on), row.base, row.quote, row.rate, row.source, int(count or 0), row.source_row
    )


def entries_at_rate(
    conn: Connection, rate: StoredRate, *, after_seq: int = 0, limit: int = 100
) -> tuple[list[RateEntry], int]:
    """The entries that booked filings converted at `rate`, in chain order after `after_seq`
    (at most `limit`), and how many there are; read along the (fx_rate, entry_key) index."""
    per_key = (
        select(filings.c.entry_key.label("key"), func.count().label("filings"))
        .where(filings.c.fx_rate == rate.words, filings.c.entry_key.is_not(None))
        .group_by(filings.c.entry_key)
        .subquery()
    )
    rows = conn.execute(
        select(
            entries.c.seq,
            entries.c.key,
            entries.c.effective_date,
            entries.c.kind,
            entries.c.memo,
            per_key.c.filings,
        )
        .join(per_key, per_key.c.key == entries.c.key)
        .where(entries.c.seq > after_seq)
        .order_by(entries.c.seq)
        .limit(limit)
    )
    found = [
        RateEntry(int(r.seq), r.key, _day(r.effective_date), r.kind, r.memo, int(r.filings))
        for r in rows
    ]
    count = conn.execute(select(func.count()).select_from(per_key)).scalar()
    return found, int(count or 0)

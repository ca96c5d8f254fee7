"""The fund's share of the latest eligible filings by stream and month received, read from the
kept days (`filing_fund_days`): what the reconciliation by budget code compares with the
Treasury's receipts, at a cost of days, not filings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text


@dataclass(frozen=True, slots=True)
class FundMonth:
    """The fund's share of the latest eligible filings of one stream and currency received in
    one month, and how much of it is booked or accrued."""

    stream: str
    month: str  # YYYY-MM received
    filings: int
    fund_minor: int
    accrued_minor: int
    booked_minor: int


def fund_share_by_month(
    conn: Connection, currency: str, *, year: int | None = None
) -> list[FundMonth]:
    """Per stream and month received (of `year` when given), from the kept days."""
    where, params = "currency = :currency", dict[str, Any](currency=currency)
    if year is not None:
        where += " AND received_on BETWEEN :first AND :last"
        params |= {"first": date(year, 1, 1), "last": date(year, 12, 31)}
    rows = conn.execute(
        text(
            "SELECT stream, received_on, place, payments, fund_minor FROM filing_fund_days "
            f"WHERE {where}"
        ),
        params,
    )
    months: dict[tuple[str, str], list[int]] = {}
    for stream, day, place, payments, fund in rows:
        sums = months.setdefault((str(stream), str(day)[:7]), [0, 0, 0, 0])
        sums[0] += int(payments)
        sums[1] += int(fund)
        sums[2] += int(fund) if place == "accrued" else 0
        sums[3] += int(fund) if place == "booked" else 0
    return [FundMonth(stream, month, *sums) for (stream, month), sums in sorted(months.items())]

"""The transparency totals from the sums the books keep instead of every payment: the same
lines as `transparency.build_transparency`, at a cost that grows with licences and years, not
with filings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from jointfund.ledger import chart
from jointfund.reports.transparency import TotalLine, TransparencyReport


@dataclass(frozen=True, slots=True)
class SummedPayments:
    """Latest filed payments already summed for one fiscal year, licence facts, stream and
    currency (the books keep these sums as filings arrive)."""

    fiscal_year: int
    resources: tuple[str, ...]
    oblast: str
    stream: str
    currency: str
    payments: int
    amount_minor: int
    fund_share_minor: int
    budget_share_minor: int
    fund_share_usd_minor: int


_SUMMED_KEYS: dict[str, Callable[[SummedPayments], str]] = {
    "resource": lambda s: s.resources[0] if s.resources else "unspecified",
    "oblast": lambda s: s.oblast,
    "stream": lambda s: s.stream,
    "year": lambda s: str(s.fiscal_year),
}


def _summed_lines(
    kept: Sequence[SummedPayments], key: Callable[[SummedPayments], str]
) -> tuple[TotalLine, ...]:
    lines: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for s in kept:
        line = lines[(key(s), s.currency)]
        line[0] += s.payments
        line[1] += s.amount_minor
        line[2] += s.fund_share_minor
        line[3] += s.budget_share_minor
        line[4] += s.fund_share_usd_minor
    return tuple(TotalLine(k, c, *v) for (k, c), v in sorted(lines.items()))


def totals_from_sums(
    sums: Iterable[SummedPayments], fiscal_year: int | None = None
) -> TransparencyReport:
    """The totals of `build_transparency` from kept sums instead of every payment: the same
    lines, at a cost that grows with licences and years, not with filings. No rows."""
    kept = list(sums)
    totals = {name: _summed_lines(kept, key) for name, key in _SUMMED_KEYS.items()}
    return TransparencyReport(fiscal_year, chart.REPORTING_CURRENCY, (), totals)


_BY_PLACE = ("resource", "oblast")


def totals_from_marginals(
    by_place: Iterable[SummedPayments], by_year_and_stream: Iterable[SummedPayments]
) -> TransparencyReport:
    """The totals of every year from two sets of sums that each say only some dimensions:
    the resource and oblast lines from sums per licence facts (their year and stream unsaid),
    the year and stream lines from sums per year and stream (their place unsaid). Each line
    adds the same payments as `totals_from_sums` over the sums per year, place and stream."""
    places, periods = list(by_place), list(by_year_and_stream)
    totals = {
        name: _summed_lines(places if name in _BY_PLACE else periods, key)
        for name, key in _SUMMED_KEYS.items()
    }
    return TransparencyReport(None, chart.REPORTING_CURRENCY, (), totals)

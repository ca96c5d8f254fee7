"""Three views of the same money, matched by licence, stream and period, every difference named.

Payers' filings (what they say they paid), the treasury's receipts (what it says it took in) and
the fund's books (the fund share of each filing and the ledger entry that holds it). Causes:

- missing_in_treasury / missing_in_filings: a key only one side knows;
- late: received after the due date (the Tax Code's rent payment deadline: 50 days after a
  quarter, 30 after a month), judged on the treasury's receipt date, or on the filing's when
  the treasury has no row;
- amount_differs: both sides know the key but not the same amount (or currency);
- fx_difference: the fund's USD value of its share, at the rate on the treasury's receipt
  date, differs from the USD value booked at the filing's receipt date;
- not_in_fund: a fund share whose ledger entry is missing or carries another amount, or an
  earlier version's share that no correction undid (so the fund holds too much). A share the
  terms' contribution cycle holds until a transfer has no entry by design: the cycle's own
  report (`jointfund contributions transfers`) reconciles it against the transfers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol

from jointfund.money import MissingRateError, RateTable, convert
from jointfund.reports.periods import due_date
from jointfund.reports.tables import Cell, Table, major
from jointfund.reports.transparency import FiledPayment

Key = tuple[str, str, str]  # licence_id, stream, period


class TreasuryReceipt(Protocol):
    """A licence-level treasury receipt as a reader gives it."""

    @property
    def licence_id(self) -> str: ...
    @property
    def period(self) -> str: ...
    @property
    def stream(self) -> str: ...
    @property
    def currency(self) -> str: ...
    @property
    def amount_minor(self) -> int: ...
    @property
    def received_on(self) -> date: ...


class Cause(StrEnum):
    """Why two views of a receipt disagree."""

    MISSING_IN_TREASURY = "missing_in_treasury"
    MISSING_IN_FILINGS = "missing_in_filings"
    LATE = "late"
    AMOUNT_DIFFERS = "amount_differs"
    FX_DIFFERENCE = "fx_difference"
    NOT_IN_FUND = "not_in_fund"


@dataclass(frozen=True, slots=True)
class FundReceipt:
    """A latest filing's fund share and what its ledger entry holds (None: entry missing)."""

    licence_id: str
    period: str
    stream: str
    currency: str
    fund_minor: int
    reporting_minor: int
    entry_key: str | None
    entry_cash: int | None
    entry_expected: int
    # Fund share of earlier versions still in the ledger because no correction undid them.
    superseded_still_booked: int = 0
    # Due to the fund but held outside it until a transfer (the terms' contribution cycle):
    # no entry is expected; the cycle's report reconciles it against the transfers.
    accrued: bool = False


@dataclass(frozen=True, slots=True)
class Difference:
    """One disagreement: which receipt, which cause, how big (in `currency`), and detail."""

    cause: Cause
    licence_id: str
    stream: str
    period: str
    currency: str
    size_minor: int
    detail: str


@dataclass(frozen=True, slots=True)
class CurrencyTotals:
    """Amounts in one currency by how they matched."""

    currency: str
    filed: int = 0
    treasury: int = 0
    matched_keys: int = 0
    matched: int = 0
    only_filed: int = 0
    only_treasury: int = 0
    differing_filed: int = 0
    differing_treasury: int = 0
    fund_share: int = 0


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """Every difference found and the totals of matched and unmatched money."""

    differences: tuple[Difference, ...]
    totals: tuple[CurrencyTotals, ...]
    keys: int
    matched_keys: int

    def by_cause(self) -> dict[Cause, int]:
        """How many differences of each cause."""
        counts: dict[Cause, int] = defaultdict(int)
        for d in self.differences:
            counts[d.cause] += 1
        return dict(counts)


@dataclass
class _Side:
    currency: str = ""
    amount: int = 0
    received_on: date = date.min
    fund: int = 0
    usd: int = 0
    rows: int = 0
    currencies: set[str] = field(default_factory=set)


def _gather_filed(filed: Iterable[FiledPayment]) -> dict[Key, _Side]:
    sides: dict[Key, _Side] = defaultdict(_Side)
    for f in filed:
        s = sides[(f.licence_id, f.stream, f.period)]
        s.currency, s.amount, s.rows = f.currency, s.amount + f.gross_minor, s.rows + 1
        s.received_on = max(s.received_on, f.received_on)
        s.fund += f.fund_minor
        s.usd += f.reporting_minor
        s.currencies.add(f.currency)
    return sides


def _gather_treasury(rows: Iterable[TreasuryReceipt]) -> dict[Key, _Side]:
    sides: dict[Key, _Side] = defaultdict(_Side)
    for t in rows:
        s = sides[(t.licence_id, t.stream, t.period)]
        s.currency, s.amount, s.rows = t.currency, s.amount + t.amount_minor, s.rows + 1
        s.received_on = max(s.received_on, t.received_on)
        s.currencies.add(t.currency)
    return sides


def reconcile(
    filed: Sequence[FiledPayment],
    treasury: Sequence[TreasuryReceipt],
    fund: Sequence[FundReceipt],
    rates: RateTable,
    *,
    reporting_currency: str = "USD",
    amount_tolerance: int = 0,
    fx_tolerance: int = 0,
) -> Reconciliation:
    """Match the three views and list every difference beyond the tolerances (minor units)."""
    ours, theirs = _gather_filed(filed), _gather_treasury(treasury)
    found: list[Difference] = []
    totals: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    matched_keys = 0
    for key in sorted(set(ours) | set(theirs)):
        period = key[2]
        f, t = ours.get(key), theirs.get(key)
        add = _adder(found, key)

        if f is not None:
            totals[f.currency]["filed"] += f.amount
            totals[f.currency]["fund_share"] += f.fund
        if t is not None:
            totals[t.currency]["treasury"] += t.amount
        if t is None and f is not None:
            add(
                Cause.MISSING_IN_TREASURY,
                f.currency,
                f.amount,
                "filed, but the treasury reports no receipt",
            )
            totals[f.currency]["only_filed"] += f.amount
        elif f is None and t is not None:
            add(
                Cause.MISSING_IN_FILINGS,
                t.currency,
                t.amount,
                "received by the treasury, but no payer filed it",
            )
            totals[t.currency]["only_treasury"] += t.amount
        elif f is not None and t is not None:
            same = f.currencies == t.currencies and len(f.currencies) == 1
            if same and abs(f.amount - t.amount) <= amount_tolerance:
                matched_keys += 1
                totals[f.currency]["matched_keys"] += 1
                totals[f.currency]["matched"] += f.amount
            else:
                detail = (
                    f"filed {major(f.amount, f.currency)} {f.currency}, treasury "
                    f"{major(t.amount, t.currency)} {t.currency}"
                )
                size = t.amount - f.amount if same else t.amount
                add(Cause.AMOUNT_DIFFERS, t.currency, size, detail)
                totals[f.currency]["differing_filed"] += f.amount
                totals[t.currency]["differing_treasury"] += t.amount
            if f.fund and f.currency != reporting_currency and t.received_on != f.received_on:
                try:
                    value = convert(f.fund, f.currency, reporting_currency, t.received_on, rates)
                except MissingRateError:
                    value = None
                if value is None:
                    add(
                        Cause.FX_DIFFERENCE,
                        reporting_currency,
                        0,
                        f"no {f.currency} rate on {t.received_on}",
                    )
                elif abs(value - f.usd) > fx_tolerance:
                    add(
                        Cause.FX_DIFFERENCE,
                        reporting_currency,
                        value - f.usd,
                        f"fund share worth {major(value, reporting_currency)} on the treasury's "
                        f"date {t.received_on}, booked at {major(f.usd, reporting_currency)} "
                        f"on {f.received_on}",
                    )
        due = due_date(period)
        side = t if t is not None else f
        if side is not None and side.received_on > due:
            late = (side.received_on - due).days
            add(
                Cause.LATE,
                side.currency,
                side.amount,
                f"received {side.received_on}, due {due} ({late} days late)",
            )
    found.extend(_fund_findings(fund))
    lines = tuple(CurrencyTotals(ccy, **values) for ccy, values in sorted(totals.items()))
    return Reconciliation(tuple(found), lines, len(set(ours) | set(theirs)), matched_keys)


def _adder(found: list[Difference], key: Key) -> Callable[[Cause, str, int, str], None]:
    """A function appending differences about one key to `found`."""

    def add(cause: Cause, currency: str, size: int, detail: str) -> None:
        found.append(Difference(cause, *key, currency, size, detail))

    return add


def _fund_findings(fund: Sequence[FundReceipt]) -> list[Difference]:
    found: list[Difference] = []
    checked: set[str] = set()
    for r in fund:
        if not r.fund_minor or r.accrued:
            continue
        if r.entry_key is None or r.entry_cash is None:
            found.append(
                Difference(
                    Cause.NOT_IN_FUND,
                    r.licence_id,
                    r.stream,
                    r.period,
                    r.currency,
                    r.fund_minor,
                    f"fund share has no ledger entry ({r.entry_key or 'none booked'})",
                )
            )
        elif r.entry_key not in checked and r.entry_cash != r.entry_expected:
            found.append(
                Difference(
                    Cause.NOT_IN_FUND,
                    r.licence_id,
                    r.stream,
                    r.period,
                    r.currency,
                    r.entry_expected - r.entry_cash,
                    f"entry {r.entry_key} holds {r.entry_cash}, its filings {r.entry_expected}",
                )
            )
        if r.entry_key:
            checked.add(r.entry_key)
    for r in fund:
        if r.superseded_still_booked:
            found.append(
                Difference(
                    Cause.NOT_IN_FUND,
                    r.licence_id,
                    r.stream,
                    r.period,
                    r.currency,
                    -r.superseded_still_booked,
                    "an earlier version's fund share was never undone: the ledger holds "
                    f"{r.superseded_still_booked} minor units more than the latest filing",
                )
            )
    return found


DIFFERENCE_COLUMNS = ("cause", "licence_id", "stream", "period", "currency", "size", "detail")
TOTAL_COLUMNS = (
    "currency",
    "filed",
    "treasury",
    "matched_keys",
    "matched",
    "only_filed",
    "only_treasury",
    "differing_filed",
    "differing_treasury",
    "fund_share",
)


def reconciliation_tables(result: Reconciliation) -> list[Table]:
    """The differences sheet and the totals sheet."""
    diffs = tuple(
        (
            d.cause.value,
            d.licence_id,
            d.stream,
            d.period,
            d.currency,
            major(d.size_minor, d.currency),
            d.detail,
        )
        for d in result.differences
    )
    totals: list[tuple[Cell, ...]] = []
    for t in result.totals:
        c = t.currency
        totals.append(
            (
                c,
                major(t.filed, c),
                major(t.treasury, c),
                t.matched_keys,
                major(t.matched, c),
                major(t.only_filed, c),
                major(t.only_treasury, c),
                major(t.differing_filed, c),
                major(t.differing_treasury, c),
                major(t.fund_share, c),
            )
        )
    return [
        Table("differences", DIFFERENCE_COLUMNS, diffs),
        Table("totals", TOTAL_COLUMNS, tuple(totals)),
    ]

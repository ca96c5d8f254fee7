"""The contribution cycle read back: each period's accruals, transfers and status as of a day, for
the cycle page, the API and the CLI."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from jointfund.fund.setup import terms_in_force
from jointfund.fund.transfers import USD, cycle_of
from jointfund.governance import User, require
from jointfund.intake.budget_codes import budget_codes
from jointfund.ledger import chart
from jointfund.money import format_amount
from jointfund.store import Database
from jointfund.store.transfers import AccrualSum, TransferRow, accrual_sums, transfers
from jointfund.terms import TermSheet
from jointfund.terms.cycle import ContributionCycle


@dataclass(frozen=True, slots=True)
class AccrualLine:
    """Accrued shares of one period by budget code, licence, stream and currency."""

    budget_code: str  # the code group the stream is received under; "" when unmapped
    licence_id: str
    stream: str
    currency: str
    filings: int
    amount_minor: int
    indicative_usd_minor: int  # at each receipt day's rate, for the FX difference only


@dataclass(frozen=True, slots=True)
class PeriodReconciliation:
    """One accrual period: what accrued, what was transferred, what remains and why.

    Amounts are by currency (the budget's UAH; a PSA bonus paid in USD accrues in USD).
    """

    period_year: int
    period_end: date
    due_on: date
    status: str  # accruing, due, overdue, settled, settled late, over-transferred
    accrued: dict[str, int]
    transferred: dict[str, int]
    remaining: dict[str, int]
    credited_usd_minor: int
    indicative_usd_minor: int
    fx_difference_usd_minor: int  # credited at the transfer rate less the receipt-day value
    lines: tuple[AccrualLine, ...]
    transfers: tuple[TransferRow, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CycleReport:
    """The cycle on one day: the rule it follows and every period with accruals or transfers."""

    as_of: date
    terms_id: str
    partner: str
    accrual: str
    transfer_rule: str
    fx_date: str
    periods: tuple[PeriodReconciliation, ...]


def _status(as_of: date, end: date, due: date, remaining: dict[str, int], late: bool) -> str:
    if any(v < 0 for v in remaining.values()):
        return "over-transferred"
    if not any(remaining.values()):
        return "settled late" if late else "settled"
    if as_of <= end:
        return "accruing"
    return "due" if as_of <= due else "overdue"


def _stream_codes() -> dict[str, str]:
    """The budget code group each stream is received under: its shortest mapped code."""
    found: dict[str, str] = {}
    for code, mapping in budget_codes().by_code.items():
        if mapping.stream is None:
            continue
        now = found.get(mapping.stream.value)
        if now is None or len(code) < len(now):
            found[mapping.stream.value] = code
    return found


def _lines(sums: list[AccrualSum], codes: dict[str, str]) -> tuple[AccrualLine, ...]:
    """One line per licence, stream and currency (none when the sums are not by licence)."""
    lines = [
        AccrualLine(
            codes.get(s.stream, ""),
            s.licence_id,
            s.stream,
            s.currency,
            s.filings,
            s.fund_minor,
            s.reporting_minor,
        )
        for s in sums
        if s.licence_id is not None and s.stream is not None
    ]
    return tuple(sorted(lines, key=lambda x: (x.budget_code, x.licence_id, x.stream, x.currency)))


def _by_currency(pairs: list[tuple[str, int]]) -> dict[str, int]:
    found: dict[str, int] = defaultdict(int)
    for currency, amount in pairs:
        found[currency] += amount
    return dict(sorted(found.items()))


def _period(
    cycle: ContributionCycle,
    year: int,
    items: list[AccrualSum],
    moved: tuple[TransferRow, ...],
    codes: dict[str, str],
    as_of: date,
) -> PeriodReconciliation:
    accrued = _by_currency([(r.currency, r.fund_minor) for r in items])
    transferred = _by_currency([(t.currency, t.amount_minor) for t in moved])
    remaining = {
        c: accrued.get(c, 0) - transferred.get(c, 0) for c in sorted({*accrued, *transferred})
    }
    due = cycle.transfer_due(year)
    credited = sum(t.usd_minor for t in moved)
    indicative = sum(r.reporting_minor for r in items)
    # The FX effect is measured on what was transferred, valued at the receipts' own rates.
    settled_value = 0
    for currency, amount in accrued.items():
        value = sum(r.reporting_minor for r in items if r.currency == currency)
        sent = min(transferred.get(currency, 0), amount)
        settled_value += value * sent // amount if amount else 0
    notes = []
    total_accrued = sum(accrued.values())
    if any(t.accrued_minor != accrued.get("UAH", 0) for t in moved):
        notes.append("the accruals changed after the transfer (corrected or late filings)")
    late = any(t.transfer_date > due for t in moved)
    if late:
        notes.append(f"transferred after the {due.isoformat()} deadline")
    if not total_accrued and moved:
        notes.append("a transfer with no accruals recorded for the period")
    return PeriodReconciliation(
        period_year=year,
        period_end=date(year, 12, 31),
        due_on=due,
        status=_status(as_of, date(year, 12, 31), due, remaining, late),
        accrued=accrued,
        transferred=transferred,
        remaining=remaining,
        credited_usd_minor=credited,
        indicative_usd_minor=indicative,
        fx_difference_usd_minor=credited - settled_value if moved else 0,
        lines=_lines(items, codes),
        transfers=moved,
        notes=tuple(notes),
    )


def build_cycle_report(
    terms: TermSheet, sums: list[AccrualSum], done: list[TransferRow], as_of: date
) -> CycleReport:
    """Accruals (summed per year of receipt, up to `as_of`) and transfers on `as_of`, period
    by period (pure: no database); each period's lines when the sums are by licence."""
    cycle = cycle_of(terms)
    codes = _stream_codes()
    by_period: dict[int, list[AccrualSum]] = defaultdict(list)
    for r in sums:  # a period is the year of receipt (`ContributionCycle.period_of`)
        by_period[r.year].append(r)
    sent: dict[int, list[TransferRow]] = defaultdict(list)
    for t in done:
        if t.transfer_date <= as_of and t.partner == cycle.partner:
            sent[t.period_year].append(t)
    periods = tuple(
        _period(cycle, year, by_period.get(year, []), tuple(sent.get(year, [])), codes, as_of)
        for year in sorted(set(by_period) | set(sent))
    )
    return CycleReport(
        as_of=as_of,
        terms_id=terms.id,
        partner=cycle.partner,
        accrual=cycle.accrual,
        transfer_rule=(
            f"by {cycle.transfer.month:02d}-{cycle.transfer.day:02d} of the year after the "
            f"receipts ({cycle.transfer.who})"
        ),
        fx_date=cycle.fx_date.value,
        periods=periods,
    )


def cycle_report(db: Database, actor: User, *, as_of: date) -> CycleReport:
    """Accruals, transfers and what remains, period by period, as of a day."""
    require(actor, "contributions.read")
    with db.read() as tx:
        terms = terms_in_force(tx)
        cycle = cycle_of(terms)
        sums = accrual_sums(
            tx, chart.capital_contributions(cycle.partner), as_of=as_of, by_licence=True
        )
        done = transfers(tx, as_of=as_of)
    return build_cycle_report(terms, sums, done, as_of)


def _amounts(values: dict[str, int]) -> dict[str, str]:
    return {c: format_amount(v, c) for c, v in values.items()}


def _shown(lines: tuple[AccrualLine, ...], most: int | None) -> tuple[AccrualLine, ...]:
    """Every line, or the `most` largest (by amount, then in the report's order)."""
    if most is None or len(lines) <= most:
        return lines
    return tuple(sorted(lines, key=lambda x: -x.amount_minor)[:most])


def report_dict(report: CycleReport, *, lines: int | None = None) -> dict[str, Any]:
    """The report as plain JSON values (amounts as decimal strings), one shape for every
    interface: the CLI's --json, the API and the page's JSON twin. With `lines`, each period
    lists only its largest lines, and says how many it has (`lines_total`): a national
    register accrues from tens of thousands of licences and streams a year."""
    return {
        "as_of": report.as_of.isoformat(),
        "terms_id": report.terms_id,
        "partner": report.partner,
        "accrual": report.accrual,
        "transfer_rule": report.transfer_rule,
        "fx_date": report.fx_date,
        "periods": [
            {
                "period": p.period_year,
                "period_end": p.period_end.isoformat(),
                "due_on": p.due_on.isoformat(),
                "status": p.status,
                "accrued": _amounts(p.accrued),
                "transferred": _amounts(p.transferred),
                "remaining": _amounts(p.remaining),
                "credited_usd": format_amount(p.credited_usd_minor, USD),
                "indicative_usd": format_amount(p.indicative_usd_minor, USD),
                "fx_difference_usd": format_amount(p.fx_difference_usd_minor, USD),
                "notes": list(p.notes),
                "lines_total": len(p.lines),
                "lines": [
                    {
                        "budget_code": line.budget_code or None,
                        "licence_id": line.licence_id,
                        "stream": line.stream,
                        "currency": line.currency,
                        "filings": line.filings,
                        "amount": format_amount(line.amount_minor, line.currency),
                        "indicative_usd": format_amount(line.indicative_usd_minor, USD),
                    }
                    for line in _shown(p.lines, lines)
                ],
                "transfers": [
                    {
                        "contribution_id": t.contribution_id,
                        "reference": t.reference,
                        "transfer_date": t.transfer_date.isoformat(),
                        "currency": t.currency,
                        "amount": format_amount(t.amount_minor, t.currency),
                        "usd": format_amount(t.usd_minor, USD),
                        "rate": t.rate,
                        "entry_key": t.entry_key,
                        "accrued_when_transferred": format_amount(t.accrued_minor, "UAH"),
                    }
                    for t in p.transfers
                ],
            }
            for p in report.periods
        ],
    }

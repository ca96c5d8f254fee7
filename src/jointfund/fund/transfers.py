"""Ukraine's contribution cycle as it runs: receipts accrue outside the fund, transfers credit
capital at the transfer day's rate and settle the period they cover (Res. 1616).

A filing whose share the term sheet's cycle holds is stored with its decision but books no
entry: it sits in the register of accruals (UAH, by budget code, licence and stream). A
transfer is a contribution of form "transfer", posted like cash (Dr cash, Cr the partner's
capital in USD at the official rate of the transfer day, through the trading accounts), and it
names the accrual period it settles. `cycle_report` puts accruals and transfers side by side,
period by period, with what remains and why.
"""

from __future__ import annotations

from datetime import date, datetime

from jointfund.errors import GovernanceError, InputError, OutOfRangeError, Problem
from jointfund.fund import door, said
from jointfund.fund.contributions import ContributionRow, cash_postings
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, User
from jointfund.i18n.message import Message
from jointfund.ledger import Entry, chart
from jointfund.money import MissingRateError, convert, is_currency
from jointfund.store import Database, Tx
from jointfund.store.accounts import open_accounts_for
from jointfund.store.contributions import insert_contribution
from jointfund.store.fx_rates import rate_table
from jointfund.store.posting import post_batch
from jointfund.store.transfers import TransferRow, accrual_sums, insert_transfer
from jointfund.terms import TermSheet
from jointfund.terms.cycle import ContributionCycle

__all__ = [
    "TransferRow",
    "cycle_of",
    "record_transfer",
]

USD = chart.REPORTING_CURRENCY
TRANSFER_FORM = "transfer"


def cycle_of(terms: TermSheet) -> ContributionCycle:
    """The term sheet's contribution cycle, or a refusal naming the sheet that has none."""
    if terms.cycle is None:
        raise GovernanceError(
            Message(
                "{terms} has no contribution cycle: its receipts are credited on the day they are "
                "received, so there is nothing to transfer",
                terms=terms.id,
            )
        )
    return terms.cycle


def _transfer_entry(row: ContributionRow, period_year: int) -> Entry:
    """Dr cash in the transferred currency, Cr the partner's capital in USD at the rate used:
    booked as cash received is."""
    assert row.entry_key is not None
    postings = cash_postings(row)
    return Entry(
        key=row.entry_key,
        effective_date=row.value_date,
        kind="contribution",
        postings=postings,
        memo=f"transfer of {period_year} receipts from {row.partner}, ref {row.reference}",
        metadata={
            "partner": row.partner,
            "form": TRANSFER_FORM,
            "contribution_id": row.id,
            "reference": row.reference,
            "period": period_year,
            **({"rate": row.rate} if row.rate else {}),
        },
    )


def _accrued_in(tx: Tx, cycle: ContributionCycle, period_year: int) -> int:
    """What the register holds as due for one period, in UAH minor units (every currency's
    share is summed in its own currency; the register's currency is the budget's, UAH)."""
    sums = accrual_sums(tx, chart.capital_contributions(cycle.partner))
    return sum(s.fund_minor for s in sums if s.currency == "UAH" and s.year == period_year)


def _check(amount_minor: int, currency: str, reference: str, period_year: int) -> None:
    problems = []
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        problems.append(Problem(Message("must be a positive amount"), field="amount"))
    if not is_currency(currency):
        problems.append(
            Problem(Message("unknown currency {currency!r}", currency=currency), field="currency")
        )
    if not reference.strip():
        problems.append(Problem(Message("a payment reference is required"), field="reference"))
    if not 2000 <= period_year <= 2200:
        problems.append(
            Problem(Message("not a year"), field="period", expected=Message("e.g. 2025"))
        )
    if problems:
        raise InputError(problems)


def record_transfer(
    db: Database,
    actor: User,
    *,
    amount_minor: int,
    transfer_date: date,
    reference: str,
    period_year: int,
    currency: str = "UAH",
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[ContributionRow, bool]:
    """Book a transfer of accrued receipts (idempotent by reference); (row, created).

    The partner's capital is credited in USD at the official rate of the transfer day (the
    latest stored rate on or before it); the transfer settles the accruals of `period_year`.
    """
    _check(amount_minor, currency, reference, period_year)
    with door.act(db, actor, "contributions.record", interface=interface, now=now) as act:
        sheet = terms or terms_in_force(act.tx)
        cycle = cycle_of(sheet)
        if transfer_date.year <= period_year:
            raise InputError(
                [
                    Problem(
                        Message(
                            "a transfer of {period_year} receipts comes after that year ends",
                            period_year=period_year,
                        ),
                        field="transfer_date",
                        expected=Message("a date in {year} or later", year=period_year + 1),
                    )
                ]
            )
        usd, rate_text = amount_minor, None
        if currency != USD:
            rates = rate_table(act.tx, for_days=[transfer_date])
            try:
                usd = convert(amount_minor, currency, USD, transfer_date, rates)
                used = rates.factor(currency, USD, transfer_date)[2]
            except MissingRateError as exc:
                raise InputError(
                    [
                        Problem(
                            said.reason(exc),
                            field="transfer_date",
                            expected=Message(
                                "the official rate imported with `jointfund fx import`"
                            ),
                        )
                    ]
                ) from None
            rate_text = f"{used.base}/{used.quote} {used.rate} on {used.on.isoformat()}"
        key = f"contribution:transfer:{cycle.partner}:{reference.strip()}"
        fields = {
            "partner": cycle.partner,
            "form": TRANSFER_FORM,
            "kind": "accrued_receipts",
            "currency": currency,
            "amount": amount_minor,
            "usd_amount": usd,
            "rate": rate_text,
            "value_date": transfer_date,
            "reference": reference.strip(),
            "description": f"receipts of {period_year} ({cycle.accrual})",
            "entry_key": key,
        }
        row, created = insert_contribution(
            act.tx, key=key, fields=fields, values={}, recorded_by=act.user.id, at=act.now
        )
        if not created:
            act.unchanged()
            return row, created
        accrued = _accrued_in(act.tx, cycle, period_year)
        insert_transfer(
            act.tx,
            contribution_id=row.id,
            period_year=period_year,
            due_on=cycle.transfer_due(period_year),
            accrued_minor=accrued,
        )
        entry = _transfer_entry(row, period_year)
        open_accounts_for(act.tx, [entry], min(sheet.entry_into_force, transfer_date))
        try:
            post_batch(act.tx, [entry])
        except OutOfRangeError as exc:
            raise InputError([Problem(said.reason(exc), field="amount")]) from None
        act.note(
            "contributions.record",
            f"contribution:{row.id}",
            {**fields, "value_date": transfer_date.isoformat(), "period": period_year},
        )
    return row, created

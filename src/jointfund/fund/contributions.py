"""Contributions: cash booked straight to capital. In-kind aid reaches capital only through
its reported chain (`fund.in_kind`, `fund.in_kind_credit`): the board's approval of the
assessed value the Audit Committee recommends."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jointfund import clock, dates
from jointfund.errors import GovernanceError, InputError, OutOfRangeError, Problem
from jointfund.fund import door, said
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, User, require
from jointfund.i18n.message import Message
from jointfund.intake.fx_pairs import RANGE_EXPECTED, plausible
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import FxRate, RateTable, convert, is_currency
from jointfund.store import Database
from jointfund.store.accounts import open_accounts_for
from jointfund.store.contributions import (
    ContributionRow,
    insert_contribution,
    list_contributions,
)
from jointfund.store.posting import post_batch
from jointfund.terms import ContributionForm, TermSheet, assess_contribution

__all__ = [
    "ContributionRow",
    "cash_entry",
    "list_all",
    "record_cash",
]

USD = chart.REPORTING_CURRENCY


def cash_postings(row: ContributionRow) -> tuple[Posting, ...]:
    """Money received from a partner (cash or a transfer): Dr cash / Cr capital in USD, through
    the conversion trading accounts when the money is not in USD."""
    assert row.amount is not None and row.usd_amount is not None
    capital = Posting(chart.capital_contributions(row.partner), -row.usd_amount, USD)
    if row.currency == USD:
        return (Posting(chart.cash(USD), row.amount, USD), capital)
    return (
        Posting(chart.cash(row.currency), row.amount, row.currency),
        Posting(chart.conversion(row.currency), -row.amount, row.currency),
        Posting(chart.conversion(USD), row.usd_amount, USD),
        capital,
    )


def cash_entry(row: ContributionRow) -> Entry:
    """The entry for a cash contribution (see `cash_postings`)."""
    assert row.entry_key is not None
    postings = cash_postings(row)
    return Entry(
        key=row.entry_key,
        effective_date=row.value_date,
        kind="contribution",
        postings=postings,
        memo=f"cash contribution from {row.partner}, ref {row.reference}",
        metadata={
            "partner": row.partner,
            "form": "cash",
            "contribution_id": row.id,
            "reference": row.reference,
            **({"rate": row.rate} if row.rate else {}),
        },
    )


def _day_problems(value_date: date, now: datetime | None) -> list[Problem]:
    """A contribution's value date in the books' range and not after today (money is
    contributed when it arrives, not before)."""
    today = (now or clock.utcnow()).date()
    try:
        dates.check_day(value_date, field="value_date", not_after=today)
    except InputError as exc:
        return list(exc.problems)
    return []


def _check_accepted(terms: TermSheet, **kwargs: Any) -> None:
    decision = assess_contribution(terms, **kwargs)
    if not decision.accepted:
        raise GovernanceError(
            Message(
                "contribution refused under {terms}: {reason}",
                terms=terms.id,
                reason=decision.reason,
            )
        )


def record_cash(
    db: Database,
    actor: User,
    *,
    partner: str,
    amount_minor: int,
    currency: str,
    value_date: date,
    reference: str,
    usd_rate: Decimal | None = None,
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[ContributionRow, bool]:
    """Book a cash contribution (idempotent by partner and bank reference); (row, created).

    Cash in another currency needs `usd_rate` (USD per unit, e.g. the NBU rate of the value
    date): the capital credit is the USD amount at that rate, rounded half-even.
    """
    problems = []
    if isinstance(amount_minor, bool) or not isinstance(amount_minor, int) or amount_minor <= 0:
        problems.append(Problem(Message("must be a positive amount"), field="amount"))
    if not is_currency(currency):
        problems.append(
            Problem(Message("unknown currency {currency!r}", currency=currency), field="currency")
        )
    elif currency != USD and usd_rate is None:
        problems.append(
            Problem(
                Message("{currency} cash needs the USD rate of its value date", currency=currency),
                field="rate",
            )
        )
    if currency == USD and usd_rate is not None:
        problems.append(
            Problem(Message("USD cash takes no rate"), field="rate", expected=Message("no --rate"))
        )
    elif usd_rate is not None and not (usd_rate.is_finite() and plausible(usd_rate)):
        problems.append(
            Problem(
                Message("implausible rate: {usd_rate}", usd_rate=usd_rate),
                field="rate",
                expected=RANGE_EXPECTED,
            )
        )
    if not reference.strip():
        problems.append(Problem(Message("a bank reference is required"), field="reference"))
    problems += _day_problems(value_date, now)
    if problems:
        raise InputError(problems)
    usd, rate_text = amount_minor, None
    if currency != USD:
        assert usd_rate is not None
        rate = FxRate(value_date, currency, USD, usd_rate)
        usd, rate_text = (
            convert(amount_minor, currency, USD, value_date, RateTable([rate])),
            str(usd_rate),
        )
    key = f"contribution:cash:{partner}:{reference.strip()}"
    with door.act(db, actor, "contributions.record", interface=interface, now=now) as act:
        sheet = terms or terms_in_force(act.tx)
        _check_accepted(sheet, partner=partner, form=ContributionForm.CASH, provided_on=value_date)
        fields = {
            "partner": partner,
            "form": "cash",
            "kind": "",
            "currency": currency,
            "amount": amount_minor,
            "usd_amount": usd,
            "rate": rate_text,
            "value_date": value_date,
            "reference": reference.strip(),
            "description": "",
            "entry_key": key,
        }
        row, created = insert_contribution(
            act.tx, key=key, fields=fields, values={}, recorded_by=act.user.id, at=act.now
        )
        if not created:
            act.unchanged()
            return row, created
        entry = cash_entry(row)
        open_accounts_for(act.tx, [entry], min(sheet.entry_into_force, value_date))
        try:
            post_batch(act.tx, [entry])
        except OutOfRangeError as exc:
            raise InputError([Problem(said.reason(exc), field="amount")]) from None
        act.note("contributions.record", f"contribution:{row.id}", fields)
    return row, created


def list_all(db: Database, actor: User, *, as_of: date | None = None) -> list[ContributionRow]:
    """Every contribution by value date; an in-kind credit with the assessed value approved."""
    require(actor, "contributions.read")
    with db.read() as conn:
        return list_contributions(conn, as_of=as_of)

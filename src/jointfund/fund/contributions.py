"""Contributions: cash booked straight to capital; in kind recorded under every valuation basis
and credited to capital only at the value an in_kind_valuation proposal approves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jointfund import clock, dates
from jointfund.errors import ConflictError, GovernanceError, InputError, OutOfRangeError, Problem
from jointfund.fund import door
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Interface, Proposal, User, payloads, require
from jointfund.intake.fx_pairs import RANGE_EXPECTED, plausible
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import FxRate, RateTable, convert, is_currency
from jointfund.store import Database, Tx
from jointfund.store.accounts import open_accounts_for
from jointfund.store.contributions import (
    ContributionRow,
    get_contribution,
    insert_contribution,
    insert_in_kind_approval,
    list_contributions,
)
from jointfund.store.posting import post_batch
from jointfund.terms import (
    ContributionForm,
    TermSheet,
    ValuationBasis,
    allowed_valuation_bases,
    assess_contribution,
)

__all__ = [
    "ContributionRow",
    "cash_entry",
    "execute_valuation",
    "list_all",
    "record_cash",
    "record_in_kind",
    "validate_valuation",
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
        raise GovernanceError(f"contribution refused under {terms.id}: {decision.reason}")


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
        problems.append(Problem("must be a positive amount", field="amount"))
    if not is_currency(currency):
        problems.append(Problem(f"unknown currency {currency!r}", field="currency"))
    elif currency != USD and usd_rate is None:
        problems.append(
            Problem(f"{currency} cash needs the USD rate of its value date", field="rate")
        )
    if currency == USD and usd_rate is not None:
        problems.append(Problem("USD cash takes no rate", field="rate", expected="no --rate"))
    elif usd_rate is not None and not (usd_rate.is_finite() and plausible(usd_rate)):
        problems.append(
            Problem(f"implausible rate: {usd_rate}", field="rate", expected=RANGE_EXPECTED)
        )
    if not reference.strip():
        problems.append(Problem("a bank reference is required", field="reference"))
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
            raise InputError([Problem(str(exc), field="amount")]) from None
        act.note("contributions.record", f"contribution:{row.id}", fields)
    return row, created


def record_in_kind(
    db: Database,
    actor: User,
    *,
    partner: str,
    kind: str,
    description: str,
    evidence: str,
    value_date: date,
    values: Mapping[ValuationBasis, int],
    terms: TermSheet | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> tuple[ContributionRow, bool]:
    """Record an in-kind contribution with its USD value under every basis the terms allow.

    Nothing reaches capital yet: an in_kind_valuation proposal picks the basis, and its
    execution books the approved value.
    """
    given = {ValuationBasis(b).value: v for b, v in values.items()}
    if found := _day_problems(value_date, now):
        raise InputError(found)
    with door.act(db, actor, "contributions.record", interface=interface, now=now) as act:
        sheet = terms or terms_in_force(act.tx)
        problems = [
            Problem(f"the value under {b.value} is required", field=b.value)
            for b in allowed_valuation_bases(sheet)
            if b.value not in given
        ]
        problems += [
            Problem("must be a positive amount of USD minor units", field=b)
            for b, v in given.items()
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0
        ]
        if not evidence.strip():
            problems.append(Problem("an evidence reference is required", field="evidence"))
        if problems:
            raise InputError(problems)
        for basis in given:
            _check_accepted(
                sheet,
                partner=partner,
                form=ContributionForm.IN_KIND,
                provided_on=value_date,
                kind=kind,
                valuation_basis=basis,
            )
        key = f"contribution:in_kind:{partner}:{evidence.strip()}"
        fields = {
            "partner": partner,
            "form": "in_kind",
            "kind": kind,
            "currency": USD,
            "amount": None,
            "usd_amount": None,
            "rate": None,
            "value_date": value_date,
            "reference": evidence.strip(),
            "description": description,
            "entry_key": None,
        }
        row, created = insert_contribution(
            act.tx, key=key, fields=fields, values=given, recorded_by=act.user.id, at=act.now
        )
        if not created:
            act.unchanged()
            return row, created
        act.note(
            "contributions.record",
            f"contribution:{row.id}",
            {"partner": partner, "form": "in_kind", "kind": kind, "values": given},
        )
    return row, created


def list_all(db: Database, actor: User, *, as_of: date | None = None) -> list[ContributionRow]:
    """Every contribution by value date, with in-kind values and approvals."""
    require(actor, "contributions.read")
    with db.read() as conn:
        return list_contributions(conn, as_of=as_of)


def _pending_in_kind(
    tx: Tx, payload: Mapping[str, Any], terms: TermSheet
) -> tuple[ContributionRow, payloads.InKindValuationPayload]:
    parsed = payloads.in_kind_valuation(payload)
    row = get_contribution(tx, parsed.contribution_id)
    if row.form != "in_kind":
        raise GovernanceError(f"contribution {row.id} is {row.form}, not in kind")
    if row.approved_basis is not None:
        raise ConflictError(
            f"contribution {row.id} was valued already "
            f"({row.approved_basis}, proposal {row.proposal_id})"
        )
    if parsed.basis not in allowed_valuation_bases(terms):
        raise GovernanceError(f"{terms.id} does not allow valuing in kind at {parsed.basis.value}")
    if parsed.basis.value not in row.values:
        raise GovernanceError(
            f"contribution {row.id} has no value recorded under {parsed.basis.value}"
        )
    return row, parsed


def validate_valuation(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check an in_kind_valuation payload names a pending in-kind contribution and its basis."""
    _pending_in_kind(tx, payload, terms)


def execute_valuation(tx: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Credit the approved value to the partner's capital against the in-kind offset."""
    row, parsed = _pending_in_kind(tx, proposal.payload, terms)
    value = row.values[parsed.basis.value]
    on = parsed.on or row.value_date
    insert_in_kind_approval(
        tx,
        contribution_id=row.id,
        proposal_id=proposal.id,
        basis=parsed.basis.value,
        amount=value,
        on=on,
    )
    return [
        Entry(
            key=f"proposal:{proposal.id}",
            effective_date=on,
            kind="contribution",
            postings=(
                Posting(chart.in_kind_offset(row.partner), value, USD),
                Posting(chart.capital_contributions(row.partner), -value, USD),
            ),
            memo=f"in-kind {row.kind} from {row.partner} at {parsed.basis}: {row.description}",
            metadata={
                "partner": row.partner,
                "form": "in_kind",
                "contribution_id": row.id,
                "basis": parsed.basis.value,
                "evidence": row.reference,
                "proposal_id": proposal.id,
            },
        )
    ]

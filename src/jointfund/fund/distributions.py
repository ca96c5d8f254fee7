"""Distributions: refused inside the reinvestment lock; otherwise split by the terms' rule to
the minor unit and paid out of fund cash as debits to each partner's capital."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from jointfund import store
from jointfund.errors import GovernanceError
from jointfund.fund.capital import capital_table
from jointfund.governance import Proposal, payloads
from jointfund.i18n.message import Message
from jointfund.ledger import Entry, Posting, chart
from jointfund.store import Tx
from jointfund.terms import (
    DistributionMethod,
    DistributionResult,
    SeniorBalance,
    TermSheet,
    accrue_senior,
    check_distribution_allowed,
    distribute,
    opening_balance,
    split_income,
)

USD = chart.REPORTING_CURRENCY


def senior_balance(conn: Tx, terms: TermSheet, on: date) -> SeniorBalance | None:
    """What a senior-first rule still owes its senior partner on `on`, after past payments."""
    if terms.distribution.method is not DistributionMethod.SENIOR_THEN_PRO_RATA:
        return None
    balance = opening_balance(terms)
    for paid_on, metadata in store.journal.metadata_of_kind(conn, "distribution", on):
        paid = int(metadata.get("senior_minor", 0))
        if paid_on >= balance.as_of:
            balance = accrue_senior(terms, balance, paid_on)
        balance = split_income(balance, paid).balance
    return accrue_senior(terms, balance, on) if on >= balance.as_of else balance


def plan(conn: Tx, terms: TermSheet, amount_minor: int, on: date) -> DistributionResult:
    """Who would get what of `amount_minor` on `on`, refusing inside the lock or beyond cash."""
    check_distribution_allowed(terms, on)
    cash = store.balances.balance(conn, chart.cash(USD), None) if _has_cash(conn) else 0
    if amount_minor > cash:
        raise GovernanceError(
            Message(
                "the fund holds {cash} minor units of USD cash; it cannot distribute "
                "{amount_minor}",
                cash=cash,
                amount_minor=amount_minor,
            )
        )
    table = capital_table(conn, terms.partner_ids, on)
    capital = {p: max(a.closing, 0) for p, a in table.accounts.items()}
    return distribute(terms, amount_minor, capital=capital, senior=senior_balance(conn, terms, on))


def _has_cash(conn: Tx) -> bool:
    return bool(store.balances.balances_as_of(conn, None, chart.cash(USD)))


def validate(conn: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check a distribution payload; inside the lock this raises the lock's GovernanceError."""
    parsed = payloads.distribution(payload)
    plan(conn, terms, parsed.amount_minor, parsed.on)


def execute(conn: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Pay each partner its share: Dr its capital distributions, Cr fund cash."""
    parsed = payloads.distribution(proposal.payload)
    result = plan(conn, terms, parsed.amount_minor, parsed.on)
    postings = [
        Posting(chart.capital_distributions(p), part, USD)
        for p, part in result.by_partner.items()
        if part
    ]
    postings.append(Posting(chart.cash(USD), -parsed.amount_minor, USD))
    return [
        Entry(
            key=f"proposal:{proposal.id}",
            effective_date=parsed.on,
            kind="distribution",
            postings=tuple(postings),
            memo=f"distribution under {terms.id} ({terms.distribution.method.value})",
            metadata={
                "proposal_id": proposal.id,
                "by_partner": dict(result.by_partner),
                "senior_minor": result.senior_minor,
            },
        )
    ]

"""Turning accepted revenue filings into ledger entries under the fund's term sheet.

Filings are many and small, so the fund's share is booked as one summary entry per receipt
date, revenue stream, currency and credited account; every filing row keeps its own decision
(share, rule, basis, budget part) and the key of the entry that carries it, so each number traces
both ways. A corrected filing (same payer reference, higher version) books its own pair: the
reversal of the old version's share and the new one.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from jointfund.intake.records import FilingRecord, LicenceRecord
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import RateTable, Rounding, convert
from jointfund.money.rounding import round_ratio
from jointfund.terms import (
    CreditTo,
    InflowChoice,
    Instrument,
    LicenceFacts,
    TermSheet,
    Territory,
    headroom_minor,
)


def licence_facts(licence: LicenceRecord) -> LicenceFacts:
    """What the terms engine needs to know about a licence."""
    return LicenceFacts(
        issued_on=licence.issued_on,
        resources=licence.resources,
        territory=Territory(licence.territory),
        instrument=Instrument(licence.instrument),
        is_new=licence.is_new,
    )


@dataclass(frozen=True, slots=True)
class FilingDecision:
    """One filing's outcome: the terms' decision, its reporting-currency value, where it books."""

    filing: FilingRecord
    eligible: bool
    rule_id: str | None
    share: Decimal
    fund_minor: int
    reporting_minor: int
    fx_rate: str | None
    credit_account: str | None
    reason: str | None


@dataclass
class ThresholdState:
    """Cumulative figures the threshold rule reads, derived from the ledger and kept current."""

    contributed_minor: int = 0
    later_aid_minor: int = 0


def credit_account(choice: InflowChoice) -> str | None:
    """The account an eligible receipt credits: a partner's capital, or the fund's income."""
    rule = choice.rule
    if rule is None:
        return None
    if rule.credit_to is CreditTo.CAPITAL and rule.credit_partner:
        return chart.capital_contributions(rule.credit_partner)
    return chart.inflow_income(choice.stream.value)


def decide(
    terms: TermSheet,
    choice: InflowChoice,
    filing: FilingRecord,
    rates: RateTable,
    threshold: ThresholdState,
) -> FilingDecision:
    """Split one filing by its rule, value it in the reporting currency, apply any threshold cap.

    `choice` comes from `terms.choose_inflow` for the filing's licence and stream; missing FX
    rates raise MissingRateError.
    """
    _, fund, _ = choice.split(filing.gross_minor, filing.costs_minor)
    reporting = terms.reporting_currency
    rate: str | None = None
    value = fund
    if fund and filing.currency != reporting:
        value = convert(fund, filing.currency, reporting, filing.received_on, rates)
        used = rates.factor(filing.currency, reporting, filing.received_on)[2]
        rate = f"{used.base}/{used.quote} {used.rate} on {used.on.isoformat()}"
    reason = choice.reason
    limit = terms.threshold
    rule = choice.rule
    if rule is not None and fund and limit is not None and rule.credit_partner == limit.contributor:
        headroom = headroom_minor(
            terms,
            contributed_minor=threshold.contributed_minor,
            later_aid_minor=threshold.later_aid_minor,
        )
        if headroom is not None and value > headroom:
            # Cap in the reporting currency, then scale the receipt-currency share alike.
            fund = round_ratio(fund * headroom, value, Rounding.HALF_EVEN)
            value = headroom
            reason = f"capped at the remaining threshold headroom of {headroom} minor units"
        threshold.contributed_minor += value
    return FilingDecision(
        filing=filing,
        eligible=rule is not None,
        rule_id=rule.id if rule is not None else choice.reason_rule_id,
        share=choice.share,
        fund_minor=fund,
        reporting_minor=value,
        fx_rate=rate,
        credit_account=credit_account(choice) if fund else None,
        reason=reason,
    )


def inflow_postings(
    currency: str, reporting: str, amount: int, value: int, account: str
) -> list[Posting]:
    """Cash in the receipt currency, credit in the reporting currency, via trading accounts."""
    if currency == reporting:
        return [
            Posting(chart.cash(currency), amount, currency),
            Posting(account, -amount, currency),
        ]
    return [
        Posting(chart.cash(currency), amount, currency),
        Posting(chart.conversion(currency), -amount, currency),
        Posting(chart.conversion(reporting), value, reporting),
        Posting(account, -value, reporting),
    ]


@dataclass
class _Group:
    amount: int = 0
    value: int = 0
    gross: int = 0
    budget: int = 0
    refs: list[str] = field(default_factory=list)


def summary_entries(
    decisions: Iterable[FilingDecision], terms: TermSheet
) -> tuple[list[Entry], dict[tuple[str, int], str]]:
    """One entry per (receipt date, stream, currency, credited account); filing -> entry key."""
    groups: dict[tuple[date, str, str, str], _Group] = defaultdict(_Group)
    for item in decisions:
        if item.credit_account is None:
            continue
        f = item.filing
        group = groups[(f.received_on, f.stream, f.currency, item.credit_account)]
        group.amount += item.fund_minor
        group.value += item.reporting_minor
        group.gross += f.gross_minor
        group.budget += f.gross_minor - item.fund_minor
        group.refs.append(f"{f.payer_reference}#{f.version}")
    entries: list[Entry] = []
    keys: dict[tuple[str, int], str] = {}
    for (on, stream, currency, account), group in sorted(groups.items()):
        digest = hashlib.sha256("\n".join(sorted(group.refs)).encode()).hexdigest()[:24]
        key = f"inflow:{on.isoformat()}:{stream}:{currency}:{account}:{digest}"
        entries.append(
            Entry(
                key=key,
                effective_date=on,
                kind="inflow",
                postings=tuple(
                    inflow_postings(
                        currency, terms.reporting_currency, group.amount, group.value, account
                    )
                ),
                memo=f"fund share of {len(group.refs)} {stream} filing(s) received {on}",
                metadata={
                    "terms": terms.id,
                    "stream": stream,
                    "filings": len(group.refs),
                    "gross_minor": group.gross,
                    "budget_minor": group.budget,
                    "currency": currency,
                },
            )
        )
        for ref in group.refs:
            payer_reference, version = ref.rsplit("#", 1)
            keys[(payer_reference, int(version))] = key
    return entries, keys


def correction_entries(
    old_postings: list[Posting], new: FilingDecision, terms: TermSheet
) -> tuple[list[Entry], str | None]:
    """A corrected filing's own entries: undo the old version's share, book the new one."""
    f = new.filing
    base = f"filing:{f.payer_reference}:v{f.version}"
    entries: list[Entry] = []
    if old_postings:
        entries.append(
            Entry(
                key=f"{base}:undo-earlier",
                effective_date=f.received_on,
                kind="inflow-correction",
                postings=tuple(Posting(p.account, -p.amount, p.currency) for p in old_postings),
                memo=f"undo the earlier version of filing {f.payer_reference}",
                metadata={"payer_reference": f.payer_reference, "superseded_by": f.version},
            )
        )
    new_postings = filing_postings(new, terms)
    if not new_postings:
        return entries, None
    entries.append(
        Entry(
            key=base,
            effective_date=f.received_on,
            kind="inflow",
            postings=tuple(new_postings),
            memo=f"fund share of corrected filing {f.payer_reference} v{f.version}",
            metadata={"terms": terms.id, "stream": f.stream, "payer_reference": f.payer_reference},
        )
    )
    return entries, base


def filing_postings(decision: FilingDecision, terms: TermSheet) -> list[Posting]:
    """The postings one filing contributes (to its summary entry, or its own when corrected)."""
    if decision.credit_account is None:
        return []
    f = decision.filing
    return inflow_postings(
        f.currency,
        terms.reporting_currency,
        decision.fund_minor,
        decision.reporting_minor,
        decision.credit_account,
    )

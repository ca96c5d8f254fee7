"""Turning accepted revenue filings into ledger entries under the fund's term sheet.

Filings are many and small, so the fund's share is booked as one summary entry per receipt
date, revenue stream, currency and credited account; every filing row keeps its own decision
(share, rule, basis, budget part) and the key of the entry that carries it, so each number traces
both ways. A corrected filing (same payer reference, higher version) books its own pair: the
reversal of the old version's share and the new one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from jointfund.intake.records import FilingRecord, LicenceRecord
from jointfund.ledger import Entry, Posting, chart
from jointfund.money import RateTable, Rounding, convert
from jointfund.money.rounding import round_ratio
from jointfund.terms import (
    CreditTo,
    InflowChoice,
    Instrument,
    LicenceFacts,
    RevenueStream,
    TermSheet,
    Territory,
    choose_inflow,
    headroom_minor,
    precedes_entry_into_force,
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


class FilingDecision(NamedTuple):
    """One filing's outcome: the terms' decision, its reporting-currency value, where it books.

    A named tuple, not a dataclass: imports make one per row and a tuple costs a fraction.
    """

    filing: FilingRecord
    eligible: bool
    rule_id: str | None
    share: Decimal
    fund_minor: int
    reporting_minor: int
    fx_rate: str | None
    credit_account: str | None
    reason: str | None
    # Due to the fund but not booked: the term sheet's cycle credits it when transferred.
    accrued: bool = False


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


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every filing of one licence, stream and side of entry into force shares."""

    choice: InflowChoice
    rule_id: str | None
    account: str | None
    capped: bool
    accrued: bool


def accrues(terms: TermSheet, choice: InflowChoice) -> bool:
    """Whether the terms' cycle holds this rule's credits until a transfer (Res. 1616)."""
    rule, cycle = choice.rule, terms.cycle
    return (
        cycle is not None
        and rule is not None
        and rule.credit_to is CreditTo.CAPITAL
        and rule.credit_partner == cycle.partner
    )


ACCRUED_REASON = "accrued in the {where}; credited to capital when transferred"


class Decider:
    """Decides filings under one term sheet and the books' rates and threshold figures.

    What repeats across rows is worked out once: the rule per licence, stream and side of
    entry into force (`choose_inflow`), and the wording of the FX rate used per currency and
    day. Each filing then only splits its amounts, converts them and applies any cap.
    """

    def __init__(self, terms: TermSheet, rates: RateTable, threshold: ThresholdState) -> None:
        """Decide under `terms`; `threshold` is read and kept current as filings are decided."""
        self.terms = terms
        self.rates = rates
        self.threshold = threshold
        self._in_force = terms.entry_into_force
        self._plans: dict[tuple[str, RevenueStream, bool], _Plan] = {}
        self._rate_words: dict[tuple[str, date], str] = {}

    def _plan(
        self, key: tuple[str, RevenueStream, bool], licence: LicenceFacts, filing: FilingRecord
    ) -> _Plan:
        """Work out the rule (or the reason for none) for a licence, stream and period side."""
        terms = self.terms
        choice = choose_inflow(
            terms, stream=filing.stream, licence=licence, period_end=filing.period_end
        )
        rule, limit = choice.rule, terms.threshold
        plan = self._plans[key] = _Plan(
            choice,
            rule.id if rule is not None else choice.reason_rule_id,
            credit_account(choice),
            rule is not None and limit is not None and rule.credit_partner == limit.contributor,
            accrues(terms, choice),
        )
        return plan

    def _rate_used(self, currency: str, on: date) -> str:
        """How the FX rate a conversion on `on` used is recorded on the filing."""
        key = (currency, on)
        words = self._rate_words.get(key)
        if words is None:
            used = self.rates.factor(currency, self.terms.reporting_currency, on)[2]
            words = f"{used.base}/{used.quote} {used.rate} on {used.on.isoformat()}"
            self._rate_words[key] = words
        return words

    def decide(
        self, licence_id: str, licence: LicenceFacts, filing: FilingRecord
    ) -> FilingDecision:
        """Split one filing by its rule, value it in the reporting currency, apply any cap.

        Raises InputError when the licence cannot produce the stream, MissingRateError when
        no FX rate covers the receipt day.
        """
        key = (licence_id, filing.stream, filing.period_end >= self._in_force)
        plan = self._plans.get(key) or self._plan(key, licence, filing)
        choice = plan.choice
        _, fund, _ = choice.split(filing.gross_minor, filing.costs_minor)
        eligible = choice.rule is not None
        if not fund:
            # The plan is shared by every filing of its licence, stream and side of entry into
            # force; a reason that names a period must name this filing's own.
            why = choice.reason
            if not key[2]:
                why = precedes_entry_into_force(
                    self._in_force,
                    period=filing.period,
                    period_end=filing.period_end,
                    received_on=filing.received_on,
                )
            return FilingDecision(
                filing, eligible, plan.rule_id, choice.share, 0, 0, None, None, why
            )
        reporting = self.terms.reporting_currency
        rate: str | None = None
        value = fund
        if filing.currency != reporting:
            value = convert(fund, filing.currency, reporting, filing.received_on, self.rates)
            rate = self._rate_used(filing.currency, filing.received_on)
        reason = choice.reason
        if plan.capped:
            fund, value, reason = self._cap(fund, value, reason)
        if plan.accrued:
            # The value at the receipt day's rate is kept as an indication only: capital is
            # credited at the transfer day's rate.
            assert self.terms.cycle is not None
            reason = ACCRUED_REASON.format(where=self.terms.cycle.accrual)
        return FilingDecision(
            filing,
            eligible,
            plan.rule_id,
            choice.share,
            fund,
            value,
            rate,
            plan.account,
            reason,
            plan.accrued,
        )

    def _cap(self, fund: int, value: int, reason: str | None) -> tuple[int, int, str | None]:
        """Hold a contributor's receipt to the threshold headroom; count what it credits."""
        threshold = self.threshold
        headroom = headroom_minor(
            self.terms,
            contributed_minor=threshold.contributed_minor,
            later_aid_minor=threshold.later_aid_minor,
        )
        if headroom is not None and value > headroom:
            # Cap in the reporting currency, then scale the receipt-currency share alike.
            fund = round_ratio(fund * headroom, value, Rounding.HALF_EVEN)
            value = headroom
            reason = f"capped at the remaining threshold headroom of {headroom} minor units"
        threshold.contributed_minor += value
        return fund, value, reason


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
    key: str = ""


def summary_entries(
    decisions: Sequence[FilingDecision], terms: TermSheet
) -> tuple[list[Entry], list[str | None]]:
    """One entry per (receipt date, stream, currency, credited account), and the key of the
    entry that carries each decision (None when nothing of it reached the fund), in order."""
    groups: dict[tuple[date, str, str, str], _Group] = {}
    member: list[_Group | None] = []
    for item in decisions:
        account = item.credit_account
        if account is None or item.accrued:
            member.append(None)
            continue
        f = item.filing
        where = (f.received_on, f.stream, f.currency, account)
        group = groups.get(where)
        if group is None:
            group = groups[where] = _Group()
        group.amount += item.fund_minor
        group.value += item.reporting_minor
        group.gross += f.gross_minor
        group.budget += f.gross_minor - item.fund_minor
        group.refs.append(f"{f.payer_reference}#{f.version}")
        member.append(group)
    entries: list[Entry] = []
    for (on, stream, currency, account), group in sorted(groups.items()):
        digest = hashlib.sha256("\n".join(sorted(group.refs)).encode()).hexdigest()[:24]
        group.key = f"inflow:{on.isoformat()}:{stream}:{currency}:{account}:{digest}"
        entries.append(
            Entry(
                key=group.key,
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
    return entries, [None if group is None else group.key for group in member]


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
    if decision.credit_account is None or decision.accrued:
        return []
    f = decision.filing
    return inflow_postings(
        f.currency,
        terms.reporting_currency,
        decision.fund_minor,
        decision.reporting_minor,
        decision.credit_account,
    )

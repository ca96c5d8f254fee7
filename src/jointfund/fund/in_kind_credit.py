"""The board's approval of one recommended assessed value, and the credit it books.

An `in_kind_valuation` proposal names a recommendation, its assessed value and the hashes of
the cost report, valuation and recommendation the managers read. It executes only while all
three are still the ones in force and unchanged: a revised cost report, a newer valuation or
recommendation, or a row edited behind the books' back leaves earlier approvals booking
nothing. Execution credits the partner's capital at the assessed value against the in-kind
offset (the aid went to Ukraine, not to the fund: ownership moves, NAV does not).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from jointfund.errors import ConflictError, GovernanceError, IntegrityError, NotFoundError
from jointfund.fund.in_kind import credit_key, current_cost_report, current_valuation
from jointfund.fund.in_kind_hashes import (
    cost_report_content,
    digest,
    recommendation_content,
    valuation_content,
)
from jointfund.governance import Proposal, payloads
from jointfund.i18n.message import Message
from jointfund.ledger import Entry, Posting, chart
from jointfund.store import Tx
from jointfund.store import in_kind_reports as rows
from jointfund.store.contributions import (
    insert_contribution,
    insert_in_kind_approval,
    list_contributions,
)
from jointfund.terms import ContributionForm, TermSheet, assess_contribution

USD = chart.REPORTING_CURRENCY
ASSESSED_VALUE = "assessed_value"
"""The one basis an in-kind credit is booked at (the Agreement's "assessed value")."""


@dataclass(frozen=True, slots=True)
class Chain:
    """A cost report's steps as they stand in the books: each the one in force, or None."""

    cost: rows.CostReportRow
    valuation: rows.ValuationRow | None
    recommendation: rows.RecommendationRow | None


def chain_of(tx: Tx, reference: str) -> Chain:
    """The steps in force for a cost report: its latest revision, that revision's newest
    valuation, and that valuation's newest recommendation."""
    cost = current_cost_report(tx, reference)
    valuation = current_valuation(tx, cost)
    recommendation = None
    if valuation is not None:
        found = rows.recommendations(tx, valuation_ids=[valuation.id])
        recommendation = found[-1] if found else None
    return Chain(cost, valuation, recommendation)


def _check_hashes(chain: Chain) -> None:
    """Recompute each step's hash from its row: a row edited in place is named."""
    v, r = chain.valuation, chain.recommendation
    assert v is not None and r is not None
    checks = (
        ("cost report", chain.cost.id, digest(cost_report_content(chain.cost)), chain.cost),
        ("valuation", v.id, digest(valuation_content(v)), v),
        ("recommendation", r.id, digest(recommendation_content(r)), r),
    )
    for what, key, computed, row in checks:
        if computed != row.content_hash:
            raise IntegrityError(
                Message(
                    "in-kind {what} {key} does not match its own hash: changed behind the books' "
                    "back; nothing was booked (run `jointfund verify`)",
                    what=what,
                    key=key,
                )
            )
    if v.cost_report_hash != chain.cost.content_hash or r.valuation_hash != v.content_hash:
        raise IntegrityError(
            Message("in-kind steps do not link by their hashes; nothing was booked")
        )


def approvable(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> tuple[Chain, date]:
    """The chain a payload approves, checked to be the one in force, unchanged, not credited
    and allowed by the terms; with the day the credit takes effect."""
    parsed = payloads.in_kind_valuation(payload)
    found = rows.recommendations(tx, recommendation_id=parsed.recommendation_id)
    if not found:
        raise NotFoundError(
            Message(
                "no in-kind recommendation {recommendation_id}: the board approves only a value "
                "the Audit Committee has recommended",
                recommendation_id=parsed.recommendation_id,
            )
        )
    valuation = rows.valuations(tx, valuation_id=found[0].valuation_id)[0]
    cost = rows.cost_reports(tx, report_id=valuation.cost_report_id)[0]
    chain = chain_of(tx, cost.reference)
    if chain.recommendation is None or chain.recommendation.id != parsed.recommendation_id:
        raise ConflictError(
            Message(
                "recommendation {recommendation_id} is no longer in force for cost report "
                "{reference} (revised report, newer valuation or recommendation): approvals of it "
                "do not count",
                recommendation_id=parsed.recommendation_id,
                reference=cost.reference,
            )
        )
    _check_hashes(chain)
    assert chain.valuation is not None and chain.recommendation is not None
    bound = (
        (parsed.cost_report_hash, chain.cost.content_hash, "cost report"),
        (parsed.valuation_hash, chain.valuation.content_hash, "valuation"),
        (parsed.recommendation_hash, chain.recommendation.content_hash, "recommendation"),
    )
    for named, stored, what in bound:
        if named != stored:
            raise ConflictError(
                Message(
                    "the {what} changed since this proposal was made: approvals of it do not count",
                    what=what,
                )
            )
    if parsed.assessed_minor != chain.recommendation.assessed_minor:
        raise ConflictError(Message("the proposal's assessed value is not the recommended one"))
    if chain.cost.illustrative:
        raise GovernanceError(
            Message(
                "cost report {reference} is illustrative: it is not booked",
                reference=cost.reference,
            )
        )
    decision = assess_contribution(
        terms,
        partner=cost.partner,
        form=ContributionForm.IN_KIND,
        provided_on=cost.reported_on,
        kind=cost.kind,
    )
    if not decision.accepted:
        raise GovernanceError(
            Message(
                "in-kind aid refused under {terms}: {reason}",
                terms=terms.id,
                reason=decision.reason,
            )
        )
    key = credit_key(cost.partner, cost.reference)
    if any(c.key == key for c in list_contributions(tx)):
        raise ConflictError(
            Message("cost report {reference} is credited already", reference=cost.reference)
        )
    on = parsed.on or chain.recommendation.recommended_on
    if on < chain.recommendation.recommended_on:
        raise GovernanceError(
            Message(
                "the credit cannot take effect ({on}) before the recommendation ({recommended_on})",
                on=on,
                recommended_on=chain.recommendation.recommended_on,
            )
        )
    return chain, on


def validate_approval(tx: Tx, payload: Mapping[str, Any], terms: TermSheet) -> None:
    """Check an in_kind_valuation payload names the recommendation in force, unchanged."""
    approvable(tx, payload, terms)


def execute_approval(tx: Tx, proposal: Proposal, terms: TermSheet) -> list[Entry]:
    """Book the approved assessed value to the partner's capital, once per cost report."""
    chain, on = approvable(tx, proposal.payload, terms)
    cost, rec = chain.cost, chain.recommendation
    assert rec is not None
    value = rec.assessed_minor
    fields = {
        "partner": cost.partner,
        "form": "in_kind",
        "kind": cost.kind,
        "currency": USD,
        "amount": value,
        "usd_amount": value,
        "rate": None,
        "value_date": on,
        "reference": cost.reference,
        "description": f"assessed value recommended by {rec.committee}",
        "entry_key": f"proposal:{proposal.id}",
    }
    row, _ = insert_contribution(
        tx,
        key=credit_key(cost.partner, cost.reference),
        fields=fields,
        values={},
        recorded_by=proposal.created_by,
        at=proposal.created_at,
    )
    insert_in_kind_approval(
        tx,
        contribution_id=row.id,
        proposal_id=proposal.id,
        basis=ASSESSED_VALUE,
        amount=value,
        on=on,
    )
    return [
        Entry(
            key=f"proposal:{proposal.id}",
            effective_date=on,
            kind="contribution",
            postings=(
                Posting(chart.in_kind_offset(cost.partner), value, USD),
                Posting(chart.capital_contributions(cost.partner), -value, USD),
            ),
            memo=f"in-kind {cost.kind} from {cost.partner} at its assessed value, "
            f"cost report {cost.reference}",
            metadata={
                "partner": cost.partner,
                "form": "in_kind",
                "contribution_id": row.id,
                "basis": ASSESSED_VALUE,
                "cost_report_hash": cost.content_hash,
                "recommendation_hash": rec.content_hash,
                "proposal_id": proposal.id,
            },
        )
    ]

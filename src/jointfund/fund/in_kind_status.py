"""In-kind aid as it stands: each cost report's chain (cost report → valuation →
recommendation → approval → booked) with the step still needed, and putting a recommended
value to the board."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from jointfund import clock
from jointfund.errors import NotFoundError
from jointfund.fund import proposals
from jointfund.fund.in_kind import credit_key, recommending_committee
from jointfund.fund.in_kind_credit import Chain, chain_of
from jointfund.fund.setup import terms_in_force
from jointfund.governance import (
    Interface,
    Proposal,
    ProposalKind,
    ProposalStatus,
    User,
    effective_status,
    require,
)
from jointfund.governance.parity import approval_state, board_of
from jointfund.i18n.message import Message
from jointfund.money import format_amount
from jointfund.store import Database, Tx
from jointfund.store import in_kind_reports as rows
from jointfund.store import proposals as stored_proposals
from jointfund.store import users as stored_users
from jointfund.store.contributions import ContributionRow, list_contributions

USD = "USD"


class Needed(StrEnum):
    """The step a cost report waits for."""

    VALUATION = "valuation"
    RECOMMENDATION = "recommendation"
    PROPOSAL = "proposal"
    APPROVALS = "approvals"
    NOTHING = "nothing"
    NOT_BOOKED = "not_booked"  # an illustrative report: shown, never booked


@dataclass(frozen=True, slots=True)
class BoardStep:
    """An open proposal that approves the recommendation in force, and its approvals."""

    proposal_id: int
    payload_hash: str
    approvals: dict[str, int]
    rule: str


@dataclass(frozen=True, slots=True)
class InKindChain:
    """One cost report's chain as it stands, with what is still needed."""

    chain: Chain
    revisions: int
    valuations: int
    board: BoardStep | None
    credit: ContributionRow | None
    needed: Needed
    committee: str


def _board_step(tx: Tx, chain: Chain, now: datetime) -> BoardStep | None:
    if chain.recommendation is None:
        return None
    terms = terms_in_force(tx)
    board = board_of(stored_users.board_managers(tx))
    for p in stored_proposals.list_proposals(tx):
        if (
            p.kind is ProposalKind.IN_KIND_VALUATION
            and effective_status(p, now) is ProposalStatus.OPEN
            and p.payload.get("recommendation_hash") == chain.recommendation.content_hash
        ):
            state = approval_state(terms, p, board, stored_proposals.approvals_of(tx, p.id))
            counted = {k: len(v) for k, v in state.counted.items()}
            return BoardStep(p.id, p.payload_hash, counted, str(state.rule.kind))
    return None


def _needed(chain: Chain, board: BoardStep | None, credit: ContributionRow | None) -> Needed:
    if credit is not None:
        return Needed.NOTHING
    if chain.cost.illustrative:
        return Needed.NOT_BOOKED
    if chain.valuation is None:
        return Needed.VALUATION
    if chain.recommendation is None:
        return Needed.RECOMMENDATION
    return Needed.PROPOSAL if board is None else Needed.APPROVALS


def in_kind_chains(db: Database, actor: User, *, now: datetime | None = None) -> list[InKindChain]:
    """Every cost report with the steps in force, the open board proposal and the credit."""
    require(actor, "contributions.read")
    moment = now or clock.utcnow()
    with db.read() as tx:
        reports = rows.cost_reports(tx)
        credits = {c.key: c for c in list_contributions(tx) if c.form == "in_kind"}
        committee = recommending_committee(terms_in_force(tx)).label if reports else ""
        found = []
        for reference in dict.fromkeys(r.reference for r in reports):
            chain = chain_of(tx, reference)
            board = _board_step(tx, chain, moment)
            credit = credits.get(credit_key(chain.cost.partner, reference))
            found.append(
                InKindChain(
                    chain,
                    chain.cost.revision,
                    len(rows.valuations(tx, cost_report_ids=[chain.cost.id])),
                    board,
                    credit,
                    _needed(chain, board, credit),
                    committee,
                )
            )
    return found


def chain_dict(c: InKindChain, *, grouping: bool = False) -> dict[str, Any]:
    """A chain as plain data (CLI --json and the API): amounts as decimal USD strings, with
    thousands grouped when `grouping` (for people: the pages localise the separators)."""
    v, r, cost, credit = c.chain.valuation, c.chain.recommendation, c.chain.cost, c.credit
    valuation = None
    if v is not None:
        valuation = {
            "id": v.id,
            "reference": v.reference,
            "consultant": v.consultant,
            "method": v.method,
            "valued_on": v.valued_on.isoformat(),
            "assessed_value": format_amount(v.assessed_minor, USD, grouping=grouping),
            "evidence": json.loads(v.evidence),
            "hash": v.content_hash,
        }
    recommendation = None
    if r is not None:
        recommendation = {
            "id": r.id,
            "committee": r.committee,
            "recommended_on": r.recommended_on.isoformat(),
            "assessed_value": format_amount(r.assessed_minor, USD, grouping=grouping),
            "hash": r.content_hash,
        }
    proposal = None
    if c.board is not None:
        proposal = {
            "id": c.board.proposal_id,
            "payload_hash": c.board.payload_hash,
            "rule": c.board.rule,
            "approvals": c.board.approvals,
        }
    booked = None
    if credit is not None:
        booked = {
            "contribution_id": credit.id,
            "amount": format_amount(credit.usd_amount or 0, USD, grouping=grouping),
            "on": credit.value_date.isoformat(),
            "proposal_id": credit.proposal_id,
        }
    return {
        "reference": cost.reference,
        "partner": cost.partner,
        "reporter": cost.reporter,
        "reported_on": cost.reported_on.isoformat(),
        "revision": cost.revision,
        "cost": format_amount(cost.cost_minor, USD, grouping=grouping),
        "items": json.loads(cost.items),
        "illustrative": cost.illustrative,
        "cost_report_hash": cost.content_hash,
        "valuation": valuation,
        "recommendation": recommendation,
        "proposal": proposal,
        "booked": booked,
        "needed": c.needed.value,
    }


def approval_payload(
    db: Database, actor: User, reference: str, *, on: date | None = None
) -> dict[str, object]:
    """The in_kind_valuation payload that approves the recommendation in force for a report."""
    require(actor, "contributions.read")
    with db.read() as tx:
        chain = chain_of(tx, reference)
    if chain.recommendation is None or chain.valuation is None:
        raise NotFoundError(
            Message(
                "cost report {reference} has no recommendation in force: the Audit Committee "
                "recommends a value before the board approves it",
                reference=reference,
            )
        )
    payload: dict[str, object] = {
        "recommendation_id": chain.recommendation.id,
        "assessed_value": format_amount(chain.recommendation.assessed_minor, "USD"),
        "currency": "USD",
        "cost_report_hash": chain.cost.content_hash,
        "valuation_hash": chain.valuation.content_hash,
        "recommendation_hash": chain.recommendation.content_hash,
    }
    if on is not None:
        payload["on"] = on.isoformat()
    return payload


def propose_approval(
    db: Database,
    actor: User,
    reference: str,
    *,
    on: date | None = None,
    interface: Interface = Interface.CLI,
    now: datetime | None = None,
) -> Proposal:
    """Put the recommended assessed value of a cost report to the board (a proposal that
    names the exact value and hashes; managers approve it by the terms' rule)."""
    require(actor, "proposals.create")
    payload = approval_payload(db, actor, reference, on=on)
    return proposals.propose(
        db, actor, ProposalKind.IN_KIND_VALUATION, payload, interface=interface, now=now
    )

"""Committees as the agreement reports them: each proposal kind's route, the board waiting for the
routed committee's recommendation of the exact payload, and parity inside a committee."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from jointfund import store
from jointfund.errors import GovernanceError, PermissionDeniedError
from jointfund.fund import (
    committees,
    in_kind,
    in_kind_status,
    investments,
    proposal_views,
    proposals,
)
from jointfund.fund.manual_entries import close_payload, entries_payload
from jointfund.governance import Proposal, ProposalKind, ProposalStatus, Role
from jointfund.ledger import Entry, Posting
from jointfund.store import Database
from jointfund.terms import Standing, TermSheet, load_terms
from tests.fund.fund_board import AGREEMENT, NOW, Board, cash, make_board, seat

DRAFTS = ("ua-us-2025-02-21-draft", "ua-us-2025-02-26-framework", "ua-us-2025-03-us-draft")

# As reported (investment: Investment Committee) or assumed (marks, write-downs, period
# closes); every other kind goes straight to the board. An in-kind value passes the Audit
# Committee inside its own chain (a member records the recommendation the approval names).
ROUTES = {
    ProposalKind.INVESTMENT: "investment",
    ProposalKind.VALUATION_MARK: "investment",
    ProposalKind.WRITE_DOWN: "investment",
    ProposalKind.PERIOD_CLOSE: "audit",
}

# The agreement locks distributions for ten years: its distribution proposals are decided
# under the same sheet without the lock.
UNLOCKED = AGREEMENT.model_copy(update={"lock": None})


def test_the_agreement_reports_four_committees_with_their_sources() -> None:
    found = {c.id: (c.ratio, c.standing) for c in AGREEMENT.governance.committees}
    assert found == {
        "investment": ("3:2", Standing.REPORTED),
        "audit": ("2:2", Standing.REPORTED),
        "project-search": ("2:3", Standing.REPORTED),
        "administrative": ("2:2", Standing.UNCERTAIN),
    }
    assert all(c.sources for c in AGREEMENT.governance.committees)
    gp = AGREEMENT.governance.general_partner
    assert gp is not None and (gp.name, gp.acts_for) == ("DFC Ukraine Subsoil LLC", "US")
    for preset in DRAFTS:
        governance = load_terms(preset).governance
        assert governance.committees == () and governance.general_partner is None


@pytest.mark.parametrize("kind", list(ProposalKind))
def test_each_kind_is_routed_as_the_agreement_reports(kind: ProposalKind) -> None:
    committee = committees.committee_for(AGREEMENT, kind)
    assert (committee.id if committee else None) == ROUTES.get(kind)
    for preset in DRAFTS:
        assert committees.committee_for(load_terms(preset), kind) is None


def _investment(board: Board, investment_id: str = "seed") -> dict[str, Any]:
    return {
        "investment_id": investment_id,
        "name": "A holding",
        "amount": "10.00",
        "on": "2025-10-01",
    }


def _payload(board: Board, kind: ProposalKind) -> tuple[dict[str, Any], TermSheet]:
    """A payload the fund accepts for `kind`, with what it needs booked first."""
    if kind is ProposalKind.INVESTMENT:
        return _investment(board), AGREEMENT
    if kind in (ProposalKind.VALUATION_MARK, ProposalKind.WRITE_DOWN):
        assert board.decide("investment", _investment(board)).executed
        cash(board, "US", 1_000, date(2025, 9, 17), "dfc-1")
        investments.disburse(
            board.db,
            board.admin,
            "seed",
            amount_minor=10_00,
            on=date(2025, 10, 2),
            reference="wire-1",
            now=NOW,
        )
        return {"investment_id": "seed", "fair_value": "5.00", "on": "2025-12-01"}, AGREEMENT
    if kind is ProposalKind.IN_KIND_VALUATION:
        # The Audit Committee's step is the recommendation its member records in the in-kind
        # chain; the approval proposal then goes to the board.
        in_kind.file_cost_report(
            board.db,
            board.admin,
            reference="MoD-2025-001",
            reported_on=date(2025, 10, 1),
            items=[in_kind.Item("air defence battery", 10_000_00)],
            now=NOW,
        )
        valuation, _ = in_kind.file_valuation(
            board.db,
            board.admin,
            cost_report="MoD-2025-001",
            reference="EC-1",
            consultant="Evaluation consultant (Audit Committee)",
            method="cost reported",
            assessed_minor=10_000_00,
            valued_on=date(2025, 10, 2),
            evidence=[in_kind.Evidence("MoD letter", "a" * 64)],
            now=NOW,
        )
        in_kind.recommend(
            board.db,
            seat(board, "audit", "UA", 0),
            valuation_id=valuation.id,
            assessed_minor=10_000_00,
            recommended_on=date(2025, 10, 3),
            now=NOW,
        )
        return in_kind_status.approval_payload(board.db, board.admin, "MoD-2025-001"), AGREEMENT
    if kind is ProposalKind.DISTRIBUTION:
        cash(board, "US", 1_000, date(2025, 9, 17), "dfc-1")
        return {"amount": "10.00", "currency": "USD", "on": "2025-12-01"}, UNLOCKED
    if kind is ProposalKind.TERM_CHANGE:
        return {"preset": "ua-us-2025-04-30-agreement", "on": "2026-02-01"}, AGREEMENT
    if kind is ProposalKind.ADMIT_PARTNER:
        return {
            "partner_id": "EU",
            "name": "EU",
            "legal_entity": "EIB",
            "on": "2025-12-01",
        }, AGREEMENT
    if kind is ProposalKind.JOURNAL_ENTRY:
        cash(board, "US", 1_000, date(2025, 9, 17), "dfc-1")
        fee = Entry(
            "fee",
            date(2025, 11, 30),
            "fee",
            (Posting("Expenses:Operating", 100, "USD"), Posting("Assets:Cash:USD", -100, "USD")),
        )
        return entries_payload([fee]), AGREEMENT
    if kind is ProposalKind.PERIOD_CLOSE:
        return close_payload(date(2025, 6, 30)), AGREEMENT
    assert kind is ProposalKind.BOARD_RESOLUTION
    return {
        "on": "2025-09-03",
        "meeting": "the first board meeting, Kyiv",
        "decisions": ["adopt the rules of procedure"],
        "standing": "reported",
    }, AGREEMENT


def _approve(board: Board, proposal: Proposal, terms: TermSheet, partner: str, i: int) -> Any:
    return proposals.approve(
        board.db,
        board.manager(partner, i),
        proposal.id,
        payload_hash=proposal.payload_hash,
        terms=terms,
        now=NOW,
    )


def _board_approves(board: Board, proposal: Proposal, terms: TermSheet) -> bool:
    for partner in terms.partner_ids:
        for i in range(len(board.managers[partner])):
            if _approve(board, proposal, terms, partner, i).executed:
                return True
    return False


def _seat(board: Board, committee_id: str, terms: TermSheet) -> None:
    committee = next(c for c in terms.governance.committees if c.id == committee_id)
    for partner, seats in committee.seats.items():
        for i in range(seats):
            name = board.manager(partner, i).name
            seated = committees.governance(board.db, board.admin, terms=terms)
            view = next(v for v in seated.committees if v.committee.id == committee_id)
            if name not in {u.name for u in view.members[partner]}:  # an earlier decision's
                committees.seat_member(
                    board.db, board.admin, committee_id, name, terms=terms, now=NOW
                )


def _recommend(board: Board, proposal: Proposal, terms: TermSheet, partner: str, i: int) -> Any:
    return committees.recommend(
        board.db,
        board.manager(partner, i),
        proposal.id,
        payload_hash=proposal.payload_hash,
        terms=terms,
        now=NOW,
    )


@pytest.mark.parametrize("kind", list(ProposalKind))
def test_the_board_waits_for_the_routed_committee(db: Database, kind: ProposalKind) -> None:
    board = make_board(db)
    payload, terms = _payload(board, kind)
    proposal = proposals.propose(db, board.admin, kind, payload, terms=terms, now=NOW)
    committee = committees.committee_for(terms, kind)
    if committee is None:
        with pytest.raises(GovernanceError, match="straight to the board"):
            _recommend(board, proposal, terms, "US", 0)
        assert _board_approves(board, proposal, terms)
        return
    _seat(board, committee.id, terms)
    with pytest.raises(GovernanceError, match=committee.name):
        _approve(board, proposal, terms, "US", 0)
    # Every member of one partner recommends: the committee's rule needs both partners.
    for i in range(committee.seats["US"]):
        step = _recommend(board, proposal, terms, "US", i)
    assert not step.satisfied
    with pytest.raises(GovernanceError, match="recommended so far: UA 0, US"):
        _approve(board, proposal, terms, "UA", 0)
    with db.read() as tx:
        assert store.proposals.approvals_of(tx, proposal.id) == []
    assert _recommend(board, proposal, terms, "UA", 0).satisfied
    assert _board_approves(board, proposal, terms)
    view = proposal_views.show_proposal(db, board.admin, proposal.id, now=NOW)
    assert view.status is ProposalStatus.EXECUTED
    assert view.committee is not None and view.committee.satisfied


def test_an_amended_payload_needs_a_new_recommendation_and_new_approvals(db: Database) -> None:
    board = make_board(db)
    proposal = proposals.propose(db, board.admin, "investment", _investment(board), now=NOW)
    _seat(board, "investment", AGREEMENT)
    assert _recommend(board, proposal, AGREEMENT, "US", 0).satisfied is False
    assert _recommend(board, proposal, AGREEMENT, "UA", 0).satisfied
    _approve(board, proposal, AGREEMENT, "US", 0)
    amended = proposals.amend(
        db, board.admin, proposal.id, {**_investment(board), "amount": "11.00"}, now=NOW
    )
    # The old recommendation named the old hash: the board cannot approve the new payload.
    with pytest.raises(GovernanceError, match="Investment Committee"):
        _approve(board, amended, AGREEMENT, "US", 1)
    with pytest.raises(GovernanceError, match="was amended"):
        _recommend(board, proposal, AGREEMENT, "US", 1)
    _recommend(board, amended, AGREEMENT, "US", 1)
    assert _recommend(board, amended, AGREEMENT, "UA", 1).satisfied
    view = proposal_views.show_proposal(db, board.admin, amended.id, now=NOW)
    assert view.state.counted == {"US": frozenset(), "UA": frozenset()}
    assert _board_approves(board, amended, AGREEMENT)


def test_seats_per_partner_are_enforced_and_only_members_vote(db: Database) -> None:
    board = make_board(db)
    _seat(board, "investment", AGREEMENT)  # 3 U.S., 2 Ukrainian
    with pytest.raises(GovernanceError, match=r"UA has 2 seat\(s\) on the Investment Committee"):
        committees.seat_member(db, board.admin, "investment", "ua-manager-2", now=NOW)
    with pytest.raises(GovernanceError, match="already sits"):
        committees.seat_member(db, board.admin, "investment", "us-manager-0", now=NOW)
    with pytest.raises(GovernanceError, match="not a sitting board manager"):
        committees.seat_member(db, board.admin, "audit", "auditor", now=NOW)
    proposal = proposals.propose(db, board.admin, "investment", _investment(board), now=NOW)
    with pytest.raises(PermissionDeniedError, match="does not sit on the Investment Committee"):
        _recommend(board, proposal, AGREEMENT, "UA", 2)
    _recommend(board, proposal, AGREEMENT, "US", 0)
    with pytest.raises(GovernanceError, match="already recommended"):
        _recommend(board, proposal, AGREEMENT, "US", 0)
    # A member who leaves stops counting; the seat is free again.
    committees.unseat_member(db, board.admin, "investment", "ua-manager-1", now=NOW)
    committees.seat_member(db, board.admin, "investment", "ua-manager-2", now=NOW)
    view = committees.governance(db, board.others[Role.AUDITOR])
    investment = next(v for v in view.committees if v.committee.id == "investment")
    assert [u.name for u in investment.members["UA"]] == ["ua-manager-0", "ua-manager-2"]
    assert len(investment.members["US"]) == 3
    with db.read() as tx:
        actions = [r["action"] for r in store.audit.audit_records(tx)]
    assert actions.count("committees.seat") == 6 and "committees.recommend" in actions

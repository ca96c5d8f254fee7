"""A fund with a full board for tests: one administrator, three managers per partner."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from jointfund.fund import committees, contributions, proposals, users
from jointfund.fund.setup import set_up_fund
from jointfund.governance import ApiToken, Proposal, Role, User
from jointfund.governance.proposals import ProposalKind
from jointfund.store import Database
from jointfund.terms import TermSheet, load_terms
from tests.operator import approve_as_seen

AGREEMENT = load_terms("ua-us-2025-04-30-agreement")
FRAMEWORK = load_terms("ua-us-2025-02-26-framework")
NOW = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)


@dataclass
class Board:
    """The people of a test fund and the secrets of their tokens."""

    db: Database
    terms: TermSheet
    admin: User
    managers: dict[str, list[User]]
    secrets: dict[str, str] = field(default_factory=dict)
    others: dict[Role, User] = field(default_factory=dict)

    def manager(self, partner: str, i: int = 0) -> User:
        """The i-th manager of a partner."""
        return self.managers[partner][i]

    def approve_all(self, proposal: Proposal, *, now: datetime = NOW) -> proposals.ApprovalOutcome:
        """Every sitting manager approves (unanimity); returns the last outcome."""
        outcome = None
        for partner in self.terms.partner_ids:
            for manager in self.managers[partner]:
                outcome = approve_as_seen(self.db, manager, proposal.id, terms=self.terms, now=now)
                if outcome.executed:
                    return outcome
        assert outcome is not None
        return outcome

    def decide(
        self, kind: ProposalKind | str, payload: Mapping[str, object]
    ) -> proposals.ApprovalOutcome:
        """Propose (as the administrator) and have the whole board approve, on the payload's
        effective day when that is later than NOW (a decision takes effect on a day come)."""
        now = NOW
        on = payload.get("on")
        if isinstance(on, str):
            now = max(NOW, datetime.combine(date.fromisoformat(on), NOW.timetz()))
        proposal = proposals.propose(self.db, self.admin, kind, payload, terms=self.terms, now=now)
        return self.approve_all(proposal, now=now)


def make_board(db: Database, terms: TermSheet = AGREEMENT) -> Board:
    """Set the fund up under `terms`, bootstrap an administrator and fill every seat the terms
    give each partner, plus one user of each other role."""
    set_up_fund(db, terms.id, now=NOW)
    admin, issued = users.bootstrap_admin(db, "admin", now=NOW)
    board = Board(db, terms, admin, {p: [] for p in terms.partner_ids})
    board.secrets["admin"] = issued.secret
    for partner in terms.partner_ids:
        for i in range(terms.governance.seats[partner]):
            name = f"{partner.lower()}-manager-{i}"
            board.managers[partner].append(
                users.add_user(
                    db, admin, name, Role.BOARD_MANAGER, partner=partner, terms=terms, now=NOW
                )
            )
    board.others[Role.AUDITOR] = users.add_user(db, admin, "auditor", Role.AUDITOR, now=NOW)
    board.others[Role.REPORTING_ENTITY] = users.add_user(
        db, admin, "miner", Role.REPORTING_ENTITY, licence_ids=["LIC-1"], now=NOW
    )
    board.others[Role.PUBLIC] = users.add_user(db, admin, "citizen", Role.PUBLIC, now=NOW)
    return board


def seat(board: Board, committee_id: str, partner: str, i: int) -> User:
    """Seat manager `i` of `partner` on a committee (once; a second call changes nothing)."""
    manager = board.managers[partner][i]
    with board.db.read() as tx:
        seated = committees.sitting_members(tx).get(committee_id, {}).get(partner, frozenset())
    if str(manager.id) not in seated:
        committees.seat_member(
            board.db, board.admin, committee_id, manager.name, terms=board.terms, now=NOW
        )
    return manager


def cash(board: Board, partner: str, dollars: int, on: date, ref: str) -> None:
    """Book a USD cash contribution."""
    contributions.record_cash(
        board.db,
        board.admin,
        partner=partner,
        amount_minor=dollars * 100,
        currency="USD",
        value_date=on,
        reference=ref,
        terms=board.terms,
        now=NOW,
    )


__all__ = ["AGREEMENT", "FRAMEWORK", "NOW", "ApiToken", "Board", "cash", "make_board", "seat"]

"""In-kind aid as reported: cost report → valuation → the Audit Committee's recommendation →
the board's approval of one assessed value, which alone books the credit."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from sqlalchemy import text

from jointfund.errors import (
    ConflictError,
    GovernanceError,
    InputError,
    IntegrityError,
    NotFoundError,
    PermissionDeniedError,
)
from jointfund.fund import capital, in_kind, in_kind_status, metrics, proposals
from jointfund.fund.audit import read_audit
from jointfund.governance import Role
from jointfund.ledger import chart
from jointfund.store import Database
from jointfund.store.books import Books

from .fund_board import AGREEMENT, NOW, Board, cash, make_board, seat

M = 1_000_000 * 100  # a million dollars in cents
SHA = "a" * 64
REF = "MoD-2025-0117"


def _report(board: Board, *, cost: int = 12 * M, reference: str = REF) -> None:
    in_kind.file_cost_report(
        board.db,
        board.admin,
        reference=reference,
        reported_on=date(2025, 11, 20),
        items=[
            in_kind.Item("air-defence interceptors", cost - 2 * M),
            in_kind.Item("spare parts", 2 * M),
        ],
        now=NOW,
    )


def _value(board: Board, assessed: int = 11_800_000_00, *, reference: str = "EC-1") -> int:
    row, _ = in_kind.file_valuation(
        board.db,
        board.admin,
        cost_report=REF,
        reference=reference,
        consultant="Evaluation consultant (Audit Committee)",
        method="cost reported, less delivery items not yet received",
        assessed_minor=assessed,
        valued_on=date(2025, 12, 10),
        evidence=[in_kind.Evidence("MoD letter 117", SHA), in_kind.Evidence("invoices", "b" * 64)],
        now=NOW,
    )
    return row.id


def _recommend(board: Board, valuation_id: int, assessed: int = 11_800_000_00) -> int:
    member = seat(board, "audit", "UA", 1) if board.terms.governance.committees else None
    row, _ = in_kind.recommend(
        board.db,
        member or board.manager("UA", 1),
        valuation_id=valuation_id,
        assessed_minor=assessed,
        recommended_on=date(2025, 12, 18),
        now=NOW,
    )
    return row.id


def _propose(board: Board) -> proposals.Proposal:
    return in_kind_status.propose_approval(board.db, board.admin, REF, now=NOW)


def _count(db: Database, table: str) -> int:
    with db.read() as conn:
        return int(conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one())


@pytest.fixture
def board(db: Database) -> Board:
    board = make_board(db, AGREEMENT)
    cash(board, "US", 75_000_000, date(2025, 9, 17), "dfc-1")
    cash(board, "UA", 75_000_000, date(2025, 12, 15), "ua-1")
    return board


def test_the_full_chain_books_one_credit_at_the_assessed_value(board: Board) -> None:
    db = board.db
    _report(board)
    chains = in_kind_status.in_kind_chains(db, board.admin, now=NOW)
    assert [c.needed for c in chains] == [in_kind_status.Needed.VALUATION]
    valuation = _value(board)
    assert in_kind_status.in_kind_chains(db, board.admin, now=NOW)[0].needed == "recommendation"
    _recommend(board, valuation)
    assert in_kind_status.in_kind_chains(db, board.admin, now=NOW)[0].needed == "proposal"
    proposal = _propose(board)
    assert proposal.payload["assessed_value"] == "11800000.00"
    assert Books(db).balance(chart.capital_contributions("US")) == -75 * M  # nothing yet
    assert in_kind_status.in_kind_chains(db, board.admin, now=NOW)[0].needed == "approvals"
    outcome = board.approve_all(proposal)
    assert outcome.executed
    books = Books(db)
    assert books.balance(chart.capital_contributions("US")) == -(75 * M + 11_800_000_00)
    assert books.balance(chart.in_kind_offset("US")) == 11_800_000_00
    chain = in_kind_status.in_kind_chains(db, board.admin, now=NOW)[0]
    assert chain.needed == "nothing" and chain.credit is not None
    assert chain.credit.usd_amount == 11_800_000_00 and chain.credit.approved_basis == (
        "assessed_value"
    )
    assert _count(db, "in_kind_approvals") == 1
    shares = capital.capital_accounts(db, board.admin).accounts
    assert shares["US"].share == Fraction(75 * M + 11_800_000_00, 150 * M + 11_800_000_00)
    # In-kind aid raises capital, not the fund's assets (it went to Ukraine).
    found = metrics.fund_metrics(db, board.admin, as_of=date(2026, 1, 1))
    assert found.nav.total == 150 * M
    # Nothing books it twice: a second proposal of the same recommendation is refused.
    with pytest.raises(ConflictError, match="credited already"):
        _propose(board)
    with pytest.raises(ConflictError, match="credited already"):
        _report(board, cost=13 * M)  # a credited report cannot be revised
    actions = [r.action for r in read_audit(db, board.admin, limit=1000)]
    for action in ("in_kind.cost_report", "in_kind.valuation", "in_kind.recommend"):
        assert actions.count(action) == 1
    assert Books(db).verify().ok


def test_the_board_approves_only_a_recommended_value(board: Board) -> None:
    _report(board)
    valuation = _value(board)
    with pytest.raises(NotFoundError, match="no recommendation in force"):
        _propose(board)
    forged = {
        "recommendation_id": 1,
        "assessed_value": "11800000.00",
        "cost_report_hash": SHA,
        "valuation_hash": SHA,
        "recommendation_hash": SHA,
    }
    with pytest.raises(NotFoundError, match="Audit Committee has recommended"):
        proposals.propose(board.db, board.admin, "in_kind_valuation", forged, now=NOW)
    assert _count(board.db, "proposals") == 0
    _recommend(board, valuation)
    # A value other than the recommended one is not approvable.
    payload = dict(_propose(board).payload)
    payload["assessed_value"] = "12000000.00"
    with pytest.raises(ConflictError, match="not the recommended one"):
        proposals.propose(board.db, board.admin, "in_kind_valuation", payload, now=NOW)


def test_a_changed_valuation_invalidates_the_recommendation_and_approvals(board: Board) -> None:
    db = board.db
    _report(board)
    first = _value(board)
    _recommend(board, first)
    proposal = _propose(board)
    for manager in board.managers["US"]:  # half the board approves the old value
        proposals.approve(db, manager, proposal.id, payload_hash=proposal.payload_hash, now=NOW)
    second = _value(board, 11_000_000_00, reference="EC-1-rev")
    chain = in_kind_status.in_kind_chains(db, board.admin, now=NOW)[0]
    assert chain.needed == "recommendation" and chain.chain.recommendation is None
    *first_ua, last_ua = board.managers["UA"]
    for manager in first_ua:  # approvals short of the rule execute nothing yet
        proposals.approve(db, manager, proposal.id, payload_hash=proposal.payload_hash, now=NOW)
    with pytest.raises(ConflictError, match="no longer in force"):
        proposals.approve(db, last_ua, proposal.id, payload_hash=proposal.payload_hash, now=NOW)
    assert Books(db).balance(chart.in_kind_offset("US")) == 0
    with pytest.raises(ConflictError, match="no longer the one in force"):
        _recommend(board, first)  # the old valuation cannot be recommended any more
    _recommend(board, second, 11_000_000_00)
    outcome = board.approve_all(_propose(board))
    assert outcome.executed
    assert Books(db).balance(chart.in_kind_offset("US")) == 11_000_000_00


def test_a_revised_cost_report_leaves_its_valuation_behind(board: Board) -> None:
    _report(board)
    _recommend(board, _value(board))
    proposal = _propose(board)
    _report(board, cost=13 * M)  # revision 2
    chain = in_kind_status.in_kind_chains(board.db, board.admin, now=NOW)[0]
    assert (chain.revisions, chain.needed) == (2, "valuation")
    with pytest.raises(ConflictError):
        board.approve_all(proposal)
    assert Books(board.db).balance(chart.in_kind_offset("US")) == 0


def test_one_partner_alone_cannot_approve(board: Board) -> None:
    _report(board)
    _recommend(board, _value(board))
    proposal = _propose(board)
    for manager in board.managers["US"]:
        outcome = proposals.approve(
            board.db, manager, proposal.id, payload_hash=proposal.payload_hash, now=NOW
        )
        assert not outcome.executed
    assert Books(board.db).balance(chart.in_kind_offset("US")) == 0
    chain = in_kind_status.in_kind_chains(board.db, board.admin, now=NOW)[0]
    assert chain.board is not None and chain.board.approvals.get("US") == 3
    assert chain.needed == "approvals"


def test_who_may_file_and_who_recommends(board: Board) -> None:
    with pytest.raises(PermissionDeniedError):
        in_kind.file_cost_report(
            board.db,
            board.manager("US"),
            reference=REF,
            reported_on=date(2025, 11, 20),
            items=[in_kind.Item("x", 1)],
            now=NOW,
        )
    _report(board)
    valuation = _value(board)
    for outsider in (board.admin, board.others[Role.AUDITOR]):
        with pytest.raises(PermissionDeniedError):
            in_kind.recommend(
                board.db,
                outsider,
                valuation_id=valuation,
                assessed_minor=11_800_000_00,
                recommended_on=date(2025, 12, 18),
                now=NOW,
            )
    assert in_kind.recommending_committee(AGREEMENT).label == "Audit Committee"
    assert _count(board.db, "in_kind_recommendations") == 0


def test_every_step_is_idempotent(board: Board) -> None:
    db = board.db
    _report(board)
    _report(board)
    valuation = _value(board)
    assert _value(board) == valuation
    first = _recommend(board, valuation)
    assert _recommend(board, valuation) == first
    audit_before = _count(db, "audit_log")
    _report(board)
    _value(board)
    _recommend(board, valuation)
    assert _count(db, "audit_log") == audit_before
    assert [_count(db, t) for t in ("in_kind_cost_reports", "in_kind_valuations")] == [1, 1]
    assert _count(db, "in_kind_recommendations") == 1


def test_bad_input_is_located_and_nothing_is_written(board: Board) -> None:
    db = board.db
    with pytest.raises(InputError) as bad:
        in_kind.file_cost_report(
            db,
            board.admin,
            reference=" ",
            reported_on=date(2027, 1, 1),
            items=[in_kind.Item("shells", 0), in_kind.Item("", 5)],
            now=NOW,
        )
    fields = {p.field for p in bad.value.problems}
    assert {"reference", "reported_on", "items[1].cost", "items[2].description"} <= fields
    _report(board)
    with pytest.raises(InputError) as bad:
        in_kind.file_valuation(
            db,
            board.admin,
            cost_report=REF,
            reference="EC-1",
            consultant="c",
            method="m",
            assessed_minor=-5,
            valued_on=date(2025, 12, 1),
            evidence=[in_kind.Evidence("letter", "not-a-hash")],
            now=NOW,
        )
    assert {p.field for p in bad.value.problems} == {"assessed_value", "evidence[1].sha256"}
    with pytest.raises(InputError, match="before the cost report"):
        in_kind.file_valuation(
            db,
            board.admin,
            cost_report=REF,
            reference="EC-1",
            consultant="c",
            method="m",
            assessed_minor=5,
            valued_on=date(2025, 11, 1),
            evidence=[in_kind.Evidence("letter", SHA)],
            now=NOW,
        )
    valuation = _value(board)
    with pytest.raises(InputError) as bad:
        _recommend(board, valuation, 12 * M)  # not the valuation's value
    assert bad.value.problems[0].field == "assessed_value"
    with pytest.raises(GovernanceError, match="before entry into force"):
        in_kind.file_cost_report(
            db,
            board.admin,
            reference="old",
            reported_on=date(2024, 6, 1),
            items=[in_kind.Item("past aid", M)],
            now=NOW,
        )
    with pytest.raises(GovernanceError, match="no in-kind contributions from UA"):
        in_kind.file_cost_report(
            db,
            board.admin,
            reference="ua",
            partner="UA",
            reported_on=date(2025, 11, 1),
            items=[in_kind.Item("x", M)],
            now=NOW,
        )
    assert [_count(db, t) for t in ("in_kind_cost_reports", "in_kind_valuations")] == [1, 1]
    assert _count(db, "in_kind_recommendations") == 0


def test_an_illustrative_report_is_shown_and_never_booked(board: Board) -> None:
    in_kind.file_cost_report(
        board.db,
        board.admin,
        reference=REF,
        reported_on=date(2025, 11, 20),
        items=[in_kind.Item("USAI FY2026 deliveries (illustrative)", 400 * M)],
        illustrative=True,
        now=NOW,
    )
    assert in_kind_status.in_kind_chains(board.db, board.admin, now=NOW)[0].needed == "not_booked"
    _recommend(board, _value(board))
    with pytest.raises(GovernanceError, match="illustrative"):
        _propose(board)


def test_the_example_fund_books_no_in_kind_credit(db: Database) -> None:
    """No in-kind credit has been reported: the example holds one illustrative cost report,
    pending and never booked."""
    from jointfund.fund.demo import build_demo
    from jointfund.fund.users import authenticate

    result = build_demo(db)
    admin = authenticate(db, next(x.token for x in result.logins if x.role == "administrator"))
    chains = in_kind_status.in_kind_chains(db, admin)
    assert [(c.chain.cost.illustrative, c.needed, c.credit) for c in chains] == [
        (True, in_kind_status.Needed.NOT_BOOKED, None)
    ]
    assert Books(db).balance(chart.in_kind_offset("US")) == 0
    assert _count(db, "in_kind_approvals") == 0


def test_a_step_edited_behind_the_books_back_books_nothing(board: Board) -> None:
    from tests.reliability.tamper_fund import tampering

    _report(board)
    _recommend(board, _value(board))
    proposal = _propose(board)
    with tampering(board.db.engine.url.render_as_string(hide_password=False)) as conn:
        conn.execute(text("UPDATE in_kind_valuations SET assessed_minor = assessed_minor + 1"))
    with pytest.raises(IntegrityError, match="does not match its own hash"):
        board.approve_all(proposal)
    assert Books(board.db).balance(chart.in_kind_offset("US")) == 0
    assert not Books(board.db).verify().ok

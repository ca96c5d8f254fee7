"""Parity: every way one partner could push a both-partner decision through alone is refused."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jointfund import store
from jointfund.errors import (
    AuthenticationError,
    ConflictError,
    GovernanceError,
    InputError,
    PermissionDeniedError,
)
from jointfund.fund import proposal_views, proposals, users
from jointfund.governance import Approval, ProposalStatus, Role
from jointfund.store import Database
from tests.operator import approve_as_seen

from ..fund.fund_board import AGREEMENT, FRAMEWORK, NOW, Board, make_board

COMMIT = {
    "investment_id": "velta",
    "name": "Velta titanium",
    "amount": "1000.00",
    "on": "2025-10-01",
}


def _open(
    board: Board, payload: Mapping[str, object] = COMMIT, expires_at: datetime | None = None
) -> int:
    return proposals.propose(
        board.db,
        board.admin,
        "investment",
        payload,
        terms=board.terms,
        now=NOW,
        expires_at=expires_at,
    ).id


def _status(board: Board, pid: int) -> ProposalStatus:
    with board.db.read() as conn:
        return store.proposals.get_proposal(conn, pid).status


def test_all_of_one_partners_managers_cannot_decide_alone(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    pid = _open(board)
    for manager in board.managers["US"]:
        outcome = approve_as_seen(db, manager, pid, terms=AGREEMENT, now=NOW)
        assert not outcome.executed
    assert _status(board, pid) is ProposalStatus.OPEN
    # Unanimity under the agreement: two of three Ukrainian managers are not enough either.
    for manager in board.managers["UA"][:2]:
        assert not approve_as_seen(db, manager, pid, terms=AGREEMENT, now=NOW).executed
    assert approve_as_seen(db, board.manager("UA", 2), pid, terms=AGREEMENT, now=NOW).executed
    assert _status(board, pid) is ProposalStatus.EXECUTED


def test_each_partner_rule_needs_one_manager_of_each(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    for manager in board.managers["UA"]:
        assert not approve_as_seen(db, manager, pid, terms=FRAMEWORK, now=NOW).executed
    assert approve_as_seen(db, board.manager("US"), pid, terms=FRAMEWORK, now=NOW).executed


def test_a_forged_partner_is_refused(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    ua = board.manager("UA")
    with pytest.raises(PermissionDeniedError, match="cannot approve for US"):
        approve_as_seen(db, ua, pid, partner="US", terms=FRAMEWORK, now=NOW)
    with pytest.raises(PermissionDeniedError, match="not"):
        approve_as_seen(db, replace(ua, partner="US"), pid, terms=FRAMEWORK, now=NOW)
    with pytest.raises(PermissionDeniedError):
        approve_as_seen(db, board.admin, pid, terms=FRAMEWORK, now=NOW)
    assert _status(board, pid) is ProposalStatus.OPEN


def test_one_person_cannot_approve_twice_nor_replay_a_row(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    ua = board.manager("UA")
    approve_as_seen(db, ua, pid, terms=FRAMEWORK, now=NOW)
    with pytest.raises(GovernanceError, match="already approved"):
        approve_as_seen(db, ua, pid, terms=FRAMEWORK, now=NOW)
    with db.read() as conn:
        digest = store.proposals.get_proposal(conn, pid).payload_hash
    with pytest.raises(DBAPIError), db.write() as conn:  # the database refuses it as well
        store.proposals.insert_approval(conn, Approval(pid, ua.id, "UA", digest, NOW))
    with pytest.raises(DBAPIError, match="append-only"), db.write() as conn:
        conn.execute(text("UPDATE approvals SET partner = 'US'"))
    assert _status(board, pid) is ProposalStatus.OPEN


def test_amending_the_payload_voids_earlier_approvals(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    us, ua = board.manager("US"), board.manager("UA")
    first = approve_as_seen(db, us, pid, terms=FRAMEWORK, now=NOW)
    old_hash = first.proposal.payload_hash
    bigger = {**COMMIT, "amount": "1000000000.00"}
    amended = proposals.amend(db, board.admin, pid, bigger, terms=FRAMEWORK, now=NOW)
    assert amended.payload_hash != old_hash and amended.revision == 2
    assert not approve_as_seen(db, ua, pid, terms=FRAMEWORK, now=NOW).executed
    # A replay of the approval of the old payload is refused by hash.
    with pytest.raises(GovernanceError, match="amended"):
        approve_as_seen(
            db, board.manager("US", 1), pid, payload_hash=old_hash, terms=FRAMEWORK, now=NOW
        )
    done = approve_as_seen(db, us, pid, payload_hash=amended.payload_hash, terms=FRAMEWORK, now=NOW)
    assert done.executed


def test_expired_and_rejected_proposals_cannot_execute(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    late = _open(board, expires_at=NOW + timedelta(days=1))
    approve_as_seen(db, board.manager("US"), late, terms=FRAMEWORK, now=NOW)
    with pytest.raises(GovernanceError, match="expired"):
        approve_as_seen(db, board.manager("UA"), late, terms=FRAMEWORK, now=NOW + timedelta(days=2))
    views = proposal_views.list_proposals(
        db, board.admin, status="expired", now=NOW + timedelta(days=2)
    )
    assert [v.proposal.id for v in views] == [late]

    dead = _open(board, {**COMMIT, "investment_id": "other"})
    approve_as_seen(db, board.manager("US"), dead, terms=FRAMEWORK, now=NOW)
    proposals.reject(db, board.manager("US", 1), dead, reason="not needed any more", now=NOW)
    with pytest.raises(GovernanceError, match="rejected"):
        approve_as_seen(db, board.manager("UA"), dead, terms=FRAMEWORK, now=NOW)
    assert _status(board, dead) is ProposalStatus.REJECTED


def test_a_revoked_token_and_a_removed_manager_carry_no_vote(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    ua = board.manager("UA")
    issued = users.issue_token(db, board.admin, ua.name, now=NOW)
    users.revoke_token(db, board.admin, issued.id, now=NOW)
    with pytest.raises(AuthenticationError, match="revoked"):
        users.authenticate(db, issued.secret, now=NOW)
    # A manager who approved and then left the board no longer counts.
    approve_as_seen(db, ua, pid, terms=FRAMEWORK, now=NOW)
    users.deactivate_user(db, board.admin, ua.name, now=NOW)
    assert not approve_as_seen(db, board.manager("US"), pid, terms=FRAMEWORK, now=NOW).executed
    with pytest.raises(PermissionDeniedError, match="deactivated"):
        approve_as_seen(db, ua, pid, terms=FRAMEWORK, now=NOW)
    assert approve_as_seen(db, board.manager("UA", 1), pid, terms=FRAMEWORK, now=NOW).executed


def test_seats_are_capped_by_the_terms(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    with pytest.raises(GovernanceError, match="seats"):
        users.add_user(
            db, board.admin, "fourth", Role.BOARD_MANAGER, partner="US", terms=AGREEMENT, now=NOW
        )


def test_it_executes_exactly_once(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    cash_in = {"investment_id": "x", "name": "x", "amount": "5.00", "on": "2025-10-01"}
    pid = _open(board, cash_in)
    approve_as_seen(db, board.manager("US"), pid, terms=FRAMEWORK, now=NOW)
    assert approve_as_seen(db, board.manager("UA"), pid, terms=FRAMEWORK, now=NOW).executed
    with pytest.raises(GovernanceError, match="executed"):
        approve_as_seen(db, board.manager("UA", 1), pid, terms=FRAMEWORK, now=NOW)
    with db.read() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM investments")).scalar_one() == 1


def test_a_stale_copy_cannot_close_a_proposal_twice(db: Database) -> None:
    board = make_board(db, FRAMEWORK)
    pid = _open(board)
    with db.read() as conn:
        stale = store.proposals.get_proposal(conn, pid)
    approve_as_seen(db, board.manager("US"), pid, terms=FRAMEWORK, now=NOW)
    assert approve_as_seen(db, board.manager("UA"), pid, terms=FRAMEWORK, now=NOW).executed
    with pytest.raises(ConflictError, match="concurrently"), db.write() as conn:
        store.proposals.close_proposal(
            conn, stale, ProposalStatus.EXECUTED, by=board.admin.id, at=NOW
        )


def test_an_unknown_status_filter_is_an_input_error_naming_the_choices(db: Database) -> None:
    board = make_board(db)
    with pytest.raises(InputError) as refused:
        proposal_views.list_proposals(db, board.admin, status="bogus", now=NOW)
    assert refused.value.problems[0].field == "status"
    assert "open" in (refused.value.problems[0].expected or "")

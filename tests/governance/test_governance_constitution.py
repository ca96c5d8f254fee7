"""Decisions that change the fund itself: term changes and admitting partners, and payload hashing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import event

from jointfund.errors import GovernanceError, InputError
from jointfund.fund import proposals
from jointfund.fund.setup import terms_in_force
from jointfund.governance import Proposal, canonical_payload
from jointfund.store import Database, upgrade, wipe
from tests.operator import approve_as_seen

from ..fund.fund_board import AGREEMENT, NOW, Board, cash, make_board


def _propose_framework(db: Database, board: Board) -> Proposal:
    """A term change to the 26 Feb framework, in force from 23 May 2025."""
    payload = {"preset": "ua-us-2025-02-26-framework", "on": "2025-05-23"}
    return proposals.propose(db, board.admin, "term_change", payload, now=NOW)


def test_a_unanimous_term_change_lifts_the_lock(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    cash(board, "US", 10, date(2025, 9, 17), "us")
    payload = {"amount": "1.00", "on": "2026-01-05"}
    with pytest.raises(GovernanceError, match=r"lock\.years = 10"):
        proposals.propose(db, board.admin, "distribution", payload, now=NOW)
    change = _propose_framework(db, board)
    for manager in board.managers["US"]:
        assert not approve_as_seen(db, manager, change.id, now=NOW).executed
    for manager in board.managers["UA"][:-1]:
        assert not approve_as_seen(db, manager, change.id, now=NOW).executed
    assert approve_as_seen(db, board.manager("UA", 2), change.id, now=NOW).executed
    with db.read() as conn:
        board.terms = terms_in_force(conn)
    assert board.terms.id == "ua-us-2025-02-26-framework"
    assert board.decide("distribution", payload).executed


def test_the_terms_in_force_follow_the_change_date_in_one_statement(db: Database) -> None:
    """Before the change takes effect the sheet the fund was set up with applies, from its
    date the change; each answer is one statement (every write asks, under the books' lock)."""
    board = make_board(db, AGREEMENT)
    change = _propose_framework(db, board)
    for manager in (*board.managers["US"], *board.managers["UA"]):
        approve_as_seen(db, manager, change.id, now=NOW)
    asked: list[str] = []

    def seen(*args: object) -> None:
        asked.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        with db.read() as conn:
            before = terms_in_force(conn, date(2025, 5, 22))
            on_the_day = terms_in_force(conn, date(2025, 5, 23))
            latest = terms_in_force(conn)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    assert before.id == AGREEMENT.id
    assert on_the_day.id == latest.id == "ua-us-2025-02-26-framework"
    assert len([a for a in asked if "term_" in a]) == 3


def test_admitting_a_partner_is_recorded_once(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    payload = {
        "partner_id": "EU",
        "name": "European Union",
        "legal_entity": "EIB",
        "on": "2026-01-01",
    }
    assert board.decide("admit_partner", payload).executed
    with pytest.raises(GovernanceError, match="already"):
        board.decide("admit_partner", {**payload, "partner_id": "US"})


def test_bad_payloads_report_every_problem(db: Database) -> None:
    board = make_board(db, AGREEMENT)
    with pytest.raises(InputError) as bad:
        proposals.propose(
            db,
            board.admin,
            "investment",
            {"investment_id": "bad id", "amount": 5, "on": "soon"},
            now=NOW,
        )
    assert {p.field for p in bad.value.problems} == {"investment_id", "name", "amount", "on"}
    with pytest.raises(InputError, match="unknown proposal kind"):
        proposals.propose(db, board.admin, "coup", {}, now=NOW)


def test_wipe_drops_governance_tables_too(db: Database) -> None:
    make_board(db, AGREEMENT)
    wipe(db)
    upgrade(db)
    make_board(db, AGREEMENT)


# Text a payload may hold: no NUL, no unpaired surrogate (see jointfund.bounds).
_STORABLE = st.characters(exclude_categories=("Cs",), exclude_characters="\x00")


@given(
    st.dictionaries(
        st.text(_STORABLE, max_size=8),
        st.one_of(st.text(_STORABLE, max_size=8), st.integers(-(2**63), 2**63 - 1)),
        max_size=6,
    )
)
def test_payload_hash_ignores_key_order_only(payload: dict[str, object]) -> None:
    reordered = dict(reversed(list(payload.items())))
    assert canonical_payload(payload) == canonical_payload(reordered)
    changed = {**payload, "__extra": 1}
    assert canonical_payload(changed)[1] != canonical_payload(payload)[1]

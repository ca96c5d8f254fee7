"""The authorisation matrix: every action and every service call, for every role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from jointfund.errors import JointfundError, PermissionDeniedError
from jointfund.fund import (
    capital,
    committees,
    contributions,
    investments,
    metrics,
    proposal_views,
    proposals,
    statements,
    users,
)
from jointfund.governance import PERMISSIONS, Role, User, allowed, require
from jointfund.store import Database
from tests.operator import approve_as_seen

from ..fund.fund_board import NOW, Board, make_board

A, B, U, F, P = "A", "B", "U", "F", "P"
_CODE = {
    Role.ADMINISTRATOR: A,
    Role.BOARD_MANAGER: B,
    Role.AUDITOR: U,
    Role.REPORTING_ENTITY: F,
    Role.PUBLIC: P,
}
# Who may do what, written out by hand so any change to the table has to change this too.
EXPECTED: dict[str, str] = {
    "fund.setup": "A",
    "books.backup": "AU",
    "fx.import": "A",
    "receipts.import": "A",
    "receipts.read": "ABU",
    "tokens.revoke": "ABUFP",
    "sessions.use": "ABUFP",
    "reports.produce": "ABU",
    "ledger.read": "ABU",
    "ledger.post": "A",
    "ledger.close": "A",
    "ledger.verify": "ABU",
    "licences.read": "ABU",
    "licences.read_own": "F",
    "licences.import": "A",
    "filings.read": "ABU",
    "filings.read_own": "F",
    "filings.submit": "AF",
    "contributions.read": "ABU",
    "contributions.record": "A",
    "investments.read": "ABU",
    "investments.record": "A",
    "proposals.read": "ABU",
    "proposals.create": "AB",
    "proposals.approve": "B",
    "committees.read": "ABU",
    "committees.manage": "A",
    "committees.recommend": "B",
    "capital.read": "ABU",
    "metrics.read": "ABU",
    "statements.read": "ABU",
    "forecast.run": "ABU",
    "users.read": "ABU",
    "users.manage": "A",
    "audit.read": "AU",
    "transparency.read": "ABUFP",
}


def _user(role: Role) -> User:
    return User(
        1,
        "x",
        role,
        partner="US" if role is Role.BOARD_MANAGER else None,
        licence_ids=("LIC-1",) if role is Role.REPORTING_ENTITY else (),
    )


def test_the_table_covers_exactly_the_expected_actions() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_every_action_for_every_role(action: str, role: Role) -> None:
    user = _user(role)
    should = _CODE[role] in EXPECTED[action]
    assert allowed(user, action, licence_id="LIC-1") is should
    if should:
        require(user, action, licence_id="LIC-1")
    else:
        with pytest.raises(PermissionDeniedError, match=action):
            require(user, action, licence_id="LIC-1")


def test_reporting_entity_submits_only_for_its_own_licences() -> None:
    filer = _user(Role.REPORTING_ENTITY)
    require(filer, "filings.submit", licence_id="LIC-1")
    with pytest.raises(PermissionDeniedError, match="own licences"):
        require(filer, "filings.submit", licence_id="LIC-2")
    with pytest.raises(PermissionDeniedError):
        require(filer, "filings.submit")
    require(_user(Role.ADMINISTRATOR), "filings.submit", licence_id="LIC-2")


def test_deactivated_user_and_unknown_action_are_refused() -> None:
    admin = User(1, "gone", Role.ADMINISTRATOR, active=False)
    with pytest.raises(PermissionDeniedError, match="deactivated"):
        require(admin, "ledger.read")
    with pytest.raises(PermissionDeniedError, match="unknown action"):
        require(_user(Role.ADMINISTRATOR), "ledger.drop")


Service = Callable[[Board, User], object]
DAY = date(2025, 9, 17)

# Each service call and the action it is guarded by.
SERVICES: list[tuple[str, Service]] = [
    ("users.manage", lambda b, u: users.add_user(b.db, u, f"new-{u.id}", Role.PUBLIC, now=NOW)),
    ("users.manage", lambda b, u: users.issue_token(b.db, u, "citizen", now=NOW)),
    ("users.read", lambda b, u: users.list_users(b.db, u)),
    (
        "contributions.record",
        lambda b, u: contributions.record_cash(
            b.db,
            u,
            partner="US",
            amount_minor=100,
            currency="USD",
            value_date=DAY,
            reference=f"r{u.id}",
            now=NOW,
        ),
    ),
    ("contributions.read", lambda b, u: contributions.list_all(b.db, u)),
    (
        "proposals.create",
        lambda b, u: proposals.propose(
            b.db,
            u,
            "investment",
            {"investment_id": f"i{u.id}", "name": "n", "amount": "1.00", "on": "2025-10-01"},
            now=NOW,
        ),
    ),
    ("proposals.read", lambda b, u: proposal_views.list_proposals(b.db, u, now=NOW)),
    ("proposals.approve", lambda b, u: approve_as_seen(b.db, u, 1, now=NOW)),
    ("committees.read", lambda b, u: committees.governance(b.db, u)),
    (
        "committees.manage",
        lambda b, u: committees.seat_member(b.db, u, "audit", "us-manager-2", now=NOW),
    ),
    (
        "committees.recommend",
        lambda b, u: committees.recommend(b.db, u, 1, payload_hash="0" * 64, now=NOW),
    ),
    ("investments.read", lambda b, u: investments.holdings(b.db, u)),
    (
        "investments.record",
        lambda b, u: investments.disburse(
            b.db, u, "none", amount_minor=1, on=DAY, reference="x", now=NOW
        ),
    ),
    ("capital.read", lambda b, u: capital.capital_accounts(b.db, u)),
    ("metrics.read", lambda b, u: metrics.fund_metrics(b.db, u, as_of=DAY)),
    ("statements.read", lambda b, u: statements.capital_statement(b.db, u, "US", "2025Q3")),
]


def test_every_service_call_for_every_role(db: Database) -> None:
    board = make_board(db)
    proposals.propose(
        db,
        board.admin,
        "investment",
        {"investment_id": "seed", "name": "n", "amount": "1.00", "on": "2025-10-01"},
        now=NOW,
    )
    people = {
        Role.ADMINISTRATOR: board.admin,
        Role.BOARD_MANAGER: board.manager("UA"),
        **board.others,
    }
    for action, call in SERVICES:
        for role, user in people.items():
            should = _CODE[role] in EXPECTED[action]
            refused = False
            try:
                call(board, user)
            except PermissionDeniedError:
                refused = True
            except JointfundError:
                pass  # allowed through the gate, refused later on the merits
            assert refused is not should, (
                f"{role} {'refused' if refused else 'let through'} {action}"
            )

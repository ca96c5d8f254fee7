"""Listing proposals reads the board and its committees once, however many proposals there
are: each manager's row is checked against the row chain, and doing that per proposal made
the page grow with proposals times managers (scale benchmark: 189 ms for 23 proposals)."""

from __future__ import annotations

from sqlalchemy import event

from jointfund.fund.proposal_views import list_proposals
from jointfund.fund.proposals import propose
from tests.operator import operator
from tests.reports.report_fixtures import built_demo


def _reads_of_users(db_url: str, proposals: int) -> tuple[int, int]:
    db = built_demo(db_url)
    try:
        admin = operator(db)
        for i in range(proposals):
            payload = {
                "investment_id": f"list-{i}",
                "name": f"Investment {i}",
                "amount": "1000.00",
                "currency": "USD",
                "on": "2026-12-01",
            }
            propose(db, admin, "investment", payload)
        asked: list[str] = []

        def seen(_c: object, _cur: object, statement: str, *_rest: object) -> None:
            asked.append(statement)

        event.listen(db.engine, "before_cursor_execute", seen)
        listed = list_proposals(db, admin)
        event.remove(db.engine, "before_cursor_execute", seen)
        return len(listed), sum(1 for s in asked if "FROM users" in s)
    finally:
        db.dispose()


def test_the_board_is_read_once_however_many_proposals_are_listed(sqlite_url: str) -> None:
    few, reads_few = _reads_of_users(sqlite_url, 1)
    many, reads_many = _reads_of_users(sqlite_url.replace(".db", "-many.db"), 6)
    assert many == few + 5
    assert reads_many == reads_few

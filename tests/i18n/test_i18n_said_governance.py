"""Governance refusals reach people in Ukrainian: a board manager who approves the same
proposal twice is told so in the language in force, through the real use case on real books."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from jointfund.errors import GovernanceError
from jointfund.fund import proposals
from jointfund.i18n import language
from jointfund.i18n.message import error_text
from jointfund.store import Database, open_database
from tests.fund.fund_board import FRAMEWORK, NOW, cash, make_board
from tests.operator import approve_as_seen


@pytest.fixture
def books(sqlite_url: str) -> Iterator[Database]:
    """Migrated books in a SQLite file."""
    opened = open_database(sqlite_url)
    yield opened
    opened.dispose()


def test_a_second_approval_by_one_manager_is_refused_in_ukrainian(books: Database) -> None:
    board = make_board(books, FRAMEWORK)
    cash(board, "US", 3, date(2025, 6, 1), "us")
    proposal = proposals.propose(
        books, board.admin, "distribution", {"amount": "1.00", "on": "2026-01-05"}, now=NOW
    )
    manager = board.manager("US")
    assert not approve_as_seen(books, manager, proposal.id, now=NOW).executed
    with pytest.raises(GovernanceError) as refused:
        approve_as_seen(books, manager, proposal.id, now=NOW)
    # The English text is what logs, JSON bodies and the existing tests read.
    assert str(refused.value) == (
        f"us-manager-0 [board_manager (US)] has already approved proposal {proposal.id}"
    )
    with language("uk"):
        assert error_text(refused.value) == (
            f"us-manager-0 [board_manager (US)] уже погодив(ла) пропозицію {proposal.id}"
        )

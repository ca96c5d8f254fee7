"""The fund's own refusals reach people in Ukrainian: a distribution beyond the cash the fund
holds, and a second close of a period already closed, through the real use cases on real books."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from jointfund.errors import ConflictError, GovernanceError
from jointfund.fund import proposals
from jointfund.fund.manual_entries import close_payload
from jointfund.i18n import language
from jointfund.i18n.message import error_text
from jointfund.store import Database, open_database
from tests.fund.fund_board import FRAMEWORK, NOW, cash, make_board


@pytest.fixture
def books(sqlite_url: str) -> Iterator[Database]:
    """Migrated books in a SQLite file."""
    opened = open_database(sqlite_url)
    yield opened
    opened.dispose()


def test_an_overdrawing_distribution_and_a_second_close_are_refused_in_ukrainian(
    books: Database,
) -> None:
    board = make_board(books, FRAMEWORK)
    cash(board, "US", 3, date(2025, 6, 1), "us")
    with pytest.raises(GovernanceError) as overdraft:
        proposals.propose(
            books, board.admin, "distribution", {"amount": "1234.00", "on": "2026-01-05"}, now=NOW
        )
    assert str(overdraft.value) == (
        "the fund holds 300 minor units of USD cash; it cannot distribute 123400"
    )
    assert board.decide("period_close", close_payload(date(2025, 6, 30))).executed
    with pytest.raises(ConflictError) as closed:
        proposals.propose(
            books, board.admin, "period_close", close_payload(date(2025, 6, 15)), now=NOW
        )
    assert str(closed.value) == "the books are already closed through 2025-06-30"
    with language("uk"):
        assert error_text(overdraft.value) == (
            "грошових коштів у фонді (у дрібних одиницях USD): 300; виплатити 123400 неможливо"
        )
        # The day is written the Ukrainian way, not as the English ISO date.
        assert error_text(closed.value) == "облікові книги вже закрито по 30 черв. 2025\u202fр."

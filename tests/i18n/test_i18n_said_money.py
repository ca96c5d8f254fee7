"""Amounts people type wrongly are explained in Ukrainian: a proposal's amount with thousands
separators or finer than cents is refused, located at its field, through the real use case."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from jointfund.errors import InputError
from jointfund.fund import proposals
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


def test_a_mistyped_amount_is_explained_in_ukrainian(books: Database) -> None:
    board = make_board(books, FRAMEWORK)
    cash(board, "US", 3, date(2025, 6, 1), "us")
    refusals = []
    for amount in ("1,234.00", "1.234"):
        with pytest.raises(InputError) as refused:
            proposals.propose(
                books, board.admin, "distribution", {"amount": amount, "on": "2026-01-05"}, now=NOW
            )
        refusals.append(refused.value)
    assert [str(r) for r in refusals] == [
        "amount: thousands separators are not allowed",
        "amount: more than 2 decimals for USD",
    ]
    with language("uk"):
        assert [error_text(r) for r in refusals] == [
            "amount: роздільники тисяч не допускаються",
            "amount: забагато знаків після коми для USD: допускається не більше 2",
        ]

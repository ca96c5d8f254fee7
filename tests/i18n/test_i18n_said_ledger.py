"""A partner's kept checkpoint file that is not one is refused in Ukrainian: the books are
closed on a real SQLite file, the checkpoint a partner keeps is written out, and files that
are not that checkpoint are read back the way `jointfund verify --checkpoint` reads them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from jointfund.errors import InputError
from jointfund.fund import books as fund_books
from jointfund.fund.manual_entries import close_payload
from jointfund.i18n import language
from jointfund.i18n.message import error_text
from jointfund.ledger import Checkpoint
from jointfund.store import Database, open_database
from tests.fund.fund_board import FRAMEWORK, cash, make_board


@pytest.fixture
def books(sqlite_url: str) -> Iterator[Database]:
    """Migrated books in a SQLite file."""
    opened = open_database(sqlite_url)
    yield opened
    opened.dispose()


def test_a_file_that_is_not_the_kept_checkpoint_is_refused_in_ukrainian(
    books: Database, tmp_path: Path
) -> None:
    board = make_board(books, FRAMEWORK)
    cash(board, "US", 3, date(2025, 6, 1), "us")
    assert board.decide("period_close", close_payload(date(2025, 6, 30))).executed
    kept = tmp_path / "checkpoint.json"
    kept.write_text(fund_books.checkpoints(books, board.admin)[-1].to_json(), encoding="utf-8")
    assert Checkpoint.from_json(kept.read_text(encoding="utf-8"), source=str(kept)).through == (
        date(2025, 6, 30)
    )
    other = tmp_path / "other.json"
    other.write_text('{"format": "something-else/1"}', encoding="utf-8")
    with pytest.raises(InputError) as refused:
        Checkpoint.from_json(other.read_text(encoding="utf-8"), source=str(other))
    assert str(refused.value) == f"{other}:format: not a jointfund checkpoint"
    with language("uk"):
        assert error_text(refused.value) == f"{other}:format: це не контрольна точка jointfund"

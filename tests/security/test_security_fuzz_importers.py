"""The importers that write (licences, FX rates, filings, a journal through Books.post_many,
Treasury receipts, subsoil auctions) under malformed input: a refused file leaves the database
byte for byte as it was."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from jointfund.errors import InputError, JointfundError
from jointfund.fund import users
from jointfund.fund.auctions import import_auctions
from jointfund.fund.demo import build_demo
from jointfund.fund.filings import import_filings
from jointfund.fund.licences import import_licences
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.treasury import import_receipts
from jointfund.intake.journal_file import read_journal
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from tests.fund.booking.booking_fixtures import snapshot
from tests.operator import operator

from .security_mutations import malformed

EXAMPLES = Path(__file__).parents[2] / "examples" / "us-ukraine"
SAMPLES = Path(__file__).parents[1] / "intake" / "samples"
TREASURY = (SAMPLES / "treasury_special_fund_2025_cp1251.csv").read_bytes().decode("cp1251")
AUCTIONS = (SAMPLES / "prozorro_sale_feed.jsonl").read_text("utf-8")
FUZZ = settings(
    max_examples=40,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _head(name: str, lines: int) -> str:
    return "".join((EXAMPLES / name).read_text("utf-8").splitlines(keepends=True)[:lines])


FILINGS = _head("filings.csv", 1) + (
    "UA-SP-2012-0907,2025-01,royalty,1000.00,UAH,FUZZ-1,1,0.00,2025-02-14\n"
    "UA-SP-2012-0907,2025-02,royalty,2000.00,UAH,FUZZ-2,1,10.00,2025-03-14\n"
    "UA-PSA-2026-0001,2026-03,signature_bonus,3000.00,USD,FUZZ-3,1,0.00,2026-04-15\n"
)
FX = "date,base,quote,rate\n2024-11-01,USD,UAH,41.4325\n2030-01-02,USD,UAH,50.0\n"
JOURNAL = (
    '{"key": "fuzz-1", "date": "2025-07-01", "kind": "contribution", "postings": '
    '[{"account": "Assets:Cash:USD", "amount": "10.00", "currency": "USD"}, '
    '{"account": "Equity:Capital:US:Contributions", "amount": "-10.00", "currency": "USD"}]}\n'
    '{"key": "fuzz-2", "date": "2025-07-02", "kind": "inflow", "postings": '
    '[{"account": "Assets:Cash:USD", "amount": "5", "currency": "USD"}, '
    '{"account": "Income:No:Such:Account", "amount": "-5", "currency": "USD"}]}\n'
)


@dataclass
class DemoBooks:
    """A demo fund on a SQLite file."""

    db: Database
    file: Path
    admin_token: str


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoBooks]:
    folder = tmp_path_factory.mktemp("fuzz-importers")
    db = open_database(f"sqlite:///{folder / 'books.db'}")
    logins = build_demo(db).logins
    admin = next(login.token for login in logins if login.role == "administrator")
    yield DemoBooks(db, folder / "books.db", admin)
    db.dispose()


def file_bytes(books: DemoBooks) -> bytes:
    """The database file's bytes once every committed change is in it."""
    with sqlite3.connect(books.file) as raw:
        busy, _, _ = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    assert busy == 0, "the checkpoint could not finish"
    return books.file.read_bytes()


def _post_journal(db: Database, path: Path) -> object:
    return Books(db).post_many(read_journal(path).entries)


IMPORTERS: dict[str, tuple[Callable[[Database, Path], object], str, str]] = {
    "licences": (
        lambda db, p: import_licences(db, operator(db), p),
        ".csv",
        _head("licences.csv", 4),
    ),
    "fx rates": (lambda db, p: import_fx_rates(db, operator(db), p), ".csv", FX),
    "filings": (lambda db, p: import_filings(db, operator(db), p), ".csv", FILINGS),
    "journal": (_post_journal, ".jsonl", JOURNAL),
    "treasury receipts": (lambda db, p: import_receipts(db, operator(db), p), ".csv", TREASURY),
    "subsoil auctions": (lambda db, p: import_auctions(db, operator(db), p), ".jsonl", AUCTIONS),
}


@pytest.mark.parametrize("which", sorted(IMPORTERS))
def test_a_refused_import_leaves_the_database_byte_identical(
    books: DemoBooks, which: str, tmp_path: Path
) -> None:
    run, suffix, sample = IMPORTERS[which]
    path = tmp_path / f"input{suffix}"
    outcomes: dict[str, int] = {}

    @FUZZ
    @given(data=malformed(sample, json_like=suffix == ".jsonl"))
    def fuzz(data: bytes) -> None:
        path.write_bytes(data)
        before, rows = file_bytes(books), snapshot(books.db)
        refused: JointfundError | None = None
        try:
            run(books.db, path)
        except JointfundError as error:
            refused = error
        kind = type(refused).__name__ if refused is not None else "accepted"
        outcomes[kind] = outcomes.get(kind, 0) + 1
        if refused is None:
            return
        assert not isinstance(refused, InputError) or refused.problems
        assert snapshot(books.db) == rows
        assert file_bytes(books) == before, f"{kind} left bytes behind"

    fuzz()
    assert sum(n for k, n in outcomes.items() if k != "accepted") >= 10, outcomes


def test_a_reporting_entity_refused_a_foreign_licence_changes_nothing(
    books: DemoBooks, tmp_path: Path
) -> None:
    admin = users.authenticate(books.db, books.admin_token)
    filer = users.add_user(
        books.db, admin, "fuzz-filer", "reporting_entity", licence_ids=["UA-SP-2017-0415"]
    )
    path = tmp_path / "filings.csv"
    path.write_text(FILINGS, encoding="utf-8")
    before, rows = file_bytes(books), snapshot(books.db)
    with pytest.raises(JointfundError):
        import_filings(books.db, filer, path)
    assert snapshot(books.db) == rows
    assert file_bytes(books) == before

"""A licence edited behind the books' back is refused wherever an import uses it, however many
licences the import names: the rows are checked 500 at a time, one lookup a batch (a 100k-row
import naming all 20,000 licences of a national register made 40,000 single lookups, 18 s of its
36), and a row in any batch, edited or put back to a version the books have since replaced, is
caught."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event, select, text

from jointfund.errors import IntegrityError
from jointfund.fund import filings, licences
from jointfund.store import Database
from jointfund.store.row_chain_checks import unchained_rows
from jointfund.store.tables.registry import licences as licence_table
from tests.fund.booking.booking_fixtures import HEADER, write
from tests.operator import operator
from tests.reliability.tamper_fund import tampering
from tests.reports.report_fixtures import built_demo

COUNT = 1_201  # three batches of the check, the last of one row
COLUMNS = (
    "licence_id,holder,holder_registry_id,deposit,resources,oblast,instrument,issued_on,status"
)


def _licences(folder: Path, holder: str = "Holder") -> Path:
    rows = [
        f"UA-CHK-{i:05d},{holder} {i},{40000000 + i},Deposit {i},titanium,Kirovohrad,"
        "special_permit,2025-07-11,active"
        for i in range(COUNT)
    ]
    return write(folder, "licences.csv", "\n".join([COLUMNS, *rows]) + "\n")


def _rows(db: Database) -> list[tuple[object, ...]]:
    with db.read() as conn:
        found = conn.execute(
            select(licence_table)
            .where(licence_table.c.licence_id.like("UA-CHK-%"))
            .order_by(licence_table.c.licence_id)
        )
        return [tuple(r) for r in found]


def _unchained(db: Database) -> list[str]:
    with db.read() as conn:
        return [str(r[0]) for r in unchained_rows(conn, licence_table, _rows(db))]


@pytest.fixture
def books(db_url: str, tmp_path: Path) -> Iterator[Database]:
    db = built_demo(db_url)
    licences.import_licences(db, operator(db), _licences(tmp_path))
    yield db
    db.dispose()


def test_untouched_rows_pass_in_every_batch(books: Database) -> None:
    assert len(_rows(books)) == COUNT
    assert _unchained(books) == []


def test_each_batch_is_one_lookup(books: Database) -> None:
    """Both questions, the rows' own records and any later version's, in one statement a batch:
    the check runs under the books' lock in every upload."""
    asked: list[str] = []

    def seen(_c: object, _cur: object, statement: str, *_: object) -> None:
        if "row_chain" in statement:
            asked.append(statement)

    rows = _rows(books)
    event.listen(books.engine, "before_cursor_execute", seen)
    try:
        with books.read() as conn:
            assert unchained_rows(conn, licence_table, rows) == []
    finally:
        event.remove(books.engine, "before_cursor_execute", seen)
    assert len(asked) == 3  # 1,201 rows: batches of 500, 500 and 201


def test_an_edited_licence_in_a_later_batch_is_named_and_its_import_books_nothing(
    books: Database, tmp_path: Path
) -> None:
    with tampering(str(books.shared_url)) as conn:
        conn.execute(
            text("UPDATE licences SET holder = 'Someone else' WHERE licence_id = 'UA-CHK-01100'")
        )
    assert _unchained(books) == ["UA-CHK-01100"]
    body = HEADER + "".join(
        f"UA-CHK-{i:05d},2026-10,royalty,1000.00,USD,CHK-{i},1,0.00,2026-11-15\n"
        for i in range(COUNT)
    )
    with books.read() as conn:
        before = conn.execute(text("SELECT count(*) FROM filings")).scalar_one()
    with pytest.raises(IntegrityError, match="licence UA-CHK-01100"):
        filings.import_filings(books, operator(books), write(tmp_path, "f.csv", body))
    with books.read() as conn:
        assert conn.execute(text("SELECT count(*) FROM filings")).scalar_one() == before


def test_a_licence_put_back_to_a_replaced_version_is_named(books: Database, tmp_path: Path) -> None:
    old = {str(r[0]): r for r in _rows(books)}["UA-CHK-00900"]
    licences.import_licences(books, operator(books), _licences(tmp_path, holder="Renamed"))
    with books.read() as conn:
        version = conn.execute(
            text("SELECT row_version FROM licences WHERE licence_id = 'UA-CHK-00900'")
        ).scalar_one()
    assert version == 2
    # the row as it was, version number and all: its record exists, but so does the next one
    names = [c.name for c in licence_table.columns]
    with tampering(str(books.shared_url)) as conn:
        conn.execute(
            licence_table.update()
            .where(licence_table.c.licence_id == "UA-CHK-00900")
            .values(dict(zip(names, old, strict=True)))
        )
    with books.read() as conn:
        assert tuple(
            conn.execute(
                select(licence_table).where(licence_table.c.licence_id == "UA-CHK-00900")
            ).one()
        ) == tuple(old)
    assert _unchained(books) == ["UA-CHK-00900"]

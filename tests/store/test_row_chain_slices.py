"""Slice records: a bulk import chains its rows in one record per slice, holding each row's
id and digest; verify still names the very row edited or deleted, and books chained row by
row before slices existed keep verifying next to them."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, inspect, select, update

from jointfund.fund.filings import import_filings
from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.ledger.hashing import canonical_json, canonical_row
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.tables.chain import row_chain, row_chain_head
from jointfund.store.tables.registry import filings
from tests.operator import operator

from ..reliability.tamper_fund import TamperFund, build_tamper_fund, copy_of, tamper_template
from ..reliability.tamper_fund import tampering as raw_edit

HEADER = "licence_id,period,stream,gross_amount,currency,payer_reference,version,costs,received_on"

# The revisions on the row chain's branch (0005 and every one after it): the other branches
# (0002, 0003, 0004, 0007) grow from 0001 alone.
AFTER_THE_ROW_CHAIN = "version_num NOT IN ('0001', '0002', '0003', '0004', '0007')"


def _verify(url: str) -> VerifyReport:
    db = open_database(url)
    try:
        return Books(db).verify()
    finally:
        db.dispose()


def _import(url: str, folder: Path, refs: list[str]) -> None:
    rows = [
        f"UA-SP-2012-0907,2026-04,royalty,{1000 + i}.00,UAH,{ref},1,0.00,2026-05-15"
        for i, ref in enumerate(refs)
    ]
    path = folder / f"{refs[0]}.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = open_database(url)
    try:
        import_filings(db, operator(db), path)
    finally:
        db.dispose()


def _filing_id(url: str, ref: str) -> int:
    db = open_database(url)
    try:
        with db.read() as conn:
            return int(
                conn.execute(
                    select(filings.c.id).where(filings.c.payer_reference == ref)
                ).scalar_one()
            )
    finally:
        db.dispose()


@settings(max_examples=300)
@given(
    st.lists(
        st.none()
        | st.booleans()
        | st.integers(-(2**70), 2**70)
        | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
        max_size=8,
    )
)
def test_a_row_is_encoded_byte_for_byte_as_canonical_json(values: list[object]) -> None:
    # Control characters, U+2028, astral planes and integers past 64 bits included.
    assert canonical_row(tuple(values)) == canonical_json(values).encode()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint]:
    return tamper_template(tmp_path_factory.mktemp("slice-template"))


@pytest.fixture
def fund(template: tuple[Path, Checkpoint], tmp_path: Path) -> TamperFund:
    return copy_of(template, tmp_path)


def test_a_bulk_import_appends_one_record_per_slice(fund: TamperFund, tmp_path: Path) -> None:
    before = open_database(fund.url)
    try:
        with before.read() as conn:
            head = conn.execute(select(row_chain_head.c.last_seq)).scalar_one()
    finally:
        before.dispose()
    _import(fund.url, tmp_path, [f"SLICE-{i}" for i in range(5)])
    db = open_database(fund.url)
    try:
        with db.read() as conn:
            added = conn.execute(select(row_chain).where(row_chain.c.seq > head)).all()
    finally:
        db.dispose()
    first = _filing_id(fund.url, "SLICE-0")
    # One slice record for the five filings, then the import's audit record.
    assert [r.table_name for r in added] == ["filings", "audit_log"]
    assert added[0].row_key == f"{first}..{first + 4}"
    held = [row_id for row_id, _ in struct.iter_unpack(">q32s", added[0].row_digests)]
    assert held == list(range(first, first + 5))
    assert _verify(fund.url).ok


@pytest.mark.parametrize("edit", ["update", "delete"])
def test_verify_names_the_row_edited_or_deleted_inside_a_slice(
    fund: TamperFund, tmp_path: Path, edit: str
) -> None:
    _import(fund.url, tmp_path, [f"EDIT-{i}" for i in range(4)])
    target = _filing_id(fund.url, "EDIT-2")
    with raw_edit(fund.url) as conn:
        where = filings.c.id == target
        if edit == "update":
            conn.execute(update(filings).where(where).values(fund_minor=filings.c.fund_minor + 1))
        else:
            conn.execute(delete(filings).where(where))
    report = _verify(fund.url)
    assert [f.row for f in report.findings] == [f"filings:{target}"]
    expected = "differs from its digest" if edit == "update" else "is missing"
    assert expected in report.findings[0].what


def test_a_slice_whose_digests_were_rewritten_is_named(fund: TamperFund, tmp_path: Path) -> None:
    _import(fund.url, tmp_path, ["BLOB-0", "BLOB-1"])
    with raw_edit(fund.url) as conn:
        record = conn.execute(
            select(row_chain.c.seq, row_chain.c.row_digests)
            .where(row_chain.c.row_digests.is_not(None))
            .order_by(row_chain.c.seq.desc())
        ).first()
        assert record is not None
        forged = bytes(record.row_digests[:-1]) + b"\x00"
        conn.execute(
            update(row_chain).where(row_chain.c.seq == record.seq).values(row_digests=forged)
        )
    report = _verify(fund.url)
    assert report.first_bad is not None
    assert f"row-chain record #{record.seq}" in report.first_bad.what
    assert "row digests do not match its hash" in report.first_bad.what


def test_books_chained_row_by_row_gain_slices_and_keep_verifying(
    db_url: str, tmp_path: Path
) -> None:
    fund = build_tamper_fund(db_url)
    # The books as 0005 chained them: every filing a record of its own, no digests column.
    with raw_edit(fund.url) as conn:
        row_chain_head.drop(conn)
        row_chain.drop(conn)
        # Only the branches that do not build on the row chain stay recorded.
        conn.exec_driver_sql(f"DELETE FROM alembic_version WHERE {AFTER_THE_ROW_CHAIN}")
    open_database(fund.url).dispose()  # 0005 chains every stored row on its own
    with raw_edit(fund.url) as conn:
        conn.exec_driver_sql("ALTER TABLE row_chain DROP COLUMN row_digests")
        conn.exec_driver_sql(f"DELETE FROM alembic_version WHERE {AFTER_THE_ROW_CHAIN}")
        conn.exec_driver_sql("INSERT INTO alembic_version (version_num) VALUES ('0005')")
    db = open_database(fund.url)  # 0008 adds the column
    try:
        with db.read() as conn:
            assert "row_digests" in {c["name"] for c in inspect(conn).get_columns("row_chain")}
            old = conn.execute(select(filings.c.id).order_by(filings.c.id).limit(1)).scalar_one()
    finally:
        db.dispose()
    assert _verify(fund.url).ok
    _import(fund.url, tmp_path, ["MIXED-0", "MIXED-1"])
    assert _verify(fund.url).ok
    new = _filing_id(fund.url, "MIXED-1")
    with raw_edit(fund.url) as conn:
        for row_id in (old, new):
            conn.execute(update(filings).where(filings.c.id == row_id).values(source="forged"))
    report = _verify(fund.url)
    assert sorted(f.row or "" for f in report.findings) == sorted(
        [f"filings:{old}", f"filings:{new}"]
    )

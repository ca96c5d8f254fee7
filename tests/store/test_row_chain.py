"""The row chain: every append-only row outside the journal is hashed and linked, and verify
recomputes them, so edits made with the triggers disabled are named; kept checkpoints pin it.
"""

from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    insert,
    select,
    update,
)

from jointfund.ledger import GENESIS_HASH, Checkpoint, VerifyReport
from jointfund.ledger.hashing import canonical_json
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.row_chain import PROTECTED, VERSIONED, RowCanon, link_hash
from jointfund.store.tables.chain import row_chain, row_chain_head
from jointfund.store.tables.ledger import metadata

from ..reliability.tamper_fund import (
    TamperFund,
    build_tamper_fund,
    copy_of,
    tamper_template,
    tampering,
)

# The revisions on the row chain's branch (0005 and every one after it): the other branches
# (0002, 0003, 0004, 0007) grow from 0001 alone.
AFTER_THE_ROW_CHAIN = "version_num NOT IN ('0001', '0002', '0003', '0004', '0007')"


def _verify(url: str, checkpoint: Checkpoint | None = None) -> VerifyReport:
    db = open_database(url)
    try:
        return Books(db).verify(checkpoint)
    finally:
        db.dispose()


def _rows_by_key(conn: Connection, table: Table) -> dict[str, tuple[Any, ...]]:
    canon = RowCanon(table)
    return {canon.text(tuple(r))[0]: tuple(r) for r in conn.execute(select(table))}


def forge_row_chain(conn: Connection) -> None:
    """What a careful attacker does after editing protected rows: rehash and relink the whole
    row chain, and make every stored close's checkpoint name the new hash at its head."""
    if conn.dialect.name == "sqlite":
        for op in ("update", "delete"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS row_chain_no_{op}")
    rows = {name: _rows_by_key(conn, metadata.tables[name]) for name in PROTECTED + VERSIONED}
    closes = metadata.tables["period_closes"]
    prev, hash_at = GENESIS_HASH, {0: GENESIS_HASH}
    records = conn.execute(select(row_chain).order_by(row_chain.c.seq)).all()
    for rec in records:
        if rec.row_digests is not None:  # a slice: re-digest every row it holds
            held = rows[rec.table_name]
            canon = RowCanon(metadata.tables[rec.table_name])
            blob = b"".join(
                struct.pack(">q32s", row_id, _digest(canon.spelled(held[str(row_id)])))
                for row_id, _ in struct.iter_unpack(">q32s", rec.row_digests)
            )
            digest = hashlib.sha256(blob).hexdigest()
            linked = link_hash(prev, rec.seq, rec.table_name, rec.row_key, digest)
            conn.execute(
                update(row_chain)
                .where(row_chain.c.seq == rec.seq)
                .values(row_hash=digest, prev_hash=prev, hash=linked, row_digests=blob)
            )
            prev = hash_at[rec.seq] = linked
            continue
        row = rows[rec.table_name].get(rec.row_key)
        if row is None:  # an earlier version of a versioned row: its hash stays, relinked
            linked = link_hash(prev, rec.seq, rec.table_name, rec.row_key, rec.row_hash)
            conn.execute(
                update(row_chain)
                .where(row_chain.c.seq == rec.seq)
                .values(prev_hash=prev, hash=linked)
            )
            prev = hash_at[rec.seq] = linked
            continue
        if rec.table_name == "period_closes":
            old = Checkpoint.from_json(row[-1])
            if old.rows_seq is not None:
                forged = replace(old, rows_hash=hash_at[old.rows_seq]).to_json()
                conn.execute(update(closes).where(closes.c.id == row[0]).values(checkpoint=forged))
                row = (*row[:-1], forged)
        digest = RowCanon(metadata.tables[rec.table_name]).hashed(row)[1]
        linked = link_hash(prev, rec.seq, rec.table_name, rec.row_key, digest)
        conn.execute(
            update(row_chain)
            .where(row_chain.c.seq == rec.seq)
            .values(row_hash=digest, prev_hash=prev, hash=linked)
        )
        prev = hash_at[rec.seq] = linked
    conn.execute(update(row_chain_head).values(last_seq=len(records), last_hash=prev))


def _digest(values: list[Any]) -> bytes:
    return hashlib.sha256(canonical_json(values).encode()).digest()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint]:
    return tamper_template(tmp_path_factory.mktemp("row-chain-template"))


@pytest.fixture
def fund(template: tuple[Path, Checkpoint], tmp_path: Path) -> TamperFund:
    return copy_of(template, tmp_path)


@pytest.fixture
def fund_on_each_backend(db_url: str) -> TamperFund:
    return build_tamper_fund(db_url)


def _chain_counts(url: str, *, versions: bool = True) -> tuple[dict[str, int], dict[str, int]]:
    """Rows the chain holds per table, and rows stored (counting each version of a versioned
    row when `versions`; books chained by an upgrade hold each row's current version once)."""
    db = open_database(url)
    try:
        with db.read() as conn:
            chained: dict[str, int] = {}
            for name, blob in conn.execute(select(row_chain.c.table_name, row_chain.c.row_digests)):
                # A record of its own counts one row; a slice, the rows it holds.
                held = 1 if blob is None else len(blob) // struct.calcsize(">q32s")
                chained[name] = chained.get(name, 0) + held
            stored: dict[str, int] = {}
            for name in (*PROTECTED, *VERSIONED):
                table = metadata.tables[name]
                # A versioned table keeps one record per version of each row.
                counted = (
                    func.sum(table.c.row_version)
                    if name in VERSIONED and versions
                    else func.count()
                )
                stored[name] = int(conn.execute(select(counted).select_from(table)).scalar() or 0)
    finally:
        db.dispose()
    return chained, stored


def test_every_protected_row_is_chained_once_on_each_backend(
    fund_on_each_backend: TamperFund,
) -> None:
    chained, stored = _chain_counts(fund_on_each_backend.url)
    assert chained == {name: n for name, n in stored.items() if n}
    for name in ("period_closes", "filings", "fx_rates", "approvals", "audit_log", "report_log"):
        assert stored[name] >= 2, name
    assert _verify(fund_on_each_backend.url, fund_on_each_backend.kept).ok


def test_link_hash_is_the_documented_formula(fund: TamperFund) -> None:
    with tampering(fund.url) as conn:
        first = conn.execute(select(row_chain).where(row_chain.c.seq == 1)).one()
        row = _rows_by_key(conn, metadata.tables[first.table_name])[first.row_key]
    content = canonical_json(
        [v.isoformat() if isinstance(v, date) else v for v in row]  # no bools in this table
    )
    assert first.row_hash == hashlib.sha256(content.encode()).hexdigest()
    spelled = f"{GENESIS_HASH}|1|{first.table_name}|{first.row_key}|{first.row_hash}"
    assert first.hash == hashlib.sha256(spelled.encode()).hexdigest()


def _close_row(conn: Connection, through: date) -> dict[str, Any]:
    closes = metadata.tables["period_closes"]
    return dict(conn.execute(select(closes).where(closes.c.through == through)).one()._mapping)


def _forge_close_insert(conn: Connection) -> str:
    closes = metadata.tables["period_closes"]
    copy = _close_row(conn, date(2025, 12, 31))
    copy.update(id=copy["id"] + 1, through=date(2026, 6, 30))
    conn.execute(insert(closes).values(copy))
    return "period_closes"


def _forge_close_swap(conn: Connection) -> str:
    closes = metadata.tables["period_closes"]
    a, b = _close_row(conn, date(2025, 9, 30)), _close_row(conn, date(2025, 12, 31))
    for row, other in ((a, b), (b, a)):
        conn.execute(
            update(closes).where(closes.c.id == row["id"]).values(closed_at=other["closed_at"])
        )
    return "period_closes"


def _forge_latest_close_deleted(conn: Connection) -> str:
    closes = metadata.tables["period_closes"]
    conn.execute(delete(closes).where(closes.c.through == date(2025, 12, 31)))
    return "period_closes"


def _forge_terms(op: str) -> Any:
    def forge(conn: Connection) -> str:
        sheets = metadata.tables["term_sheets"]
        row = dict(conn.execute(select(sheets).order_by(sheets.c.id).limit(1)).one()._mapping)
        if op == "update":
            yaml = row["yaml"].replace("years: 10", "years: 1")
            conn.execute(update(sheets).where(sheets.c.id == row["id"]).values(yaml=yaml))
        elif op == "delete":
            conn.execute(delete(sheets).where(sheets.c.id == row["id"]))
        else:
            conn.execute(insert(sheets).values({**row, "id": row["id"] + 100}))
        return "term_sheets"

    return forge


def _forge_vote(conn: Connection) -> str:
    votes = metadata.tables["approvals"]
    row = dict(conn.execute(select(votes).order_by(votes.c.id).limit(1)).one()._mapping)
    others = select(func.max(votes.c.user_id))
    conn.execute(
        insert(votes).values(
            {**row, "id": row["id"] + 100, "user_id": conn.execute(others).scalar_one() + 1}
        )
    )
    return "approvals"


def _forge_vote_swap(conn: Connection) -> str:
    votes = metadata.tables["approvals"]
    a, b = conn.execute(select(votes).order_by(votes.c.id).limit(2)).all()
    conn.execute(update(votes).where(votes.c.id == a.id).values(approved_at=b.approved_at))
    conn.execute(update(votes).where(votes.c.id == b.id).values(approved_at=a.approved_at))
    return "approvals"


FORGERIES = {
    "close-inserted": _forge_close_insert,
    "close-stamps-swapped": _forge_close_swap,
    "latest-close-deleted": _forge_latest_close_deleted,
    "terms-updated": _forge_terms("update"),
    "terms-deleted": _forge_terms("delete"),
    "terms-inserted": _forge_terms("insert"),
    "vote-inserted": _forge_vote,
    "votes-swapped": _forge_vote_swap,
}


@pytest.mark.parametrize("name", list(FORGERIES))
def test_edits_the_tamper_harness_cannot_make_are_caught(fund: TamperFund, name: str) -> None:
    with tampering(fund.url) as conn:
        table = FORGERIES[name](conn)
    report = _verify(fund.url)
    assert not report.ok
    first = report.first_bad
    assert first is not None and first.row is not None
    assert first.row.startswith(f"{table}:"), first
    assert table in first.what and table in str(first)


def test_a_deleted_close_is_named_with_its_key(fund: TamperFund) -> None:
    with tampering(fund.url) as conn:
        key = _close_row(conn, date(2025, 12, 31))["id"]
        _forge_latest_close_deleted(conn)
    report = _verify(fund.url)
    assert [f.row for f in report.findings] == [f"period_closes:{key}"]
    assert "missing" in report.findings[0].what


def test_a_forged_row_chain_passes_plain_verify_but_not_a_kept_checkpoint(
    fund_on_each_backend: TamperFund,
) -> None:
    fund = fund_on_each_backend
    assert fund.kept.rows_seq is not None and fund.kept.rows_seq > 0
    votes = metadata.tables["approvals"]
    with tampering(fund.url) as conn:
        first = conn.execute(select(votes.c.id).order_by(votes.c.id).limit(1)).scalar_one()
        conn.execute(update(votes).where(votes.c.id == first).values(partner="XX"))
        forge_row_chain(conn)
    db = open_database(fund.url)
    try:
        books = Books(db)
        assert books.verify().ok, "the forged chain should fool a plain verify"
        assert books.verify(books.checkpoints()[-1]).ok, "the stored checkpoint was forged too"
        report = books.verify(fund.kept)
    finally:
        db.dispose()
    assert not report.ok
    assert report.first_bad is not None
    assert f"#{fund.kept.rows_seq}" in report.first_bad.what
    assert "checkpoint" in report.first_bad.what


def test_upgrade_chains_the_rows_books_already_hold(fund_on_each_backend: TamperFund) -> None:
    fund = fund_on_each_backend
    with tampering(fund.url) as conn:
        # The books as they were before the row chain existed.
        row_chain_head.drop(conn)
        row_chain.drop(conn)
        # Only the branches that do not build on the row chain stay recorded.
        conn.exec_driver_sql(f"DELETE FROM alembic_version WHERE {AFTER_THE_ROW_CHAIN}")
    chained, stored = _chain_counts(fund.url, versions=False)  # open_database migrates
    assert chained == {name: n for name, n in stored.items() if n}
    assert _verify(fund.url).ok
    with tampering(fund.url) as conn:
        rates = metadata.tables["fx_rates"]
        day = conn.execute(select(func.min(rates.c.on))).scalar_one()
        conn.execute(update(rates).where(rates.c.on == day).values(rate="1.0"))
    report = _verify(fund.url)
    assert report.first_bad is not None and report.first_bad.row is not None
    assert report.first_bad.row.startswith('fx_rates:["' + day.isoformat())


def test_checkpoint_json_keeps_the_row_chain_head_and_reads_older_files(fund: TamperFund) -> None:
    kept = fund.kept
    assert Checkpoint.from_json(kept.to_json()) == kept
    older = json.loads(kept.to_json())
    del older["rows_seq"], older["rows_hash"]
    old = Checkpoint.from_json(json.dumps(older))
    assert (old.rows_seq, old.rows_hash) == (None, None)
    assert old.to_json() == json.dumps(older, indent=2, sort_keys=True)
    assert _verify(fund.url, old).ok


_probe = Table(
    "probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("on", Date, primary_key=True),
    Column("flag", Boolean),
    Column("note", String(20)),
)


@settings(max_examples=60)
@given(
    id_=st.integers(-(2**62), 2**62),
    on=st.dates(),
    flag=st.none() | st.booleans(),
    note=st.none() | st.text(max_size=20),
    as_driver=st.booleans(),
)
def test_a_row_is_spelled_one_way_whatever_the_driver_returns(
    id_: int, on: date, flag: bool | None, note: str | None, as_driver: bool
) -> None:
    canon = RowCanon(_probe)
    typed = (id_, on, flag, note)
    # SQLite's driver hands back dates as ISO text and booleans as 0/1.
    raw = (id_, on.isoformat(), None if flag is None else int(flag), note) if as_driver else typed
    key, text = canon.text(raw)
    assert text == canonical_json([id_, on.isoformat(), flag, note])
    assert key == canonical_json([id_, on.isoformat()])
    assert canon.key_values(key) == (id_, on)

"""A direct edit of any table of the books, triggers bypassed, must be caught by `verify`.

Each case inserts, updates, deletes or reorders rows of one table in a copy of a fund that has
rows everywhere: the journal, every history table, the versioned tables (users, tokens,
licences, proposals, accounts) and the totals derived from the journal. A test checks the
matrix covers every table the schema has.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Table, UniqueConstraint, delete, insert, select, update

from jointfund.ledger import Checkpoint, VerifyReport
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.tables.ledger import metadata

from ..store.test_faults_tamper import _recompute_everything
from .tamper_fund import TamperFund, build_tamper_fund, copy_of, tamper_template, tampering

OPS = ("insert", "update", "delete", "reorder")


@dataclass(frozen=True, slots=True)
class TableCase:
    """How to forge one table's rows: the column an update changes, the changes that make an
    inserted copy unique, and the column whose values a reorder swaps between two rows."""

    changed: str
    change: Callable[[Any], Any]
    unique: dict[str, Callable[[Any], Any]]
    swapped: str
    covered_by: str | None = None


def _plus(n: int) -> Callable[[Any], Any]:
    return lambda v: v + n


def _days(n: int) -> Callable[[Any], Any]:
    return lambda v: v + timedelta(days=n)


def _later_stamp(v: Any) -> Any:
    """A stamp a year later, whether the driver hands back a datetime or its stored text."""
    if isinstance(v, str):
        return v.replace(v[:4], str(int(v[:4]) + 1), 1)
    return v + timedelta(days=365)


def _suffix(v: Any) -> Any:
    return f"{v}-forged"


CASES: dict[str, TableCase] = {
    "entries": TableCase("memo", _suffix, {"seq": _plus(10_000), "key": _suffix}, "seq", "chain"),
    "postings": TableCase("amount", _plus(100), {"idx": _plus(50)}, "idx", "content hash"),
    "period_closes": TableCase(
        "entry_count", _plus(-1), {"id": _plus(100), "through": _days(1)}, "through"
    ),
    "filings": TableCase(
        "fund_minor", _plus(100), {"id": _plus(10_000), "payer_reference": _suffix}, "fund_minor"
    ),
    "fx_rates": TableCase("rate", lambda v: "1.0", {"quote": lambda v: "EUR"}, "rate"),
    "term_sheets": TableCase(
        "yaml", lambda v: v.replace("years: 10", "years: 1"), {"id": _plus(100)}, "yaml"
    ),
    "approvals": TableCase(
        "partner", lambda v: "XX", {"id": _plus(100), "user_id": _plus(1000)}, "partner"
    ),
    "contributions": TableCase(
        "amount", _plus(100), {"id": _plus(100), "key": _suffix}, "value_date"
    ),
    "audit_log": TableCase("action", _suffix, {"seq": _plus(10_000)}, "at"),
    "report_log": TableCase("sha256", lambda v: "0" * 64, {"id": _plus(100)}, "sha256"),
    "term_changes": TableCase(
        "terms_yaml",
        lambda v: v.replace("years: 10", "years: 1"),
        {"id": _plus(100), "proposal_id": _plus(1000)},
        "effective_on",
    ),
    "admitted_partners": TableCase("name", _suffix, {"partner_id": lambda v: "ZZ"}, "name"),
    "in_kind_values": TableCase("amount", _plus(100), {"basis": _suffix}, "amount"),
    "in_kind_approvals": TableCase(
        "amount", _plus(100), {"contribution_id": _plus(100), "proposal_id": _plus(1000)}, "amount"
    ),
    "investments": TableCase(
        "committed", _plus(100), {"id": _suffix, "proposal_id": _plus(1000)}, "committed"
    ),
    "filing_reasons": TableCase("reason", _suffix, {"filing_id": _plus(100_000)}, "reason"),
    "investment_marks": TableCase(
        "fair_value", _plus(100), {"id": _plus(100), "proposal_id": _plus(1000)}, "fair_value"
    ),
    "contribution_transfers": TableCase(
        "accrued_minor", _plus(100), {"contribution_id": _plus(1000)}, "period_year"
    ),
    "deadline_records": TableCase(
        "reference", _suffix, {"id": _plus(100), "reference": _suffix}, "done_on"
    ),
    "treasury_receipts": TableCase(
        "cumulative_minor", _plus(100), {"id": _plus(100), "version": _plus(10)}, "cumulative_minor"
    ),
    "auction_sales": TableCase(
        "start_minor", _plus(100), {"id": _plus(100), "version": _plus(10)}, "status"
    ),
    "in_kind_cost_reports": TableCase(
        "cost_minor", _plus(100), {"id": _plus(100), "revision": _plus(100)}, "cost_minor"
    ),
    "in_kind_valuations": TableCase(
        "assessed_minor", _plus(100), {"id": _plus(100)}, "assessed_minor"
    ),
    "in_kind_recommendations": TableCase(
        "assessed_minor", _plus(100), {"id": _plus(100)}, "assessed_minor"
    ),
    "committee_seatings": TableCase(
        "partner", lambda v: "UA" if v != "UA" else "US", {"id": _plus(1000)}, "user_id"
    ),
    "committee_votes": TableCase(
        "payload_hash", lambda v: "0" * 64, {"id": _plus(1000), "user_id": _plus(1000)}, "partner"
    ),
    # Versioned tables: what decides who may act and how the terms apply.
    "users": TableCase(
        "partner",
        lambda v: "UA" if v != "UA" else "US",
        {"id": _plus(1000), "name": _suffix},
        "role",
    ),
    "api_tokens": TableCase(
        "expires_at", lambda v: None, {"id": _plus(1000), "token_hash": _suffix}, "user_id"
    ),
    "licences": TableCase("issued_on", _days(3650), {"licence_id": _suffix}, "issued_on"),
    "proposals": TableCase("payload", lambda v: v[:-1] + ',"x":1}', {"id": _plus(100)}, "kind"),
    "accounts": TableCase(
        "partner", lambda v: "XX", {"id": _plus(1000), "name": _suffix}, "partner"
    ),
    "sessions_started": TableCase(
        "user_id", _plus(1), {"id_hash": lambda v: "f" * 64}, "started_at"
    ),
    # An inserted end takes the id of the session still open (see `forge`).
    "sessions_ended": TableCase("ended_at", _later_stamp, {}, "ended_at"),
    # Derived from the journal: verify recomputes them.
    "balances": TableCase("amount", _plus(1), {"account_id": _plus(1000)}, "amount"),
    "day_totals": TableCase("amount", _plus(1), {"day": _days(1)}, "amount"),
    # Kept from the filings: verify sums the latest filing versions again.
    "filing_totals": TableCase(
        "payments", _plus(1), {"fiscal_year": lambda v: str(int(v) - 30)}, "gross_minor"
    ),
    "filing_months": TableCase(
        "payments", _plus(1), {"period": lambda v: f"{int(v[:4]) - 30}{v[4:]}"}, "payments"
    ),
    "filing_rent_days": TableCase(
        "payments", _plus(1), {"period": lambda v: f"{int(v[:4]) - 30}{v[4:]}"}, "payments"
    ),
    "filing_fund_days": TableCase(
        "fund_minor", _plus(1), {"stream": lambda v: f"{v}-x"}, "fund_minor"
    ),
    "filing_accrual_days": TableCase(
        "reporting_minor", _plus(1), {"currency": lambda v: "EUR"}, "fund_minor"
    ),
    "filing_accrual_licences": TableCase(
        "payments", _plus(1), {"accrual_year": lambda v: str(int(v) - 30)}, "fund_minor"
    ),
    # Kept from filing_totals (itself checked against the filings).
    "filing_licences": TableCase(
        "payments", _plus(1), {"licence_id": lambda v: f"{v}-X"}, "reporting_minor"
    ),
    "filing_year_streams": TableCase(
        "payments", _plus(1), {"fiscal_year": lambda v: str(int(v) - 30)}, "gross_minor"
    ),
}

# Every table is in the row chain; no case is expected to slip past verify.
HARNESS_GAPS: dict[tuple[str, str], tuple[str, type[BaseException]]] = {}


def _params() -> list[Any]:
    found = []
    for table in CASES:
        for op in OPS:
            marks = []
            if (table, op) in HARNESS_GAPS:
                reason, raises = HARNESS_GAPS[(table, op)]
                marks.append(pytest.mark.xfail(strict=True, raises=raises, reason=reason))
            found.append(pytest.param(table, op, marks=marks, id=f"{table}-{op}"))
    return found


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Checkpoint]:
    return tamper_template(tmp_path_factory.mktemp("tamper-template"))


@pytest.fixture
def fund(template: tuple[Path, Checkpoint], tmp_path: Path) -> TamperFund:
    return copy_of(template, tmp_path)


def _ordered(conn: Connection, table: Table) -> list[Any]:
    pk = list(table.primary_key.columns)
    return list(conn.execute(select(table).order_by(*pk)).mappings())


def _where(table: Table, row: Any) -> Any:
    return [c == row[c.name] for c in table.primary_key.columns]


def forge(conn: Connection, name: str, op: str) -> Any:
    """Make the edit; return the row it was made on (the one verify should name)."""
    table, case = metadata.tables[name], CASES[name]
    rows = _ordered(conn, table)
    assert len(rows) >= 2, f"the fund needs two {name} rows to tamper with"
    target = rows[len(rows) // 2]
    if name == "postings":
        target = next(r for r in rows if r["entry_seq"] == 3 and r["idx"] == 0)
    if op == "update":
        conn.execute(
            update(table)
            .where(*_where(table, target))
            .values({case.changed: case.change(target[case.changed])})
        )
    elif op == "insert":
        copy = dict(target)
        for column, change in case.unique.items():
            copy[column] = change(copy[column])
        if name == "sessions_ended":  # forge the sign-out of the one session still open
            started, ended = metadata.tables["sessions_started"], metadata.tables[name]
            copy["id_hash"] = conn.execute(
                select(started.c.id_hash).where(started.c.id_hash.not_in(select(ended.c.id_hash)))
            ).scalar_one()
        conn.execute(insert(table).values(copy))
        return copy
    elif op == "delete":
        conn.execute(delete(table).where(*_where(table, target)))
    else:
        _reorder(conn, table, case, rows, target)
    return target


def _reorder(conn: Connection, table: Table, case: TableCase, rows: list[Any], a: Any) -> None:
    if table.name == "entries":
        b = next(r for r in rows if r["seq"] == a["seq"] + 1)
        postings = metadata.tables["postings"]
        for old, new in ((a["seq"], -1), (b["seq"], a["seq"]), (-1, b["seq"])):
            conn.execute(update(table).where(table.c.seq == old).values(seq=new))
            conn.execute(update(postings).where(postings.c.entry_seq == old).values(entry_seq=new))
        return
    if table.name == "postings":
        b = next(r for r in rows if r["entry_seq"] == a["entry_seq"] and r["idx"] == 1)
    else:
        b = next(r for r in rows if r[case.swapped] != a[case.swapped])
    column = case.swapped
    unique = {c.name for i in table.indexes if i.unique for c in i.columns}
    unique |= {
        c.name for k in table.constraints if isinstance(k, UniqueConstraint) for c in k.columns
    }
    if column in table.primary_key.columns or column in unique:
        # A key or unique column is swapped through a free value, as a DBA moving rows would.
        free = _free_value(a[column])
        parked = {**dict(a), column: free}
        conn.execute(update(table).where(*_where(table, a)).values({column: free}))
        conn.execute(update(table).where(*_where(table, b)).values({column: a[column]}))
        conn.execute(update(table).where(*_where(table, parked)).values({column: b[column]}))
        return
    conn.execute(update(table).where(*_where(table, a)).values({column: b[column]}))
    conn.execute(update(table).where(*_where(table, b)).values({column: a[column]}))


def _free_value(value: Any) -> Any:
    """A value of the same type that no real row holds."""
    if isinstance(value, date):
        return date(1900, 1, 1)
    if isinstance(value, str):
        return "__parked__"
    return -1


def _verify(url: str) -> VerifyReport:
    db = open_database(url)
    try:
        return Books(db).verify()
    finally:
        db.dispose()


@pytest.mark.parametrize(("table", "op"), _params())
def test_direct_edit_is_caught_by_verify(fund: TamperFund, table: str, op: str) -> None:
    with tampering(fund.url) as conn:
        target = forge(conn, table, op)
    report = _verify(fund.url)
    assert not report.ok, f"{op} of a {table} row went unnoticed by verify"
    first = report.first_bad
    assert first is not None
    if table == "entries":
        assert first.seq is not None and abs(first.seq - int(target["seq"])) <= 1, first
    elif table == "postings":
        assert first.seq == target["entry_seq"], first
    elif table in ("balances", "day_totals"):
        assert first.account is not None, first
    else:
        assert table in first.what or str(target) in first.what, first


@pytest.fixture
def fund_on_each_backend(db_url: str) -> TamperFund:
    return build_tamper_fund(db_url)


def test_recomputed_history_is_caught_by_the_checkpoint_a_partner_kept(
    fund_on_each_backend: TamperFund,
) -> None:
    fund = fund_on_each_backend
    postings = metadata.tables["postings"]
    entries = metadata.tables["entries"]
    with tampering(fund.url) as conn:
        # Shift money between the two postings of the first entry (balanced, so only the
        # hashes could tell) and then recompute every hash, total and stored checkpoint.
        first = list(conn.execute(select(postings).where(postings.c.entry_seq == 1)).mappings())
        for row, delta in zip(first[:2], (777, -777), strict=True):
            conn.execute(
                update(postings)
                .where(postings.c.entry_seq == 1, postings.c.idx == row["idx"])
                .values(amount=row["amount"] + delta)
            )
        conn.execute(update(entries).where(entries.c.seq == 1).values(memo="rewritten"))
        _recompute_everything(conn)
    db = open_database(fund.url)
    try:
        books = Books(db)
        assert books.verify().ok, "the attacker's recomputation should fool a plain verify"
        assert books.verify(books.checkpoints()[-1]).ok, "the stored checkpoint was forged too"
        report = books.verify(fund.kept)
    finally:
        db.dispose()
    assert not report.ok
    assert report.first_bad is not None
    assert report.first_bad.seq == fund.kept.last_seq


def test_edited_entry_is_named_on_each_backend(fund_on_each_backend: TamperFund) -> None:
    with tampering(fund_on_each_backend.url) as conn:
        target = forge(conn, "entries", "update")
    report = _verify(fund_on_each_backend.url)
    assert report.first_bad is not None
    assert report.first_bad.seq == target["seq"]


DERIVED_OR_HEADS = {"ledger_head", "row_chain_head", "row_chain"}
"""Tables whose edits the chains themselves cover (their own cases live in test_row_chain)."""


def test_the_matrix_covers_every_table_of_the_books() -> None:
    assert set(metadata.tables) - DERIVED_OR_HEADS == set(CASES)

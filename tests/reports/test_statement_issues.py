"""Statements as known at a date: an issued statement reproduces byte for byte from the report
log; what is booked later shows only in a restatement, titled so and listing the differences;
a commitment shows only in periods it was made in, once it was approved (issue 13)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from jointfund import store
from jointfund.fund import (
    contributions,
    proposal_views,
    report_data,
    statement_documents,
    users,
)
from jointfund.fund.demo import build_demo
from jointfund.governance import User
from jointfund.reports.periods import parse_period
from jointfund.store import Database, open_database
from tests.operator import approve_as_seen, operator

QUARTERS = ("2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3", "2026Q4")


@pytest.fixture
def demo(tmp_path: Path) -> Database:
    db = open_database(str(tmp_path / "fund.db"))
    build_demo(db)
    return db


def _person(db: Database, name: str) -> User:
    return next(u for u in users.list_users(db, operator(db)) if u.name == name)


def _approve_commitment(db: Database) -> None:
    admin = operator(db)
    (view,) = [
        v for v in proposal_views.list_proposals(db, admin) if v.proposal.kind == "investment"
    ]
    for name in (f"{p}-manager-{i}" for p in ("us", "ua") for i in (1, 2, 3)):
        approve_as_seen(db, _person(db, name), view.proposal.id)


def _logged(db: Database, period: str, fmt: str) -> list[str]:
    with db.read() as tx:
        return [
            r.sha256
            for r in store.report_log.reports_of(tx, "statement")
            if r.period == period and r.format == fmt
        ]


def test_a_commitment_shows_only_from_its_own_period(demo: Database) -> None:
    _approve_commitment(demo)
    for label in ("2025Q3", "2026Q3"):
        data = report_data.statement_input(demo, parse_period(label))
        assert [i.id for i in data.investments] == [], label
    q4 = report_data.statement_input(demo, parse_period("2026Q4"))
    assert [i.id for i in q4.investments] == ["velta-titanium"]


def test_every_issued_statement_regenerates_with_its_logged_sha256(demo: Database) -> None:
    admin = operator(demo)
    for label in QUARTERS:
        statement_documents.statement(demo, admin, parse_period(label), fmt="html")
    # Books change after the issue: a late contribution effective in 2026Q3, a commitment.
    contributions.record_cash(
        demo,
        admin,
        partner="US",
        amount_minor=5_000_000_00,
        currency="USD",
        value_date=date(2026, 9, 1),
        reference="LATE-2026-09",
    )
    _approve_commitment(demo)
    for label in QUARTERS:
        again = statement_documents.statement(demo, admin, parse_period(label), fmt="html")
        assert [again.sha256] == _logged(demo, label, "html"), label
        assert hashlib.sha256(again.content).hexdigest() == again.sha256


def test_a_late_entry_appears_only_in_a_restatement_that_lists_it(demo: Database) -> None:
    admin = operator(demo)
    period = parse_period("2026Q3")
    issued = statement_documents.statement(demo, admin, period, fmt="html")
    contributions.record_cash(
        demo,
        admin,
        partner="US",
        amount_minor=5_000_000_00,
        currency="USD",
        value_date=date(2026, 9, 1),
        reference="LATE-2026-09",
    )
    copy = statement_documents.statement(demo, admin, period, fmt="html")
    assert copy.content == issued.content
    restated = statement_documents.statement(demo, admin, period, fmt="html", restate=True)
    text = restated.content.decode()
    assert "Quarterly report 2026Q3 (restated)" in text
    assert "Restated: US closing capital: 75,000,000.00 then, 80,000,000.00 now" in text
    assert "Quarterly report 2026Q3 (restated)" not in issued.content.decode()
    # The restatement is now the issue a copy reproduces.
    assert (
        statement_documents.statement(demo, admin, period, fmt="html").content == restated.content
    )
    assert _logged(demo, "2026Q3", "html") == [issued.sha256, restated.sha256]


def test_an_issued_pdf_regenerates_byte_identical(demo: Database) -> None:
    pytest.importorskip("weasyprint")
    admin = operator(demo)
    period = parse_period("2026Q2")
    issued = statement_documents.statement(demo, admin, period, fmt="pdf")
    again = statement_documents.statement(demo, admin, period, fmt="pdf")
    assert again.content == issued.content

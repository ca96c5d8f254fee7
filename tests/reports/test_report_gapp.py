"""The GAPP/RGI checklist answers from the books and the report log; the log is append-only."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from jointfund import store
from jointfund.fund import documents, report_data
from jointfund.fund.setup import set_up_fund
from jointfund.reports.gapp import ChecklistItem, GovernanceFacts, Produced, Status, checklist
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from tests.operator import operator

from .report_fixtures import built_demo

AS_OF = date(2026, 11, 22)


def _logged(db: Database, kind: str, period: str, fmt: str) -> None:
    """A report of `kind` on the log, as if produced (the log is what the checklist reads)."""
    with db.write() as tx:
        store.report_log.append_report(tx, kind, period, fmt, "0" * 64, "")


def _status(items: tuple[ChecklistItem, ...], ref: str) -> Status:
    return next(i.status for i in items if i.ref == ref)


def test_the_checklist_follows_what_was_produced(sqlite_url: str) -> None:
    db = built_demo(sqlite_url)
    fresh = checklist(report_data.governance_facts(db, operator(db), AS_OF))
    assert [i.ref for i in fresh] == [
        "GAPP 11",
        "GAPP 12",
        "GAPP 17",
        "GAPP 23",
        "RGI 1",
        "RGI 2",
        "RGI 3",
        "RGI 4",
        "RGI 5",
        "RGI 6",
    ]
    assert _status(fresh, "GAPP 11") is Status.MISSING
    assert _status(fresh, "GAPP 17") is Status.MISSING
    assert _status(fresh, "GAPP 23") is Status.MISSING
    assert _status(fresh, "GAPP 12") is Status.PARTIAL  # verifies; no auditor's opinion
    assert _status(fresh, "RGI 3") is Status.MISSING
    assert _status(fresh, "RGI 6") is Status.MET
    verified = next(i for i in fresh if i.ref == "GAPP 12")
    assert verified.last_produced is not None and "journal verifies" in verified.evidence

    _logged(db, "transparency", "2025", "xlsx")
    _logged(db, "statement", "2025Q4", "pdf")
    Books(db).close(date(2025, 12, 31))
    facts = report_data.governance_facts(db, operator(db), AS_OF, verify=False)
    assert facts.verify_findings == 0 and facts.checkpoints == 1
    after = checklist(facts)
    assert _status(after, "GAPP 17") is Status.MET
    assert _status(after, "GAPP 23") is Status.PARTIAL
    # Produced today, long after the 90 days that followed 2025.
    assert _status(after, "GAPP 11") is Status.PARTIAL
    _logged(db, "shadow", "2025Q4", "csv")
    assert (
        _status(
            checklist(report_data.governance_facts(db, operator(db), AS_OF, verify=False)),
            "GAPP 23",
        )
        is Status.MET
    )
    db.dispose()


def _facts(**changes: object) -> GovernanceFacts:
    base = GovernanceFacts(
        as_of=date(2026, 2, 1),
        closed_through=date(2025, 12, 31),
        checkpoints=4,
        verify_findings=0,
        verified_at="2026-02-01T00:00:00Z",
        latest={"statement": Produced("2025Q4", "2026-01-20T10:00:00Z")},
        statement_periods=(Produced("2025Q4", "2026-01-20T10:00:00Z"),),
        transparency_periods=("2025",),
        auditors=1,
        filings=10,
        filings_under_other_terms=0,
        distributions_in_lock=0,
        lock_end=date(2035, 5, 23),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_an_annual_report_on_time_with_closed_books_is_met() -> None:
    assert _status(checklist(_facts()), "GAPP 11") is Status.MET
    assert _status(checklist(_facts(closed_through=date(2025, 9, 30))), "GAPP 11") is Status.PARTIAL


def test_broken_rules_are_not_hidden() -> None:
    items = checklist(
        _facts(distributions_in_lock=2, filings_under_other_terms=1, verify_findings=3)
    )
    assert _status(items, "RGI 6") is Status.MISSING
    assert _status(items, "RGI 5") is Status.PARTIAL
    assert _status(items, "GAPP 12") is Status.MISSING


def test_the_report_log_refuses_changes(db_url: str) -> None:
    db = open_database(db_url)
    set_up_fund(db, "ua-us-2025-04-30-agreement")
    documents.balances_export(db, operator(db), as_of=None, fmt="csv")
    with pytest.raises(DBAPIError), db.write() as conn:
        conn.execute(text("UPDATE report_log SET period = '2026Q2'"))
    with pytest.raises(DBAPIError), db.write() as conn:
        conn.execute(text("DELETE FROM report_log"))
    db.dispose()

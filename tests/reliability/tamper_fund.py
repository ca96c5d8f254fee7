"""A fund with rows in every journal-bearing table, and a raw connection that bypasses triggers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import Connection, create_engine

from jointfund.fund.demo import build_demo
from jointfund.fund.proposals import approve
from jointfund.fund.users import authenticate
from jointfund.ledger import Checkpoint
from jointfund.store import open_database
from jointfund.store.books import Books
from jointfund.store.report_log import append_report
from jointfund.store.term_sheets import adopt_terms, current_terms_row

FIRST_CLOSE = date(2025, 9, 30)
CLOSE_THROUGH = date(2025, 12, 31)


@dataclass(frozen=True, slots=True)
class TamperFund:
    """Where the fund lives and the checkpoint a partner kept from its close."""

    url: str
    kept: Checkpoint


def build_tamper_fund(url: str) -> TamperFund:
    """The demo fund plus an approval, a report in the log and a closed period."""
    db = open_database(url)
    try:
        result = build_demo(db)
        tokens = {login.name: login.token for login in result.logins}
        for name in ("us-manager-1", "ua-manager-1"):
            approve(db, authenticate(db, tokens[name]), 1)
        with db.write() as conn:
            # A second adopted sheet (the same terms, re-adopted) so term_sheets has two rows.
            sheet = current_terms_row(conn)
            assert sheet is not None
            adopt_terms(conn, sheet.terms_id, sheet.yaml + "# re-adopted\n", "tamper test")
            append_report(conn, "transparency", "2025", "pdf", "ab" * 32, "tamper test")
            append_report(conn, "treasury", "2025-Q4", "csv", "cd" * 32, "tamper test")
        Books(db).close(FIRST_CLOSE)
        kept = Checkpoint.from_json(Books(db).close(CLOSE_THROUGH).to_json())
        assert Books(db).verify(kept).ok
        return TamperFund(url, kept)
    finally:
        db.dispose()


@contextmanager
def tampering(url: str) -> Iterator[Connection]:
    """A connection on which edits of append-only rows go through (as a DBA could do)."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "sqlite":
                names = conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).scalars()
                for name in list(names):
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
            else:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            yield conn
    finally:
        engine.dispose()


def tamper_template(folder: Path) -> tuple[Path, Checkpoint]:
    """Build the tamper fund once in `folder`; tests edit copies of it."""
    fund = build_tamper_fund(f"sqlite:///{folder / 'fund.db'}")
    return folder / "fund.db", fund.kept


def copy_of(template: tuple[Path, Checkpoint], folder: Path) -> TamperFund:
    """A private copy of the template fund, with the checkpoint its partner kept."""
    shutil.copyfile(template[0], folder / "fund.db")
    return TamperFund(f"sqlite:///{folder / 'fund.db'}", template[1])

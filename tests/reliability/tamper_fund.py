"""A fund with rows in every journal-bearing table, and a raw connection that bypasses triggers."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Connection, create_engine

from jointfund.fund import in_kind
from jointfund.fund.auctions import import_auctions
from jointfund.fund.calendar import record_deadline
from jointfund.fund.demo import build_demo
from jointfund.fund.in_kind_status import approval_payload
from jointfund.fund.investments import disburse
from jointfund.fund.proposals import propose
from jointfund.fund.sessions import sign_in, sign_out
from jointfund.fund.transfers import record_transfer
from jointfund.fund.treasury import import_receipts
from jointfund.fund.users import authenticate
from jointfund.ledger import Checkpoint
from jointfund.store import Database, open_database
from jointfund.store.books import Books
from jointfund.store.contributions import insert_contribution
from jointfund.store.filing_reasons import note_true_reasons
from jointfund.store.report_log import append_report
from jointfund.store.term_sheets import adopt_terms, current_terms_row
from tests.fund.booking.cached_reasons import store_cached_reasons
from tests.operator import approve_as_seen

FIRST_CLOSE = date(2025, 9, 30)
CLOSE_THROUGH = date(2025, 12, 31)


@dataclass(frozen=True, slots=True)
class TamperFund:
    """Where the fund lives and the checkpoint a partner kept from its close."""

    url: str
    kept: Checkpoint


MANAGERS = tuple(f"{side}-manager-{i}" for side in ("us", "ua") for i in (1, 2, 3))


def _decide(db: Database, tokens: dict[str, str], kind: str, payload: dict[str, object]) -> None:
    """Propose as the administrator; every manager approves (unanimity covers every rule)."""
    admin = authenticate(db, tokens["administrator"])
    proposal = propose(db, admin, kind, payload)
    for name in MANAGERS:
        if approve_as_seen(db, authenticate(db, tokens[name]), proposal.id).executed:
            return
    raise AssertionError(f"{kind} proposal {proposal.id} did not execute")


def _operations(db: Database, tokens: dict[str, str]) -> None:
    """Rows in every operations table: two investments (one disbursed and marked), an in-kind
    contribution and its valuation, a term change and an admitted partner."""
    admin = authenticate(db, tokens["administrator"])
    for name in MANAGERS:
        approve_as_seen(db, authenticate(db, tokens[name]), 1)  # the demo's 25 m commitment
    _decide(
        db,
        tokens,
        "investment",
        {
            "investment_id": "second",
            "name": "A second holding",
            "amount": "10.00",
            "on": "2026-10-02",
        },
    )
    disburse(
        db, admin, "velta-titanium", amount_minor=100_00, on=date(2026, 10, 3), reference="d-1"
    )
    for fair in ("120.00", "130.00"):
        _decide(
            db,
            tokens,
            "valuation_mark",
            {"investment_id": "velta-titanium", "fair_value": fair, "on": "2026-10-04"},
        )
    for n in (1, 2):
        reference = f"MoD-TAMPER-{n}"
        in_kind.file_cost_report(
            db,
            admin,
            reference=reference,
            reported_on=date(2026, 10, n),
            items=[in_kind.Item(f"tamper test delivery {n}", n * 1_000_00)],
        )
        valuation, _ = in_kind.file_valuation(
            db,
            admin,
            cost_report=reference,
            reference=f"EC-TAMPER-{n}",
            consultant="evaluation consultant",
            method="cost reported",
            assessed_minor=n * 900_00,
            valued_on=date(2026, 10, n),
            evidence=[in_kind.Evidence(f"letter {n}", f"{n}" * 64)],
        )
        in_kind.recommend(
            db,
            authenticate(db, tokens["ua-manager-1"]),
            valuation_id=valuation.id,
            assessed_minor=n * 900_00,
            recommended_on=date(2026, 10, n),
        )
        _decide(db, tokens, "in_kind_valuation", approval_payload(db, admin, reference))
    for day in ("2026-10-05", "2026-10-06"):
        _decide(db, tokens, "term_change", {"preset": "ua-us-2025-04-30-agreement", "on": day})
    for partner in ("EU", "JP"):
        admitted = {
            "partner_id": partner,
            "name": partner,
            "legal_entity": "LP",
            "on": "2026-10-06",
        }
        _decide(db, tokens, "admit_partner", admitted)
    # Three web sessions, two of them signed out.
    for name in ("auditor", "administrator", "us-manager-1"):
        _, session_id = sign_in(db, name, tokens[name], now=datetime.now(UTC))
        if name != "us-manager-1":
            sign_out(db, session_id, now=datetime.now(UTC))


def _cycle_rows(db: Database, tokens: dict[str, str]) -> None:
    """A second transfer (another period, in USD) and two deadline records, so each cycle
    table has two rows that differ."""
    admin = authenticate(db, tokens["administrator"])
    record_transfer(
        db,
        admin,
        amount_minor=2_500_000_00,
        currency="USD",
        transfer_date=date(2027, 1, 15),
        reference="TAMPER-2026",
        period_year=2026,
    )
    for day, ref in ((date(2026, 3, 14), "DKSU-2025"), (date(2026, 3, 16), "DPS-2025")):
        record_deadline(
            db,
            admin,
            deadline_id="treasury-receipts-report"
            if ref.startswith("DKSU")
            else "tax-compliance-report",
            period_year=2025,
            done_on=day,
            reference=ref,
        )


def _receipt_rows(db: Database, tokens: dict[str, str]) -> None:
    """Treasury receipts by code and subsoil auctions, from the intake samples."""
    admin = authenticate(db, tokens["administrator"])
    samples = Path(__file__).parents[1] / "intake" / "samples"
    import_receipts(db, admin, samples / "treasury_special_fund_2025_cp1251.csv")
    import_auctions(db, admin, samples / "prozorro_sale_procedures.json")


def _legacy_in_kind(n: int) -> dict[str, object]:
    return {
        "partner": "US",
        "form": "in_kind",
        "kind": "military_aid",
        "currency": "USD",
        "amount": None,
        "usd_amount": None,
        "rate": None,
        "value_date": date(2026, 10, n),
        "reference": f"LEGACY-{n}",
        "description": "recorded under three valuation bases before they left the books",
        "entry_key": None,
    }


def build_tamper_fund(url: str) -> TamperFund:
    """The demo fund plus rows in every history and versioned table, a report in the log and
    two closed periods."""
    db = open_database(url)
    try:
        result = build_demo(db)
        tokens = {login.name: login.token for login in result.logins}
        _operations(db, tokens)
        _cycle_rows(db, tokens)
        _receipt_rows(db, tokens)
        with db.write() as conn:
            # A second adopted sheet (the same terms, re-adopted) so term_sheets has two rows.
            sheet = current_terms_row(conn)
            assert sheet is not None
            adopt_terms(conn, sheet.terms_id, sheet.yaml + "# re-adopted\n", "tamper test")
            append_report(conn, "transparency", "2025", "pdf", "ab" * 32, "tamper test")
            append_report(conn, "treasury", "2025-Q4", "csv", "cd" * 32, "tamper test")
            # In-kind values under the three bases, as books kept before they left the books
            # hold them (two legacy contributions recorded, never credited).
            for n in (1, 2):
                insert_contribution(
                    conn,
                    key=f"contribution:in_kind:US:LEGACY-{n}",
                    fields=_legacy_in_kind(n),
                    values={"fair_value": n * 1_000_00, "replacement_cost": n * 2_000_00},
                    recorded_by=1,
                    at=datetime(2026, 10, 7, tzinfo=UTC),
                )
            # Filings kept with a cached reason, and the chained notes of their true reasons.
            store_cached_reasons(conn, 3)
            note_true_reasons(conn)
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
            guards: list[tuple[str, str]] = []
            if conn.dialect.name == "sqlite":
                guards = [
                    (str(table), str(sql))
                    for table, sql in conn.exec_driver_sql(
                        "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
                    )
                ]
                for (name,) in conn.exec_driver_sql(
                    "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                ).all():
                    conn.exec_driver_sql(f"DROP TRIGGER {name}")
            else:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            yield conn
            # A careful intruder puts the guards back, so only the edit itself shows.
            if guards:
                present = {
                    str(t)
                    for (t,) in conn.exec_driver_sql(
                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                    )
                }
                for table, sql in guards:
                    if table in present:  # a table the test dropped keeps no guard
                        conn.exec_driver_sql(sql)
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

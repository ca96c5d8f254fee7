"""The demo fund `make run` builds: the U.S.–Ukraine fund from the bundled example files.

It sets the fund up under the 30 Apr 2025 agreement, registers the example licences, FX rates
and filings (whose shares accrue in the state budget's special fund), records the first real
cash contributions and the PPP Agency's transfer of the 2025 accruals, an illustrative in-kind
cost report left pending (no in-kind credit has been reported), creates demo users (an
administrator, three managers per partner, an auditor, a reporting entity) with fresh tokens,
opens an investment proposal (awaiting the Investment Committee), seats the committees, records
the board meetings of 3 Sep and 18 Dec 2025 as reported, and saves a forecast run.
"""

from __future__ import annotations

import csv
import json
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jointfund.errors import ConfigError, ConflictError
from jointfund.forecast import load_scenario, run_forecast, save_run
from jointfund.fund.books import journal, verify
from jointfund.fund.committees import seat_member
from jointfund.fund.contributions import record_cash
from jointfund.fund.filings import import_filings
from jointfund.fund.in_kind import Item, file_cost_report
from jointfund.fund.licences import import_licences
from jointfund.fund.proposals import approve, propose
from jointfund.fund.rates import import_fx_rates
from jointfund.fund.setup import set_up_fund
from jointfund.fund.transfers import record_transfer
from jointfund.fund.users import add_user, bootstrap_admin, issue_token
from jointfund.governance.roles import Interface, Role, User
from jointfund.i18n.message import Message
from jointfund.ledger import VerifyReport
from jointfund.money import parse_amount
from jointfund.store import Database, is_empty, upgrade, wipe
from jointfund.terms import DEFAULT_PRESET

DEMO_SEED = 20250430
DEMO_PATHS = 10_000


def example_dir() -> Path:
    """Where the example files live: JOINTFUND_EXAMPLE_DIR, else the checkout's examples/."""
    configured = os.environ.get("JOINTFUND_EXAMPLE_DIR")
    default = Path(__file__).resolve().parents[3] / "examples" / "us-ukraine"
    found = Path(configured) if configured else default
    if not (found / "licences.csv").is_file():
        raise ConfigError(
            Message(
                "example data not found in {found}; set JOINTFUND_EXAMPLE_DIR to "
                "examples/us-ukraine",
                found=found,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class DemoLogin:
    """A demo user and the token it signs in with (shown once)."""

    name: str
    role: str
    partner: str | None
    token: str


@dataclass(frozen=True, slots=True)
class DemoResult:
    """What the demo build did."""

    terms_id: str
    licences: int
    filings: int
    entries: int
    logins: tuple[DemoLogin, ...]
    forecast_run: Path | None
    verified: VerifyReport


DEMO_PEOPLE = (
    ("us-manager-1", Role.BOARD_MANAGER, "US", ()),
    ("us-manager-2", Role.BOARD_MANAGER, "US", ()),
    ("us-manager-3", Role.BOARD_MANAGER, "US", ()),
    ("ua-manager-1", Role.BOARD_MANAGER, "UA", ()),
    ("ua-manager-2", Role.BOARD_MANAGER, "UA", ()),
    ("ua-manager-3", Role.BOARD_MANAGER, "UA", ()),
    ("auditor", Role.AUDITOR, None, ()),
    ("velta-filings", Role.REPORTING_ENTITY, None, ("UA-SP-2015-0777", "UA-SP-2025-0711")),
)


def _people(db: Database) -> tuple[User, list[DemoLogin], dict[str, User]]:
    admin, admin_token = bootstrap_admin(db, "administrator", interface=Interface.CLI)
    logins = [DemoLogin(admin.name, admin.role.value, None, admin_token.secret)]
    people: dict[str, User] = {}
    for name, role, partner, licences in DEMO_PEOPLE:
        user = add_user(db, admin, name, role, partner=partner, licence_ids=licences)
        token = issue_token(db, admin, user.name, label="demo")
        logins.append(DemoLogin(user.name, role.value, partner, token.secret))
        people[name] = user
    return admin, logins, people


def _board(db: Database, admin: User, people: dict[str, User], folder: Path) -> None:
    """Seat the committees and record the board's meetings (board.json), when the example has
    them: each meeting is a board resolution dated the day it was held, approved by one manager
    of each partner (the demo's managers stand in for the real ones)."""
    path = folder / "board.json"
    if not path.is_file():
        return
    board = json.loads(path.read_text(encoding="utf-8"))
    for committee, names in board.get("committees", {}).items():
        for name in names:
            seat_member(db, admin, committee, name)
    for meeting in board.get("meetings", []):
        proposal = propose(db, admin, "board_resolution", meeting)
        for name in ("us-manager-1", "ua-manager-1"):
            approve(db, people[name], proposal.id, payload_hash=proposal.payload_hash)


def _contributions(db: Database, admin: User, folder: Path) -> None:
    with (folder / "contributions.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record_cash(
                db,
                admin,
                partner=row["partner"],
                amount_minor=parse_amount(row["amount"], row["currency"]),
                currency=row["currency"],
                value_date=date.fromisoformat(row["value_date"]),
                reference=row["bank_reference"],
            )


def _transfers(db: Database, admin: User, folder: Path) -> None:
    """The PPP Agency's transfers of accrued receipts (Res. 1616), when the example has them."""
    path = folder / "transfers.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            record_transfer(
                db,
                admin,
                amount_minor=parse_amount(row["amount"], row["currency"]),
                currency=row["currency"],
                transfer_date=date.fromisoformat(row["transfer_date"]),
                period_year=int(row["period"]),
                reference=row["reference"],
            )


def _in_kind(db: Database, admin: User, folder: Path) -> None:
    """In-kind cost reports, when the example has them: none has been published, so the
    example holds at most an illustrative one, shown pending and never booked."""
    path = folder / "in_kind_cost_reports.csv"
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            file_cost_report(
                db,
                admin,
                reference=row["reference"],
                reported_on=date.fromisoformat(row["reported_on"]),
                items=[Item(row["item"], parse_amount(row["cost_usd"], "USD"))],
                reporter=row["reporter"],
                illustrative=row["illustrative"] == "true",
            )


def build_demo(
    db: Database,
    *,
    force: bool = False,
    folder: Path | None = None,
    runs_dir: Path | None = None,
) -> DemoResult:
    """Build the example fund; refuse a database that holds data unless `force` wipes it first."""
    source = folder or example_dir()
    if not is_empty(db):
        if not force:
            raise ConflictError(
                Message("the database is not empty; use --force to replace it with the demo")
            )
        wipe(db)
        upgrade(db)
    setup = set_up_fund(db, DEFAULT_PRESET)
    admin, logins, people = _people(db)
    licences = import_licences(db, admin, source / "licences.csv")
    import_fx_rates(db, admin, source / "fx.csv")
    _contributions(db, admin, source)
    filings = import_filings(db, admin, source / "filings.csv")
    _transfers(db, admin, source)
    _in_kind(db, admin, source)
    propose(
        db,
        admin,
        "investment",
        {
            "investment_id": "velta-titanium",
            "name": "Velta titanium cluster, Kirovohrad (illustrative)",
            "amount": "25000000.00",
            "currency": "USD",
            "on": "2026-10-01",
        },
    )
    _board(db, admin, people, source)
    run_path = None
    if runs_dir is not None:
        run = run_forecast(load_scenario("base"), paths=DEMO_PATHS, seed=DEMO_SEED, years=40)
        run_path = save_run(run, runs_dir / "demo-base")
    entries = len(journal(db, admin, limit=100_000))
    return DemoResult(
        setup.terms_id,
        licences.created,
        filings.filings,
        entries,
        tuple(logins),
        run_path,
        verify(db, admin),
    )
